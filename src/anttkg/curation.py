"""Corrections by a curator, kept as a plain-text file in the store folder (``DIR/corrections.tsv``).

One correction per line, tab-separated, appended and never rewritten in place (a crash loses at most the
line being written); a team keeps the file in version control with ``export_corrections`` /
``import_corrections`` (``anttkg curate export FILE`` / ``import FILE``):

    merge   IRI      IRI          the two IRIs name one real entity (the first is kept)
    split   IRI      ARTICLE      the entity's mention in ARTICLE (an article IRI) is someone else
    reject  IRI      PREDICATE    VALUE   the statement IRI PREDICATE VALUE is wrong
    label   IRI      NAME         the entity's name is NAME

Blank lines and lines starting with '#' are comments. Tabs, newlines and backslashes inside a field are
written as \\t, \\n and \\\\. ``add_correction`` checks an entry against the store (an unknown IRI or
article is a ``CorrectionError``) and applies it at once; every build applies the whole file again
(``anttkg.identity.update_identity``), and queries and exports re-apply it first when it changed by hand.
Every applied entry is a node ``anttid:correction/{hash}`` in the graph ``anttid:graph/corrections``, and
what it changed points to it with ``antt:correctedBy``.
"""
from __future__ import annotations

import fcntl
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .vocab import ID

CORRECTIONS_NAME = "corrections.tsv"
ACTIONS = {"merge": ("iri", "iri"), "split": ("iri", "article"), "reject": ("iri", "predicate", "value"),
           "label": ("iri", "name")}
_HEADER = "# anttkg corrections: action<TAB>arguments (see anttkg.curation)\n"
_IRI = re.compile(r"(https?|urn):[^\s<>\"{}|^`\\]+\Z")
_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"}
_UNESCAPES = {"\\\\": "\\", "\\t": "\t", "\\n": "\n", "\\r": "\r"}
_ARTICLE_PREFIX = ID + "article/"
# Short forms a curator may type for a predicate.
_PREFIXES = {"schema": "https://schema.org/", "antt": "https://w3id.org/anttkg/ontology#",
             "org": "http://www.w3.org/ns/org#", "skos": "http://www.w3.org/2004/02/skos/core#",
             "dcterms": "http://purl.org/dc/terms/", "owl": "http://www.w3.org/2002/07/owl#",
             "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "prov": "http://www.w3.org/ns/prov#"}


class CorrectionError(ValueError):
    """A correction that cannot be recorded or read; the message names the file and line when read."""


@dataclass(frozen=True)
class Correction:
    action: str  # merge | split | reject | label
    args: tuple[str, ...]

    def mentions(self, iri: str) -> bool:
        return iri in self.args

    def line(self) -> str:
        """The entry as written in the file (without the newline)."""
        return "\t".join([self.action, *(_escape(a) for a in self.args)])


def corrections_path(store_path: str | os.PathLike) -> Path:
    return Path(store_path) / CORRECTIONS_NAME


def article_iri_of(value: str) -> str:
    """An article given by id or IRI, as its IRI."""
    from .resolve import article_iri

    value = value.strip()
    return value if _IRI.match(value) else article_iri(value)


def article_id_of(value: str) -> str:
    """An article given by IRI (or id), as its id."""
    value = value.strip()
    return unquote(value[len(_ARTICLE_PREFIX):]) if value.startswith(_ARTICLE_PREFIX) else value


def expand_predicate(value: str) -> str:
    prefix, sep, local = value.strip().partition(":")
    if sep and prefix in _PREFIXES and not local.startswith("//"):
        return _PREFIXES[prefix] + local
    return value.strip()


def check(action: str, args: tuple[str, ...] | list[str]) -> Correction:
    """A well-formed correction (not checked against a store); CorrectionError says what is wrong."""
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


def make_correction(action: str, *args: str) -> Correction:
    """A correction from what a person types: an article id for split, a prefixed predicate for reject."""
    args = tuple(args)
    if action == "split" and len(args) == 2:
        args = (args[0], article_iri_of(args[1]))
    if action == "reject" and len(args) == 3:
        args = (args[0], expand_predicate(args[1]), args[2])
    return check(action, args)


def correction_iri(correction: Correction) -> str:
    """The node of an entry in the corrections graph, named by its content (stable when lines move)."""
    return f"{ID}correction/{hashlib.sha1(correction.line().encode('utf-8')).hexdigest()[:16]}"


def _escape(value: str) -> str:
    return "".join(_ESCAPES.get(ch, ch) for ch in value)


def _unescape(value: str) -> str:
    return re.sub(r"\\[\\tnr]", lambda m: _UNESCAPES[m.group(0)], value)


def append(store_path: str | os.PathLike, correction: Correction) -> Path:
    """Append one correction to the store's file (created with a header line when absent)."""
    correction = check(correction.action, correction.args)
    path = corrections_path(store_path)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # two writers never interleave a line
        data = (_HEADER if os.fstat(fd).st_size == 0 else "") + correction.line() + "\n"
        os.write(fd, data.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return path


def parse(text: str, origin: str) -> list[Correction]:
    found = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        action, *args = raw.split("\t")
        try:
            found.append(check(action.strip(), [_unescape(a) for a in args]))
        except CorrectionError as err:
            raise CorrectionError(f"{origin}:{number}: {err}") from None
    return found


def read(store_path: str | os.PathLike) -> list[Correction]:
    """Every correction in the store's file, in the order written; [] when there is none."""
    path = corrections_path(store_path)
    if not path.is_file():
        return []
    return parse(path.read_text(encoding="utf-8"), str(path))


list_corrections = read


# -- checked against the store ----------------------------------------------------------------------
def _known_entity(store, target: str) -> bool:
    """Whether an IRI names something in the store: a shared person, an article-local one, or any node an
    article graph states something about."""
    import pyoxigraph as ox

    node = ox.NamedNode(target)
    return any(True for _ in store.oxigraph.quads_for_pattern(node, None, None)) or \
        any(True for _ in store.oxigraph.quads_for_pattern(None, None, node))


def _mentioned_in(store, target: str, article: str) -> bool:
    """Whether the entity (or an article-local person that is it) is in the article's graph."""
    query = (f"ASK {{ {{ BIND(<{target}> AS ?x) }} UNION {{ GRAPH ?ig {{ ?x <http://www.w3.org/2002/07/owl#sameAs> "
             f"<{target}> }} }} GRAPH <{article}> {{ {{ ?x ?p ?o }} UNION {{ ?s ?p ?x }} }} }}")
    return bool(store.oxigraph.query(query))


def _states(store, target: str, predicate: str, value: str) -> bool:
    """Whether an article graph states ``target predicate value`` (the value an IRI or any literal of that
    lexical form), for the target or an article-local person that is the target."""
    from .query import sparql_term

    query = (f"ASK {{ {{ BIND(<{target}> AS ?s) }} UNION {{ GRAPH ?ig {{ ?s <http://www.w3.org/2002/07/owl#sameAs> "
             f"<{target}> }} }} GRAPH ?g {{ ?s <{predicate}> ?o }} FILTER(STR(?o) = {sparql_term('string', value)}) }}")
    return bool(store.oxigraph.query(query))


def _has_effect(store, correction: Correction) -> bool:
    """Whether something in the store says it was changed by this entry (``antt:correctedBy``)."""
    import pyoxigraph as ox

    node = ox.NamedNode(correction_iri(correction))
    return any(True for _ in store.oxigraph.quads_for_pattern(
        None, ox.NamedNode("https://w3id.org/anttkg/ontology#correctedBy"), node))


def validate_against(store, correction: Correction) -> None:
    """CorrectionError when the entry names an IRI or article the store does not have, or rejects a
    statement no article makes."""
    targets = correction.args[:2] if correction.action == "merge" else correction.args[:1]
    for target in targets:
        if not _known_entity(store, target):
            raise CorrectionError(f"{correction.action}: no entity {target} in store {store.path}")
    if correction.action == "split":
        article = correction.args[1]
        article_id = article_id_of(article)
        if store.entry(article_id) is None:
            raise CorrectionError(f"split: no article {article_id!r} in store {store.path}")
        if not _mentioned_in(store, correction.args[0], article):
            raise CorrectionError(f"split: {correction.args[0]} is not mentioned in article {article_id!r}")
    if correction.action == "reject" and not _states(store, *correction.args):
        raise CorrectionError(f"reject: no article states {correction.args[0]} {correction.args[1]} "
                              f"{correction.args[2]!r} in store {store.path}")


def _open(store_path: str | os.PathLike):
    """The store, writable (waiting for a build to finish); a missing store is an error, not created."""
    from .store import GraphStore, StoreMissing, is_store

    if not is_store(Path(store_path)):
        raise StoreMissing(f"no anttkg store at {store_path} (run `anttkg build` first, "
                           "or point --store / ANTTKG_STORE at one)")
    return GraphStore(store_path, wait=True)


def add_correction(store_path: str | os.PathLike, entry: Correction | tuple | list) -> Correction:
    """Check an entry against the store, append it to the file and apply it. ``entry`` is a Correction or
    (action, arg, ...) as typed (article id for split, prefixed predicate for reject)."""
    if not isinstance(entry, Correction):
        action, *args = entry
        entry = make_correction(action, *args)
    else:
        entry = check(entry.action, entry.args)
    with _open(store_path) as store:
        if entry in read(store_path):
            return entry  # recorded before (and perhaps applied: a rejected statement is gone by now)
        validate_against(store, entry)
        append(store_path, entry)
        apply_corrections(store)
    return entry


def apply_corrections(store) -> None:
    """Apply the file to an open, writable store (the identity pass does the work)."""
    from .identity import update_identity

    update_identity(store)


def export_corrections(store_path: str | os.PathLike, target: str | os.PathLike) -> int:
    """Write the store's corrections to a file (same format); the number of entries."""
    entries = read(store_path)
    text = _HEADER + "".join(c.line() + "\n" for c in entries)
    Path(target).write_text(text, encoding="utf-8")
    return len(entries)


def import_corrections(store_path: str | os.PathLike, source: str | os.PathLike) -> int:
    """Add the entries of a corrections file that the store does not have yet, checking each against the
    store first (nothing is added when one is wrong), then apply them; the number added."""
    source = Path(source)
    if not source.is_file():
        raise CorrectionError(f"no corrections file {source}")
    entries = parse(source.read_text(encoding="utf-8"), str(source))
    with _open(store_path) as store:
        have = set(read(store_path))
        new = []
        for entry in entries:
            if entry in have or entry in new:
                continue
            validate_against(store, entry)
            new.append(entry)
        for entry in new:
            append(store_path, entry)
        apply_corrections(store)
    return len(new)


def corrections_stale(store_path: str | os.PathLike) -> bool:
    """Whether the file changed since the store last applied it (edited by hand, checked out from git)."""
    import sqlite3

    from .identity import SIDECAR_NAME

    entries = read(store_path)
    state = hashlib.sha256("\n".join(c.line() for c in entries).encode("utf-8")).hexdigest()
    path = Path(store_path) / SIDECAR_NAME
    if not path.is_file():
        return bool(entries)
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = db.execute("SELECT value FROM meta WHERE key = 'corrections'").fetchone()
    except sqlite3.Error:
        row = None
    finally:
        db.close()
    return (row[0] if row else None) != state and (bool(entries) or row is not None)


def ensure_applied(store_path: str | os.PathLike) -> bool:
    """Apply the corrections file when it changed since the last application; True if it was applied. A
    store being built is left alone (the build applies the file when it finishes)."""
    from .store import GraphStore, StoreError, is_store

    if not is_store(Path(store_path)) or not corrections_stale(store_path):
        return False
    try:
        with GraphStore(store_path) as store:
            apply_corrections(store)
    except StoreError:
        return False
    return True


@dataclass(frozen=True)
class CorrectionStatus:
    number: int
    correction: Correction
    iri: str  # the entry's node in the corrections graph
    applies: bool  # False when an IRI it names is no longer in the store (the entry waits, harmless)


def correction_statuses(store_path: str | os.PathLike) -> list[CorrectionStatus]:
    """Every entry with whether it still finds what it names in the store."""
    from .store import GraphStore

    entries = read(store_path)
    statuses = []
    with GraphStore(store_path, read_only=True) as store:
        for number, entry in enumerate(entries, start=1):
            # an entry applied already (a split's article moved, a rejected statement gone) says so by what
            # it changed; otherwise it applies when what it names is still there
            applies = _has_effect(store, entry)
            if not applies:
                try:
                    validate_against(store, entry)
                    applies = True
                except CorrectionError:
                    applies = False
            statuses.append(CorrectionStatus(number, entry, correction_iri(entry), applies))
    return statuses
