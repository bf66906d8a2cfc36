"""What a running server holds: the store opened read-only, what it knows of it in memory (catalogue, fact
table, search index), the SPARQL workers, and the lock that lets a correction from a page take effect at
once.

Pages read under a shared lock. A correction (``correct``) takes it exclusively: it waits for the pages
being answered, closes the store and stops the SPARQL workers (both read the dataset as it was when they
opened it), records and applies the correction with ``curation.add_correction`` (what `anttkg curate`
does: check against the store, append to DIR/corrections.tsv, run the identity pass), opens the store
again and refreshes what the correction can change. Every page after it shows the corrected graph.
"""
from __future__ import annotations

import gc
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .. import curation
from ..store import DATA_NAME, GraphStore, StoreBusy, StoreLocked
from . import graphdata
from .catalogue import build_catalogue
from .facts import build_facts
from .search import build_index
from .sparql import SparqlService


WRITE_LOCK_WAIT = 5.0  # seconds a correction waits for another process to let go of the store


class _ReadWriteLock:
    """Many readers or one writer; a waiting writer holds off new readers (a correction is not starved)."""

    def __init__(self):
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self):
        with self._cond:
            while self._writing or self._writers_waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def writing(self):
        with self._cond:
            self._writers_waiting += 1
            while self._writing or self._readers:
                self._cond.wait()
            self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class ServerState:
    def __init__(self, store_path: Path, *, query_timeout: float, result_limit: int, workers: int = 1):
        self.store_path = Path(store_path)
        self.lock = _ReadWriteLock()
        self.generation = 0  # bumped by every correction: what caches are keyed on
        started = time.monotonic()
        self.store = GraphStore(self.store_path, read_only=True)
        self._read_manifest()
        catalogue = build_catalogue(self.store.oxigraph)
        self.model = graphdata.Model(catalogue, build_facts(self.store.oxigraph))
        self.index = build_index(catalogue)
        self.sparql = SparqlService(str(self.store_path / DATA_NAME), timeout=query_timeout, limit=result_limit,
                                    workers=workers)
        self.index_seconds = time.monotonic() - started

    def _read_manifest(self) -> None:
        graphdata.remember_origins({e.graph_iri: e.origin for e in self.store.entries()})
        self.inputs = self.store.inputs()
        self.article_count = self.store.article_count()

    @property
    def oxigraph(self):
        return self.store.oxigraph

    @contextmanager
    def reading(self):
        with self.lock.reading():
            yield self

    def correct(self, correction: curation.Correction) -> bool:
        """Record and apply a correction as `anttkg curate` does, then show it (see the module docstring).
        True when it was applied; False when another process holds the store (a build, or another server
        reading it), in which case the entry is recorded and the next build applies it.
        ``CorrectionError`` when the store does not have what it names (nothing is written then)."""
        with self.lock.writing():
            curation.validate_against(self.store, correction)  # refuse before letting go of the store
            self.store.close()
            self.sparql.stop_workers()
            gc.collect()  # the read-only dataset handle goes with its last reference
            try:
                applied = self._record(correction)
            finally:
                self.store = GraphStore(self.store_path, read_only=True)
                self._refresh(correction)
                self.generation += 1
        return applied

    def _record(self, correction: curation.Correction) -> bool:
        """``curation.add_correction`` step by step, waiting a bounded time for the store's write lock
        rather than for ever (another reader of the store would block it)."""
        deadline = time.monotonic() + WRITE_LOCK_WAIT
        while True:
            try:
                store = GraphStore(self.store_path)
                break
            except (StoreLocked, StoreBusy):
                if time.monotonic() > deadline:
                    if correction not in curation.read(self.store_path):
                        curation.append(self.store_path, correction)
                    return False
                time.sleep(0.2)
        with store:
            curation.validate_against(store, correction)
            if correction not in curation.read(self.store_path):
                curation.append(self.store_path, correction)
                curation.apply_corrections(store)
        return True

    def _refresh(self, correction: curation.Correction) -> None:
        store = self.store.oxigraph
        catalogue = self.model.catalogue
        catalogue.refresh(store, correction.args[:2] if correction.action == "merge" else correction.args[:1])
        facts = self.model.facts
        if correction.action == "reject":  # statements left the article graphs
            facts = build_facts(store)
        self.model = graphdata.Model(catalogue, facts)
        self.index = build_index(catalogue)

    def close(self) -> None:
        self.sparql.close()
        self.store.close()
