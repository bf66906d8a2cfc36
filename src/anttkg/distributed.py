"""The build on a Dask distributed cluster (extra ``dask``: ``pip install 'anttkg[dask]'``).

The main process reads and partitions the inputs (ingest streams them; duplicates and unchanged articles are
sorted out there, exactly as in a local build) and sends chunks of articles to the cluster as tasks; the
workers run ``pipeline.process_article`` and the SHACL validation (``build.process_chunk``). At most a few
chunks per worker thread are in flight; finished ones are taken as they complete (``as_completed``), so
memory stays bounded on the client and on the cluster whatever the size of the input.

Two destinations:

- ``build_on_cluster``: the embedded store, through ``anttkg.build.build`` itself (its ``runner`` hook), so
  manifest, incremental re-runs, duplicates and the error report are those of a local build and the store's
  N-Quads are byte for byte the same;
- ``build_shards``: N-Quads shard files for external bulk loaders, written by the workers into a folder every
  worker and the loader can reach (``part-000001.nq``, ... plus ``ontology.nq``); no store is involved.

Failures: a task whose worker dies is run again elsewhere by the scheduler, and a task that raises is retried
(``retries``); only when both give up does the build stop, with a message. A worker must run the same anttkg
code and lexicons as the client (the pipeline fingerprint is compared on the worker), or the N-Quads would not
be those of a local build.
"""
from __future__ import annotations

import functools
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

from . import build as build_module
from .build import BuildError, BuildReport, default_processor, validate_chunk
from .store import utc_now

DEFAULT_RETRIES = 3
# Chunks in flight per worker thread: enough that no worker waits for the client, few enough that results
# never pile up in cluster memory.
IN_FLIGHT_PER_THREAD = 2
# Articles per shard file in build_shards (each shard is one task, validated in CHUNK_SIZE pieces).
SHARD_ARTICLES = 1000
SHARD_PATTERN = "part-{:06d}.nq"
ONTOLOGY_SHARD = "ontology.nq"
SHARDS_REPORT = "shards.json"
CONNECT_TIMEOUT = 30.0


class ClusterError(BuildError):
    """The cluster cannot be reached, runs other code, or gave up on a chunk: a user-facing message."""


def _dask():
    try:
        import distributed
    except ImportError as err:
        raise ClusterError("the Dask build needs the dask extra: pip install 'anttkg[dask]' "
                           f"({err})") from None
    return distributed


@contextmanager
def connect(address: str, *, timeout: float = CONNECT_TIMEOUT) -> Iterator[Any]:
    """A Dask client on the scheduler at ``address`` (``tcp://host:8786``), with at least one worker."""
    distributed = _dask()
    try:
        client = distributed.Client(address, timeout=timeout, set_as_default=False)
    except (OSError, TimeoutError) as err:
        raise ClusterError(f"cannot reach the Dask scheduler at {address}: {err}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=timeout)
        except (OSError, TimeoutError):
            raise ClusterError(f"the Dask scheduler at {address} has no worker "
                               f"(none joined within {timeout:g} s)") from None
        yield client
    finally:
        client.close()


# -- worker side --------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=1)
def _worker_fingerprint() -> str:
    return build_module.pipeline_fingerprint()


def _check_pipeline(pipeline: str) -> None:
    mine = _worker_fingerprint()
    if mine != pipeline:
        raise ClusterError(f"this worker runs other anttkg code or lexicons (pipeline {mine}, the client "
                           f"{pipeline}): install the same anttkg version on every worker")


def run_chunk(processor: Callable, chunk: list, pipeline: str, validate: bool) -> tuple[list, list]:
    """A build chunk on a worker: ``build.process_chunk`` once the worker's code is known to match."""
    _check_pipeline(pipeline)
    return build_module.process_chunk(processor, chunk, pipeline, validate)


def write_shard(processor: Callable, chunk: list, pipeline: str, validate: bool, path: str) -> dict[str, Any]:
    """Process a shard's articles and write their N-Quads to ``path`` (atomically: a retried task rewrites
    the same file). Returns what the client reports, never the N-Quads themselves."""
    _check_pipeline(pipeline)
    from .store import StoredArticle

    built: list[dict[str, Any]] = []
    skipped: list[dict[str, Any]] = []
    violations: list[Any] = []
    target = Path(path)
    partial = target.with_name(f"{target.name}.partial-{uuid.uuid4().hex[:8]}")
    quads = 0
    with open(partial, "wb") as out:
        for start in range(0, len(chunk), build_module.CHUNK_SIZE):
            results, found = build_module.process_chunk(
                processor, chunk[start:start + build_module.CHUNK_SIZE], pipeline, validate)
            violations.extend(_plain(v) for v in found)
            for item in results:
                if isinstance(item, StoredArticle):
                    out.write(item.nquads)
                    quads += item.quads
                    built.append({"article_id": item.article_id, "origin": item.origin, "counts": item.counts})
                else:
                    skipped.append(item)
        out.flush()
        os.fsync(out.fileno())
    os.replace(partial, target)
    return {"path": str(target), "built": built, "skipped": skipped, "violations": violations, "quads": quads}


def _plain(violation: Any) -> dict[str, Any]:
    if is_dataclass(violation):
        return {k: (v if isinstance(v, (str, int, float, bool, type(None))) else str(v))
                for k, v in asdict(violation).items()}
    if isinstance(violation, dict):
        return dict(violation)
    return {"message": str(violation), "article_id": getattr(violation, "article_id", None)}


# -- client side --------------------------------------------------------------------------------------------
class DaskChunks:
    """Tasks on a Dask cluster, at most ``max_in_flight`` at a time, taken back as they complete.

    ``submit(function, *args)`` yields the results of finished tasks once too many are in flight;
    ``drain()`` yields the rest. A task that fails after its retries stops the run with a ClusterError."""

    def __init__(self, client, *, retries: int = DEFAULT_RETRIES, max_in_flight: int | None = None):
        distributed = _dask()
        self.client, self.retries = client, retries
        threads = sum(client.nthreads().values()) or 1
        self.max_in_flight = max_in_flight or max(2, IN_FLIGHT_PER_THREAD * threads)
        self._finished = distributed.as_completed(loop=client.loop)
        self._futures: set = set()

    def submit(self, function: Callable, *args) -> Iterator[Any]:
        future = self.client.submit(function, *args, retries=self.retries, pure=False)
        self._futures.add(future)
        self._finished.add(future)
        while len(self._futures) > self.max_in_flight:
            yield self._next()

    def drain(self) -> Iterator[Any]:
        while self._futures:
            yield self._next()

    def _next(self) -> Any:
        future = next(self._finished)
        self._futures.discard(future)
        try:
            return future.result()
        except ClusterError:
            raise
        except Exception as err:  # noqa: BLE001 - whatever the cluster raised, the user gets one message
            raise ClusterError(f"a task failed on the Dask cluster after {self.retries} retries: "
                               f"{type(err).__name__}: {err}") from err
        finally:
            future.release()

    def close(self, *, terminate: bool = False) -> None:
        if terminate and self._futures:
            self.client.cancel(list(self._futures))
        for future in self._futures:
            future.release()
        self._futures.clear()


class DaskRunner:
    """The chunk runner ``anttkg.build.build`` takes (its ``runner`` hook), on a Dask cluster."""

    def __init__(self, client, processor: Callable, pipeline: str, validate: bool, *,
                 retries: int = DEFAULT_RETRIES, max_in_flight: int | None = None):
        self.processor, self.pipeline, self.validate = processor, pipeline, validate
        self.tasks = DaskChunks(client, retries=retries, max_in_flight=max_in_flight)

    def submit(self, chunk: list) -> Iterator[tuple[list, list]]:
        yield from self.tasks.submit(run_chunk, self.processor, chunk, self.pipeline, self.validate)

    def drain(self) -> Iterator[tuple[list, list]]:
        yield from self.tasks.drain()

    def validate_graphs(self, chunks: Iterable[list[tuple[str, str]]]) -> Iterator[tuple[list[str], list]]:
        """(article ids, SHACL results) per chunk of stored graphs, validated on the cluster, in any order."""
        for chunk in chunks:
            yield from self.tasks.submit(validate_chunk, chunk)
        yield from self.tasks.drain()

    def close(self, *, terminate: bool = False) -> None:
        self.tasks.close(terminate=terminate)


def build_on_cluster(paths: Iterable[str | os.PathLike], store_path: str | os.PathLike, address: str, *,
                     retries: int = DEFAULT_RETRIES, max_in_flight: int | None = None,
                     connect_timeout: float = CONNECT_TIMEOUT, **build_options) -> BuildReport:
    """``anttkg.build.build`` with the pipeline and validation on the Dask cluster at ``address``.

    ``build_options`` are those of ``build`` (validate, force, progress, wait, batch_size, report_path,
    processor); ``workers`` has no meaning here."""
    build_options.pop("workers", None)
    with connect(address, timeout=connect_timeout) as client:
        def runner(processor, _workers, pipeline, validate):
            return DaskRunner(client, processor, pipeline, validate, retries=retries, max_in_flight=max_in_flight)

        return build_module.build(paths, store_path, runner=runner, **build_options)


# -- shards -------------------------------------------------------------------------------------------------
class _SeenArticles:
    """Ids and body hashes read in this run, in a temporary on-disk SQLite database (bounded memory)."""

    def __init__(self) -> None:
        self._db = sqlite3.connect("")
        self._db.execute("CREATE TABLE seen (article_id TEXT PRIMARY KEY, body_hash TEXT, origin TEXT)")
        self._db.execute("CREATE INDEX seen_body ON seen (body_hash)")

    def by_id(self, article_id: str):
        return self._db.execute("SELECT body_hash, origin FROM seen WHERE article_id = ?", (article_id,)).fetchone()

    def by_body(self, body: str):
        return self._db.execute("SELECT article_id, origin FROM seen WHERE body_hash = ? LIMIT 1",
                                (body,)).fetchone()

    def add(self, article_id: str, body: str, origin: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (article_id, body, origin))

    def close(self) -> None:
        self._db.close()


def ontology_nquads() -> bytes:
    """The ontology as N-Quads in its own graph (``anttid:graph/ontology``), as a store holds it."""
    import pyoxigraph as ox

    from .resources import ontology_dir
    from .store import ONTOLOGY_GRAPH

    try:
        path = ontology_dir() / "anttkg.ttl"
    except FileNotFoundError:
        return b""
    graph = ox.NamedNode(ONTOLOGY_GRAPH)
    quads = [ox.Quad(t.subject, t.predicate, t.object, graph)
             for t in ox.parse(path.read_bytes(), ox.RdfFormat.TURTLE)]
    lines = sorted(set(ox.serialize(quads, format=ox.RdfFormat.N_QUADS).splitlines()) - {b""})
    return b"\n".join(lines) + b"\n" if lines else b""


def build_shards(paths: Iterable[str | os.PathLike], shards_dir: str | os.PathLike, address: str, *,
                 validate: bool = True, progress: Callable[[int, int], None] | None = None,
                 report_path: str | os.PathLike | None = None, retries: int = DEFAULT_RETRIES,
                 max_in_flight: int | None = None, shard_articles: int = SHARD_ARTICLES,
                 processor: Callable | None = None, connect_timeout: float = CONNECT_TIMEOUT) -> BuildReport:
    """Build ``paths`` on the Dask cluster at ``address`` into N-Quads shard files in ``shards_dir``.

    Each task writes ``part-NNNNNN.nq`` (the article graphs of up to ``shard_articles`` articles, in input
    order); the client writes ``ontology.nq`` and ``shards.json`` (the build report and the shard list).
    The union of the part files is what ``anttkg export --format nquads`` gives for a store built from the
    same inputs. ``shards_dir`` must be one folder shared by the client and every worker; part files left by
    an earlier run are removed first. Duplicates and repeated ids are sorted out as in a local build; there
    is no manifest, so every article is processed on every run."""
    from .ingest import read_inputs

    paths = [Path(p) for p in paths]
    folder = Path(shards_dir).resolve()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("part-*.nq"):
            old.unlink()
    except OSError as err:
        raise ClusterError(f"cannot prepare the shards folder {folder}: {err}") from None
    processor = processor or default_processor()
    pipeline = build_module.pipeline_fingerprint()
    started = time.monotonic()
    report = BuildReport(store=str(folder), inputs=[str(p) for p in paths], started=utc_now(),
                         validated=validate)
    shards: list[dict[str, Any]] = []
    done = 0

    def collect(outcome: dict[str, Any]) -> None:
        nonlocal done
        origins = {b["article_id"]: b["origin"] for b in outcome["built"]}
        for violation in outcome["violations"]:
            violation.setdefault("origin", origins.get(violation.get("article_id"), ""))
            report.violations.append(violation)
        report.skipped.extend(outcome["skipped"])
        for item in outcome["built"]:
            for family, n in item["counts"].items():
                report.families[family] = report.families.get(family, 0) + n
        report.built += len(outcome["built"])
        report.store_quads += outcome["quads"]
        done += len(outcome["built"]) + len(outcome["skipped"])
        shards.append({"file": Path(outcome["path"]).name, "articles": len(outcome["built"]),
                       "quads": outcome["quads"]})
        if progress is not None:
            progress(report.articles_read, done)

    seen = _SeenArticles()
    with connect(address, timeout=connect_timeout) as client:
        tasks = DaskChunks(client, retries=retries, max_in_flight=max_in_flight)
        chunk: list = []
        number = 0

        def send() -> Iterator[dict[str, Any]]:
            nonlocal number, chunk
            number += 1
            path = str(folder / SHARD_PATTERN.format(number))
            pending, chunk = chunk, []
            yield from tasks.submit(write_shard, processor, pending, pipeline, validate, path)

        try:
            for item in read_inputs(paths):
                if not hasattr(item, "content_hash"):  # an IngestProblem
                    report.skipped.append({"origin": item.origin, "reason": item.reason,
                                           "article_id": getattr(item, "article_id", None)})
                    continue
                report.articles_read += 1
                body = build_module.body_hash(item)
                earlier = seen.by_id(item.id)
                if earlier is not None:
                    done += 1
                    if earlier[0] == body:
                        report.duplicates.append({"article_id": item.id, "origin": item.origin,
                                                  "duplicate_of": item.id, "first_origin": earlier[1]})
                    else:
                        report.skipped.append({"article_id": item.id, "origin": item.origin,
                                               "reason": f"article id {item.id!r} was already read from "
                                                         f"{earlier[1]} with different content"})
                    continue
                same_body = seen.by_body(body)
                seen.add(item.id, body, item.origin)
                if same_body is not None:
                    done += 1
                    report.duplicates.append({"article_id": item.id, "origin": item.origin,
                                              "duplicate_of": same_body[0], "first_origin": same_body[1]})
                    continue
                chunk.append((item, body))
                if len(chunk) >= shard_articles:
                    for outcome in send():
                        collect(outcome)
            if chunk:
                for outcome in send():
                    collect(outcome)
            for outcome in tasks.drain():
                collect(outcome)
        except BaseException:
            tasks.close(terminate=True)
            raise
        finally:
            seen.close()
        tasks.close()

    missing = [s["file"] for s in shards if not (folder / s["file"]).is_file()]
    if missing:
        raise ClusterError(f"{len(missing)} shard file(s) written by the workers are not in {folder} "
                           f"(first: {missing[0]}): the workers and this machine must share that folder")
    (folder / ONTOLOGY_SHARD).write_bytes(ontology_nquads())
    shards.sort(key=lambda s: s["file"])
    report.store_articles = report.built
    report.finished = utc_now()
    report.seconds = round(time.monotonic() - started, 3)
    data = report.to_dict()
    data["shards"] = shards
    data["ontology"] = ONTOLOGY_SHARD
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    (folder / SHARDS_REPORT).write_text(text, encoding="utf-8")
    if report_path is not None:
        Path(report_path).write_text(text, encoding="utf-8")
    if progress is not None:
        progress(report.articles_read, done)
    return report
