"""HTML main text whatever wraps it: an ASP.NET page whose body is inside <form>, a WordPress post, a news CMS
page with <header> and <aside> inside <article>. Pages written for the tests in tests/fixtures/ingest/."""
from __future__ import annotations

from pathlib import Path

from anttkg.ingest import read_inputs
from anttkg.models import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def page(name: str) -> Article:
    [item] = list(read_inputs([FIXTURES / name]))
    assert isinstance(item, Article), item
    return item


def test_aspnet_body_inside_a_form_is_read():
    article = page("aspnet-form.html")
    assert article.title == "Công an tỉnh Bình Dương tổng kết phong trào Toàn dân bảo vệ an ninh Tổ quốc"
    lines = article.text.splitlines()
    assert lines[0].startswith("Sáng ngày 12/3/2024, Công an tỉnh Bình Dương tổ chức Hội nghị")
    assert "Đại tá Trịnh Ngọc Quyên, Giám đốc Công an tỉnh chủ trì Hội nghị." in article.text
    assert lines[-1].startswith("Hội nghị đã khen thưởng 35 tập thể")
    for chrome in ("__VIEWSTATE", "Trang chủ", "Giới thiệu", "Văn bản", "Bản quyền"):
        assert chrome not in article.full_text, chrome


def test_wordpress_post_keeps_the_entry_and_drops_widgets_and_comments():
    article = page("wordpress.html")
    assert article.title == "Đoàn Thanh niên ra quân tháng an toàn giao thông"
    assert article.published == "2023-09-05"
    assert article.text.startswith("Sáng 5/9, Đoàn Thanh niên Công an tỉnh Nghệ An")
    assert "Hoạt động kéo dài đến hết tháng 9 tại 50 trường học" in article.text
    for chrome in ("Bài viết mới", "Công an huyện tuần tra đêm", "Bình luận", "Vận hành bởi WordPress",
                   "Bài trước", "Trang chủ"):
        assert chrome not in article.full_text, chrome


def test_news_cms_lead_in_the_article_header_and_body_are_kept_related_news_dropped():
    article = page("news-cms.html")
    assert article.title == "Bộ Công an triển khai đợt cao điểm tấn công tội phạm"
    assert article.published == "2024-01-15"
    assert "Bộ Công an vừa ban hành kế hoạch mở đợt cao điểm" in article.full_text  # the lead, in <header>
    assert "kéo dài từ ngày 15/1 đến hết ngày 29/2/2024" in article.text
    assert "trước ngày 5/3/2024" in article.text
    assert article.authors == ("Hoàng Minh",)
    for chrome in ("Tin liên quan", "Triệt phá đường dây", "Đọc nhiều", "Cảnh báo lừa đảo", "Thời sự",
                   "Cơ quan chủ quản"):
        assert chrome not in article.full_text, chrome


def test_a_title_only_page_is_reported_in_the_build_report(tmp_path):
    from anttkg.build import build

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "title-only.html").write_text(
        "<html><head><title>Chỉ có tiêu đề</title></head><body><h1>Chỉ có tiêu đề</h1>"
        "<div class='body'></div></body></html>", encoding="utf-8")
    (folder / "good.html").write_bytes((FIXTURES / "wordpress.html").read_bytes())
    report = build([folder], tmp_path / "store", workers=1, validate=False)
    assert report.built == 2
    assert [(w["origin"], w["article_id"]) for w in report.warnings] == [(str(folder / "title-only.html"),
                                                                         "title-only")]
    assert "no body text" in report.warnings[0]["reason"]
    assert report.to_dict()["warnings"] == report.warnings
