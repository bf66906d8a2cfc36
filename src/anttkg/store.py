"""The embedded persistent store: a pyoxigraph (RocksDB) dataset, a build manifest and a lock.

Layout of a store folder DIR:
- ``DIR/oxigraph``       the RDF dataset, one named graph per article plus ``anttid:graph/ontology``;
- ``DIR/manifest.sqlite`` per article: content hash, graph IRI, origin, counts, validation state and SHACL
  results, and the article's canonical N-Quads (zlib). The copy makes N-Quads export, validation and remote
  loading stream at disk speed: reading terms back out of RocksDB decodes every string separately and is an
  order of magnitude slower;
- ``DIR/lock``            an flock: exclusive for a writer (the pid is written in it), shared for readers.

One source of truth: the manifest. The Oxigraph dataset is an index of it, kept consistent by a journal.
Replacing or removing articles is three steps: (1) one SQLite transaction writes the new manifest rows and
lists every graph about to change in the ``pending`` table; (2) Oxigraph drops and loads those graphs;
(3) a second transaction clears them from ``pending``. A process killed at any moment leaves each article as
it was before step 1 or as after it, and ``repair`` (run by every build) reloads each pending graph from the
manifest, so the dataset ends up what the manifest says. ``check`` compares the two graph by graph.
"""
from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .vocab import ID

ONTOLOGY_GRAPH = ID + "graph/ontology"
# graphs derived from the article graphs (the ontology, who is who, corrections): no article's, so the manifest
# does not list them; the stage that writes them keeps its own record (identity.py's sidecar)
DERIVED_GRAPH_PREFIX = ID + "graph/"
MANIFEST_NAME = "manifest.sqlite"
DATA_NAME = "oxigraph"
LOCK_NAME = "lock"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    article_id   TEXT PRIMARY KEY,
    content_hash TEXT NOT NULL,
    body_hash    TEXT NOT NULL,
    graph_iri    TEXT NOT NULL,
    origin       TEXT NOT NULL,
    quads        INTEGER NOT NULL,
    counts       TEXT NOT NULL,
    built_at     TEXT NOT NULL,
    pipeline     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS articles_body ON articles (body_hash);
CREATE INDEX IF NOT EXISTS articles_graph ON articles (graph_iri);
CREATE TABLE IF NOT EXISTS article_nquads (
    article_id TEXT PRIMARY KEY,
    nquads     BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS inputs (path TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS input_files (
    path     TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    pipeline TEXT NOT NULL,
    articles INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pending (graph_iri TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS violations (
    article_id TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    severity   TEXT NOT NULL,
    data       TEXT NOT NULL,
    PRIMARY KEY (article_id, seq)
);
"""
# Columns added after the first release, for stores made before them: (table, column, definition).
_ADDED_COLUMNS = [("articles", "validated", "INTEGER NOT NULL DEFAULT 0")]
# Set in the manifest of a store whose writes have always been journalled; a store without it is compared
# with its manifest in full once, by the first repair.
_JOURNAL_META = "journal"
REPAIR_BATCH = 500


class StoreError(Exception):
    """A store problem a user can act on (the CLI prints the message, no traceback)."""


class StoreMissing(StoreError):
    pass


class StoreLocked(StoreError):
    def __init__(self, path: Path, pid: int | None):
        self.path, self.pid = path, pid
        who = f"another anttkg process (pid {pid})" if pid else "another anttkg process"
        super().__init__(f"store {path} is being built by {who}; wait for it or use another --store")


class StoreBusy(StoreError):
    def __init__(self, path: Path):
        self.path = path
        super().__init__(f"store {path} is open in another anttkg process (reading it); "
                         "wait for it to finish or use another --store")


@dataclass(frozen=True)
class ManifestEntry:
    article_id: str
    content_hash: str
    body_hash: str
    graph_iri: str
    origin: str
    quads: int
    counts: dict[str, int]
    built_at: str
    pipeline: str = ""
    validated: bool = False


@dataclass(frozen=True)
class StoreCheck:
    """How the Oxigraph dataset differs from the manifest; ``ok`` when it does not."""

    articles: int = 0
    missing: list[str] = field(default_factory=list)    # manifest graphs absent from the dataset
    differing: list[str] = field(default_factory=list)  # graphs whose quads differ from the manifest's copy
    extra: list[str] = field(default_factory=list)      # dataset graphs no manifest article has
    pending: list[str] = field(default_factory=list)    # graphs an interrupted write left to repair
    no_copy: list[str] = field(default_factory=list)    # manifest articles without their N-Quads

    @property
    def ok(self) -> bool:
        return not (self.missing or self.differing or self.extra or self.pending or self.no_copy)

    def problems(self) -> list[tuple[str, str]]:
        """(kind, graph IRI or article id) for every disagreement."""
        out = []
        for kind in ("pending", "missing", "differing", "extra", "no_copy"):
            out += [(kind, item) for item in getattr(self, kind)]
        return out


@dataclass(frozen=True)
class StoredArticle:
    """One article's graph, ready to load: ``nquads`` is canonical (see ``canonical_nquads``)."""

    article_id: str
    graph_iri: str
    content_hash: str
    body_hash: str
    origin: str
    nquads: bytes
    counts: dict[str, int] = field(default_factory=dict)
    pipeline: str = ""  # fingerprint of the code and lexicons that built it
    validated: bool = False  # its graph was checked against the SHACL shapes
    violations: tuple = ()  # the SHACL results of that check (dicts with at least "severity")

    @property
    def quads(self) -> int:
        return self.nquads.count(b"\n")


def utc_now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def canonical_nquads(nquads: str | bytes, graph_iri: str) -> bytes:
    """The article's quads as pyoxigraph writes them: one per line, unique, sorted, '\\n' terminated.

    Raises ValueError when the text does not parse or a quad lies outside ``graph_iri`` (removing or
    replacing the article would leave such a quad behind).
    """
    import pyoxigraph as ox

    data = nquads.encode("utf-8") if isinstance(nquads, str) else nquads
    try:
        parsed = list(ox.parse(data, ox.RdfFormat.N_QUADS))
    except SyntaxError as err:
        raise ValueError(f"invalid N-Quads: {err}") from None
    for q in parsed:
        if not isinstance(q.graph_name, ox.NamedNode) or q.graph_name.value != graph_iri:
            raise ValueError(f"quad outside the article graph <{graph_iri}>: {q}")
    if not parsed:
        return b""
    lines = set(ox.serialize(parsed, format=ox.RdfFormat.N_QUADS).splitlines())
    lines.discard(b"")
    return b"\n".join(sorted(lines)) + b"\n"


@dataclass(frozen=True)
class CanonicalGraphs:
    """The canonical N-Quads of several article graphs, and an in-memory pyoxigraph store holding exactly
    those graphs (what SHACL validation of them loads)."""

    nquads: list[bytes]
    dataset: Any


def canonical_graphs(items: Sequence[tuple[str, str]]) -> CanonicalGraphs | None:
    """``canonical_nquads`` of many (N-Quads text, graph IRI) pairs at once, or None when any of them is
    not already written in canonical lines (then call ``canonical_nquads`` on each, which says why).

    The pipeline writes its lines as pyoxigraph does, so one load of all the texts into an in-memory store
    and one dump show it: every line of every text is a line of the dump, in the text's own graph, and the
    dump has no other line. That costs a fraction of parsing each article into Python objects."""
    import pyoxigraph as ox

    try:
        expected: list[set[bytes]] = []
        graphs: set[str] = set()
        for nquads, graph_iri in items:
            if not isinstance(nquads, str) or not isinstance(graph_iri, str) or graph_iri in graphs:
                return None
            graphs.add(graph_iri)
            lines = set(nquads.encode("utf-8").split(b"\n"))
            lines.discard(b"")
            suffix = f" <{graph_iri}> .".encode("utf-8")
            if not all(line.endswith(suffix) for line in lines):
                return None
            expected.append(lines)
        dataset = ox.Store()
        dataset.load("\n".join(nquads for nquads, _graph in items).encode("utf-8"), ox.RdfFormat.N_QUADS)
        # A triple of the default graph could end like a quad of the article graph ("<s> <p> <graph> .").
        if next(iter(dataset.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is not None:
            return None
        written = set(dataset.dump(format=ox.RdfFormat.N_QUADS).split(b"\n"))
        written.discard(b"")
        if sum(map(len, expected)) != len(written) or set().union(*expected) != written:
            return None
    except (SyntaxError, ValueError, OSError, UnicodeError, TypeError):
        return None
    return CanonicalGraphs([b"\n".join(sorted(lines)) + b"\n" if lines else b"" for lines in expected], dataset)


def _read_pid(lock_path: Path) -> int | None:
    try:
        text = lock_path.read_text().strip()
        pid = int(text) if text else None
    except (OSError, ValueError):
        return None
    if pid is not None:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            pass
    return pid


def is_store(path: Path) -> bool:
    path = Path(path)
    return (path / MANIFEST_NAME).is_file() and (path / DATA_NAME).is_dir()


class GraphStore:
    """Open a store folder. Writers hold an exclusive lock; readers a shared one.

    ``GraphStore(path)`` creates the folder when needed; ``GraphStore(path, read_only=True)`` requires an
    existing store (``StoreMissing`` otherwise). ``wait=True`` blocks until the lock is free instead of
    raising ``StoreLocked`` / ``StoreBusy``.
    """

    def __init__(self, path: str | os.PathLike, read_only: bool = False, *, wait: bool = False):
        import pyoxigraph as ox

        self.path = Path(path)
        self.read_only = read_only
        self._lock_fd: int | None = None
        self._staged_stale: dict[str, str] = {}  # article id -> graph IRI it had before, dropped in step 1
        self._db: sqlite3.Connection | None = None
        self.oxigraph = None
        if read_only and not is_store(self.path):
            raise StoreMissing(f"no anttkg store at {self.path} (run `anttkg build` first, "
                               "or point --store / ANTTKG_STORE at one)")
        if not read_only:
            try:
                self.path.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise StoreError(f"cannot create store folder {self.path}: {err.strerror}") from None
        self._acquire_lock(wait)
        try:
            if read_only:
                # Read-only, so any thread may use it (the web application answers from a thread pool).
                self._db = sqlite3.connect(f"file:{self.path / MANIFEST_NAME}?mode=ro", uri=True,
                                           check_same_thread=False)
                self.oxigraph = ox.Store.read_only(str(self.path / DATA_NAME))
            else:
                self._db = sqlite3.connect(self.path / MANIFEST_NAME)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
                for table, column, definition in _ADDED_COLUMNS:
                    present = {row[1] for row in self._db.execute(f"PRAGMA table_info({table})")}
                    if column not in present:
                        self._db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
                self._db.commit()
                self.oxigraph = ox.Store(str(self.path / DATA_NAME))
                if self.meta("created") is None:
                    with self._db:
                        self._db.execute("INSERT OR REPLACE INTO meta VALUES ('created', ?)", (utc_now(),))
                        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, '1')", (_JOURNAL_META,))
        except OSError as err:
            self.close()
            raise StoreError(f"cannot open store {self.path}: {err}") from None
        except sqlite3.Error as err:
            self.close()
            raise StoreError(f"cannot open the manifest of store {self.path}: {err}") from None

    # -- lock -------------------------------------------------------------------------------------------
    def _acquire_lock(self, wait: bool) -> None:
        lock_path = self.path / LOCK_NAME
        flags = os.O_RDWR | os.O_CREAT | os.O_CLOEXEC
        try:
            fd = os.open(lock_path, flags, 0o644)
        except OSError:
            if not self.read_only:
                raise
            # A store on a read-only medium: nobody can be writing it.
            return
        mode = fcntl.LOCK_SH if self.read_only else fcntl.LOCK_EX
        try:
            fcntl.flock(fd, mode if wait else mode | fcntl.LOCK_NB)
        except OSError as err:
            os.close(fd)
            if err.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                raise
            pid = _read_pid(lock_path)
            if pid is not None or self.read_only:
                raise StoreLocked(self.path, pid) from None
            raise StoreBusy(self.path) from None
        if not self.read_only:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        self._lock_fd = fd

    def close(self) -> None:
        if self.oxigraph is not None and not self.read_only:
            try:
                self.oxigraph.flush()
            except OSError:
                pass
        self.oxigraph = None
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._lock_fd is not None:
            if not self.read_only:
                try:
                    os.ftruncate(self._lock_fd, 0)
                except OSError:
                    pass
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            os.close(self._lock_fd)
            self._lock_fd = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _writable(self) -> None:
        if self.read_only:
            raise StoreError(f"store {self.path} was opened read-only")

    # -- manifest ---------------------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        self._writable()
        with self._db:
            self._db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def add_inputs(self, paths: Iterable[str]) -> None:
        self._writable()
        with self._db:
            self._db.executemany("INSERT OR IGNORE INTO inputs (path) VALUES (?)", [(p,) for p in paths])

    def clean_file(self, path: str, size: int, mtime_ns: int, pipeline: str) -> int | None:
        """How many articles a file gave when it was last read in full without any problem, if it has not
        changed since (same size, modification time and pipeline); None when it must be read again."""
        row = self._db.execute("SELECT articles FROM input_files WHERE path = ? AND size = ? AND mtime_ns = ? "
                               "AND pipeline = ?", (path, size, mtime_ns, pipeline)).fetchone()
        return None if row is None else row[0]

    def record_files(self, rows: Iterable[tuple[str, int, int, str, int]], forget: Iterable[str]) -> None:
        """Remember files read cleanly (path, size, mtime_ns, pipeline, articles); forget the others."""
        self._writable()
        with self._db:
            self._db.executemany("DELETE FROM input_files WHERE path = ?", [(p,) for p in forget])
            self._db.executemany("INSERT OR REPLACE INTO input_files VALUES (?, ?, ?, ?, ?)", list(rows))

    def inputs(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT path FROM inputs ORDER BY path")]

    @staticmethod
    def _entry(row: Sequence) -> ManifestEntry:
        validated = bool(row[9]) if len(row) > 9 and row[9] is not None else False
        return ManifestEntry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7],
                             row[8], validated)

    _COLUMNS = ("article_id, content_hash, body_hash, graph_iri, origin, quads, counts, built_at, pipeline, "
                "validated")

    def entry(self, article_id: str) -> ManifestEntry | None:
        row = self._db.execute(f"SELECT {self._COLUMNS} FROM articles WHERE article_id = ?",
                               (article_id,)).fetchone()
        return self._entry(row) if row else None

    def entries(self) -> Iterator[ManifestEntry]:
        """Every article in the manifest, in graph IRI order."""
        cursor = self._db.execute(f"SELECT {self._COLUMNS} FROM articles ORDER BY graph_iri")
        for row in cursor:
            yield self._entry(row)

    def article_by_body(self, body_hash: str) -> str | None:
        row = self._db.execute("SELECT article_id FROM articles WHERE body_hash = ? ORDER BY article_id "
                               "LIMIT 1", (body_hash,)).fetchone()
        return row[0] if row else None

    def article_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]

    def family_counts(self) -> dict[str, int]:
        """Mentions per family summed over every article in the store."""
        totals: dict[str, int] = {}
        for (counts,) in self._db.execute("SELECT counts FROM articles"):
            for family, n in json.loads(counts).items():
                totals[family] = totals.get(family, 0) + int(n)
        return dict(sorted(totals.items()))

    # -- writing ----------------------------------------------------------------------------------------
    def ensure_ontology(self, ontology_file: Path | None = None) -> bool:
        """Load the ontology into ``anttid:graph/ontology`` when absent or changed; True if (re)loaded."""
        import pyoxigraph as ox

        self._writable()
        if ontology_file is None:
            from .resources import ontology_dir

            try:
                ontology_file = ontology_dir() / "anttkg.ttl"
            except FileNotFoundError:
                return False
        if not ontology_file.is_file():
            return False
        data = ontology_file.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        if self.meta("ontology_hash") == digest and self.oxigraph.contains_named_graph(graph):
            return False
        if self.oxigraph.contains_named_graph(graph):
            self.oxigraph.remove_graph(graph)
        self.oxigraph.load(data, ox.RdfFormat.TURTLE, to_graph=graph)
        self.oxigraph.flush()
        self.set_meta("ontology_hash", digest)
        return True

    def load_articles(self, articles: Sequence[StoredArticle]) -> None:
        """Replace the graphs of these articles (the three journalled steps, see the module docstring)."""
        if not articles:
            return
        self.load_graphs(self.drop_graphs(articles))
        self.commit_manifest(articles)

    def drop_graphs(self, articles: Sequence[StoredArticle]) -> bytes:
        """Steps 1 and 2a: record the articles in the manifest with their graphs (and any graph they had under
        another IRI) journalled as pending, in one transaction; then drop those graphs from the dataset.
        Returns the N-Quads to load."""
        import pyoxigraph as ox

        self._writable()
        stale = self._stale_graphs(articles)
        self._staged_stale.update(stale)
        graphs = sorted({a.graph_iri for a in articles} | set(stale.values()))
        built_at = utc_now()
        with self._db:
            self._db.executemany("INSERT OR IGNORE INTO pending (graph_iri) VALUES (?)", [(g,) for g in graphs])
            self._db.executemany(
                "INSERT OR REPLACE INTO articles (article_id, content_hash, body_hash, graph_iri, origin, "
                "quads, counts, built_at, pipeline, validated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.article_id, a.content_hash, a.body_hash, a.graph_iri, a.origin, a.quads,
                  json.dumps(a.counts, sort_keys=True), built_at, a.pipeline, int(a.validated))
                 for a in articles])
            self._db.executemany(
                "INSERT OR REPLACE INTO article_nquads (article_id, nquads) VALUES (?, ?)",
                [(a.article_id, zlib.compress(a.nquads, 1)) for a in articles])
            self._write_violations([(a.article_id, a.violations) for a in articles])
        for graph_iri in graphs:
            graph = ox.NamedNode(graph_iri)
            if self.oxigraph.contains_named_graph(graph):
                self.oxigraph.remove_graph(graph)
        return b"".join(art.nquads for art in articles)

    def load_graphs(self, payload: bytes) -> None:
        """Step 2b: bulk load the N-Quads. Touches only the Oxigraph store (which releases the GIL), so
        a build runs it in a thread while the next batch is read and processed."""
        import pyoxigraph as ox

        if payload:
            # The lines are canonical already (parsed and written by pyoxigraph): skip re-validation.
            self.oxigraph.bulk_load(payload, ox.RdfFormat.N_QUADS, lenient=True)
        self.oxigraph.flush()

    def commit_manifest(self, articles: Sequence[StoredArticle]) -> None:
        """Step 3, once the graphs are in: they (and the stale graphs step 1 dropped) are no longer pending."""
        graphs = {a.graph_iri for a in articles}
        graphs |= {self._staged_stale.pop(a.article_id) for a in articles if a.article_id in self._staged_stale}
        self._clear_pending(graphs)

    def _clear_pending(self, graphs: Iterable[str]) -> None:
        with self._db:
            self._db.executemany("DELETE FROM pending WHERE graph_iri = ?", [(g,) for g in sorted(graphs)])

    def _stale_graphs(self, articles: Sequence[StoredArticle]) -> dict[str, str]:
        """Graphs these articles had under a different IRI before (e.g. after an IRI scheme change)."""
        stale = {}
        for art in articles:
            entry = self.entry(art.article_id)
            if entry and entry.graph_iri != art.graph_iri:
                stale[art.article_id] = entry.graph_iri
        return stale

    def remove_article(self, article_id: str) -> bool:
        import pyoxigraph as ox

        self._writable()
        entry = self.entry(article_id)
        if entry is None:
            return False
        with self._db:
            self._db.execute("INSERT OR IGNORE INTO pending (graph_iri) VALUES (?)", (entry.graph_iri,))
            self._db.execute("DELETE FROM articles WHERE article_id = ?", (article_id,))
            self._db.execute("DELETE FROM article_nquads WHERE article_id = ?", (article_id,))
            self._db.execute("DELETE FROM violations WHERE article_id = ?", (article_id,))
        graph = ox.NamedNode(entry.graph_iri)
        if self.oxigraph.contains_named_graph(graph):
            self.oxigraph.remove_graph(graph)
        self.oxigraph.flush()
        with self._db:
            self._db.execute("DELETE FROM pending WHERE graph_iri = ?", (entry.graph_iri,))
        return True

    # -- validation state -------------------------------------------------------------------------------
    def _write_violations(self, results: Iterable[tuple[str, Sequence[dict]]]) -> None:
        """Inside a transaction: replace the remembered SHACL results of these articles."""
        rows, ids = [], []
        for article_id, violations in results:
            ids.append((article_id,))
            rows += [(article_id, n, str(v.get("severity") or "Violation"),
                      json.dumps(v, ensure_ascii=False, sort_keys=True)) for n, v in enumerate(violations)]
        self._db.executemany("DELETE FROM violations WHERE article_id = ?", ids)
        self._db.executemany("INSERT INTO violations (article_id, seq, severity, data) VALUES (?, ?, ?, ?)",
                             rows)

    def record_validation(self, results: Iterable[tuple[str, Sequence[dict]]]) -> None:
        """Remember that these articles were validated, with their SHACL results (empty: valid)."""
        self._writable()
        results = list(results)
        with self._db:
            self._write_violations(results)
            self._db.executemany("UPDATE articles SET validated = 1 WHERE article_id = ?",
                                 [(article_id,) for article_id, _v in results])

    def unvalidated(self) -> Iterator[tuple[str, bytes]]:
        """(article id, canonical N-Quads) of every article never validated in its current form."""
        ids = [r[0] for r in self._db.execute("SELECT article_id FROM articles WHERE validated = 0 "
                                              "ORDER BY article_id")]
        for article_id in ids:
            nquads = self.article_graph_nquads(article_id)
            if nquads is not None:
                yield article_id, nquads

    def unvalidated_count(self) -> int:
        return self._db.execute("SELECT COUNT(*) FROM articles WHERE validated = 0").fetchone()[0]

    def violations(self, severity: str | None = "Violation") -> list[dict]:
        """The remembered SHACL results (of one severity; all with None), with the article's origin."""
        query = ("SELECT v.data, a.origin FROM violations v JOIN articles a ON a.article_id = v.article_id")
        args: tuple = ()
        if severity is not None:
            query += " WHERE v.severity = ?"
            args = (severity,)
        out = []
        for data, origin in self._db.execute(query + " ORDER BY v.article_id, v.seq", args):
            item = json.loads(data)
            item.setdefault("origin", origin)
            out.append(item)
        return out

    # -- consistency ------------------------------------------------------------------------------------
    def pending_graphs(self) -> list[str]:
        return [r[0] for r in self._db.execute("SELECT graph_iri FROM pending ORDER BY graph_iri")]

    def _graph_quads(self, graph_iri: str) -> bytes:
        """The quads the dataset holds in one graph, canonical (sorted lines)."""
        import pyoxigraph as ox

        quads = list(self.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(graph_iri)))
        if not quads:
            return b""
        lines = set(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines())
        lines.discard(b"")
        return b"\n".join(sorted(lines)) + b"\n"

    def _dataset_counts(self) -> dict[str, int]:
        """Quads per named graph in the dataset, the ontology graph left out."""
        counts = {}
        for sol in self.oxigraph.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
            name = sol["g"]
            if name.value != ONTOLOGY_GRAPH:
                counts[name.value] = int(sol["n"].value)
        return counts

    def check(self, *, exact: bool = True) -> StoreCheck:
        """Compare the dataset with the manifest: every article's graph holds exactly the manifest's copy
        (with ``exact=False``: the same number of quads), no other graph is there, nothing is pending."""
        counts = self._dataset_counts()
        missing, differing, no_copy = [], [], []
        known = set()
        rows = self._db.execute("SELECT a.article_id, a.graph_iri, a.quads, n.nquads FROM articles a "
                                "LEFT JOIN article_nquads n ON n.article_id = a.article_id ORDER BY a.graph_iri")
        articles = 0
        for article_id, graph_iri, quads, blob in rows:
            articles += 1
            known.add(graph_iri)
            if blob is None:
                no_copy.append(article_id)
                continue
            held = counts.get(graph_iri, 0)
            if held == 0 and quads > 0:
                missing.append(graph_iri)
            elif held != quads or (exact and self._graph_quads(graph_iri) != zlib.decompress(blob)):
                differing.append(graph_iri)
        extra = sorted(g for g in counts if g not in known and not g.startswith(DERIVED_GRAPH_PREFIX))
        return StoreCheck(articles=articles, missing=missing, differing=differing, extra=extra,
                          pending=self.pending_graphs(), no_copy=no_copy)

    def repair(self, *, full: bool = False, exact: bool = False) -> list[str]:
        """Make the dataset what the manifest says: reload every pending graph from the manifest's copy (or
        drop it when no article has it any more). With ``full`` (and always, once, for a store made before
        the journal) every graph is compared first, by quad count (``exact``: quad by quad). Returns the
        graphs repaired.

        A manifest article without its N-Quads copy cannot be rebuilt here: it is removed from the
        manifest, so the next build reads it again."""
        import pyoxigraph as ox

        self._writable()
        full = full or self.meta(_JOURNAL_META) is None
        if full:
            found = self.check(exact=exact)
            with self._db:
                for article_id in found.no_copy:
                    row = self._db.execute("SELECT graph_iri FROM articles WHERE article_id = ?",
                                           (article_id,)).fetchone()
                    self._db.execute("INSERT OR IGNORE INTO pending (graph_iri) VALUES (?)", (row[0],))
                    self._db.execute("DELETE FROM articles WHERE article_id = ?", (article_id,))
                    self._db.execute("DELETE FROM violations WHERE article_id = ?", (article_id,))
                self._db.executemany("INSERT OR IGNORE INTO pending (graph_iri) VALUES (?)",
                                     [(g,) for g in found.missing + found.differing + found.extra])
        graphs = self.pending_graphs()
        for start in range(0, len(graphs), REPAIR_BATCH):
            part = graphs[start:start + REPAIR_BATCH]
            payload = []
            for graph_iri in part:
                graph = ox.NamedNode(graph_iri)
                if self.oxigraph.contains_named_graph(graph):
                    self.oxigraph.remove_graph(graph)
                row = self._db.execute(
                    "SELECT n.nquads FROM articles a JOIN article_nquads n ON n.article_id = a.article_id "
                    "WHERE a.graph_iri = ?", (graph_iri,)).fetchone()
                if row is not None:
                    payload.append(zlib.decompress(row[0]))
            self.load_graphs(b"".join(payload))
            with self._db:
                self._db.executemany("DELETE FROM pending WHERE graph_iri = ?", [(g,) for g in part])
        if full:
            self.set_meta(_JOURNAL_META, "1")
        return graphs

    # -- reading ----------------------------------------------------------------------------------------
    def article_nquads(self) -> Iterator[tuple[str, str, bytes]]:
        """(article id, graph IRI, canonical N-Quads) per article, in graph IRI order."""
        for article_id, graph_iri, nquads, _quads in self.article_graphs():
            yield article_id, graph_iri, nquads

    def article_graphs(self) -> Iterator[tuple[str, str, bytes, int]]:
        """(article id, graph IRI, canonical N-Quads, quad count) per article, in graph IRI order."""
        cursor = self._db.execute(
            "SELECT a.article_id, a.graph_iri, a.quads, n.nquads FROM articles a "
            "JOIN article_nquads n ON n.article_id = a.article_id ORDER BY a.graph_iri")
        for article_id, graph_iri, quads, blob in cursor:
            yield article_id, graph_iri, zlib.decompress(blob), quads

    def article_graph_nquads(self, article_id: str) -> bytes | None:
        row = self._db.execute("SELECT nquads FROM article_nquads WHERE article_id = ?",
                               (article_id,)).fetchone()
        return zlib.decompress(row[0]) if row else None

    def ontology_nquads(self) -> bytes:
        import pyoxigraph as ox

        graph = ox.NamedNode(ONTOLOGY_GRAPH)
        if not self.oxigraph.contains_named_graph(graph):
            return b""
        return self.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph).replace(
            b" .\n", f" <{ONTOLOGY_GRAPH}> .\n".encode())

    def count_quads(self, *, include_ontology: bool = True) -> int:
        """Quads in the dataset (every named graph, or the article graphs only)."""
        query = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
        if not include_ontology:
            query += f"FILTER (?g != <{ONTOLOGY_GRAPH}>) "
        query += "}"
        return int(next(iter(self.oxigraph.query(query)))["n"].value)

    def count_triples(self, threads: int | None = None) -> int:
        """Distinct triples in the union of the article graphs (what a Turtle export holds).

        Counted one predicate at a time: a DISTINCT over every triple holds them all in one hash table
        (1.3 GB for the 35,000-article corpus, the build's peak); per predicate it holds the largest one's.
        Oxigraph lets go of the GIL while it evaluates, so the predicates are counted on all cores."""
        from concurrent.futures import ThreadPoolExecutor

        outside = f"FILTER (?g != <{ONTOLOGY_GRAPH}>)"
        predicates = [row["p"] for row in self.oxigraph.query(
            f"SELECT DISTINCT ?p WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {outside} }}")]

        def distinct(predicate) -> int:
            query = (f"SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ GRAPH ?g {{ ?s {predicate} ?o }} "
                     f"{outside} }} }}")
            return int(next(iter(self.oxigraph.query(query)))["n"].value)

        with ThreadPoolExecutor(max_workers=threads or os.cpu_count() or 1) as pool:
            return sum(pool.map(distinct, predicates))

    def count_quads_and_triples(self) -> tuple[int, int]:
        """(quads in the article graphs, distinct triples), the two counted side by side."""
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            quads = pool.submit(self.count_quads, include_ontology=False)
            triples = self.count_triples()
            return quads.result(), triples

    def class_counts(self) -> dict[str, int]:
        """Distinct instances per rdf:type in the article graphs."""
        query = ("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { GRAPH ?g { ?s a ?class } "
                 f"FILTER (?g != <{ONTOLOGY_GRAPH}>) }} GROUP BY ?class")
        counts = {str(sol["class"].value): int(sol["n"].value) for sol in self.oxigraph.query(query)}
        return dict(sorted(counts.items()))

    def query(self, sparql: str, substitutions: dict | None = None, *, union: bool = True):
        """Run SPARQL; ``substitutions`` maps variable names (or Variables) to pyoxigraph terms.

        By default the query's default graph is the union of all graphs, so plain triple patterns see
        every article.
        """
        import pyoxigraph as ox
        from .vocab import PREFIXES

        subs = None
        if substitutions:
            subs = {(ox.Variable(k) if isinstance(k, str) else k): v for k, v in substitutions.items()}
        try:
            return self.oxigraph.query(sparql, prefixes=dict(PREFIXES), use_default_graph_as_union=union,
                                       substitutions=subs)
        except SyntaxError as err:
            raise StoreError(f"SPARQL syntax error: {err}") from None

    def select(self, sparql: str, substitutions: dict | None = None) -> tuple[list[str], list[list]]:
        """A SELECT query as (column names, rows of lexical forms with None for unbound)."""
        import pyoxigraph as ox

        result = self.query(sparql, substitutions)
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        columns = [v.value for v in result.variables]
        rows = []
        for solution in result:
            row = []
            for name in columns:
                term = solution[name]
                row.append(None if term is None else term.value)
            rows.append(row)
        return columns, rows

    def dump(self, fmt: str, out) -> None:
        """Write the store in an export format (see ``anttkg.export``)."""
        from .export import export

        export(self, fmt, out)
