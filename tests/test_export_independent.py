"""Every export format checked by a parser that is not rdflib: raptor's `rapper` (Debian raptor2-utils,
installed by scripts/install-servers.sh) for Turtle, N-Triples, N-Quads and TriG, and oxigraph's JSON-LD
parser for JSON-LD (raptor has none). The graph is the real pipeline's output for the sample articles plus
an article full of hostile strings."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

import pyoxigraph as ox
import pytest

from anttkg.build import build
from anttkg.export import export
from anttkg.store import GraphStore

RAPPER_SYNTAX = {"turtle": "turtle", "ntriples": "ntriples", "nquads": "nquads", "trig": "trig"}
HOSTILE_TEXT = ('Trung tướng Nguyễn Văn "Bình" <b>\\n</b>, Giám đốc Công an tỉnh Hà Giang; ký hiệu \\u0000 '
                '{x} `y` | ^z ~ % %zz # ## @vi _:b0 <http://x> "\"\"\"" \u202e\u200b đ' + "x" * 5000 + ". "
                "Ngày 3/4, tại Hà Nội, Bộ Công an tổ chức Hội nghị tổng kết.")


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, sample_dir):
    folder = tmp_path_factory.mktemp("independent")
    inputs = folder / "in"
    shutil.copytree(sample_dir, inputs)
    record = {"id": "hostile <id> \"1\"", "title": 'Tiêu đề "lạ" \\ <script>', "text": HOSTILE_TEXT,
              "url": "https://example.org/a b?c=<d>", "author": ["Tác giả \"A\""]}
    (inputs / "hostile.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    report = build([inputs], folder / "store", workers=1)
    assert report.built == len(list(sample_dir.glob("*.txt"))) + 1
    return folder / "store"


def rapper_count(path, syntax: str) -> int:
    done = subprocess.run(["rapper", "-i", syntax, "-c", str(path), "http://example.org/base/"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "rapper: Error" not in done.stderr, done.stderr[-2000:]
    return int(re.search(r"returned (\d+) triples?", done.stderr).group(1))


@pytest.mark.parametrize("fmt", sorted(RAPPER_SYNTAX))
def test_rapper_parses_every_export_to_the_same_count(store_dir, tmp_path, fmt):
    if shutil.which("rapper") is None:
        pytest.skip("rapper (Debian raptor2-utils) is not installed; scripts/install-servers.sh installs it")
    out = tmp_path / f"graph.{fmt}"
    with GraphStore(store_dir, read_only=True) as store:
        result = export(store, fmt, out)
        expected = store.count_quads(include_ontology=False) if fmt in ("nquads", "trig") else store.count_triples()
    assert result.statements == expected
    assert rapper_count(out, RAPPER_SYNTAX[fmt]) == expected
    # The VoID + DCAT description written beside it is valid Turtle too.
    assert rapper_count(tmp_path / f"graph.{fmt}.void.ttl", "turtle") > 0


def test_jsonld_export_parses_with_oxigraph_to_the_same_count(store_dir, tmp_path):
    out = tmp_path / "graph.jsonld"
    with GraphStore(store_dir, read_only=True) as store:
        export(store, "jsonld", out)
        expected = store.count_quads(include_ontology=False)
    parsed = list(ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD))
    assert len(set(parsed)) == expected
