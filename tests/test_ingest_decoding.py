"""Decoding: UTF-8 and Windows-1258 Vietnamese are read; binary data and text in other encodings (GBK,
Latin-1) are reported with the file's name instead of becoming an article of mojibake."""
from __future__ import annotations

import json
import random

import pytest

from anttkg.ingest import read_inputs
from anttkg.models import Article, IngestProblem

VIETNAMESE = ("Công an xã Tân Lập ra mắt tổ tự quản\n01/02/2020\n"
              "Người dân tố giác tội phạm, bảo vệ an ninh trật tự ở địa phương.\n")


def to_cp1258(text: str) -> bytes:
    import unicodedata

    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        letter = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out += (letter + "".join(c for c in parts if c in tones)).encode("cp1258")
    return out


def read(path):
    return list(read_inputs([path]))


@pytest.mark.parametrize("name, data", [
    ("utf8.txt", VIETNAMESE.encode("utf-8")),
    ("legacy.txt", to_cp1258(VIETNAMESE)),
    ("legacy-long.txt", to_cp1258(VIETNAMESE * 30)),
])
def test_vietnamese_in_utf8_and_windows_1258_is_read(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    [item] = read(path)
    assert isinstance(item, Article), item
    assert item.title == "Công an xã Tân Lập ra mắt tổ tự quản"
    assert "Người dân tố giác tội phạm" in item.text


@pytest.mark.parametrize("name, data, expected", [
    ("binary.txt", random.Random(4).randbytes(4096), "binary"),
    ("binary-high.txt", bytes(b | 0x80 for b in random.Random(5).randbytes(4096)), "not text"),
    ("chinese.txt", ("中华人民共和国公安部今天召开会议，部署打击犯罪工作。\n" * 20).encode("gbk"), "gb"),
    ("french.txt", ("Le ministère de l'Intérieur a présenté à la presse un rapport détaillé.\n" * 5).encode("latin-1"),
     "save it as UTF-8"),
    ("portuguese.txt", ("O ministério não informou se as ações da polícia são legais.\n" * 5).encode("latin-1"),
     "save it as UTF-8"),
    ("italian.txt", ("Il ministro ha detto che così non può continuare, perché la città è più sicura.\n" * 5)
     .encode("latin-1"), "save it as UTF-8"),
])
def test_binary_and_foreign_encodings_are_reported_naming_the_file(tmp_path, name, data, expected):
    path = tmp_path / name
    path.write_bytes(data)
    [item] = read(path)
    assert isinstance(item, IngestProblem), item
    assert item.origin == str(path) and expected in item.reason


def test_a_declared_html_charset_is_honoured(tmp_path):
    page = ("<html><head><meta charset='gbk'><title>公安部</title></head><body><h1>公安部召开会议</h1>"
            "<p>部署打击犯罪工作，维护社会治安。</p></body></html>")
    path = tmp_path / "zh.html"
    path.write_bytes(page.encode("gbk"))
    [item] = read(path)
    assert isinstance(item, Article) and item.title == "公安部召开会议"


def test_a_jsonl_line_in_another_encoding_is_reported_with_its_line(tmp_path):
    path = tmp_path / "feed.jsonl"
    good = json.dumps({"id": "ok", "title": "Tin", "text": "Nội dung bài báo."}, ensure_ascii=False)
    legacy = json.dumps({"id": "vn", "title": "Tin cũ", "text": "Người dân tố giác tội phạm ở địa phương."},
                        ensure_ascii=False)
    chinese = json.dumps({"id": "zh", "title": "公安部", "text": "部署打击犯罪工作，维护社会治安。" * 5},
                         ensure_ascii=False)
    path.write_bytes(good.encode() + b"\n" + to_cp1258(legacy) + b"\n" + chinese.encode("gbk") + b"\n")
    items = read(path)
    assert [type(i).__name__ for i in items] == ["Article", "Article", "IngestProblem"]
    assert items[1].text == "Người dân tố giác tội phạm ở địa phương."
    assert items[2].origin == f"{path}:3" and "UTF-8" in items[2].reason
