"""SHACL validation compiled to SPARQL and run inside pyoxigraph: a fast engine with pyshacl's results.

pyshacl (``anttkg.validate``) stays the reference. This module reads the same shapes file with rdflib and
compiles every constraint to SPARQL patterns evaluated by pyoxigraph on a store of article graphs. Each
article named graph is validated on its own: every pattern sits inside ``GRAPH ?g { ... }``, so nodes that
several articles share (people, bodies) never pool their facts across graphs.

How a shape becomes queries:
- a node shape's targets give ``?f`` (the focus node); each of its property shapes adds one branch per kind
  of check to a UNION, and the whole node shape is one SELECT returning ``?g ?f ?k ?v`` (``?k`` lists the
  ids of the failed checks, ``?v`` the value node where the check is per value);
- per-value constraints (datatype, class, pattern, sh:or, sh:node, sh:not, ...) compile to one total SPARQL
  boolean expression "the value conforms" (errors folded to false, as pyshacl fails a value it cannot
  compare), so all of a path's value checks share one pass over the values;
- per-focus constraints (counts, sh:hasValue, sh:uniqueLang, qualified counts) compile to (NOT) EXISTS.

Only the constraint components listed in ``_SUPPORTED`` compile; any other ``sh:`` term in the shapes file
raises ``UnsupportedShape`` naming it, so a new shape cannot be skipped silently. Where pyshacl's behaviour
differs from the SHACL specification (literal datatypes judged by rdflib, regular expressions by Python's
``re``), the compiled SPARQL follows pyshacl.
"""
from __future__ import annotations

import re
import urllib.parse
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection as RdfList
from rdflib.namespace import RDF, RDFS, SH, XSD

from .resources import ontology_dir
from .validate import Violation
from .vocab import ANTT, DCTERMS, ID

__all__ = ["CompiledShapes", "UnsupportedShape", "Violation", "compile_shapes", "validate_nquads_items",
           "validate_store"]

ARTICLE_GRAPH_PREFIX = ID + "article/"
ARTICLE_CLASS = ANTT + "Article"
# Articles loaded per in-memory store by validate_nquads_items: bounds memory, keeps queries large.
CHUNK_SIZE = 5000
# Graph IRIs bound per query when looking up article ids.
GRAPHS_PER_QUERY = 500

_SH = str(SH)
_OWL_CLASS = URIRef("http://www.w3.org/2002/07/owl#Class")

# Parameters of the constraint components this compiler implements. Everything else in the sh: namespace
# is refused (annotations that do not validate are allowed: see _ANNOTATIONS).
_VALUE_PARAMS = {"datatype", "class", "nodeKind", "minLength", "maxLength", "pattern", "flags", "in",
                 "hasValue", "languageIn", "minInclusive", "maxInclusive", "minExclusive", "maxExclusive",
                 "or", "not", "node"}
_FOCUS_PARAMS = {"minCount", "maxCount", "uniqueLang", "qualifiedValueShape", "qualifiedMinCount",
                 "qualifiedMaxCount", "lessThan", "lessThanOrEquals"}
_SHAPE_PARAMS = {"targetClass", "property", "path", "message", "severity", "deactivated"}
_ANNOTATIONS = {"name", "description", "order", "group", "defaultValue"}
_SUPPORTED = _VALUE_PARAMS | _FOCUS_PARAMS | _SHAPE_PARAMS | _ANNOTATIONS

_SEVERITIES = {SH.Violation: "Violation", SH.Warning: "Warning", SH.Info: "Info"}

# Which literals pyshacl accepts for a datatype: rdflib must read the lexical form (rdflib builds the value
# with Python's int(), Decimal(), date.fromisoformat()); datatypes rdflib has no value type for pass on
# the datatype IRI alone. A datatype outside this table is refused: its check would not match pyshacl's.
_LEXICAL_CHECKS = {
    XSD.string: None,
    XSD.anyURI: None,
    XSD.gYear: None,
    XSD.gYearMonth: None,
    XSD.gMonthDay: None,
    XSD.integer: 'REGEX(STR({v}), "^[\\\\s\\\\x1C-\\\\x1F]*[+-]?\\\\d+(?:_\\\\d+)*[\\\\s\\\\x1C-\\\\x1F]*$")',
    XSD.decimal: ('REGEX(STR({v}), "^[\\\\s\\\\x1C-\\\\x1F]*[+-]?(?:(?:\\\\d+(?:_\\\\d+)*(?:\\\\.(?:\\\\d+(?:_\\\\d+)*)?)?'
                  '|\\\\.\\\\d+(?:_\\\\d+)*)(?:[eE][+-]?\\\\d+(?:_\\\\d+)*)?|inf(?:inity)?|s?nan\\\\d*)'
                  '[\\\\s\\\\x1C-\\\\x1F]*$", "i")'),
    XSD.date: ('(REGEX(STR({v}), "^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}(?:[Zz]|[+-][0-9]{{2}}:[0-9]{{2}})?$")'
               ' && COALESCE(isLiteral(<http://www.w3.org/2001/XMLSchema#date>(SUBSTR(STR({v}), 1, 10))), false))'),
}


class UnsupportedShape(ValueError):
    """The shapes use a SHACL feature this compiler does not implement (the message names it)."""


@dataclass(frozen=True)
class Check:
    """One constraint of one property (or node) shape, as reported when it fails."""

    shape: str  # IRI of the node shape holding the constraint ("" for a blank node shape)
    path: str  # property IRI, a sequence path as IRIs joined by '/', "" for node-level constraints
    message: str  # sh:message of the shape, or a generic message like pyshacl's
    severity: str
    per_value: bool  # the result names a value node (sh:value); counts and the like do not


@dataclass(frozen=True)
class CompiledShapes:
    """The shapes as SPARQL: one query per target node shape, and the checks its ``?k`` ids refer to."""

    source: str
    queries: tuple[str, ...]  # with the placeholders {types} (rdf:type path) and {graphs} (graph binding)
    checks: tuple[Check, ...]
    # The target classes of each query: every branch of a query starts from (or ends in) a focus node typed
    # with one of them, so a store without any instance of these classes gets no row from it.
    targets: tuple[tuple[str, ...], ...] = ()

    def render(self, query: str, *, subclasses: bool, graphs: str) -> str:
        types = "<%s>/<%s>*" % (RDF.type, RDFS.subClassOf) if subclasses else "<%s>" % RDF.type
        return query.replace("{types}", types).replace("{graphs}", graphs)


# ---------------------------------------------------------------------------------------------------------
# Compilation
# ---------------------------------------------------------------------------------------------------------

def _iri(term) -> str:
    return "<%s>" % term


def _sparql_string(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
               .replace("\t", "\\t"))
    return '"%s"' % escaped


def _term(term) -> str:
    """An rdflib term as SPARQL syntax."""
    if isinstance(term, URIRef):
        return _iri(term)
    if isinstance(term, Literal):
        if term.language:
            return "%s@%s" % (_sparql_string(str(term)), term.language)
        if term.datatype is None:
            return _sparql_string(str(term))
        return "%s^^<%s>" % (_sparql_string(str(term)), term.datatype)
    raise UnsupportedShape(f"blank node {term} used as a constraint value")


# Python-only or differently meaning constructs: \w \b (Unicode classes differ), back references, and any
# "(?" group other than (?:...) and (?P<name>...) (lookaround, inline flags, comments).
_PY_ONLY = re.compile(r"\\[wWbB1-9]|\(\?(?!:|P<)")


def translate_pattern(pattern: str, multiline: bool) -> str:
    """A Python ``re.search`` pattern rewritten for oxigraph's REGEX (Rust ``regex``), same matches.

    Differences handled: Python's ``$`` (without re.M) also matches before a final newline; Python's
    ``\\s`` also matches U+001C..U+001F. Constructs whose meaning differs or that Rust lacks (``\\w``,
    ``\\b``, lookaround, back references) raise UnsupportedShape."""
    if _PY_ONLY.search(pattern):
        raise UnsupportedShape(f"sh:pattern {pattern!r}: lookaround, back references, \\w and \\b are not "
                               "translated to SPARQL")
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == "\\" and i + 1 < len(pattern):
            escape = pattern[i + 1]
            i += 2
            if escape == "s":
                out.append("\\s\\x1C-\\x1F" if in_class else "[\\s\\x1C-\\x1F]")
            elif escape == "S":
                if in_class:
                    raise UnsupportedShape(f"sh:pattern {pattern!r}: \\S inside a character class")
                out.append("[^\\s\\x1C-\\x1F]")
            elif escape == "Z":
                out.append("\\z")
            else:
                out.append("\\" + escape)
            continue
        if in_class:
            if char == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
            out.append(char)
        elif char == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
                continue
            out.append("[")
        elif char == "$" and not multiline:
            out.append("(?:\\n?\\z)")
        else:
            out.append(char)
        i += 1
    return "".join(out)


class _Compiler:
    def __init__(self, graph: Graph, source: str):
        self.g = graph
        self.source = source
        self.checks: list[Check] = []
        self._validated_regex: set[str] = set()

    # -- helpers -----------------------------------------------------------------------------------------
    def values(self, node, name: str) -> list:
        return sorted(self.g.objects(node, SH[name]), key=lambda t: (type(t).__name__, str(t)))

    def one(self, node, name: str):
        found = self.values(node, name)
        if len(found) > 1:
            raise UnsupportedShape(f"{self.show(node)} has {len(found)} values of sh:{name}; one is supported")
        return found[0] if found else None

    def items(self, node, name: str) -> list:
        head = self.one(node, name)
        if head is None:
            return []
        try:
            return list(RdfList(self.g, head))
        except Exception as error:  # noqa: BLE001 - a malformed list is a shapes error
            raise UnsupportedShape(f"sh:{name} of {self.show(node)} is not an RDF list: {error}") from None

    def show(self, node) -> str:
        if isinstance(node, URIRef):
            try:
                return self.g.namespace_manager.normalizeUri(node)
            except Exception:  # noqa: BLE001 - fall back to the full IRI
                return "<%s>" % node
        if isinstance(node, Literal):
            return repr(str(node))
        return "a blank node shape"

    def deactivated(self, node) -> bool:
        flag = self.one(node, "deactivated")
        return isinstance(flag, Literal) and flag.value is True

    def message(self, node, generic: str) -> str:
        messages = sorted(str(m) for m in self.g.objects(node, SH.message))
        return "; ".join(messages) or generic

    def severity(self, node) -> str:
        value = self.one(node, "severity")
        if value is None:
            return "Violation"
        if value not in _SEVERITIES:
            raise UnsupportedShape(f"sh:severity {value} of {self.show(node)}")
        return _SEVERITIES[value]

    def integer(self, node, name: str) -> int | None:
        value = self.one(node, name)
        if value is None:
            return None
        if not isinstance(value, Literal) or not isinstance(value.value, int) or value.value < 0:
            raise UnsupportedShape(f"sh:{name} of {self.show(node)} must be a non-negative integer")
        return value.value

    def check_terms(self) -> None:
        """Refuse any sh: term the compiler does not implement, wherever it occurs."""
        for subject, predicate in sorted(set(self.g.subject_predicates()), key=str):
            if not str(predicate).startswith(_SH):
                continue
            name = str(predicate)[len(_SH):]
            if name in ("first", "rest"):
                continue
            if name not in _SUPPORTED:
                raise UnsupportedShape(f"SHACL constraint component or target sh:{name} (on "
                                       f"{self.show(subject)}) is not supported by the SPARQL compiler")

    # -- paths -------------------------------------------------------------------------------------------
    def path(self, node) -> tuple[str, str]:
        """(SPARQL property path, path text as pyshacl results name it)."""
        path = self.one(node, "path")
        if isinstance(path, URIRef):
            return _iri(path), str(path)
        if isinstance(path, BNode):
            if (path, RDF.first, None) in self.g:
                steps = list(RdfList(self.g, path))
                if len(steps) >= 2 and all(isinstance(step, URIRef) for step in steps):
                    return "/".join(_iri(s) for s in steps), "/".join(str(s) for s in steps)
            kinds = sorted(str(p)[len(_SH):] for p in self.g.predicates(path) if str(p).startswith(_SH))
            raise UnsupportedShape(f"path of {self.show(node)}: only predicate and sequence paths are "
                                   f"supported (found {', '.join('sh:' + k for k in kinds) or 'an RDF list'})")
        raise UnsupportedShape(f"sh:path of {self.show(node)} is missing or not a path")

    # -- value expressions ---------------------------------------------------------------------------------
    def regex(self, node, v: str) -> str:
        patterns = self.values(node, "pattern")
        flags = self.one(node, "flags")
        flag_text = str(flags).lower() if flags is not None else ""
        multiline = "m" in flag_text
        rust_flags = ("i" if "i" in flag_text else "") + ("m" if multiline else "")
        parts = []
        for pattern in patterns:
            if not isinstance(pattern, Literal):
                raise UnsupportedShape(f"sh:pattern of {self.show(node)} must be a literal")
            try:
                re.compile(str(pattern))
            except re.error as error:
                raise UnsupportedShape(f"sh:pattern {str(pattern)!r} does not compile: {error}") from None
            translated = _sparql_string(translate_pattern(str(pattern), multiline))
            self._assert_regex(translated, rust_flags, str(pattern))
            args = f"STR({v}), {translated}" + (f", {_sparql_string(rust_flags)}" if rust_flags else "")
            parts.append(f"(!isBlank({v}) && REGEX({args}))")
        return " && ".join(parts)

    def _assert_regex(self, literal: str, flags: str, original: str) -> None:
        """oxigraph drops a pattern it cannot compile as an expression error (a silent pass): catch it here."""
        key = literal + "\x00" + flags
        if key in self._validated_regex:
            return
        flag_arg = f", {_sparql_string(flags)}" if flags else ""
        solutions = list(ox.Store().query(f'SELECT (REGEX("", {literal}{flag_arg}) AS ?ok) {{}}'))
        if not solutions or solutions[0]["ok"] is None:
            raise UnsupportedShape(f"sh:pattern {original!r} is not accepted by oxigraph's REGEX")
        self._validated_regex.add(key)

    def datatype(self, datatype, v: str) -> str:
        if datatype == RDF.langString:
            return f'(isLiteral({v}) && LANG({v}) != "")'
        if datatype not in _LEXICAL_CHECKS:
            raise UnsupportedShape(f"sh:datatype {self.show(datatype)}: no lexical check matching pyshacl")
        test = f"(isLiteral({v}) && sameTerm(DATATYPE({v}), {_iri(datatype)}))"
        lexical = _LEXICAL_CHECKS[datatype]
        return test if lexical is None else f"({test} && {lexical.format(v=v)})"

    def conforms(self, node, v: str, *, nested: bool) -> str:
        """A SPARQL expression, never an error, true when value ``v`` conforms to the value-level
        constraints of shape ``node`` (all of them when ``nested``, the shape is then a whole shape)."""
        if nested:
            extra = {str(p)[len(_SH):] for p in self.g.predicates(node) if str(p).startswith(_SH)}
            extra -= _VALUE_PARAMS | _ANNOTATIONS | {"message", "severity", "deactivated"}
            if extra:
                raise UnsupportedShape(f"{self.show(node)} is used as a value shape (sh:node, sh:not, sh:or, "
                                       f"sh:qualifiedValueShape) but has {', '.join(sorted('sh:' + e for e in extra))}")
            if self.deactivated(node):
                return "true"
        return " && ".join(part for part, _ in self.value_parts(node, v)) or "true"

    def value_parts(self, node, v: str) -> list[tuple[str, str]]:
        """(conforms expression, generic failure message) for each value-level constraint of ``node``.
        Each expression is wrapped in COALESCE: an expression error must fail the value, never drop it."""
        return [(f"COALESCE({expression}, false)", message) for expression, message in self._value_parts(node, v)]

    def _value_parts(self, node, v: str) -> list[tuple[str, str]]:
        parts: list[tuple[str, str]] = []
        datatype = self.one(node, "datatype")
        if datatype is not None:
            parts.append((self.datatype(datatype, v), f"Value is not Literal with datatype {self.show(datatype)}"))
        for cls in self.values(node, "class"):
            parts.append((f"(!isLiteral({v}) && EXISTS {{ {v} {{types}} {_iri(cls)} }})",
                          f"Value does not have class {self.show(cls)}"))
        kind = self.one(node, "nodeKind")
        if kind is not None:
            tests = {SH.IRI: "isIRI({v})", SH.BlankNode: "isBlank({v})", SH.Literal: "isLiteral({v})",
                     SH.BlankNodeOrIRI: "!isLiteral({v})", SH.BlankNodeOrLiteral: "!isIRI({v})",
                     SH.IRIOrLiteral: "!isBlank({v})"}
            if kind not in tests:
                raise UnsupportedShape(f"sh:nodeKind {kind}")
            parts.append((tests[kind].format(v=v), f"Value is not of Node Kind {self.show(kind)}"))
        low = self.integer(node, "minLength")
        if low:
            parts.append((f"(!isBlank({v}) && STRLEN(STR({v})) >= {low})", f"String length not >= {low}"))
        high = self.integer(node, "maxLength")
        if high is not None:
            parts.append((f"(!isBlank({v}) && STRLEN(STR({v})) <= {high})", f"String length not <= {high}"))
        if self.values(node, "pattern"):
            shown = ", ".join(repr(str(p)) for p in self.values(node, "pattern"))
            parts.append((self.regex(node, v), f"Value does not match pattern {shown}"))
        members = self.items(node, "in")
        if members:
            parts.append((" || ".join(f"sameTerm({v}, {_term(m)})" for m in members),
                          f"Value not in list {[self.show(m) for m in members]}"))
        if self.one(node, "path") is None:  # on a property shape sh:hasValue is a per-focus constraint
            for value in self.values(node, "hasValue"):
                parts.append((f"sameTerm({v}, {_term(value)})", f"Value is not {self.show(value)}"))
        languages = self.items(node, "languageIn")
        if languages:
            wanted = ", ".join(_sparql_string(str(lang).lower()) for lang in languages)
            lang = f"LCASE(LANG({v}))"
            if any(str(lang_) == "*" for lang_ in languages):
                parts.append((f'(isLiteral({v}) && LANG({v}) != "")', "String language is not in (*)"))
            else:
                parts.append((f'(isLiteral({v}) && LANG({v}) != "" && ({lang} IN ({wanted}) || '
                              f'STRBEFORE(CONCAT({lang}, "-"), "-") IN ({wanted})))',
                              f"String language is not in {[str(x) for x in languages]}"))
        for name, operator in (("minInclusive", ">="), ("maxInclusive", "<="), ("minExclusive", ">"),
                               ("maxExclusive", "<")):
            for bound in self.values(node, name):
                if not isinstance(bound, Literal):
                    raise UnsupportedShape(f"sh:{name} of {self.show(node)} must be a literal")
                parts.append((f"(isLiteral({v}) && COALESCE({v} {operator} {_term(bound)}, false))",
                              f"Value is not {operator} {bound}"))
        alternatives = self.items(node, "or")
        if "or" in {str(p)[len(_SH):] for p in self.g.predicates(node) if str(p).startswith(_SH)} and not alternatives:
            raise UnsupportedShape(f"empty sh:or on {self.show(node)}")
        if alternatives:
            expression = " || ".join(f"({self.conforms(a, v, nested=True)})" for a in alternatives)
            names = ", ".join(self.show(a) for a in alternatives)
            parts.append((expression, f"Node does not conform to one or more shapes in {names}"))
        for shape in self.values(node, "node"):
            parts.append((self.conforms(shape, v, nested=True), f"Value does not conform to Shape {self.show(shape)}"))
        for shape in self.values(node, "not"):
            parts.append((f"!({self.conforms(shape, v, nested=True)})",
                          f"Value must not conform to shape {self.show(shape)}"))
        return parts

    # -- shapes --------------------------------------------------------------------------------------------
    def add_check(self, shape: str, path: str, message: str, severity: str, per_value: bool) -> int:
        self.checks.append(Check(shape, path, message, severity, per_value))
        return len(self.checks) - 1

    def property_branches(self, owner: str, prop, target: str) -> list[str]:
        """UNION branches for one property shape; each binds ?f and ?k (and ?v when per value).

        ``target`` is a pattern binding ?f to the focus nodes. The branches start from the property's values
        (a scan of one predicate) and test the target only where something failed: looking up the type of
        every focus node first costs an index probe per node, the dominant cost on large stores."""
        if self.deactivated(prop):
            return []
        if self.values(prop, "property") or self.values(prop, "targetClass"):
            raise UnsupportedShape(f"property shape {self.show(prop)} with sh:property or targets")
        sparql_path, path_text = self.path(prop)
        severity = self.severity(prop)
        custom = list(self.g.objects(prop, SH.message))

        def check(generic: str, per_value: bool) -> int:
            return self.add_check(owner, path_text, self.message(prop, generic) if custom else generic, severity,
                                  per_value)

        branches: list[str] = []
        # Per value: one pass over the values, one flag per failed constraint.
        flags = []
        for expression, generic in self.value_parts(prop, "?v"):
            flags.append(f'IF({expression}, "", "{check(generic, True)} ")')
        for name, operator in (("lessThan", "<"), ("lessThanOrEquals", "<=")):
            for other in self.values(prop, name):
                if not isinstance(other, URIRef):
                    raise UnsupportedShape(f"sh:{name} of {self.show(prop)} must be a property IRI")
                key = check(f"Value of {path_text} not {operator} {other}", True)
                # pyshacl compares IRIs and strings as Python strings, other literals by value.
                left = "IF(isIRI(?v) || DATATYPE(?v) IN (<%s>, <%s>), STR(?v), ?v)" % (XSD.string, RDF.langString)
                right = left.replace("?v", "?other")
                flags.append(f'IF(EXISTS {{ ?f {_iri(other)} ?other . '
                             f'FILTER(!COALESCE({left} {operator} {right}, false)) }}, "{key} ", "")')
        if flags:
            branches.append(f'GRAPH ?g {{ ?f {sparql_path} ?v . BIND(CONCAT({", ".join(flags)}) AS ?k) '
                            f'FILTER(?k != "" && EXISTS {{ {target} }}) }}')
        # Per focus node: counts and the like; the result carries no value.
        low = self.integer(prop, "minCount")
        if low:
            key = check(f"Less than {low} values on {path_text}", False)
            branches.append(self.too_few(target, sparql_path, low, key, "true"))
        high = self.integer(prop, "maxCount")
        if high is not None:
            key = check(f"More than {high} values on {path_text}", False)
            branches.append(self.too_many(target, sparql_path, high, key, "true"))
        for value in self.values(prop, "hasValue"):
            key = check(f"Node does not contain {self.show(value)}", False)
            branches.append(f'GRAPH ?g {{ {{ {target} }} MINUS {{ ?f {sparql_path} {_term(value)} }} '
                            f'BIND("{key} " AS ?k) }}')
        unique = self.one(prop, "uniqueLang")
        if isinstance(unique, Literal) and unique.value is True:
            key = check("More than one String shares the same Language", False)
            branches.append(f'GRAPH ?g {{ ?f {sparql_path} ?x . ?f {sparql_path} ?y . '
                            f'FILTER(isLiteral(?x) && isLiteral(?y) && LANG(?x) != "" && '
                            f'LCASE(LANG(?x)) = LCASE(LANG(?y)) && !sameTerm(?x, ?y) && EXISTS {{ {target} }}) '
                            f'BIND("{key} " AS ?k) }}')
        qualified = self.one(prop, "qualifiedValueShape")
        if qualified is not None:
            condition = self.conforms(qualified, "?x", nested=True)
            q_low = self.integer(prop, "qualifiedMinCount")
            q_high = self.integer(prop, "qualifiedMaxCount")
            shown = self.show(qualified)
            if q_low:
                key = check(f"Focus node does not conform to shape MinCount {q_low}: {shown}", False)
                branches.append(self.too_few(target, sparql_path, q_low, key, condition))
            if q_high is not None:
                key = check(f"Focus node does not conform to shape MaxCount {q_high}: {shown}", False)
                branches.append(self.too_many(target, sparql_path, q_high, key, condition))
        elif self.values(prop, "qualifiedMinCount") or self.values(prop, "qualifiedMaxCount"):
            raise UnsupportedShape(f"qualified count without sh:qualifiedValueShape on {self.show(prop)}")
        return branches

    @staticmethod
    def too_few(target: str, path: str, limit: int, key: int, condition: str) -> str:
        """Focus nodes with fewer than ``limit`` distinct values (meeting ``condition``) on ``path``."""
        values = f"?f {path} ?x ." + ("" if condition == "true" else f" FILTER({condition})")
        if limit == 1:  # an anti-join: both sides are scans, no probe per focus node
            return f'GRAPH ?g {{ {{ {target} }} MINUS {{ {values} }} BIND("{key} " AS ?k) }}'
        # Sub-selects sit outside GRAPH ?g and project ?g: oxigraph does not bind ?g inside them.
        return (f'{{ GRAPH ?g {{ {target} }} OPTIONAL {{ SELECT ?g ?f (COUNT(DISTINCT ?x) AS ?n{key}) WHERE {{ '
                f'GRAPH ?g {{ {values} }} }} GROUP BY ?g ?f }} FILTER(COALESCE(?n{key}, 0) < {limit}) '
                f'BIND("{key} " AS ?k) }}')

    @staticmethod
    def too_many(target: str, path: str, limit: int, key: int, condition: str) -> str:
        """Focus nodes with more than ``limit`` distinct values (meeting ``condition``) on ``path``: counted
        over a scan of the path, the target tested only for the nodes over the limit."""
        values = f"?f {path} ?x ." + ("" if condition == "true" else f" FILTER({condition})")
        return (f'{{ {{ SELECT ?g ?f WHERE {{ GRAPH ?g {{ {values} }} }} GROUP BY ?g ?f '
                f'HAVING (COUNT(DISTINCT ?x) > {limit}) }} FILTER EXISTS {{ GRAPH ?g {{ {target} }} }} '
                f'BIND("{key} " AS ?k) }}')

    def node_shape_query(self, shape) -> str | None:
        if self.deactivated(shape):
            return None
        classes = self.target_classes(shape)
        if len(classes) == 1:
            target = f"?f {{types}} <{classes[0]}>"
        else:
            target = f"VALUES ?target {{ {' '.join(f'<{c}>' for c in classes)} }} ?f {{types}} ?target"
        owner = str(shape) if isinstance(shape, URIRef) else ""
        severity = self.severity(shape)
        branches: list[str] = []
        node_flags = []
        for expression, generic in self.value_parts(shape, "?f"):
            key = self.add_check(owner, "", self.message(shape, generic), severity, True)
            node_flags.append(f'IF({expression}, "", "{key} ")')
        if node_flags:
            branches.append(f'GRAPH ?g {{ {target} BIND(?f AS ?v) BIND(CONCAT({", ".join(node_flags)}) AS ?k) '
                            f'FILTER(?k != "") }}')
        extra = {str(p)[len(_SH):] for p in self.g.predicates(shape) if str(p).startswith(_SH)} & _FOCUS_PARAMS
        if extra:
            raise UnsupportedShape(f"{', '.join(sorted('sh:' + e for e in extra))} on node shape {self.show(shape)}")
        for prop in sorted(self.g.objects(shape, SH.property), key=self._prop_order):
            branches.extend(self.property_branches(owner, prop, target))
        if not branches:
            return None
        # Every branch names its graph itself ({graphs} restricts it first), so that sub-selects can sit
        # outside GRAPH ?g.
        return ("SELECT DISTINCT ?g ?f ?k ?v WHERE { "
                + " UNION ".join("{ {graphs} %s }" % branch for branch in branches) + " }")

    def target_classes(self, shape) -> list[str]:
        classes = [str(c) for c in self.values(shape, "targetClass")]
        if (shape, RDF.type, RDFS.Class) in self.g or (shape, RDF.type, _OWL_CLASS) in self.g:
            classes.append(str(shape))  # implicit class target
        return sorted(set(classes))

    def _prop_order(self, prop) -> tuple:
        path = self.one(prop, "path")
        text = str(path) if isinstance(path, URIRef) else " ".join(str(s) for s in self.g.items(path))
        return (text, str(prop) if isinstance(prop, URIRef) else "")

    def compile(self) -> CompiledShapes:
        self.check_terms()
        queries, targets = [], []
        targeted = {s for s, _ in self.g.subject_objects(SH.targetClass)}
        for shape in self.g.subjects(RDF.type, SH.NodeShape):
            if (shape, RDF.type, RDFS.Class) in self.g or (shape, RDF.type, _OWL_CLASS) in self.g:
                targeted.add(shape)
        for shape in sorted(targeted, key=str):
            if self.one(shape, "path") is not None:
                raise UnsupportedShape(f"property shape {self.show(shape)} with its own target")
            query = self.node_shape_query(shape)
            if query is not None:
                queries.append(query)
                targets.append(tuple(self.target_classes(shape)))
        # Shapes that are only referenced (sh:node, sh:or, ...) are compiled where they are used; compile each
        # unreferenced untargeted shape too, so an unsupported term in it is still refused.
        for shape in sorted(set(self.g.subjects(RDF.type, SH.NodeShape)) - targeted, key=str):
            self.conforms(shape, "?v", nested=True)
        return CompiledShapes(self.source, tuple(queries), tuple(self.checks), tuple(targets))


@lru_cache(maxsize=8)
def _compile_cached(path: str, mtime_ns: int) -> CompiledShapes:
    graph = Graph()
    graph.parse(path, format="turtle")
    return _Compiler(graph, path).compile()


def compile_shapes(path: str | Path | None = None) -> CompiledShapes:
    """The shapes file (default ontology/shapes.ttl) compiled to SPARQL; cached per process and file
    version. Raises UnsupportedShape when the shapes use a feature the compiler does not implement."""
    source = Path(path) if path is not None else ontology_dir() / "shapes.ttl"
    return _compile_cached(str(source), source.stat().st_mtime_ns)


# ---------------------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------------------

def _node_text(term) -> str:
    if term is None or isinstance(term, ox.BlankNode):
        return ""
    return term.value


def _has_subclass_triples(store: ox.Store) -> bool:
    """Whether class hierarchies are stated in the data (targets and sh:class then follow them)."""
    return any(True for _ in store.quads_for_pattern(None, ox.NamedNode(str(RDFS.subClassOf)), None, None))


def _article_ids(store: ox.Store, graphs: Iterable[str]) -> dict[str, str]:
    """Graph IRI -> article id: the dcterms:identifier of its antt:Article, else the decoded IRI tail."""
    graphs = sorted(set(graphs))
    ids: dict[str, str] = {}
    for start in range(0, len(graphs), GRAPHS_PER_QUERY):
        chunk = graphs[start:start + GRAPHS_PER_QUERY]
        query = ("SELECT ?g (MIN(STR(?id)) AS ?article) WHERE { VALUES ?g { %s } GRAPH ?g { ?a a <%s> ; <%s> ?id } } "
                 "GROUP BY ?g" % (" ".join(f"<{g}>" for g in chunk), ARTICLE_CLASS, DCTERMS + "identifier"))
        for row in store.query(query):
            if row["article"] is not None:
                ids[row["g"].value] = row["article"].value
    for graph in graphs:
        if graph not in ids:
            tail = graph[len(ARTICLE_GRAPH_PREFIX):] if graph.startswith(ARTICLE_GRAPH_PREFIX) else graph.rsplit("/", 1)[-1]
            ids[graph] = urllib.parse.unquote(tail)
    return ids


# validate_store(graphs=EVERY_GRAPH): every named graph, article or not (an in-memory store of items).
EVERY_GRAPH: Collection[str] = ()


_RDF_TYPE = ox.NamedNode(str(RDF.type))


def _classes_present(store: ox.Store, classes: Iterable[str]) -> set[str]:
    """Which of ``classes`` have an instance in some graph of ``store`` (one index probe each)."""
    return {c for c in classes
            if next(iter(store.quads_for_pattern(None, _RDF_TYPE, ox.NamedNode(c), None)), None) is not None}


def _results(store: ox.Store, compiled: CompiledShapes, graph_filter: str):
    subclasses = _has_subclass_triples(store)
    # Only the shapes that apply: a query whose target classes have no instance here cannot return a row
    # (without class hierarchies in the data; with them an instance of a subclass counts, so all run).
    # Parsing and planning the queries is a fixed cost per store that dominates small chunks.
    present = None
    if not subclasses and len(compiled.targets) == len(compiled.queries):
        present = _classes_present(store, {c for classes in compiled.targets for c in classes})
    for number, query in enumerate(compiled.queries):
        if present is not None and present.isdisjoint(compiled.targets[number]):
            continue
        for row in store.query(compiled.render(query, subclasses=subclasses, graphs=graph_filter)):
            yield row["g"].value, row["f"], row["k"].value, row["v"]


def _violation(article_id: str, focus, check: Check, value) -> Violation:
    message = check.message
    if check.per_value and value is not None and not isinstance(value, ox.BlankNode):
        if value.value not in message:
            message = f"{message} (value: {value.value})"
    return Violation(article_id, _node_text(focus), check.path, message, check.severity, check.shape)


def _copy_graphs(store: ox.Store, graphs: Iterable[str]) -> ox.Store:
    """An in-memory store holding only ``graphs`` (each read by one range scan of the source store)."""
    copy = ox.Store()
    quads: list = []
    for graph in graphs:
        quads.extend(store.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
    copy.extend(quads)
    return copy


def validate_store(store: ox.Store, graphs: Collection[str] | None = None, *,
                   article_ids: dict[str, str] | None = None,
                   shapes: CompiledShapes | None = None) -> list[Violation]:
    """SHACL results for the article graphs of ``store`` (``graphs``: graph IRIs to check; None: every
    graph named anttid:article/...), each graph validated on its own; sorted and de-duplicated.
    ``article_ids`` may map graph IRIs to article ids (others come from the graph's dcterms:identifier).

    A subset smaller than half the store is copied, CHUNK_SIZE graphs at a time, into an in-memory store
    and validated there: the queries scan whole predicates, so on the big store they would cost as much as
    validating everything (and a RocksDB store answers the lookups several times slower than memory)."""
    compiled = shapes or compile_shapes()
    if graphs is EVERY_GRAPH:
        return _validate(store, compiled, "", None, article_ids)
    if graphs is None:
        return _validate(store, compiled, "FILTER(STRSTARTS(STR(?g), %s))" % _sparql_string(ARTICLE_GRAPH_PREFIX),
                         None, article_ids)
    wanted = sorted(set(graphs))
    if not wanted:
        return []
    total = sum(1 for _ in store.named_graphs())
    if len(wanted) * 2 >= total:  # most of the store: one pass over it, rows of other graphs dropped
        return _validate(store, compiled, "", set(wanted), article_ids)
    violations: set[Violation] = set()
    for start in range(0, len(wanted), CHUNK_SIZE):
        copy = _copy_graphs(store, wanted[start:start + CHUNK_SIZE])
        violations.update(_validate(copy, compiled, "", None, article_ids))
    return sorted(violations)


def _validate(store: ox.Store, compiled: CompiledShapes, graph_filter: str, keep: set[str] | None,
              article_ids: dict[str, str] | None) -> list[Violation]:
    rows = [row for row in _results(store, compiled, graph_filter) if keep is None or row[0] in keep]
    known = dict(article_ids or {})
    missing = {g for g, _, _, _ in rows if g not in known}
    if missing:
        known.update(_article_ids(store, missing))
    violations = set()
    for graph, focus, keys, value in rows:
        for key in keys.split():
            violations.add(_violation(known[graph], focus, compiled.checks[int(key)], value))
    return sorted(violations)


_GRAPH_LABEL = re.compile(r"<([^<>\s]*)>\s*\.\s*$")


def _graph_of(nquads: str) -> str | None:
    """The graph named on the first quad line (the pipeline writes one graph per article)."""
    for line in nquads.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            match = _GRAPH_LABEL.search(line)
            return match.group(1) if match else None
    return None


def _load_chunk(chunk: list[tuple[str, str]]) -> tuple[ox.Store, list[Violation]]:
    """An in-memory store holding the chunk's quads; items that do not parse are reported instead."""
    store = ox.Store()
    try:
        store.bulk_load("".join(text if text.endswith("\n") else text + "\n" for _, text in chunk).encode("utf-8"),
                        ox.RdfFormat.N_QUADS)
        return store, []
    except (SyntaxError, ValueError, OSError):
        pass
    store = ox.Store()  # load one by one: only the broken items are left out
    problems = []
    for article_id, text in chunk:
        try:
            store.extend(list(ox.parse(text.encode("utf-8"), ox.RdfFormat.N_QUADS)))
        except (SyntaxError, ValueError) as error:
            problems.append(Violation(article_id, "", "", f"N-Quads do not parse: {error}", "Violation", ""))
    return store, problems


def validate_nquads_items(items: Iterable[tuple[str, str]], chunk_size: int = CHUNK_SIZE) -> list[Violation]:
    """SHACL results for (article_id, N-Quads) pairs: loaded a chunk at a time into an in-memory store and
    validated there with validate_store. Sorted, de-duplicated."""
    compiled = compile_shapes()
    violations: list[Violation] = []
    chunk: list[tuple[str, str]] = []

    def flush() -> None:
        store, problems = _load_chunk(chunk)
        violations.extend(problems)
        ids = {}
        for article_id, text in chunk:
            graph = _graph_of(text)
            if graph is not None:
                ids.setdefault(graph, article_id)
        violations.extend(validate_store(store, EVERY_GRAPH, article_ids=ids, shapes=compiled))
        chunk.clear()

    for item in items:
        chunk.append(item)
        if len(chunk) >= chunk_size:
            flush()
    if chunk:
        flush()
    return sorted(set(violations))
