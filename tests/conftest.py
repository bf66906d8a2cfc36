"""Shared test fixtures. Tests that need ../shared skip with the reason where it is absent."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ANTTKG_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    """data/: the five sample articles shipped with the repository."""
    return REPO / "data"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """../shared (seeds, corpus, eval kit); skips the test where it is not beside the repository."""
    if not (SHARED / "eval" / "score.py").is_file():
        pytest.skip(f"../shared is not present at {SHARED} (it holds the corpus and the eval kit)")
    return SHARED


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory, sample_dir) -> Path:
    """A store built from data/ (the sample articles), for the tests of `anttkg serve`."""
    from anttkg.build import build

    folder = tmp_path_factory.mktemp("sample-store") / "store"
    report = build([sample_dir.resolve()], folder, workers=1)
    assert report.built == 5 and not report.skipped, report
    return folder
