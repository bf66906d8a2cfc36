"""The read-only SPARQL 1.1 Protocol endpoint: queries run in a worker process with a timeout and a row limit.

pyoxigraph has no query timeout, and a query evaluating in Rust cannot be interrupted from Python, so each
query runs in a separate worker process that opens the store read-only; a query that outlives the timeout
has its worker killed (and replaced on the next query), so one query cannot hang the server. Only queries
are parsed (``Store.query`` rejects update syntax), and the store is open read-only besides.

The default graph of a query is the union of all graphs unless the request names ``default-graph-uri``s.
"""
from __future__ import annotations

import csv
import io
import json
import multiprocessing
import queue
import threading
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

from ..vocab import XSD

XSD_STRING = XSD + "string"

# format name -> media type
SOLUTION_FORMATS = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
GRAPH_FORMATS = {
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
}
ALIASES = {"application/json": "json", "text/json": "json", "application/xml": "xml", "text/xml": "xml",
           "text/plain": "ntriples"}


@dataclass
class SparqlAnswer:
    status: int
    media_type: str
    body: bytes
    truncated: bool = False
    kind: str = ""  # select | ask | graph | error
    headers: dict[str, str] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------
# Serialisers (run in the worker)


def _json_term(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}  # quoted triples: their N-Triples text


def _xml_term(term) -> str:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _plain(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return getattr(term, "value", str(term))


def write_solutions(variables: list[str], rows: list[list], fmt: str) -> bytes:
    if fmt == "json":
        bindings = [{v: _json_term(t) for v, t in zip(variables, row) if t is not None} for row in rows]
        return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                          ensure_ascii=False).encode("utf-8")
    if fmt == "xml":
        out = ['<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">',
               "<head>", *(f"<variable name={quoteattr(v)}/>" for v in variables), "</head><results>"]
        for row in rows:
            out.append("<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                            for v, t in zip(variables, row) if t is not None) + "</result>")
        out.append("</results></sparql>\n")
        return "\n".join(out).encode("utf-8")
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180, as the SPARQL CSV format asks
        writer.writerow(variables)
        for row in rows:
            writer.writerow([_plain(t) for t in row])
        return buffer.getvalue().encode("utf-8")
    if fmt == "tsv":
        # Terms in their N-Triples form (which escapes tabs and newlines inside literals).
        lines = ["\t".join("?" + v for v in variables)]
        lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    raise ValueError(fmt)


def write_boolean(value: bool, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps({"head": {}, "boolean": value}).encode()
    if fmt == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return ("true\n" if value else "false\n").encode()


def write_triples(triples: list, fmt: str) -> bytes:
    import pyoxigraph as ox

    from ..vocab import PREFIXES

    formats = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
    prefixes = PREFIXES if fmt in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=formats[fmt], prefixes=prefixes) if triples or fmt != "jsonld" \
        else b"[]"


def execute(store, query: str, solution_format: str, graph_format: str, limit: int,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> SparqlAnswer:
    """Evaluate one query on an open store; at most ``limit`` solutions or triples are written."""
    import pyoxigraph as ox

    options = {}
    if default_graphs:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    else:
        options["use_default_graph_as_union"] = True
    if named_graphs:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    try:
        result = store.query(query, **options)
    except SyntaxError as err:
        return SparqlAnswer(400, "text/plain; charset=utf-8", f"SPARQL syntax error: {err}".encode(), kind="error")
    except (ValueError, OSError, RuntimeError) as err:
        return SparqlAnswer(400, "text/plain; charset=utf-8", f"query failed: {err}".encode(), kind="error")
    try:
        if isinstance(result, ox.QueryBoolean):
            return SparqlAnswer(200, SOLUTION_FORMATS[solution_format], write_boolean(bool(result), solution_format),
                                kind="ask")
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows, truncated = [], False
            for solution in result:
                if len(rows) >= limit:
                    truncated = True
                    break
                rows.append([solution[v] for v in variables])
            return SparqlAnswer(200, SOLUTION_FORMATS[solution_format],
                                write_solutions(variables, rows, solution_format), truncated, "select")
        triples, truncated = [], False
        for triple in result:
            if len(triples) >= limit:
                truncated = True
                break
            triples.append(triple)
        return SparqlAnswer(200, GRAPH_FORMATS[graph_format], write_triples(triples, graph_format), truncated,
                            "graph")
    except (ValueError, OSError, RuntimeError) as err:
        return SparqlAnswer(500, "text/plain; charset=utf-8", f"query evaluation failed: {err}".encode(),
                            kind="error")


def _worker_main(conn, data_path: str) -> None:
    import pyoxigraph as ox

    store = ox.Store.read_only(data_path)
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        if request is None:
            return
        conn.send(execute(store, **request))


# ---------------------------------------------------------------------------------------------------------
# The service the web application calls


class _Worker:
    def __init__(self, context, data_path: str):
        self._context, self._data_path = context, data_path
        self.process = None
        self.conn = None

    def ensure(self) -> None:
        if self.process is not None and self.process.is_alive():
            return
        parent, child = self._context.Pipe()
        self.process = self._context.Process(target=_worker_main, args=(child, self._data_path), daemon=True,
                                             name="anttkg-sparql")
        self.process.start()
        child.close()
        self.conn = parent

    def kill(self) -> None:
        if self.process is not None and self.process.is_alive():
            self.process.kill()
            self.process.join(5)
        if self.conn is not None:
            self.conn.close()
        self.process = self.conn = None

    def stop(self) -> None:
        if self.process is not None and self.process.is_alive():
            try:
                self.conn.send(None)
                self.process.join(2)
            except (OSError, BrokenPipeError):
                pass
        self.kill()


class SparqlService:
    """Runs queries in ``workers`` worker processes over the store's dataset folder."""

    def __init__(self, data_path: str, *, timeout: float = 10.0, limit: int = 10_000, workers: int = 1):
        self.timeout, self.limit = timeout, limit
        context = multiprocessing.get_context("spawn")  # no fork of a process holding RocksDB and threads
        self._all = [_Worker(context, str(data_path)) for _ in range(workers)]
        self._free: queue.Queue[_Worker] = queue.Queue()
        for worker in self._all:
            self._free.put(worker)
        self._closed = threading.Event()

    def start(self) -> None:
        """Start the worker processes now (otherwise the first query starts them)."""
        for worker in self._all:
            worker.ensure()

    def run(self, query: str, *, solution_format: str = "json", graph_format: str = "turtle",
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None) -> SparqlAnswer:
        if self._closed.is_set():
            return SparqlAnswer(503, "text/plain; charset=utf-8", b"the server is shutting down", kind="error")
        try:
            worker = self._free.get(timeout=self.timeout)
        except queue.Empty:
            return SparqlAnswer(503, "text/plain; charset=utf-8",
                                b"all query workers are busy; try again later", kind="error")
        try:
            worker.ensure()
            worker.conn.send({"query": query, "solution_format": solution_format, "graph_format": graph_format,
                              "limit": self.limit, "default_graphs": default_graphs, "named_graphs": named_graphs})
            if worker.conn.poll(self.timeout):
                answer = worker.conn.recv()
                if answer.truncated:
                    answer.headers["X-Anttkg-Result-Limit"] = str(self.limit)
                return answer
            worker.kill()  # the next query starts a fresh worker
            return SparqlAnswer(503, "text/plain; charset=utf-8",
                                f"the query did not finish within {self.timeout:g} s and was stopped".encode(),
                                kind="error", headers={"Retry-After": "1"})
        except (EOFError, OSError, BrokenPipeError) as err:
            worker.kill()
            return SparqlAnswer(500, "text/plain; charset=utf-8", f"the query worker failed: {err}".encode(),
                                kind="error")
        finally:
            self._free.put(worker)

    def stop_workers(self) -> None:
        """Stop the idle workers (the caller makes sure none is answering): each opened the dataset as it
        was, and the next query starts a fresh one that sees the store as it is now."""
        for worker in self._all:
            worker.stop()

    def close(self) -> None:
        self._closed.set()
        for worker in self._all:
            worker.stop()
