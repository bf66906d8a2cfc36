"""The build on a real Dask cluster on 127.0.0.1: a scheduler and two worker processes (LocalCluster with
nannies). A Dask build gives the store, and the N-Quads shards, byte for byte what a local build gives; a
worker killed mid-run costs nothing but time; an unreachable scheduler is a clear error."""
from __future__ import annotations

import gzip
import io
import json
import os
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

distributed = pytest.importorskip("distributed", reason="the dask extra is not installed (pip install -e '.[dask]')")

from anttkg.build import build  # noqa: E402
from anttkg.cli import cli  # noqa: E402
from anttkg.distributed import (ONTOLOGY_SHARD, SHARDS_REPORT, ClusterError, build_on_cluster,  # noqa: E402
                                build_shards)
from anttkg.export import export  # noqa: E402
from anttkg.ingest import read_inputs  # noqa: E402
from anttkg.store import GraphStore  # noqa: E402

pytestmark = pytest.mark.slow
CORPUS_SLICE = 300


def local_cluster():
    return distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                    dashboard_address="127.0.0.1:0")


@pytest.fixture(scope="module")
def cluster():
    with local_cluster() as running:
        yield running


def exported(store_path: Path, tmp_path: Path) -> bytes:
    out = io.BytesIO()
    with GraphStore(store_path, read_only=True) as store:
        export(store, "nquads", out, void_path=tmp_path / f"{store_path.name}.void.ttl")
    return out.getvalue()


def article_graph_lines(nquads: bytes) -> list[bytes]:
    """The quads of the article graphs: who is who across articles (graph/people/...) is the store's own pass,
    which shards mode leaves out."""
    return [line for line in nquads.splitlines()
            if not line.rsplit(b" ", 2)[-2].startswith(b"<https://w3id.org/anttkg/id/graph/")]


def variations(sample_dir: Path, folder: Path, copies: int) -> Path:
    """The sample articles, each repeated ``copies`` times under new ids with a changed title and last
    sentence (so no copy is a duplicate of another), as one JSON Lines file."""
    target = folder / "variations.jsonl"
    with open(target, "w", encoding="utf-8") as out:
        for item in read_inputs([sample_dir]):
            assert hasattr(item, "content_hash"), item
            for n in range(copies):
                record = {"id": f"{item.id}-v{n}", "title": f"{item.title} ({n + 1})", "sapo": item.sapo,
                          "text": f"{item.text}\nBản tin số {n + 1}.", "source": item.source}
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return target


@pytest.fixture(scope="module")
def corpus_slice(shared_dir, tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("slice") / "slice.jsonl"
    with gzip.open(shared_dir / "corpus" / "baomoi.jsonl.gz", "rt", encoding="utf-8") as lines, \
            open(target, "w", encoding="utf-8") as out:
        for number, line in enumerate(lines):
            if number >= CORPUS_SLICE:
                break
            out.write(line)
    return target


@pytest.fixture(scope="module")
def local_build(corpus_slice, tmp_path_factory):
    store = tmp_path_factory.mktemp("local") / "store"
    report = build([corpus_slice], store, workers=1)
    return store, report


def test_cluster_build_is_the_local_build(cluster, corpus_slice, local_build, tmp_path):
    local_store, local_report = local_build
    store = tmp_path / "store"
    report = build_on_cluster([corpus_slice], store, cluster.scheduler_address)
    assert report.built == local_report.built > 0
    assert report.articles_read == local_report.articles_read == CORPUS_SLICE
    assert len(report.duplicates) == len(local_report.duplicates)
    assert report.skipped == local_report.skipped
    assert report.violations == local_report.violations
    assert report.families == local_report.families
    assert exported(store, tmp_path) == exported(local_store, tmp_path)

    again = build_on_cluster([corpus_slice], store, cluster.scheduler_address, force=True)
    assert again.built == report.built  # every article through the cluster a second time, same graphs
    assert exported(store, tmp_path) == exported(local_store, tmp_path)


def test_cluster_build_of_the_samples_and_incremental_rerun(cluster, sample_dir, tmp_path):
    local_store, store = tmp_path / "local", tmp_path / "dask"
    assert build([sample_dir], local_store, workers=1).built == 5
    report = build_on_cluster([sample_dir], store, cluster.scheduler_address)
    assert report.built == 5 and report.ok and report.validated
    assert exported(store, tmp_path) == exported(local_store, tmp_path)
    rerun = build_on_cluster([sample_dir], store, cluster.scheduler_address)
    assert rerun.built == 0 and rerun.unchanged == 5


def test_a_worker_killed_mid_run_is_retried(sample_dir, tmp_path):
    source = variations(sample_dir, tmp_path, copies=40)  # 200 articles: 5 chunks of at most 48
    local_store = tmp_path / "local"
    local = build([source], local_store, workers=1)
    assert local.built == 200 and local.ok
    killed: list[tuple[int, int]] = []  # (pid, articles done when it was killed)

    with local_cluster() as running, distributed.Client(running, set_as_default=False) as watcher:
        def kill_one_worker(read: int, done: int) -> None:
            if killed or done == 0:
                return
            pid = sorted(watcher.run(os.getpid).values())[0]
            os.kill(pid, signal.SIGKILL)  # a worker of our own cluster; its nanny starts a new one
            killed.append((pid, done))

        store = tmp_path / "dask"
        report = build_on_cluster([source], store, running.scheduler_address, progress=kill_one_worker,
                                  max_in_flight=2)
        assert killed, "the build finished before a worker could be killed"
        pid, done_then = killed[0]
        assert done_then < 200
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
        watcher.wait_for_workers(2, timeout=60)
        assert pid not in watcher.run(os.getpid).values()
    assert report.built == 200 and report.ok
    assert exported(store, tmp_path) == exported(local_store, tmp_path)


def test_shards_hold_the_export(cluster, corpus_slice, local_build, tmp_path):
    local_store, local_report = local_build
    folder = tmp_path / "shards"
    (folder).mkdir()
    (folder / "part-999999.nq").write_bytes(b"left over from an earlier run\n")
    report = build_shards([corpus_slice], folder, cluster.scheduler_address, shard_articles=100)
    parts = sorted(folder.glob("part-*.nq"))
    assert [p.name for p in parts] == ["part-000001.nq", "part-000002.nq", "part-000003.nq"]
    assert report.built == local_report.built
    assert len(report.duplicates) == len(local_report.duplicates)
    lines = sorted(line for part in parts for line in part.read_bytes().splitlines())
    # the shards hold the article graphs; who is who across articles is the store's own pass (graph/people/...)
    assert lines == sorted(article_graph_lines(exported(local_store, tmp_path)))
    description = json.loads((folder / SHARDS_REPORT).read_text(encoding="utf-8"))
    assert sum(s["articles"] for s in description["shards"]) == report.built
    assert sum(s["quads"] for s in description["shards"]) == len(lines)
    ontology = (folder / ONTOLOGY_SHARD).read_bytes().splitlines()
    assert ontology and all(line.endswith(b"<https://w3id.org/anttkg/id/graph/ontology> .") for line in ontology)


def test_cli_build_on_the_cluster(cluster, sample_dir, tmp_path):
    runner = CliRunner()
    store = tmp_path / "store"
    result = runner.invoke(cli, ["--store", str(store), "build", str(sample_dir), "--dask",
                                 cluster.scheduler_address])
    assert result.exit_code == 0, result.output
    assert "5 built" in result.output
    shards = tmp_path / "shards"
    result = runner.invoke(cli, ["build", str(sample_dir), "--dask", cluster.scheduler_address,
                                 "--shards-dir", str(shards)])
    assert result.exit_code == 0, result.output
    assert f"shards {shards.resolve()}: 5 articles" in result.output
    lines = sorted(line for part in shards.glob("part-*.nq") for line in part.read_bytes().splitlines())
    assert lines == sorted(article_graph_lines(exported(store, tmp_path)))
    result = runner.invoke(cli, ["build", str(sample_dir), "--shards-dir", str(shards)])
    assert result.exit_code == 2 and "need --dask" in result.output


def test_unreachable_scheduler_is_a_clear_error(sample_dir, tmp_path):
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        address = f"tcp://127.0.0.1:{sock.getsockname()[1]}"
    with pytest.raises(ClusterError, match="cannot reach the Dask scheduler"):
        build_on_cluster([sample_dir], tmp_path / "store", address, connect_timeout=2)
    assert not (tmp_path / "store").exists()
