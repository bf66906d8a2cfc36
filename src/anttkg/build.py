"""Streaming, parallel, incremental build of a store from input files.

ingest streams articles; each is checked against the manifest (unchanged content and pipeline: skipped),
against what this run has already read (same id twice, same content under another id) and then sent in
chunks to worker processes running ``pipeline.process_article``. Results come back in input order, are
validated in the workers and loaded into the store in batches, each bulk-loaded in a thread while the next
one fills, and recorded in the manifest once loaded. Memory stays bounded: at most a few chunks are in flight,
one batch loads and one fills; what this run has seen is kept in a temporary on-disk SQLite table.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field, is_dataclass, replace
from pathlib import Path
from typing import Any

from .store import GraphStore, StoredArticle, canonical_graphs, canonical_nquads, utc_now

# Articles per bulk load. One batch loads in a thread while the next fills: on the whole corpus 500 keeps the
# peak RSS near 1.45 GB (2,000: 1.58 GB) for about 3 % more time.
DEFAULT_BATCH_SIZE = 500
# Articles per task sent to a worker; large enough that validating a chunk in one in-memory store pays
# off the fixed cost of the SHACL queries, small enough to keep both cores busy to the end.
CHUNK_SIZE = 48
REPORT_NAME = "last-build.json"

# Modules whose code decides what an article's graph holds; a change in any of them (or in the lexicons)
# rebuilds every article on the next run.
_NOT_GRAPH_CODE = {"cli.py", "output.py", "store.py", "build.py", "export.py", "query.py", "load.py",
                   "remote.py", "validate.py", "identity.py", "curation.py"}


class BuildError(Exception):
    """The build could not start (missing pipeline, unreadable store): a user-facing message."""


@dataclass
class BuildReport:
    store: str
    inputs: list[str]
    started: str = ""
    finished: str = ""
    seconds: float = 0.0
    articles_read: int = 0
    built: int = 0
    unchanged: int = 0
    skipped: list[dict[str, Any]] = field(default_factory=list)  # origin, reason, article_id
    duplicates: list[dict[str, Any]] = field(default_factory=list)  # article_id, origin, duplicate_of
    # Built, but worth a look: an article with a title and no body text (an HTML body the reader missed?)
    warnings: list[dict[str, Any]] = field(default_factory=list)  # origin, article_id, reason
    violations: list[dict[str, Any]] = field(default_factory=list)  # article_id, origin, message, ...
    # SHACL violations the store remembers of articles not validated again in this run (still unfixed)
    remembered_violations: list[dict[str, Any]] = field(default_factory=list)
    validated: bool = False  # every article in the store has been validated in its current form
    unvalidated: int = 0  # articles in the store built without validation and not validated since
    repaired: int = 0  # graphs an interrupted earlier write left pending, reloaded from the manifest
    files_unchanged: int = 0  # input files not read at all: unchanged since a clean earlier build
    families: dict[str, int] = field(default_factory=dict)  # mentions per family, articles built now
    store_articles: int = 0
    store_quads: int = 0
    store_triples: int = 0
    store_families: dict[str, int] = field(default_factory=dict)
    identity: dict[str, Any] = field(default_factory=dict)  # the identity pass (anttkg.identity)

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.violations and not self.remembered_violations

    @property
    def exit_code(self) -> int:
        return 0 if self.ok else 1

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ok"] = self.ok
        return data

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def body_hash(article) -> str:
    """Hash of what a reader sees (title, lead, body), independent of the id: finds re-published copies."""
    payload = json.dumps([article.title.strip(), article.sapo.strip(), article.text.strip()],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def pipeline_fingerprint() -> str:
    """Hash of the graph-making code and lexicons, so a changed extractor rebuilds stale graphs."""
    digest = hashlib.sha256()
    package = Path(__file__).parent
    files = [p for p in package.rglob("*.py") if p.name not in _NOT_GRAPH_CODE or p.parent != package]
    try:
        from .resources import ontology_dir

        files += list((ontology_dir() / "lexicon").glob("*.tsv"))
    except FileNotFoundError:
        pass
    for path in sorted(files, key=lambda p: p.as_posix()):
        rel = path.relative_to(package).as_posix() if path.is_relative_to(package) else "lexicon/" + path.name
        digest.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


# -- worker side ---------------------------------------------------------------------------------------
def _failure(article, err: Exception) -> dict[str, Any]:
    return {"article_id": article.id, "origin": article.origin,
            "reason": f"processing failed: {type(err).__name__}: {err}"}


def _stored(article, body: str, result, pipeline: str, nquads: bytes | None = None):
    """The StoredArticle of a pipeline result (``nquads``: its canonical N-Quads, when known already)."""
    try:
        if nquads is None:
            nquads = canonical_nquads(result.nquads, result.graph_iri)
        counts = {str(k): int(v) for k, v in sorted(dict(result.counts or {}).items())}
        return StoredArticle(article_id=result.article_id, graph_iri=result.graph_iri,
                             content_hash=result.content_hash, body_hash=body,
                             origin=article.origin, nquads=nquads, counts=counts, pipeline=pipeline)
    except Exception as err:  # noqa: BLE001 - one bad article must not sink the others
        return _failure(article, err)


def validate_chunk(items: list[tuple[str, str]]) -> tuple[list[str], list]:
    """The article ids of (article id, N-Quads) pairs and their SHACL results, in a worker."""
    return [article_id for article_id, _nq in items], (_validator()(items) if items else [])


def _process_chunk(processor: Callable, chunk: list, pipeline: str, validate: bool = False) -> tuple[list, list]:
    """Pipeline results of a chunk, and (when asked) the SHACL violations of their graphs.

    Validation runs here, in the worker, so it is spread over the cores like extraction. The chunk's graphs
    are made canonical together, in one in-memory store that validation then uses as it is (the same quads
    validate_nquads_items would load); when that fast path has any doubt, each article goes the long way."""
    outcomes = []
    for article, _body in chunk:
        try:
            outcomes.append(processor(article))
        except Exception as err:  # noqa: BLE001 - one bad article must not sink the others
            outcomes.append(_failure(article, err))
    made = [r for r in outcomes if not isinstance(r, dict)]
    together = canonical_graphs([(getattr(r, "nquads", None), getattr(r, "graph_iri", None)) for r in made])
    canonical = iter(together.nquads) if together is not None else None
    results = []
    for (article, body), outcome in zip(chunk, outcomes):
        if isinstance(outcome, dict):
            results.append(outcome)
        else:
            results.append(_stored(article, body, outcome, pipeline, next(canonical) if canonical else None))
    violations = []
    if validate:
        stored = [r for r in results if isinstance(r, StoredArticle)]
        if together is not None and len(stored) == len(made):
            violations = _validate_dataset(together.dataset, {r.graph_iri: r.article_id for r in stored if r.nquads})
        else:
            items = [(r.article_id, r.nquads.decode("utf-8")) for r in stored]
            violations = _validator()(items) if items else []
    return results, violations


def process_chunk(processor: Callable, chunk: list, pipeline: str, validate: bool = False) -> tuple[list, list]:
    """What a worker does with one chunk of (article, body hash) pairs: (results, violations).

    Public for other chunk runners (``anttkg.distributed`` runs it on a Dask cluster)."""
    return _process_chunk(processor, chunk, pipeline, validate)


# -- the run's memory of what it has read ---------------------------------------------------------------
class _Seen:
    """Ids and content hashes read in this run, in a private temporary on-disk database."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")  # "" = a temporary database SQLite keeps on disk
        # duplicate = 1: the article repeats another's content; it is not what a later copy duplicates.
        self._db.execute("CREATE TABLE seen (article_id TEXT PRIMARY KEY, body_hash TEXT, origin TEXT, "
                         "duplicate INTEGER NOT NULL DEFAULT 0)")
        self._db.execute("CREATE INDEX seen_body ON seen (body_hash)")

    def by_id(self, article_id: str) -> tuple[str, str] | None:
        return self._db.execute("SELECT body_hash, origin FROM seen WHERE article_id = ?",
                                (article_id,)).fetchone()

    def by_body(self, body: str) -> tuple[str, str] | None:
        return self._db.execute("SELECT article_id, origin FROM seen WHERE body_hash = ? AND duplicate = 0 "
                                "LIMIT 1", (body,)).fetchone()

    def add(self, article_id: str, body: str, origin: str, duplicate: bool = False) -> None:
        self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)", (article_id, body, origin,
                                                                            int(duplicate)))

    def close(self) -> None:
        self._db.close()


def _violation_dict(violation: Any, origins: dict[str, str]) -> dict[str, Any]:
    if is_dataclass(violation):
        data = {k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v))
                for k, v in asdict(violation).items()}
    elif isinstance(violation, dict):
        data = {str(k): v for k, v in violation.items()}
    else:
        data = {"message": str(violation)}
    article_id = data.get("article_id") or getattr(violation, "article_id", None)
    data["article_id"] = article_id
    data.setdefault("origin", origins.get(article_id, ""))
    return data


def _input_items(paths: list[Path], store: GraphStore, pipeline: str, force: bool, report: "BuildReport",
                 files: dict[str, list]) -> Iterator[tuple[str | None, Any]]:
    """(file key, article or problem) from the inputs, file by file. A file read in full without any
    problem by an earlier build, unchanged since (size, modification time, pipeline), is not read at all:
    its articles count as unchanged. ``files`` collects, per file read now, [size, mtime_ns, articles,
    clean] so that the build can remember the clean ones."""
    try:
        from .ingest import input_files, read_file
    except ImportError as err:
        raise BuildError(f"the ingest stage is not available ({err})") from None
    for entry in input_files(paths):
        if not isinstance(entry, Path):
            yield None, entry
            continue
        key = str(entry.resolve())
        try:
            stat = entry.stat()
        except OSError:
            stat = None
        if stat is not None and not force:
            articles = store.clean_file(key, stat.st_size, stat.st_mtime_ns, pipeline)
            if articles is not None:
                report.unchanged += articles
                report.files_unchanged += 1
                continue
        files[key] = [stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1, 0, stat is not None]
        for item in read_file(entry):
            yield key, item


def default_processor() -> Callable:
    """The per-article pipeline (anttkg.pipeline.process_article), or a BuildError saying why it cannot load."""
    try:
        from .pipeline import process_article
    except ImportError as err:
        raise BuildError(f"the pipeline is not available ({err})") from None
    return process_article


def _validate_dataset(dataset, article_ids: dict[str, str]) -> list:
    """SHACL results of an in-memory store holding article graphs (graph IRI -> article id)."""
    try:
        from .shacl_sparql import EVERY_GRAPH, validate_store
    except ImportError as err:
        raise BuildError(f"SHACL validation is not available ({err}); use --no-validate") from None
    return validate_store(dataset, EVERY_GRAPH, article_ids=article_ids) if article_ids else []


def _validator() -> Callable:
    """The SHACL shapes compiled to SPARQL (same results as pyshacl, several times faster)."""
    try:
        from .shacl_sparql import validate_nquads_items
    except ImportError as err:
        raise BuildError(f"SHACL validation is not available ({err}); use --no-validate") from None
    return validate_nquads_items


class _Workers:
    """Chunks of articles processed in order, in worker processes (or here when workers == 1)."""

    def __init__(self, processor: Callable, workers: int, pipeline: str, validate: bool):
        self.processor, self.workers, self.pipeline, self.validate = processor, workers, pipeline, validate
        self._pool = None
        self._pending: deque = deque()
        self.max_in_flight = max(2, workers * 4)

    def _ensure_pool(self):
        if self._pool is None:
            import multiprocessing

            # forkserver: workers start from a clean process, never a fork of one holding RocksDB threads.
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload([self.processor.__module__])
            self._pool = ctx.Pool(self.workers)
        return self._pool

    def submit(self, chunk: list) -> Iterator[tuple[list, list]]:
        """Queue a chunk; yields the results of the oldest chunks once too many are in flight."""
        if self.workers <= 1:
            yield _process_chunk(self.processor, chunk, self.pipeline, self.validate)
            return
        self._pending.append(self._ensure_pool().apply_async(
            _process_chunk, (self.processor, chunk, self.pipeline, self.validate)))
        while len(self._pending) > self.max_in_flight:
            yield self._pending.popleft().get()

    def validate_graphs(self, chunks: Iterable[list[tuple[str, str]]]) -> Iterator[tuple[list[str], list]]:
        """(article ids, SHACL results) per chunk of (article id, N-Quads), in order, few in flight."""
        if self.workers <= 1:
            yield from map(validate_chunk, chunks)
            return
        pending: deque = deque()
        for chunk in chunks:
            pending.append(self._ensure_pool().apply_async(validate_chunk, (chunk,)))
            while len(pending) > self.max_in_flight:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def drain(self) -> Iterator[tuple[list, list]]:
        while self._pending:
            yield self._pending.popleft().get()

    def close(self, *, terminate: bool = False) -> None:
        if self._pool is not None:
            if terminate:
                self._pool.terminate()
            else:
                self._pool.close()
            self._pool.join()
            self._pool = None


def _validate_unvalidated(store: GraphStore, pool: _Workers) -> list[dict[str, Any]]:
    """Validate the articles of the store that were built without validation and not rebuilt since (their
    graphs from the manifest) and remember the results; returns the violations found."""

    def chunks() -> Iterator[list[tuple[str, str]]]:
        chunk = []
        for article_id, nquads in store.unvalidated():
            chunk.append((article_id, nquads.decode("utf-8")))
            if len(chunk) >= CHUNK_SIZE:
                yield chunk
                chunk = []
        if chunk:
            yield chunk

    found: list[dict[str, Any]] = []
    for ids, violations in pool.validate_graphs(chunks()):
        origins = {}
        by_article: dict[str, list] = {article_id: [] for article_id in ids}
        for violation in violations:
            article_id = getattr(violation, "article_id", None)
            if article_id not in origins:
                entry = store.entry(article_id)
                origins[article_id] = entry.origin if entry else ""
            data = _violation_dict(violation, origins)
            by_article.setdefault(data["article_id"], []).append(data)
            found.append(data)
        store.record_validation(by_article.items())
    return found


def build(paths: Iterable[str | os.PathLike], store_path: str | os.PathLike, *, workers: int | None = None,
          validate: bool = True, force: bool = False,
          progress: Callable[[int, int], None] | None = None, wait: bool = False,
          batch_size: int = DEFAULT_BATCH_SIZE, report_path: str | os.PathLike | None = None,
          reader: Callable | None = None, processor: Callable | None = None,
          runner: Callable | None = None) -> BuildReport:
    """Build (or bring up to date) the store at ``store_path`` from files and folders.

    ``progress(read, done)`` is called as articles are read and finished. ``reader`` defaults to ingest, file
    by file, without reading the files unchanged since a clean earlier build; ``processor`` defaults to
    ``pipeline.process_article`` and must be a module-level function (it is sent to worker processes by
    name).

    ``runner(processor, workers, pipeline, validate)`` makes what processes the chunks (default: local
    worker processes). It returns an object with ``submit(chunk)`` and ``drain()``, both yielding the
    ``process_chunk`` outcomes of finished chunks (any order), and ``close(terminate=False)``;
    ``anttkg.distributed`` passes one that runs them on a Dask cluster.
    """
    paths = [Path(p) for p in paths]
    workers = max(1, workers or os.cpu_count() or 1)
    processor = processor or default_processor()
    if validate:
        _validator()  # fail early, here, when validation cannot run
    started_clock = time.monotonic()
    report = BuildReport(store=str(Path(store_path)), inputs=[str(p) for p in paths], started=utc_now(),
                         validated=validate)
    pipeline = pipeline_fingerprint()

    with GraphStore(store_path, wait=wait) as store:
        # Whatever a killed earlier write left half done is first made what the manifest says.
        report.repaired = len(store.repair())
        store.ensure_ontology()
        store.add_inputs(str(p.resolve()) for p in paths)
        seen = _Seen()
        pool = (runner or _Workers)(processor, workers, pipeline, validate)
        files: dict[str, list] = {}  # file key -> [size, mtime_ns, articles, clean], files read this run
        article_files: dict[str, str] = {}  # article id -> file key, for articles sent to the pipeline

        def taint(article_id: str | None) -> None:
            """An article of this file was skipped or invalid: the file must be read again next time."""
            key = article_files.get(article_id or "")
            if key in files:
                files[key][3] = False
        batch: list[StoredArticle] = []
        loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="anttkg-load")
        done = 0
        chunk: list = []

        def tick() -> None:
            if progress is not None:
                progress(report.articles_read, done)

        def collect(outcome: tuple[list, list]) -> None:
            nonlocal done
            results, violations = outcome
            found: dict[str, list] = {}
            if violations:
                origins = {r.article_id: r.origin for r in results if isinstance(r, StoredArticle)}
                for violation in violations:
                    data = _violation_dict(violation, origins)
                    report.violations.append(data)
                    found.setdefault(data["article_id"], []).append(data)
                    taint(data["article_id"])
            for item in results:
                done += 1
                if isinstance(item, dict):
                    report.skipped.append(item)
                    taint(item.get("article_id"))
                    continue
                # The manifest remembers whether the graph was validated and what was found.
                batch.append(replace(item, validated=validate, violations=tuple(found.get(item.article_id, ()))))
            if len(batch) >= batch_size:
                flush()
            tick()

        loading: list = []  # (future, articles) of the batch being bulk-loaded in the loader thread

        def settle() -> None:
            """Wait for the batch in the loader thread, then record it in the manifest."""
            if not loading:
                return
            future, articles = loading.pop()
            future.result()
            store.commit_manifest(articles)
            report.built += len(articles)
            for art in articles:
                for family, n in art.counts.items():
                    report.families[family] = report.families.get(family, 0) + n

        def flush() -> None:
            """Hand the batch to the loader thread; reading and processing go on while it loads."""
            if not batch:
                return
            settle()
            articles = list(batch)
            loading.append((loader.submit(store.load_graphs, store.drop_graphs(articles)), articles))
            batch.clear()

        try:
            items = (((None, item) for item in reader(paths)) if reader is not None
                     else _input_items(paths, store, pipeline, force, report, files))
            for file_key, item in items:
                if not hasattr(item, "content_hash"):  # an IngestProblem
                    report.skipped.append({"origin": item.origin, "reason": item.reason,
                                           "article_id": getattr(item, "article_id", None)})
                    if file_key in files:
                        files[file_key][3] = False
                    continue
                report.articles_read += 1
                if item.title.strip() and not item.text.strip() and not item.sapo.strip():
                    report.warnings.append({"origin": item.origin, "article_id": item.id,
                                            "reason": "a title and no body text: built from the title "
                                                      "alone; check that the file holds the article"})
                if file_key in files:
                    files[file_key][2] += 1
                article = item
                body = body_hash(article)
                earlier = seen.by_id(article.id)
                if earlier is not None:
                    done += 1
                    if earlier[0] == body:
                        report.duplicates.append({"article_id": article.id, "origin": article.origin,
                                                  "duplicate_of": article.id, "first_origin": earlier[1]})
                    else:
                        report.skipped.append({
                            "article_id": article.id, "origin": article.origin,
                            "reason": f"article id {article.id!r} was already read from {earlier[1]} "
                                      "with different content"})
                        if file_key in files:
                            files[file_key][3] = False
                    continue
                same_body = seen.by_body(body)
                if same_body is None:
                    other = store.article_by_body(body)
                    if other is not None and other != article.id:
                        same_body = (other, store.entry(other).origin)
                # A copy is remembered as one, so that the article it copies is not taken for a copy of it
                # when read later in the run (that removed both).
                seen.add(article.id, body, article.origin, duplicate=same_body is not None)
                if same_body is not None:
                    done += 1
                    report.duplicates.append({"article_id": article.id, "origin": article.origin,
                                              "duplicate_of": same_body[0], "first_origin": same_body[1]})
                    settle()  # no deletion while the loader thread writes (Oxigraph's bulk loader is not atomic)
                    store.remove_article(article.id)  # a stale graph it may have had under its own id
                    continue
                entry = store.entry(article.id)
                if (not force and entry is not None and entry.content_hash == article.content_hash
                        and entry.pipeline == pipeline):
                    done += 1
                    report.unchanged += 1
                    if report.articles_read % 256 == 0:
                        tick()
                    continue
                if file_key is not None:
                    article_files[article.id] = file_key
                chunk.append((article, body))
                if len(chunk) >= CHUNK_SIZE:
                    for results in pool.submit(chunk):
                        collect(results)
                    chunk = []
            if chunk:
                for results in pool.submit(chunk):
                    collect(results)
            for results in pool.drain():
                collect(results)
            flush()
            settle()
            if validate:
                report.violations.extend(_validate_unvalidated(store, pool))
        except BaseException:
            pool.close(terminate=True)
            seen.close()
            loader.shutdown(wait=True)  # a half-loaded batch is not in the manifest: the next build redoes it
            raise
        pool.close()
        seen.close()
        loader.shutdown(wait=True)

        store.record_files([(key, size, mtime, pipeline, articles)
                            for key, (size, mtime, articles, clean) in sorted(files.items()) if clean],
                           [key for key, (_s, _m, _a, clean) in files.items() if not clean])
        # Who is who across articles, and the curators' corrections, once the article graphs are in.
        from .identity import update_identity

        report.identity = asdict(update_identity(store, workers=workers))
        report.finished = utc_now()
        store.set_meta("last_build", report.finished)
        report.store_articles = store.article_count()
        report.store_quads, report.store_triples = store.count_quads_and_triples()
        report.store_families = store.family_counts()
        report.unvalidated = store.unvalidated_count()
        report.validated = report.unvalidated == 0
        checked_now = {v["article_id"] for v in report.violations}
        report.remembered_violations = [v for v in store.violations() if v.get("article_id") not in checked_now]
        report.seconds = round(time.monotonic() - started_clock, 3)
        tick()
        text = report.to_json()
        (store.path / REPORT_NAME).write_text(text, encoding="utf-8")
    if report_path is not None:
        Path(report_path).write_text(text, encoding="utf-8")
    return report
