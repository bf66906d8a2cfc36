"""The web application (Starlette): search, entity and article pages, Linked Data, SPARQL, curation.

Routes:
  GET  /                     home: search box and what the store holds
  GET  /search?q=&type=&province=   results with facets
  GET  /api/suggest?q=       autocomplete (JSON)
  GET  /id/...               any IRI of the dataset, by content negotiation: HTML, Turtle, JSON-LD, N-Triples
  GET|POST /sparql           SPARQL 1.1 Protocol (read-only); without a query, the query page
  POST /curate               a correction (only with curation on; CSRF token and same-origin checked)
"""
from __future__ import annotations

import hmac
import json
import secrets
from collections import Counter
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from .. import curation
from . import graphdata
from .kinds import KIND_NAMES
from .negotiation import negotiate
from .search import suggest
from .sparql import ALIASES, GRAPH_FORMATS, SOLUTION_FORMATS
from .state import ServerState

HERE = Path(__file__).parent
RDF_MEDIA = {"text/turtle": "turtle", "application/ld+json": "jsonld", "application/n-triples": "ntriples"}
FORMAT_PARAM = {"ttl": "text/turtle", "turtle": "text/turtle", "jsonld": "application/ld+json",
                "json": "application/ld+json", "nt": "application/n-triples", "ntriples": "application/n-triples",
                "html": "text/html"}
INCOMING_LIMIT = 500
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; "
                               "frame-ancestors 'none'; form-action 'self'",
}


class ServeSettings:
    def __init__(self, store_path: Path, *, curate: bool = False, query_timeout: float = 10.0,
                 result_limit: int = 10_000, workers: int = 1):
        self.store_path = Path(store_path)
        self.curate = curate
        self.query_timeout = query_timeout
        self.result_limit = result_limit
        self.workers = workers


def create_app(settings: ServeSettings) -> Starlette:
    """The application over an existing store (opened read-only; closed and opened again around each
    correction from a page, see ``state``)."""
    state = ServerState(settings.store_path, query_timeout=settings.query_timeout,
                        result_limit=settings.result_limit, workers=settings.workers)
    sparql = state.sparql
    csrf_token = secrets.token_urlsafe(32)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    templates.env.globals.update(curate=settings.curate, csrf_token=csrf_token, kind_names=KIND_NAMES)
    templates.env.filters["year_of"] = graphdata.year_of

    def page(request: Request, name: str, status: int = 200, **context) -> Response:
        response = templates.TemplateResponse(request, name, context, status_code=status)
        response.headers.update(SECURITY_HEADERS)
        return response

    def not_found(request: Request, message: str) -> Response:
        return page(request, "error.html", 404, title="Not found", message=message)

    # -- pages --------------------------------------------------------------------------------------------
    def home(request: Request) -> Response:
        with state.reading():
            counts = Counter(entry.kind for entry in state.index.entries)
            return page(request, "home.html", title="anttkg", articles=state.article_count,
                        counts=[(KIND_NAMES[k], n) for k, n in counts.most_common()],
                        index_seconds=state.index_seconds)

    def search_page(request: Request) -> Response:
        q = request.query_params.get("q", "").strip()
        kind = request.query_params.get("type") or None
        province = request.query_params.get("province") or None
        with state.reading():
            index = state.index
            result = index.search(q, kind=kind, province=province, limit=50)

        def facet_href(**changes) -> str:
            params = {"q": q, "type": kind or "", "province": province or ""}
            params.update({k: v or "" for k, v in changes.items()})
            return "/search?" + urlencode({k: v for k, v in params.items() if v})

        return page(request, "search.html", title=f"Search: {q}" if q else "Search", q=q, result=result,
                    kind=kind, province=province, facet_href=facet_href,
                    province_name=index.province_names.get(province or "", province))

    def suggest_api(request: Request) -> Response:
        q = request.query_params.get("q", "")
        with state.reading():
            rows = suggest(state.index, q) if q.strip() else []
        return JSONResponse(rows, headers={"Cache-Control": "no-store"})

    def entity(request: Request) -> Response:
        raw_path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
        iri = graphdata.iri_of_path(raw_path.split("?", 1)[0])
        if iri is None:
            return not_found(request, "no such resource")
        wanted = FORMAT_PARAM.get(request.query_params.get("format", ""))
        offered = ["text/html", *RDF_MEDIA]
        media = wanted or negotiate(request.headers.get("accept"), offered)
        if media is None:
            return PlainTextResponse("406 Not Acceptable: this resource is available as text/html, "
                                     + ", ".join(RDF_MEDIA) + "\n", status_code=406, headers={"Vary": "Accept"})
        with state.reading():
            store, model = state.oxigraph, state.model
            if media in RDF_MEDIA:
                body = describe(store, iri, RDF_MEDIA[media], model.catalogue.mentions_of(iri))
                if body is None:
                    return PlainTextResponse(f"no statements about <{iri}>\n", status_code=404,
                                             headers={"Vary": "Accept"})
                return Response(body, media_type=media if media != "text/turtle" else "text/turtle; charset=utf-8",
                                headers={"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'})
            moved = graphdata.replacement(model, iri)
            if moved:  # a person IRI given out before and retired, or merged into another by a curator
                return RedirectResponse(graphdata.path_of(moved), status_code=301, headers={"Vary": "Accept"})
            found = graphdata.kind_of(store, iri, model)
            if found is None:
                return not_found(request, f"the graph says nothing about {iri}")
            if found[0] == "article":
                article = graphdata.article_page(store, iri, model, state.inputs)
                response = page(request, "article.html", title=article.label, article=article, iri=iri,
                                corrections=_corrections_for(settings.store_path, iri))
            else:
                entity_page = graphdata.entity_page(store, iri, model, more=request.query_params.get("more"))
                articles = {ev.article.href: (graphdata.iri_of_path(ev.article.href), ev.article.label)
                            for ev in entity_page.mentions}
                response = page(request, "entity.html", title=entity_page.label, entity=entity_page, iri=iri,
                                articles=list(articles.values()),
                                recorded=request.query_params.get("recorded"),
                                pending=request.query_params.get("pending"),
                                corrections=_corrections_for(settings.store_path, iri))
        response.headers["Vary"] = "Accept"
        return response

    # -- SPARQL -------------------------------------------------------------------------------------------
    async def sparql_endpoint(request: Request) -> Response:
        params = {k: request.query_params.getlist(k) for k in request.query_params.keys()}
        query = None
        if request.method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            body = await request.body()
            if content_type == "application/sparql-update":
                return _read_only()
            if content_type == "application/x-www-form-urlencoded":
                form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                if "update" in form:
                    return _read_only()
                for key, values in form.items():
                    params.setdefault(key, []).extend(values)
                query = (form.get("query") or [None])[0]
            elif content_type == "application/sparql-query":
                query = body.decode("utf-8", "replace")
            else:
                return PlainTextResponse("415: send application/sparql-query, or a form with query=\n",
                                         status_code=415)
        else:
            if "update" in params:
                return _read_only()
            query = (params.get("query") or [None])[0]
        if query is None:
            return await run_in_threadpool(query_page, request, params)
        fmt = (params.get("format") or [""])[0].lower()
        accept = request.headers.get("accept")
        if fmt == "html" or (not fmt and negotiate(accept, ["text/html", *SOLUTION_FORMATS.values()]) == "text/html"
                             and "text/html" in (accept or "")):
            return await run_in_threadpool(query_page, request, params, query)
        solution_format = _pick(fmt, accept, SOLUTION_FORMATS) or "json"
        graph_format = _pick(fmt, accept, GRAPH_FORMATS) or "turtle"
        answer = await run_in_threadpool(run_query, query, solution_format=solution_format,
                                         graph_format=graph_format,
                                         default_graphs=params.get("default-graph-uri") or None,
                                         named_graphs=params.get("named-graph-uri") or None)
        return Response(answer.body, status_code=answer.status, media_type=answer.media_type,
                        headers={**answer.headers, "Vary": "Accept", "Cache-Control": "no-store"})

    def run_query(query: str, **options):
        with state.reading():  # a correction waits for the queries being answered
            return sparql.run(query, **options)

    def query_page(request: Request, params: dict, query: str | None = None) -> Response:
        from ..query import QueryError, bind_values, convert_params, get_query, list_queries

        canned = list_queries()
        chosen_name = (params.get("canned") or [""])[0]
        chosen, error, table = None, None, None
        if chosen_name and query is None:
            try:
                chosen = get_query(chosen_name)
                values = {p.name: (params.get("param." + p.name) or [""])[0] for p in chosen.params}
                values = {k: v for k, v in values.items() if v.strip()}
                missing = [p.name for p in chosen.params if not p.optional and p.name not in values]
                text = chosen.text
                if values and not missing:
                    text = bind_values(text, convert_params(chosen, values))
                query = text
            except QueryError as err:
                error = str(err)
        elif query is not None:
            answer = run_query(query, solution_format="json")
            if answer.status != 200:
                error = answer.body.decode("utf-8", "replace")
            elif answer.kind == "select" or answer.kind == "ask":
                table = _table(json.loads(answer.body), answer.truncated, sparql.limit)
            else:
                table = {"columns": ["Turtle"], "rows": [[{"text": answer.body.decode("utf-8")}]],
                         "truncated": answer.truncated}
        return page(request, "sparql.html", title="SPARQL", canned=canned, chosen=chosen, query=query or "",
                    error=error, table=table, timeout=sparql.timeout, limit=sparql.limit,
                    params={k: v[0] for k, v in params.items() if v})

    # -- curation -----------------------------------------------------------------------------------------
    async def curate(request: Request) -> Response:
        if not settings.curate:
            return PlainTextResponse("curation is off (start the server with --curate)\n", status_code=403)
        problem = _cross_site(request)
        if problem:
            return PlainTextResponse(f"403: {problem}\n", status_code=403)
        form = parse_qs((await request.body()).decode("utf-8", "replace"), keep_blank_values=True)
        field = {k: v[0] for k, v in form.items()}
        if not hmac.compare_digest(field.get("csrf", ""), csrf_token):
            return PlainTextResponse("403: missing or wrong form token; reload the page\n", status_code=403)
        action, subject = field.get("action", ""), field.get("iri", "")
        args = {"merge": ("iri", "other"), "split": ("iri", "article"), "reject": ("iri", "predicate", "value"),
                "label": ("iri", "name")}.get(action)
        if args is None:
            return PlainTextResponse(f"400: unknown action {action!r}\n", status_code=400)
        values = [field.get(name, "") for name in args]
        if action == "merge" and values[1].strip().startswith("/id/"):
            values[1] = graphdata.iri_of_path(values[1].strip()) or values[1]
        try:
            applied = await run_in_threadpool(record_correction, action, values)
        except curation.CorrectionError as err:
            return PlainTextResponse(f"400: {err}\n", status_code=400)
        query = urlencode({"recorded": action, **({} if applied else {"pending": "1"})})
        # A merge sends the merged-away page to the kept one; every other correction stays on the page.
        return RedirectResponse(graphdata.path_of(subject) + "?" + query, status_code=303)

    def record_correction(action: str, values: list[str]) -> bool:
        """Check, record and apply an entry as `anttkg curate` does; the next page shows it."""
        return state.correct(curation.make_correction(action, *values))

    @asynccontextmanager
    async def lifespan(_app):
        try:
            yield
        finally:
            state.close()

    routes = [
        Route("/", home),
        Route("/search", search_page),
        Route("/api/suggest", suggest_api),
        Route("/id/{rest:path}", entity, methods=["GET", "HEAD"]),
        Route("/sparql", sparql_endpoint, methods=["GET", "POST", "HEAD"]),
        Route("/curate", curate, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.state.server = state
    return app


def _pick(fmt: str, accept: str | None, formats: dict[str, str]) -> str | None:
    if fmt in formats:
        return fmt
    if fmt in ALIASES and ALIASES[fmt] in formats:
        return ALIASES[fmt]
    offered = list(formats.values()) + [m for m, name in ALIASES.items() if name in formats]
    media = negotiate(accept, offered)
    if media is None:
        return None
    return next((name for name, m in formats.items() if m == media), ALIASES.get(media))


def _read_only() -> Response:
    return PlainTextResponse("403: this SPARQL endpoint is read-only; updates are not accepted\n", status_code=403)


def _cross_site(request: Request) -> str | None:
    """Why a state-changing request is refused as cross-site, or None when it comes from our own pages."""
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return "cross-site request refused"
    own = f"{request.url.scheme}://{request.headers.get('host', '')}"
    origin = request.headers.get("origin")
    if origin is not None:
        return None if origin == own else f"origin {origin} is not {own}"
    referer = request.headers.get("referer")
    if referer:
        parts = urlsplit(referer)
        return None if f"{parts.scheme}://{parts.netloc}" == own else "referer from another site"
    return "no Origin or Referer header; refusing a request that may come from another site"


def _corrections_for(store_path: Path, iri: str) -> list[curation.Correction]:
    try:
        return [c for c in curation.read(store_path) if c.mentions(iri)]
    except curation.CorrectionError:
        return []


def _table(results: dict, truncated: bool, limit: int) -> dict:
    if "boolean" in results:
        return {"columns": ["boolean"], "rows": [[{"text": str(results["boolean"]).lower()}]], "truncated": False}
    columns = results["head"]["vars"]
    rows = []
    for binding in results["results"]["bindings"]:
        row = []
        for column in columns:
            term = binding.get(column)
            if term is None:
                row.append({"text": ""})
            elif term["type"] == "uri":
                href = graphdata.path_of(term["value"])
                row.append({"text": term["value"], "href": href})
            else:
                row.append({"text": term["value"]})
        rows.append(row)
    return {"columns": columns, "rows": rows, "truncated": truncated, "limit": limit}


def describe(store, iri: str, fmt: str, mentions: list[str]) -> bytes | None:
    """RDF about one IRI: an article's whole named graph, otherwise every statement with it as subject."""
    import pyoxigraph as ox

    from ..rdf import iri as iri_term
    from ..vocab import ID, PREFIXES

    node = ox.NamedNode(iri)
    if store.contains_named_graph(node):
        triples = sorted({q.triple for q in store.quads_for_pattern(None, None, None, node)}, key=str)
    else:
        # A real person is described with the article-local people linked to it (what the articles say).
        who = " ".join(iri_term(i) for i in [iri, *mentions[:INCOMING_LIMIT]])
        own = store.query(f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ VALUES ?x {{ {who} }} ?x ?p ?o }}",
                          use_default_graph_as_union=True)
        # Links to it (memberships, events, mentions) make it browsable as Linked Data; bounded for popular nodes.
        incoming = store.query(f"CONSTRUCT {{ ?s ?p ?x }} WHERE {{ VALUES ?x {{ {who} }} ?s ?p ?x }} "
                               f"LIMIT {INCOMING_LIMIT}", use_default_graph_as_union=True)
        triples = sorted(set(own) | set(incoming), key=str)
    if not triples:
        return None
    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}
    prefixes = {k: v for k, v in PREFIXES.items() if k != "anttid"} if fmt == "turtle" else None
    data = ox.serialize(triples, format=formats[fmt], prefixes=prefixes)
    if fmt == "turtle":
        data = f"# {len(triples)} statements about <{iri}> from {ID}\n".encode() + data
    return data
