"""Canned SPARQL queries (``queries/*.rq``): discovery, parameter binding, local or remote execution.

A query file starts with comment lines this module reads::

    # description: one line
    # param: name (string|date|integer|iri[, optional]) — what it is
    # joined: place organizer

``param`` declares the SPARQL variable ``?name``; its value is converted by kind and bound as an RDF term,
never pasted into the text: a ``VALUES`` block of escaped terms opens the top-level WHERE group (locally and
remotely), or, locally on request, pyoxigraph ``substitutions`` (which need the variable in the SELECT
projection, so canned queries project their parameters).
``joined`` names columns holding ``"; "``-joined lists (GROUP_CONCAT); their parts are sorted here so the
output does not depend on the order in which a store happens to aggregate.
"""
from __future__ import annotations

import datetime as _dt
import re
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .resources import queries_dir
from .text import normalize_text
from .vocab import XSD

PARAM_KINDS = ("string", "date", "integer", "iri")
LIST_SEPARATOR = "; "

_QUERY_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*\Z")
_PARAM_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER = re.compile(r"#\s*([A-Za-z_-]+)\s*:\s*(.*?)\s*\Z")
_PARAM_LINE = re.compile(
    r"(?P<name>\S+)\s*\(\s*(?P<kind>[a-z]+)\s*(?:,\s*(?P<optional>optional)\s*)?\)\s*"
    r"(?:[-\u2013\u2014:]+\s*(?P<description>.*))?\Z"
)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
_INTEGER = re.compile(r"[+-]?\d{1,30}\Z")
# Characters that may not appear in an IRIREF (SPARQL / N-Triples), plus any whitespace.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\s]')
_URN = re.compile(r"urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:\S+\Z", re.IGNORECASE)
_SPARQL_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


class QueryError(ValueError):
    """A query that cannot be run as asked: unknown name, bad file, bad parameters, bad target."""


@dataclass(frozen=True)
class QueryParam:
    name: str
    description: str
    kind: str  # "string" | "date" | "integer" | "iri"
    optional: bool = False


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    description: str
    params: tuple[QueryParam, ...]
    joined: tuple[str, ...] = ()  # columns holding "; "-joined lists

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")


@dataclass(frozen=True)
class QueryResult:
    columns: list[str]
    rows: list[list[str | None]]  # lexical forms; None for unbound


# ---------------------------------------------------------------------------------------------------------
# Discovery and headers


def parse_header(text: str, origin: str = "query") -> tuple[str, tuple[QueryParam, ...], tuple[str, ...]]:
    """Description, declared parameters and joined columns from the leading comment lines of a query."""
    description = ""
    params: list[QueryParam] = []
    joined: list[str] = []
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break  # the header ends at the first line of SPARQL
        match = _HEADER.match(line)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key == "description":
            description = value
        elif key == "param":
            params.append(_parse_param(value, origin))
        elif key == "joined":
            joined.extend(part for part in re.split(r"[\s,]+", value) if part)
    names = [p.name for p in params]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise QueryError(f"{origin}: parameter declared twice: {', '.join(duplicates)}")
    return description, tuple(params), tuple(joined)


def _parse_param(value: str, origin: str) -> QueryParam:
    match = _PARAM_LINE.match(value)
    if not match:
        raise QueryError(f"{origin}: cannot read parameter declaration {value!r} "
                         "(expected: name (kind) — description)")
    name, kind = match.group("name"), match.group("kind")
    if not _PARAM_NAME.match(name):
        raise QueryError(f"{origin}: parameter name {name!r} is not a SPARQL variable name")
    if kind not in PARAM_KINDS:
        raise QueryError(f"{origin}: parameter {name!r} has unknown kind {kind!r} "
                         f"(one of {', '.join(PARAM_KINDS)})")
    return QueryParam(name=name, description=(match.group("description") or "").strip(), kind=kind,
                      optional=bool(match.group("optional")))


def _load(path: Path, name: str) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    description, params, joined = parse_header(text, origin=str(path))
    return CannedQuery(name=name, path=path, description=description, params=params, joined=joined)


def list_queries() -> list[CannedQuery]:
    """The canned queries in ``queries/``, sorted by name."""
    folder = queries_dir()
    return [_load(path, path.stem) for path in sorted(folder.glob("*.rq"))
            if _QUERY_NAME.match(path.stem)]


def get_query(name_or_file: str | Path) -> CannedQuery:
    """A canned query by plain name (``people``), or a query file given as a path ending in ``.rq``.

    A name is looked up in ``queries/`` only: it cannot contain path separators or dots, so it cannot reach
    outside that folder. Anything else must be an existing ``.rq`` file.
    """
    value = str(name_or_file)
    if isinstance(name_or_file, Path) or value.lower().endswith(".rq"):
        path = Path(value).expanduser()
        if path.suffix.lower() != ".rq":
            raise QueryError(f"query file {value!r} must have the .rq suffix")
        if not path.is_file():
            raise QueryError(f"query file {value!r} does not exist")
        return _load(path, path.stem)
    if not _QUERY_NAME.match(value):
        raise QueryError(f"{value!r} is not a canned query name (letters, digits, '-' and '_' only); "
                         "give a query file as a path ending in .rq")
    path = queries_dir() / f"{value}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in list_queries())
        raise QueryError(f"no canned query named {value!r}; known queries: {known}")
    return _load(path, value)


# ---------------------------------------------------------------------------------------------------------
# Parameters


def convert_params(query: CannedQuery, params: dict[str, str] | None) -> dict[str, tuple[str, str]]:
    """Check the given values against the declaration; returns name -> (kind, canonical lexical value)."""
    params = dict(params or {})
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(params) - set(declared))
    if unknown:
        accepted = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name!r} does not accept parameter(s): {', '.join(unknown)} "
                         f"(accepted: {accepted})")
    missing = sorted(p.name for p in query.params if not p.optional and params.get(p.name) is None)
    if missing:
        raise QueryError(f"query {query.name!r} needs parameter(s): {', '.join(missing)}")
    bound: dict[str, tuple[str, str]] = {}
    for param in query.params:
        value = params.get(param.name)
        if value is None:
            continue
        bound[param.name] = (param.kind, _canonical(param, value))
    return bound


def _canonical(param: QueryParam, value: object) -> str:
    if not isinstance(value, str):
        if param.kind == "integer" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif param.kind == "date" and isinstance(value, _dt.date):
            value = value.isoformat()
        else:
            raise QueryError(f"parameter {param.name!r} must be given as text, not {type(value).__name__}")
    if param.kind == "string":
        # The stored form of every text (NFC, modern tone placement, no control characters).
        return normalize_text(value)
    text = value.strip()
    if param.kind == "date":
        if not _DATE.match(text):
            raise QueryError(f"parameter {param.name!r} must be a date YYYY-MM-DD, got {value!r}")
        try:
            return _dt.date.fromisoformat(text).isoformat()
        except ValueError:
            raise QueryError(f"parameter {param.name!r}: {value!r} is not a calendar date") from None
    if param.kind == "integer":
        if not _INTEGER.match(text):
            raise QueryError(f"parameter {param.name!r} must be an integer, got {value!r}")
        return str(int(text))
    if param.kind == "iri":
        if not text or _IRI_FORBIDDEN.search(text):
            raise QueryError(f"parameter {param.name!r}: {value!r} is not a valid IRI")
        parts = urlsplit(text)
        if parts.scheme.lower() in ("http", "https") and parts.netloc:
            return text
        if _URN.match(text):
            return text
        raise QueryError(f"parameter {param.name!r} must be an absolute http(s) or urn IRI, got {value!r}")
    raise QueryError(f"parameter {param.name!r} has unknown kind {param.kind!r}")


def _oxigraph_term(kind: str, value: str):
    import pyoxigraph

    if kind == "iri":
        return pyoxigraph.NamedNode(value)
    if kind == "date":
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + "date"))
    if kind == "integer":
        return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + "integer"))
    return pyoxigraph.Literal(value)


def sparql_term(kind: str, value: str) -> str:
    """SPARQL text of a parameter value already checked by ``convert_params``."""
    if kind == "iri":
        if _IRI_FORBIDDEN.search(value):
            raise QueryError(f"{value!r} is not a valid IRI")
        return f"<{value}>"
    if kind in ("date", "integer"):
        pattern = _DATE if kind == "date" else _INTEGER
        if not pattern.match(value):
            raise QueryError(f"{value!r} is not a valid {kind}")
        return f'"{value}"^^<{XSD}{kind}>'
    # Only escape sequences (ECHAR) are used: a \\uXXXX escape would be decoded before the query is
    # parsed and could turn into a quote. Other control characters have no safe spelling.
    if re.search(r"[\x00-\x08\x0b\x0e-\x1f\x7f]", value):
        raise QueryError("string parameters cannot contain control characters")
    return '"' + "".join(_SPARQL_ECHAR.get(ch, ch) for ch in value) + '"'


# ---------------------------------------------------------------------------------------------------------
# VALUES binding for remote endpoints

_MASKED = re.compile(
    r"""\#[^\n]*                                 # comment
      | '''(?:[^'\\]|\\.|'(?!''))*'''            # long strings
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n\r]|\\.)*'                    # short strings
      | "(?:[^"\\\n\r]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>                # IRI references
    """,
    re.VERBOSE | re.DOTALL,
)


def _mask(query_text: str) -> str:
    """The query with comments, strings and IRIs blanked (same length), so keywords can be located."""
    return _MASKED.sub(lambda m: " " * len(m.group(0)), query_text)


def bind_values(query_text: str, bound: dict[str, tuple[str, str]]) -> str:
    """The query with a VALUES block of escaped terms opening its top-level WHERE group."""
    if not bound:
        return query_text
    masked = _mask(query_text)
    form = re.search(r"(?<![\w?$:])(SELECT|CONSTRUCT|ASK|DESCRIBE)(?![\w:-])", masked, re.IGNORECASE)
    if not form or form.group(1).upper() != "SELECT":
        raise QueryError("only SELECT queries can be run")
    where = re.search(r"(?<![\w?$:.-])WHERE(?![\w:-])", masked[form.end():], re.IGNORECASE)
    start = form.end() + (where.end() if where else 0)
    brace = masked.find("{", start)
    if brace < 0:
        raise QueryError("the query has no WHERE group")
    names = sorted(bound)
    variables = " ".join(f"?{name}" for name in names)
    terms = " ".join(sparql_term(*bound[name]) for name in names)
    block = f"\n  VALUES ({variables}) {{ ({terms}) }}\n"
    return query_text[: brace + 1] + block + query_text[brace + 1:]


# ---------------------------------------------------------------------------------------------------------
# Execution


def _check_endpoint(endpoint: str) -> str:
    parts = urlsplit(endpoint.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"\s", endpoint.strip()):
        raise QueryError(f"endpoint must be an http:// or https:// URL, got {endpoint!r}")
    return endpoint.strip()


@contextmanager
def _open_local(store_path: Path):
    """The pyoxigraph dataset of a build folder (``DIR/oxigraph``), read-only.

    A folder the store module built is opened through ``GraphStore(read_only=True)``, which holds the
    shared lock so a concurrent build cannot rewrite the data under the query; a bare ``DIR/oxigraph``
    without a manifest is opened read-only directly.
    """
    import pyoxigraph

    folder = Path(store_path)
    data = folder / "oxigraph"
    if not data.is_dir():
        raise QueryError(f"no anttkg store at {folder} (expected {data}); build one first")
    try:
        from .store import GraphStore, StoreError, is_store
    except ImportError:  # the store module is optional for querying
        GraphStore = None
    if GraphStore is not None and is_store(folder):
        try:
            graph_store = GraphStore(folder, read_only=True)
        except StoreError as exc:
            raise QueryError(str(exc)) from exc
        try:
            yield graph_store.oxigraph
        finally:
            graph_store.close()
        return
    try:
        dataset = pyoxigraph.Store.read_only(str(data))
    except OSError as exc:
        raise QueryError(f"cannot open the store at {data}: {exc}") from exc
    yield dataset


def _lexical(term) -> str | None:
    if term is None:
        return None
    import pyoxigraph

    if isinstance(term, pyoxigraph.BlankNode):
        return "_:" + term.value
    value = getattr(term, "value", None)
    return value if isinstance(value, str) else str(term)


def _run_local(store, query: CannedQuery, text: str, bound: dict[str, tuple[str, str]],
               binding: str) -> QueryResult:
    import pyoxigraph

    substitutions = None
    if binding == "substitutions":
        substitutions = {pyoxigraph.Variable(name): _oxigraph_term(kind, value)
                         for name, (kind, value) in bound.items()} or None
    else:
        text = bind_values(text, bound)
    try:
        solutions = store.query(text, substitutions=substitutions)
    except SyntaxError as exc:
        raise QueryError(f"query {query.name!r} is not valid SPARQL: {exc}") from exc
    except RuntimeError as exc:
        if "projection" in str(exc):
            raise QueryError(f"query {query.name!r}: every parameter must be a projected variable "
                             f"({exc})") from exc
        raise
    if not isinstance(solutions, pyoxigraph.QuerySolutions):
        raise QueryError(f"query {query.name!r} is not a SELECT query")
    columns = [v.value for v in solutions.variables]
    rows = [[_lexical(solution[i]) for i in range(len(columns))] for solution in solutions]
    return QueryResult(columns=columns, rows=rows)


def _sort_joined(result: QueryResult, joined: tuple[str, ...]) -> QueryResult:
    indexes = [i for i, column in enumerate(result.columns) if column in joined]
    if not indexes:
        return result
    rows = []
    for row in result.rows:
        row = list(row)
        for i in indexes:
            if row[i]:
                parts = sorted({part for part in row[i].split(LIST_SEPARATOR) if part})
                row[i] = LIST_SEPARATOR.join(parts)
        rows.append(row)
    return QueryResult(columns=list(result.columns), rows=rows)


def run_query(name_or_file: str | Path, *, store_path: Path | str | None = None, endpoint: str | None = None,
              params: dict[str, str] | None = None, store=None, binding: str = "values") -> QueryResult:
    """Run a canned query (by name) or a query file (a path ending in .rq).

    Exactly one target: ``store_path`` (a local build folder, opened read-only), ``store`` (an open
    pyoxigraph store), or ``endpoint`` (an http(s) SPARQL endpoint).

    ``binding`` chooses how parameters reach a local store: ``"values"`` (default) opens the WHERE group
    with a VALUES block of escaped terms, as for endpoints; ``"substitutions"`` uses pyoxigraph
    substitutions. Both bind RDF terms and give the same rows, but pyoxigraph 0.5 plans the query before
    applying substitutions, so a lookup by name turns into a scan of every name (seconds instead of
    milliseconds on a 35,000-article store); VALUES are visible to the planner.
    """
    if binding not in ("values", "substitutions"):
        raise QueryError(f"binding must be 'values' or 'substitutions', not {binding!r}")
    targets = [t for t in (store_path, endpoint, store) if t is not None]
    if len(targets) != 1:
        raise QueryError("give exactly one of store_path, store or endpoint")
    query = get_query(name_or_file)
    bound = convert_params(query, params)
    text = query.text
    if endpoint is not None:
        url = _check_endpoint(endpoint)
        from . import remote  # written separately; imported only when a remote query is asked for

        result = remote.select(url, bind_values(text, bound))
    else:
        if store is not None:
            result = _run_local(store, query, text, bound, binding)
        else:
            with _open_local(Path(store_path)) as local:
                result = _run_local(local, query, text, bound, binding)
    return _sort_joined(result, query.joined)
