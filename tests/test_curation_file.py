"""The corrections file (anttkg.curation) as `anttkg serve --curate` and `anttkg curate` write it: format and refusals."""
from __future__ import annotations

import pytest

from anttkg import curation

A = "https://w3id.org/anttkg/id/person/a-00000001"
B = "https://w3id.org/anttkg/id/person/b-00000002"
ARTICLE = "https://w3id.org/anttkg/id/article/x"


def test_corrections_round_trip_in_order_with_escapes(tmp_path):
    written = [curation.Correction("merge", (A, B)), curation.Correction("split", (A, ARTICLE)),
               curation.Correction("reject", (A, "https://schema.org/name", "tab\there\nnew line \\ back")),
               curation.Correction("label", (A, "Tô Lâm"))]
    for correction in written:
        curation.append(tmp_path, correction)
    assert curation.read(tmp_path) == written
    lines = (tmp_path / curation.CORRECTIONS_NAME).read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("#") and len(lines) == 1 + len(written)
    assert all(line.count("\n") == 0 for line in lines)


def test_no_file_means_no_corrections(tmp_path):
    assert curation.read(tmp_path) == []


@pytest.mark.parametrize("action, args", [("merge", (A, A)), ("merge", (A,)), ("split", (A, "not an iri")),
                                          ("label", (A, " ")), ("rename", (A, B))])
def test_bad_corrections_are_refused_before_writing(tmp_path, action, args):
    with pytest.raises(curation.CorrectionError):
        curation.append(tmp_path, curation.Correction(action, args))
    assert not (tmp_path / curation.CORRECTIONS_NAME).exists()


def test_a_bad_line_is_reported_with_file_and_line(tmp_path):
    curation.append(tmp_path, curation.Correction("label", (A, "Name")))
    with open(tmp_path / curation.CORRECTIONS_NAME, "a", encoding="utf-8") as handle:
        handle.write("merge\tonly-one\n")
    with pytest.raises(curation.CorrectionError, match=r"corrections\.tsv:3: merge"):
        curation.read(tmp_path)
