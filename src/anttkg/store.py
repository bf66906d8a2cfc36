"""The embedded persistent store: a pyoxigraph (RocksDB) dataset, a build manifest and a lock.

Layout of a store folder DIR:
- ``DIR/oxigraph``       the RDF dataset, one named graph per article plus ``anttid:graph/ontology``;
- ``DIR/manifest.sqlite`` per article: content hash, graph IRI, origin, counts, and the article's canonical
  N-Quads (zlib). The copy makes N-Quads export, validation and remote loading stream at disk speed:
  reading terms back out of RocksDB decodes every string separately and is an order of magnitude slower;
- ``DIR/lock``            an flock: exclusive for a writer (the pid is written in it), shared for readers.

Crash safety: article data goes into the dataset first and the manifest row is committed after, so a store
killed mid-build opens and a re-run reloads exactly the articles the manifest does not vouch for (their
graphs are dropped before loading, so nothing is duplicated).
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

from .vocab import ID

ONTOLOGY_GRAPH = ID + "graph/ontology"
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
"""


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
                self._db = sqlite3.connect(f"file:{self.path / MANIFEST_NAME}?mode=ro", uri=True)
                self.oxigraph = ox.Store.read_only(str(self.path / DATA_NAME))
            else:
                self._db = sqlite3.connect(self.path / MANIFEST_NAME)
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
                self._db.commit()
                self.oxigraph = ox.Store(str(self.path / DATA_NAME))
                if self.meta("created") is None:
                    self.set_meta("created", utc_now())
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
        return ManifestEntry(row[0], row[1], row[2], row[3], row[4], row[5], json.loads(row[6]), row[7],
                             row[8])

    _COLUMNS = "article_id, content_hash, body_hash, graph_iri, origin, quads, counts, built_at, pipeline"

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
        """Replace the graphs of these articles: drop old graphs, bulk load, then commit the manifest."""
        if not articles:
            return
        self.load_graphs(self.drop_graphs(articles))
        self.commit_manifest(articles)

    def drop_graphs(self, articles: Sequence[StoredArticle]) -> bytes:
        """First step of loading: remove the graphs these articles had; the N-Quads to load instead."""
        import pyoxigraph as ox

        self._writable()
        for art in articles:
            graph = ox.NamedNode(art.graph_iri)
            if self.oxigraph.contains_named_graph(graph):
                self.oxigraph.remove_graph(graph)
        old_graphs = self._stale_graphs(articles)
        for graph_iri in old_graphs:
            graph = ox.NamedNode(graph_iri)
            if self.oxigraph.contains_named_graph(graph):
                self.oxigraph.remove_graph(graph)
        return b"".join(art.nquads for art in articles)

    def load_graphs(self, payload: bytes) -> None:
        """Second step: bulk load the N-Quads. Touches only the Oxigraph store (which releases the GIL), so
        a build runs it in a thread while the next batch is read and processed."""
        import pyoxigraph as ox

        if payload:
            # The lines are canonical already (parsed and written by pyoxigraph): skip re-validation.
            self.oxigraph.bulk_load(payload, ox.RdfFormat.N_QUADS, lenient=True)
        self.oxigraph.flush()

    def commit_manifest(self, articles: Sequence[StoredArticle]) -> None:
        """Last step, once the graphs are in: record the articles, so a killed build redoes them."""
        built_at = utc_now()
        with self._db:
            self._db.executemany(
                "INSERT OR REPLACE INTO articles (article_id, content_hash, body_hash, graph_iri, origin, "
                "quads, counts, built_at, pipeline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(a.article_id, a.content_hash, a.body_hash, a.graph_iri, a.origin, a.quads,
                  json.dumps(a.counts, sort_keys=True), built_at, a.pipeline) for a in articles])
            self._db.executemany(
                "INSERT OR REPLACE INTO article_nquads (article_id, nquads) VALUES (?, ?)",
                [(a.article_id, zlib.compress(a.nquads, 1)) for a in articles])

    def _stale_graphs(self, articles: Sequence[StoredArticle]) -> list[str]:
        """Graphs these articles had under a different IRI before (e.g. after an IRI scheme change)."""
        stale = []
        for art in articles:
            entry = self.entry(art.article_id)
            if entry and entry.graph_iri != art.graph_iri:
                stale.append(entry.graph_iri)
        return stale

    def remove_article(self, article_id: str) -> bool:
        import pyoxigraph as ox

        self._writable()
        entry = self.entry(article_id)
        if entry is None:
            return False
        graph = ox.NamedNode(entry.graph_iri)
        if self.oxigraph.contains_named_graph(graph):
            self.oxigraph.remove_graph(graph)
        self.oxigraph.flush()
        with self._db:
            self._db.execute("DELETE FROM articles WHERE article_id = ?", (article_id,))
            self._db.execute("DELETE FROM article_nquads WHERE article_id = ?", (article_id,))
        return True

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

    def count_triples(self) -> int:
        """Distinct triples in the union of the article graphs (what a Turtle export holds)."""
        query = ("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } "
                 f"FILTER (?g != <{ONTOLOGY_GRAPH}>) }} }}")
        return int(next(iter(self.oxigraph.query(query)))["n"].value)

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
