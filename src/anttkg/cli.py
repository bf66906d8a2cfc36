"""The ``anttkg`` command line: parse arguments, call the library, format the output.

Exit codes: 0 success; 1 a problem with the data or the store (skipped input, SHACL violations, store in
use, unknown query ...), always with a message and never a traceback; 2 a usage error.
"""
from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from .output import format_option, write_rows

DEFAULT_STORE = "anttkg-store"


@dataclass
class _Settings:
    store: Path


def _known_errors() -> tuple[type[BaseException], ...]:
    from .store import StoreError

    known: tuple[type[BaseException], ...] = (StoreError,)
    for module, name in (("anttkg.build", "BuildError"), ("anttkg.export", "ExportError"),
                         ("anttkg.query", "QueryError"), ("anttkg.remote", "RemoteError"),
                         ("anttkg.curation", "CorrectionError")):
        if module in sys.modules:  # only a module already imported can have raised its error
            known += (getattr(sys.modules[module], name),)
    return known


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    """Library errors a user can act on become click errors (message, exit 1, no traceback)."""
    try:
        yield
    except Exception as err:
        if isinstance(err, _known_errors()):
            raise click.ClickException(str(err)) from None
        raise


def _stderr_console():
    from rich.console import Console

    return Console(stderr=True)


def _echo_err(message: str) -> None:
    click.echo(message, err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", type=click.Path(file_okay=False, path_type=Path), envvar="ANTTKG_STORE",
              default=DEFAULT_STORE, show_default=True, show_envvar=True,
              help="The store folder (created by build).")
@click.version_option(package_name="anttkg")
@click.pass_context
def cli(ctx: click.Context, store: Path) -> None:
    """Knowledge graphs from Vietnamese public-security news (an ninh, trật tự)."""
    ctx.obj = _Settings(store=store)


# -- build --------------------------------------------------------------------------------------------------
def _build_progress():
    """A rich progress display on stderr, or None when stderr is not a terminal."""
    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                    console=_stderr_console(), transient=True)


@cli.command()
@click.argument("paths", nargs=-1, required=True,
                type=click.Path(path_type=Path))
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per CPU).")
@click.option("--report", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the JSON build report here.")
@click.option("--no-validate", is_flag=True, help="Skip SHACL validation of the changed articles.")
@click.option("--force", is_flag=True, help="Rebuild every article, changed or not.")
@click.option("--wait", is_flag=True, help="Wait for another build of the same store to finish.")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Articles per bulk load (default 500).")
@click.option("--dask", "dask_address", metavar="ADDRESS",
              help="Run the pipeline and validation on this Dask scheduler (tcp://host:8786); extra 'dask'.")
@click.option("--shards-dir", type=click.Path(file_okay=False, path_type=Path),
              help="With --dask: write N-Quads shard files here (for bulk loaders) instead of the store.")
@click.option("--retries", type=click.IntRange(min=0), default=None,
              help="With --dask: times a failed task is run again (default 3).")
@click.pass_obj
def build(settings: _Settings, paths: tuple[Path, ...], workers: int | None, report_file: Path | None,
          no_validate: bool, force: bool, wait: bool, batch_size: int | None, dask_address: str | None,
          shards_dir: Path | None, retries: int | None) -> None:
    """Build or update the store from .txt/.html/.json/.jsonl(.gz) files and folders."""
    from . import build as build_module

    if (shards_dir is not None or retries is not None) and not dask_address:
        raise click.UsageError("--shards-dir and --retries need --dask ADDRESS")
    kwargs = {"batch_size": batch_size} if batch_size else {}
    cluster = {"retries": retries} if retries is not None else {}
    with _user_errors(), _build_progress() as progress:
        callback = None
        if progress is not None:
            task = progress.add_task("reading", total=None)

            def callback(read: int, done: int) -> None:
                progress.update(task, description=f"{read} articles read, {done} done")

        if dask_address:
            from . import distributed

            if shards_dir is not None:
                report = distributed.build_shards(paths, shards_dir, dask_address, validate=not no_validate,
                                                  progress=callback, report_path=report_file, **cluster)
            else:
                report = distributed.build_on_cluster(paths, settings.store, dask_address,
                                                      validate=not no_validate, force=force,
                                                      progress=callback, wait=wait,
                                                      report_path=report_file, **cluster, **kwargs)
        else:
            report = build_module.build(paths, settings.store, workers=workers, validate=not no_validate,
                                        force=force, progress=callback, wait=wait, report_path=report_file,
                                        **kwargs)
    for item in report.skipped:
        article = f" (article {item['article_id']})" if item.get("article_id") else ""
        _echo_err(f"skipped {item['origin']}{article}: {item['reason']}")
    if report.repaired:
        _echo_err(f"repaired {report.repaired} graphs an interrupted earlier build had left half written")
    for label, items in (("invalid", report.violations), ("still invalid", report.remembered_violations)):
        for item in items:
            where = item.get("origin") or item.get("article_id")
            detail = " ".join(str(item[k]) for k in ("focus_node", "path") if item.get(k))
            _echo_err(f"{label} {where} (article {item.get('article_id')}): {item.get('message', '')}"
                      + (f" [{detail}]" if detail else ""))
    for item in report.warnings:
        _echo_err(f"warning {item['origin']} (article {item['article_id']}): {item['reason']}")
    for item in report.duplicates:
        _echo_err(f"duplicate {item['origin']} (article {item['article_id']}): same content as article "
                  f"{item['duplicate_of']} from {item['first_origin']}")
    click.echo(f"articles: {report.articles_read} read, {report.built} built, {report.unchanged} unchanged, "
               f"{len(report.duplicates)} duplicates, {len(report.skipped)} skipped, "
               + (f"{len(report.warnings)} warnings, " if report.warnings else "") +
               f"{len(report.violations)} SHACL violations"
               + (f", {len(report.remembered_violations)} remembered from earlier builds"
                  if report.remembered_violations else "")
               + ("" if report.validated else f" ({report.unvalidated} articles in the store not validated)"))
    if shards_dir is not None:
        from .distributed import SHARDS_REPORT

        click.echo(f"shards {report.store}: {report.built} articles, {report.store_quads} quads")
        if report.families:
            click.echo("mentions: " + ", ".join(f"{k} {v}" for k, v in sorted(report.families.items())))
        click.echo(f"report: {Path(report.store) / SHARDS_REPORT} ({report.seconds:.1f} s)")
        sys.exit(report.exit_code)
    click.echo(f"store {report.store}: {report.store_articles} articles, {report.store_triples} triples "
               f"({report.store_quads} quads in article graphs)")
    if report.store_families:
        click.echo("mentions: " + ", ".join(f"{k} {v}" for k, v in report.store_families.items()))
    click.echo(f"report: {Path(report.store) / build_module.REPORT_NAME} ({report.seconds:.1f} s)")
    sys.exit(report.exit_code)


# -- validate -----------------------------------------------------------------------------------------------
@cli.command()
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes for --engine pyshacl (default: one per CPU).")
@click.option("--engine", type=click.Choice(["sparql", "pyshacl"]), default="sparql", show_default=True,
              help="sparql: the shapes compiled to SPARQL (fast); pyshacl: the reference SHACL engine.")
@format_option()
@click.pass_obj
def validate(settings: _Settings, workers: int | None, engine: str, fmt: str) -> None:
    """Check every article graph against the SHACL shapes; exit 1 on violations."""
    from .store import GraphStore

    with _user_errors():
        try:
            if engine == "pyshacl":
                from .validate import validate_many

                def check(items):
                    return validate_many(items, workers or os.cpu_count() or 1)
            else:
                from .shacl_sparql import validate_nquads_items as check
        except ImportError as err:
            raise click.ClickException(f"SHACL validation is not available ({err})") from None
        # Opened for writing: the results are remembered in the manifest (read by the next build).
        GraphStore(settings.store, read_only=True).close()  # a missing store is an error, not created
        with GraphStore(settings.store) as store:
            total = store.article_count()
            items = ((article_id, nquads.decode("utf-8")) for article_id, _g, nquads in store.article_nquads())
            found = check(items)
            origins = {}
            for v in found:
                if v.article_id not in origins:
                    entry = store.entry(v.article_id)
                    origins[v.article_id] = entry.origin if entry else ""
            results: dict[str, list] = {entry.article_id: [] for entry in store.entries()}
            for v in found:
                data = {k: getattr(v, k, "") for k in ("article_id", "focus_node", "path", "message",
                                                       "severity", "shape")}
                results.setdefault(v.article_id, []).append({k: str(x) for k, x in data.items()})
            store.record_validation(results.items())
    failing = [v for v in found if getattr(v, "severity", "Violation") == "Violation"]
    if found:
        write_rows(["article", "origin", "severity", "focus", "path", "message"],
                   [[v.article_id, origins.get(v.article_id, ""), getattr(v, "severity", "Violation"),
                     getattr(v, "focus_node", ""), getattr(v, "path", ""), getattr(v, "message", str(v))]
                    for v in found], fmt)
    articles = len({v.article_id for v in failing})
    _echo_err(f"{total} article graphs checked: {len(failing)} violations in {articles} articles"
              + (f", {len(found) - len(failing)} warnings" if len(found) > len(failing) else ""))
    sys.exit(1 if failing else 0)


# -- check --------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--repair", is_flag=True,
              help="Reload every graph that disagrees with the manifest from the manifest's copy, then check.")
@format_option()
@click.pass_obj
def check(settings: _Settings, repair: bool, fmt: str) -> None:
    """Verify the store against its manifest, graph by graph; exit 1 on any disagreement."""
    from .identity import check_graphs as identity_check, update_identity
    from .store import GraphStore

    with _user_errors():
        repaired: list[str] = []
        if repair:
            GraphStore(settings.store, read_only=True).close()  # a missing store is an error, not created
            with GraphStore(settings.store) as store:
                repaired = store.repair(full=True, exact=True)
                if identity_check(store):
                    update_identity(store, full=True)  # who is who is derived: rewritten from the articles
        with GraphStore(settings.store, read_only=True) as store:
            result = store.check()
            derived = identity_check(store)
    if not result.ok or derived:
        write_rows(["problem", "graph"], [list(p) for p in result.problems()] + [list(p) for p in derived], fmt)
    if repair:
        _echo_err(f"repaired {len(repaired)} graphs")
    _echo_err(f"{result.articles} articles checked: " + ("the store agrees with its manifest" if result.ok else
              f"{len(result.problems())} disagreements (run `anttkg build` or `anttkg check --repair`)"))
    if derived:
        _echo_err(f"{len(derived)} who-is-who graphs disagree with the identity record "
                  "(run `anttkg check --repair`)")
    sys.exit(0 if result.ok and not derived else 1)


def _corrections_applied(store: Path) -> None:
    """A corrections file edited by hand (or checked out) since it was last applied is applied first."""
    from .curation import ensure_applied

    if ensure_applied(store):
        _echo_err(f"applied the changed corrections of {store}")


# -- queries / query ----------------------------------------------------------------------------------------
@cli.command("queries")
@format_option()
def list_queries_command(fmt: str) -> None:
    """List the canned queries with their descriptions and parameters."""
    from .query import list_queries

    with _user_errors():
        queries = list_queries()
    rows = []
    for q in queries:
        params = "; ".join(f"{p.name} ({p.kind}{', optional' if getattr(p, 'optional', False) else ''})"
                           f"{': ' + p.description if p.description else ''}" for p in q.params)
        rows.append([q.name, q.description, params])
    write_rows(["name", "description", "parameters"], rows, fmt)


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for value in values:
        key, sep, val = value.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{value!r} is not KEY=VALUE", param_hint="--param")
        key = key.strip()
        if key in params:
            raise click.BadParameter(f"{key!r} given twice", param_hint="--param")
        params[key] = val
    return params


@cli.command()
@click.argument("name")
@click.option("--param", "-p", "param_values", multiple=True, metavar="KEY=VALUE",
              help="A query parameter (repeatable).")
@click.option("--endpoint", help="Run against this SPARQL endpoint instead of the local store.")
@format_option()
@click.pass_obj
def query(settings: _Settings, name: str, param_values: tuple[str, ...], endpoint: str | None,
          fmt: str) -> None:
    """Run a canned query NAME (see `anttkg queries`) or a query FILE.rq."""
    from .query import get_query, run_query
    from .store import GraphStore

    params = _parse_params(param_values)
    with _user_errors():
        get_query(name)  # an unknown name is reported before the store is looked at
        if not endpoint:
            _corrections_applied(settings.store)
        if endpoint:
            result = run_query(name, endpoint=endpoint, params=params)
        else:
            with GraphStore(settings.store, read_only=True) as store:
                result = run_query(name, store=store.oxigraph, params=params)
    write_rows(result.columns, result.rows, fmt)


# -- export -------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--format", "-f", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld"]),
              default="turtle", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@click.option("--with-ontology", is_flag=True, help="Include the ontology graph.")
@click.option("--license", "license_iri", default=None, help="Licence IRI for the VoID description.")
@click.option("--shards", type=click.IntRange(min=1), default=None,
              help="With --format nquads and -o FILE.nq: write N files FILE.0001.nq ... for bulk loaders.")
@click.pass_obj
def export(settings: _Settings, fmt: str, output: Path | None, with_ontology: bool,
           license_iri: str | None, shards: int | None) -> None:
    """Write the graph as RDF, with a VoID + DCAT description beside it (FILE.void.ttl)."""
    from . import export as export_module
    from .store import GraphStore

    kwargs = {"license": license_iri} if license_iri else {}
    with _user_errors():
        _corrections_applied(settings.store)
    if shards is not None:
        if fmt != "nquads" or output is None:
            raise click.UsageError("--shards needs --format nquads and --output FILE")
        with _user_errors(), GraphStore(settings.store, read_only=True) as store:
            try:
                result = export_module.export_shards(store, output, shards, include_ontology=with_ontology,
                                                     **kwargs)
            except OSError as err:
                raise click.ClickException(f"cannot write the export: {err}") from None
        _echo_err(f"{result.statements} quads of {result.graphs} graphs written to {len(result.paths)} files "
                  f"{result.paths[0]} ... {result.paths[-1]}; VoID description: {result.void_path}")
        return
    with _user_errors(), GraphStore(settings.store, read_only=True) as store:
        target = output if output is not None else click.get_binary_stream("stdout")
        try:
            result = export_module.export(store, fmt, target, include_ontology=with_ontology, **kwargs)
        except OSError as err:
            raise click.ClickException(f"cannot write the export: {err}") from None
    where = str(output) if output is not None else "standard output"
    _echo_err(f"{result.statements} {'quads' if fmt in export_module.QUAD_FORMATS else 'triples'} "
              f"written to {where}; VoID description: {result.void_path}")


# -- load ---------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--endpoint", required=True, help="SPARQL query endpoint of the target triple store.")
@click.option("--graph-store", help="Graph Store Protocol URL (guessed from the endpoint when absent).")
@click.option("--batch-size", type=click.IntRange(min=1), default=200, show_default=True,
              help="Graphs per batch.")
@click.option("--bulk-isql", metavar="[HOST:]PORT",
              help="Virtuoso: bulk-load through isql at this SQL port (host of --endpoint by default) "
                   "instead of the Graph Store Protocol; needs --bulk-dir.")
@click.option("--bulk-dir", type=click.Path(file_okay=False, path_type=Path),
              help="A folder in Virtuoso's DirsAllowed, at the same path for the server, for the files.")
@click.option("--bulk-loaders", type=click.IntRange(min=1), default=2, show_default=True,
              help="rdf_loader_run() sessions in parallel.")
@click.pass_obj
def load(settings: _Settings, endpoint: str, graph_store: str | None, batch_size: int, bulk_isql: str | None,
         bulk_dir: Path | None, bulk_loaders: int) -> None:
    """Push every graph of the store to an external triple store."""
    from .store import GraphStore

    if (bulk_isql is None) != (bulk_dir is None):
        raise click.UsageError("--bulk-isql and --bulk-dir go together")
    with _user_errors():
        GraphStore(settings.store, read_only=True).close()  # missing or busy store: a clear error first
        try:
            from .load import VirtuosoBulk, bulk_load_virtuoso, load_to_endpoint
        except ImportError as err:
            raise click.ClickException(f"loading is not available ({err})") from None
        with _build_progress() as progress:
            callback = None
            if progress is not None:
                task = progress.add_task("loading", total=None)

                def callback(done: int, total: int) -> None:
                    progress.update(task, total=total, completed=done,
                                    description=f"{done}/{total} graphs")

            if bulk_isql is not None:
                if ":" not in bulk_isql:
                    import urllib.parse

                    bulk_isql = f"{urllib.parse.urlsplit(endpoint).hostname or '127.0.0.1'}:{bulk_isql}"
                bulk = VirtuosoBulk(bulk_isql, bulk_dir, loaders=bulk_loaders)
                result = bulk_load_virtuoso(settings.store, endpoint, bulk, progress=callback)
            else:
                result = load_to_endpoint(settings.store, endpoint, graph_store=graph_store,
                                          batch_size=batch_size, progress=callback)
    click.echo(f"{result.graphs} graphs, {result.local_triples} triples local, "
               f"{result.remote_triples} triples remote")
    if result.remote_triples != result.local_triples:
        raise click.ClickException("the remote triple count differs from the local one")


# -- serve --------------------------------------------------------------------------------------------------
@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback by default; anything else exposes the store).")
@click.option("--port", type=click.IntRange(min=0, max=65535), default=8000, show_default=True)
@click.option("--curate", is_flag=True,
              help="Allow corrections (merge, split, reject, rename) from the pages; written to DIR/corrections.tsv.")
@click.option("--query-timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True,
              help="Seconds a SPARQL query may run before it is stopped.")
@click.option("--result-limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Most rows (or triples) a SPARQL query returns.")
@click.pass_obj
def serve(settings: _Settings, host: str, port: int, curate: bool, query_timeout: float,
          result_limit: int) -> None:
    """Browse the graph in a web browser: search, entity pages with evidence, Linked Data, SPARQL."""
    from . import serve as serve_module

    with _user_errors():
        try:
            from .serve.app import ServeSettings
        except ImportError as err:
            raise click.ClickException(f"the web application needs the serve extra: "
                                       f"pip install 'anttkg[serve]' ({err})") from None
        _echo_err(f"indexing {settings.store} ...")
        serve_module.serve(ServeSettings(settings.store, curate=curate, query_timeout=query_timeout,
                                         result_limit=result_limit), host=host, port=port)


# -- stats --------------------------------------------------------------------------------------------------
def store_statistics(store) -> list[tuple[str, object]]:
    """(statistic, value) rows describing an open store."""
    from .vocab import PREFIXES

    def short(iri: str) -> str:
        for name, ns in PREFIXES.items():
            if iri.startswith(ns):
                return f"{name}:{iri[len(ns):]}"
        return iri

    rows: list[tuple[str, object]] = [
        ("articles", store.article_count()),
        ("triples", store.count_triples()),
        ("quads in article graphs", store.count_quads(include_ontology=False)),
        ("quads in all graphs", store.count_quads()),
        ("created", store.meta("created") or ""),
        ("last build", store.meta("last_build") or ""),
    ]
    rows += [(f"mentions: {family}", n) for family, n in store.family_counts().items()]
    rows += [(f"instances: {short(cls)}", n) for cls, n in store.class_counts().items()]
    return rows


@cli.command()
@format_option()
@click.pass_obj
def stats(settings: _Settings, fmt: str) -> None:
    """Counts of articles, triples, mentions per family and instances per class."""
    from .store import GraphStore

    with _user_errors(), GraphStore(settings.store, read_only=True) as store:
        rows = store_statistics(store)
    write_rows(["statistic", "value"], rows, fmt)


# -- curate -------------------------------------------------------------------------------------------------
@cli.group()
def curate() -> None:
    """Corrections to who is who and what was read, kept in DIR/corrections.tsv and applied on every build,
    query and export."""


def _record(settings: _Settings, action: str, *args: str) -> None:
    from .curation import add_correction, correction_iri

    with _user_errors():
        entry = add_correction(settings.store, (action, *args))
    click.echo(f"{entry.action}: recorded as {correction_iri(entry)} and applied")


@curate.command("merge")
@click.argument("kept")
@click.argument("merged")
@click.pass_obj
def curate_merge(settings: _Settings, kept: str, merged: str) -> None:
    """KEPT and MERGED are one real entity; KEPT's IRI stays."""
    _record(settings, "merge", kept, merged)


@curate.command("split")
@click.argument("entity")
@click.option("--article", "article", required=True, help="The article (id or IRI) whose mention is someone else.")
@click.pass_obj
def curate_split(settings: _Settings, entity: str, article: str) -> None:
    """ENTITY's mention in --article is another person."""
    _record(settings, "split", entity, article)


@curate.command("reject")
@click.argument("entity")
@click.argument("predicate")
@click.argument("value")
@click.pass_obj
def curate_reject(settings: _Settings, entity: str, predicate: str, value: str) -> None:
    """The statement ENTITY PREDICATE VALUE is wrong (PREDICATE an IRI or antt:/schema:/org:... name)."""
    _record(settings, "reject", entity, predicate, value)


@curate.command("label")
@click.argument("entity")
@click.argument("name")
@click.pass_obj
def curate_label(settings: _Settings, entity: str, name: str) -> None:
    """ENTITY's name is NAME."""
    _record(settings, "label", entity, name)


@curate.command("list")
@format_option()
@click.pass_obj
def curate_list(settings: _Settings, fmt: str) -> None:
    """The corrections, in the order written, with whether each still finds what it names."""
    from .curation import correction_statuses

    with _user_errors():
        statuses = correction_statuses(settings.store)
    write_rows(["line", "action", "arguments", "applies", "correction"],
               [[s.number, s.correction.action, " | ".join(s.correction.args), "yes" if s.applies else "no",
                 s.iri] for s in statuses], fmt)


@curate.command("export")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def curate_export(settings: _Settings, target: Path) -> None:
    """Write the store's corrections to TARGET (for version control)."""
    from .curation import export_corrections

    with _user_errors():
        n = export_corrections(settings.store, target)
    click.echo(f"{n} corrections written to {target}")


@curate.command("import")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_obj
def curate_import(settings: _Settings, source: Path) -> None:
    """Add the corrections of SOURCE the store does not have yet, and apply them."""
    from .curation import import_corrections

    with _user_errors():
        n = import_corrections(settings.store, source)
    click.echo(f"{n} corrections added from {source} and applied")


def main(argv: list[str] | None = None) -> None:
    """Console entry point (``anttkg``)."""
    cli.main(args=argv, prog_name="anttkg")
