"""SHACL validation of article graphs against ontology/shapes.ttl (pyshacl, no inference).

An article graph is validated on its own. Many article graphs are validated a batch at a time: each
article's IRIs are given a batch-private prefix so that the graphs stay disjoint inside one rdflib Graph
(shared people and bodies would otherwise pool the facts of several articles and trip max counts), one
pyshacl run checks the whole batch, and every result is mapped back to its article through the prefix of
its focus node. pyshacl's fixed cost per run is thereby paid once per batch instead of once per article.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from .resources import ontology_dir
from .vocab import ANTT

# Articles per pyshacl run. Larger batches amortise pyshacl's fixed cost; past a few hundred small graphs
# the gain levels off while memory per worker keeps growing.
BATCH_SIZE = 200

_BATCH_PREFIX = "urn:anttkg-batch:"
_BATCH_IRI = re.compile(r"urn:anttkg-batch:(\d+):")
_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}


@dataclass(frozen=True, order=True)
class Violation:
    """One SHACL result, mapped back to the article whose graph produced it."""

    article_id: str
    focus_node: str  # IRI (or literal text) of the node that failed
    path: str  # IRI of the property checked; "" for node-level constraints
    message: str
    severity: str  # "Violation" | "Warning" | "Info"
    shape: str  # IRI of the node shape that holds the failed constraint


@dataclass(frozen=True)
class _Shapes:
    graph: Graph
    owner: dict  # property shape node -> the node shape that lists it (sh:property)


@lru_cache(maxsize=1)
def _shapes() -> _Shapes:
    """The shapes graph, parsed once per process."""
    graph = Graph()
    graph.parse(ontology_dir() / "shapes.ttl", format="turtle")
    owner = {prop: node for node, prop in graph.subject_objects(SH.property)}
    return _Shapes(graph, owner)


def _unbatch(text: str) -> str:
    return _BATCH_IRI.sub("", text)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _add_article(graph: Graph, index: int, nquads: str, vocabulary_subjects: dict) -> None:
    """Parse one article's N-Quads (all of its graphs) into ``graph`` under batch-private IRIs.

    Every IRI in subject or object position is prefixed, except ontology terms (classes, concept schemes)
    and the objects of rdf:type, so the article's nodes cannot meet another article's. Ontology terms used
    as subjects are noted in ``vocabulary_subjects`` (term -> article indexes) to map their results back.
    pyoxigraph parses (several times faster than rdflib's N-Quads parser); the terms are then rebuilt as
    rdflib terms."""
    prefix = f"{_BATCH_PREFIX}{index}:"
    iris: dict[str, URIRef] = {}
    plain: dict[str, URIRef] = {}

    def private(value: str) -> URIRef:
        term = iris.get(value)
        if term is None:
            term = URIRef(value) if value.startswith(ANTT) else URIRef(prefix + value)
            iris[value] = term
        return term

    def node(term):
        if isinstance(term, ox.NamedNode):
            return private(term.value)
        if isinstance(term, ox.BlankNode):
            return BNode(f"b{index}x{term.value}")
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=datatype)

    quads = list(ox.parse(nquads, format=ox.RdfFormat.N_QUADS))  # all or nothing: a broken input adds none
    for quad in quads:
        predicate = plain.get(quad.predicate.value)
        if predicate is None:
            predicate = plain[quad.predicate.value] = URIRef(quad.predicate.value)
        if predicate == RDF.type and isinstance(quad.object, ox.NamedNode):
            obj = URIRef(quad.object.value)
        else:
            obj = node(quad.object)
        subject = node(quad.subject)
        if not str(subject).startswith(_BATCH_PREFIX) and isinstance(subject, URIRef):
            vocabulary_subjects.setdefault(subject, set()).add(index)
        graph.add((subject, predicate, obj))


def _path_text(report: Graph, path) -> str:
    """A property IRI, or a sequence path as its IRIs joined by '/'; "" for none or other paths."""
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):
        steps = list(report.items(path))
        if steps and all(isinstance(step, URIRef) for step in steps):
            return "/".join(str(step) for step in steps)
    return ""


_BATCH_BNODE = re.compile(r"b(\d+)x")


def _article_indexes(focus, vocabulary_subjects: dict) -> list[int]:
    """Which articles of the batch a result's focus node belongs to."""
    match = None
    if isinstance(focus, URIRef):
        match = _BATCH_IRI.match(str(focus))
    elif isinstance(focus, BNode):
        match = _BATCH_BNODE.match(str(focus))
    if match is not None:
        return [int(match.group(1))]
    # An ontology term described in article graphs: charged to every article that describes it.
    return sorted(vocabulary_subjects.get(focus, ()))


def _node_text(node) -> str:
    return "" if node is None else str(node)


def _validate_batch(items: list[tuple[str, str]]) -> list[Violation]:
    """Validate a list of (article_id, nquads) in one pyshacl run."""
    from pyshacl import validate as shacl_validate  # heavy import, only where validation runs

    shapes = _shapes()
    data = Graph()
    violations: list[Violation] = []
    vocabulary_subjects: dict = {}
    for index, (article_id, nquads) in enumerate(items):
        try:
            _add_article(data, index, nquads, vocabulary_subjects)
        except Exception as error:  # noqa: BLE001 - any parser error is reported, not raised
            violations.append(Violation(article_id, "", "", f"N-Quads do not parse: {error}", "Violation",
                                        ""))
    if len(data) == 0:
        return sorted(violations)

    try:
        _conforms, report, _text = shacl_validate(data, shacl_graph=shapes.graph, inference="none",
                                                  advanced=False, inplace=True, allow_warnings=True)
    except Exception as error:  # noqa: BLE001 - a validator crash must not stop a build
        if len(items) > 1:  # find the article(s) that make it fail; the others are still checked
            for item in items:
                violations.extend(_validate_batch([item]))
            return sorted(set(violations))
        return sorted(set(violations) | {Violation(items[0][0], "", "", f"SHACL validation failed: {error!r}",
                                                   "Violation", "")})
    for result in report.subjects(RDF.type, SH.ValidationResult):
        focus = report.value(result, SH.focusNode)
        article_ids = [items[index][0] for index in _article_indexes(focus, vocabulary_subjects)]
        source = report.value(result, SH.sourceShape)
        shape = shapes.owner.get(source, source)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        message = _unbatch("; ".join(messages)) or _node_text(report.value(result, SH.sourceConstraintComponent))
        value = report.value(result, SH.value)
        if value is not None and not isinstance(value, BNode) and str(value) not in message:
            message = f"{message} (value: {_unbatch(str(value))})"
        path = _path_text(report, report.value(result, SH.resultPath))
        for article_id in article_ids:
            violations.append(Violation(
                article_id=article_id,
                focus_node=_unbatch(str(focus)) if not isinstance(focus, BNode) else "",
                path=path,
                message=message,
                severity=_SEVERITIES.get(report.value(result, SH.resultSeverity), "Violation"),
                shape=str(shape) if isinstance(shape, URIRef) else "",
            ))
    return sorted(set(violations))


def validate_nquads(article_id: str, nquads: str) -> list[Violation]:
    """SHACL results for one article's N-Quads (empty when the graph conforms), sorted."""
    return _validate_batch([(article_id, nquads)])


def _batches(items: Iterable[tuple[str, str]], size: int) -> Iterator[list[tuple[str, str]]]:
    batch: list[tuple[str, str]] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def validate_many(items: Iterable[tuple[str, str]], workers: int | None = os.cpu_count(),
                  batch_size: int = BATCH_SIZE) -> list[Violation]:
    """SHACL results for many (article_id, nquads) pairs, validated in parallel batches; sorted.

    ``items`` is consumed lazily, a bounded number of batches in flight, so it may be a generator over
    tens of thousands of articles. The result does not depend on ``workers`` or ``batch_size``."""
    workers = max(1, workers or 1)
    batches = _batches(items, max(1, batch_size))
    first = next(batches, None)
    second = next(batches, None) if first is not None else None
    if first is None:
        return []
    if second is None:  # one batch: starting worker processes would cost more than it saves
        return _validate_batch(first)
    violations: list[Violation] = []
    if workers == 1:
        for batch in itertools.chain([first, second], batches):
            violations.extend(_validate_batch(batch))
        return sorted(violations)

    # forkserver, not fork: callers such as the build hold an open store with its own threads, which a
    # forked child must not inherit.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = set()
        for batch in itertools.chain([first, second], batches):
            pending.add(pool.submit(_validate_batch, batch))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    violations.extend(future.result())
        for future in pending:
            violations.extend(future.result())
    return sorted(violations)
