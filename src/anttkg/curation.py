"""Corrections to the extracted graph, kept as a plain-text file in the store folder (``corrections.tsv``).

This is the minimal form `anttkg serve --curate` writes; `anttkg curate` (designed separately) is meant to
replace it and read the same file. One correction per line, tab-separated, written once and never
rewritten (append-only, so a crash loses at most the line being written):

    merge   IRI      IRI          the two IRIs name one real entity (the first is kept)
    split   IRI      ARTICLE      the entity read in ARTICLE (an article IRI) is another one
    reject  IRI      PREDICATE    VALUE   the statement IRI PREDICATE VALUE is wrong
    label   IRI      NAME         the entity's name is NAME

Blank lines and lines starting with '#' are comments. Tabs, newlines and backslashes inside a field are
written as \\t, \\n and \\\\ (as in the TSV output of the CLI). Applying corrections to the graph is not
this module's job.
"""
from __future__ import annotations

import fcntl
import os
import re
from dataclasses import dataclass
from pathlib import Path

CORRECTIONS_NAME = "corrections.tsv"
ACTIONS = {"merge": ("iri", "iri"), "split": ("iri", "article"), "reject": ("iri", "predicate", "value"),
           "label": ("iri", "name")}
_HEADER = "# anttkg corrections: action<TAB>arguments (see anttkg.curation)\n"
_IRI = re.compile(r"(https?|urn):[^\s<>\"{}|^`\\]+\Z")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}


class CorrectionError(ValueError):
    """A correction that cannot be recorded or read; the message names the file and line when read."""


@dataclass(frozen=True)
class Correction:
    action: str  # merge | split | reject | label
    args: tuple[str, ...]

    def mentions(self, iri: str) -> bool:
        return iri in self.args


def corrections_path(store_path: str | os.PathLike) -> Path:
    return Path(store_path) / CORRECTIONS_NAME


def check(action: str, args: tuple[str, ...] | list[str]) -> Correction:
    """A validated correction; CorrectionError says what is wrong."""
    if action not in ACTIONS:
        raise CorrectionError(f"unknown correction {action!r} (one of {', '.join(ACTIONS)})")
    kinds = ACTIONS[action]
    args = tuple(str(a).strip() for a in args)
    if len(args) != len(kinds):
        raise CorrectionError(f"{action} takes {len(kinds)} arguments ({' '.join(kinds)}), got {len(args)}")
    for kind, value in zip(kinds, args):
        if not value:
            raise CorrectionError(f"{action}: the {kind} is empty")
        if kind in ("iri", "article", "predicate") and not _IRI.match(value):
            raise CorrectionError(f"{action}: {value!r} is not an absolute IRI")
    if action == "merge" and args[0] == args[1]:
        raise CorrectionError("merge: the two IRIs are the same")
    return Correction(action, args)


def _escape(value: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in value)


def _unescape(value: str) -> str:
    return re.sub(r"\\[\\tnr]", lambda m: _UNESCAPES[m.group(0)], value)


def append(store_path: str | os.PathLike, correction: Correction) -> Path:
    """Append one correction to the store's file (created with a header line when absent)."""
    correction = check(correction.action, correction.args)
    path = corrections_path(store_path)
    line = "\t".join([correction.action, *(_escape(a) for a in correction.args)]) + "\n"
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # two writers never interleave a line
        data = (_HEADER if os.fstat(fd).st_size == 0 else "") + line
        os.write(fd, data.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def read(store_path: str | os.PathLike) -> list[Correction]:
    """Every correction in the store's file, in the order written; [] when there is none."""
    path = corrections_path(store_path)
    if not path.is_file():
        return []
    found = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        action, *args = raw.split("\t")
        try:
            found.append(check(action.strip(), [_unescape(a) for a in args]))
        except CorrectionError as err:
            raise CorrectionError(f"{path}:{number}: {err}") from None
    return found
