"""Write a store out as RDF, with a VoID + DCAT description of what was written.

Formats: ``nquads`` and ``trig`` keep one named graph per article; ``turtle`` and ``ntriples`` hold the
union of the article graphs (a triple stated by several articles is written once); ``jsonld`` keeps the
graphs and uses ``ontology/context.jsonld`` as its context when present. Output is deterministic: graphs in
IRI order, lines sorted inside each graph, so the same input gives byte-identical N-Quads.

Article graphs are read from the manifest's canonical N-Quads copies (see ``anttkg.store``), which stream
far faster than decoding every term out of RocksDB. The ontology graph is left out unless asked for; it
is published as ``ontology/anttkg.ttl``.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .vocab import DCAT, DCTERMS, ID, PREFIXES, RDF_TYPE, VOID, XSD

FORMATS: dict[str, tuple[str, str]] = {  # name -> (file extension, media type)
    "turtle": ("ttl", "text/turtle"),
    "ntriples": ("nt", "application/n-triples"),
    "nquads": ("nq", "application/n-quads"),
    "trig": ("trig", "application/trig"),
    "jsonld": ("jsonld", "application/ld+json"),
}
QUAD_FORMATS = ("nquads", "trig", "jsonld")
DATASET_IRI = ID + "dataset"
# The licence declared for the generated graph unless the caller names another (the project's own).
DEFAULT_LICENSE = "https://spdx.org/licenses/MIT"
VOCABULARIES = ("antt", "schema", "org", "foaf", "prov", "skos", "dcterms")


@dataclass(frozen=True)
class ExportResult:
    format: str
    statements: int  # triples (union formats) or quads (graph formats) written
    graphs: int
    void_path: Path | None


class ExportError(Exception):
    pass


def _graphs(store, include_ontology: bool) -> Iterator[tuple[str, bytes, int]]:
    """(graph IRI, canonical N-Quads, quad count) per graph, in IRI order: the article graphs without the
    statements curators rejected, then the identity graphs (people, corrections) and, when asked, the
    ontology."""
    from .store import ONTOLOGY_GRAPH

    rejected = _rejected(store)
    for _id, graph_iri, nquads, n in store.article_graphs():
        if graph_iri in rejected:
            kept = [line for line in nquads.split(b"\n") if line and line not in rejected[graph_iri]]
            nquads = b"\n".join(kept) + b"\n" if kept else b""
            n = len(kept)
        yield graph_iri, nquads, n
    extra = list(_identity_graphs(store))
    if include_ontology:
        ontology = store.ontology_nquads()
        if ontology:
            extra.append((ONTOLOGY_GRAPH, ontology))
    for graph_iri, nquads in sorted(extra):
        yield graph_iri, nquads, nquads.count(b"\n")


def _rejected(store) -> dict[str, set[bytes]]:
    try:
        from .identity import rejected_lines
    except ImportError:
        return {}
    return rejected_lines(store.path)


def _identity_graphs(store) -> Iterator[tuple[str, bytes]]:
    """The people graphs (kept beside the manifest) and the corrections graph, as N-Quads."""
    try:
        from .identity import CORRECTIONS_GRAPH, identity_graphs
    except ImportError:
        return
    import pyoxigraph as ox

    yield from identity_graphs(store.path)
    graph = ox.NamedNode(CORRECTIONS_GRAPH)
    if store.oxigraph.contains_named_graph(graph):
        data = store.oxigraph.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        text = data.replace(b" .\n", f" <{CORRECTIONS_GRAPH}> .\n".encode())
        text = b"".join(sorted(line + b"\n" for line in text.splitlines() if line))
        if text:
            yield CORRECTIONS_GRAPH, text


def _graph_blobs(store, include_ontology: bool) -> Iterator[tuple[str, bytes]]:
    for graph_iri, nquads, _n in _graphs(store, include_ontology):
        yield graph_iri, nquads


def _graph_suffix(graph_iri: str) -> bytes:
    from .rdf import iri

    return f" {iri(graph_iri)} .\n".encode("utf-8")


def _union_ntriples(store, include_ontology: bool) -> Iterator[bytes]:
    """Chunks of N-Triples: each graph's own nodes first, then the shared nodes once, sorted."""
    from .rdf import iri

    shared: set[bytes] = set()
    for graph_iri, nquads in _graph_blobs(store, include_ontology):
        if not nquads:
            continue
        own = iri(graph_iri)[:-1].encode("utf-8")  # "<graph" : matches <graph> and <graph/...>
        own_exact, own_child = own + b">", own + b"/"
        lines = nquads.replace(_graph_suffix(graph_iri), b" .\n").split(b"\n")
        chunk = []
        for line in lines:
            if not line:
                continue
            if line.startswith(own_exact) or line.startswith(own_child):
                chunk.append(line)  # an article-scoped node: no other graph states it
            else:
                shared.add(line)
        if chunk:
            yield b"\n".join(chunk) + b"\n"
    if shared:
        yield b"\n".join(sorted(shared)) + b"\n"


def _parsed(chunks: Iterator[bytes], fmt) -> Iterator[Any]:
    import pyoxigraph as ox

    for chunk in chunks:
        yield from ox.parse(chunk, fmt)


def _context() -> Any:
    """The published JSON-LD context (ontology/context.jsonld) plus the project prefixes."""
    prefixes = {name: ns for name, ns in PREFIXES.items()}
    try:
        from .resources import ontology_dir

        path = ontology_dir() / "context.jsonld"
    except FileNotFoundError:
        path = None
    if path is not None and path.is_file():
        published = json.loads(path.read_text(encoding="utf-8")).get("@context")
        if published:
            return [published, prefixes]
    return prefixes


def _compactor():
    namespaces = sorted(((ns, name) for name, ns in PREFIXES.items()), key=lambda x: -len(x[0]))

    def compact(value: str) -> str:
        for ns, name in namespaces:
            if value.startswith(ns) and len(value) > len(ns) and not value[len(ns):].startswith("//"):
                return f"{name}:{value[len(ns):]}"
        return value

    def node(obj: Any) -> Any:
        if isinstance(obj, list):
            return [node(x) for x in obj]
        if not isinstance(obj, dict):
            return obj
        out = {}
        for key, value in obj.items():
            if key == "@id" and isinstance(value, str) and not value.startswith("_:"):
                out[key] = compact(value)
            elif key == "@type":
                out[key] = [compact(v) for v in value] if isinstance(value, list) else compact(value)
            elif key.startswith("@"):
                out[key] = node(value)
            else:
                out[compact(key)] = node(value)
        return out

    return node


def _write_jsonld(store, out: IO[bytes], include_ontology: bool) -> int:
    import pyoxigraph as ox

    compact = _compactor()
    count = 0
    out.write(b'{\n"@context": ')
    out.write(json.dumps(_context(), ensure_ascii=False, indent=1).encode("utf-8"))
    out.write(b',\n"@graph": [\n')
    first = True
    for _graph_iri, nquads in _graph_blobs(store, include_ontology):
        if not nquads:
            continue
        count += nquads.count(b"\n")
        quads = ox.parse(nquads, ox.RdfFormat.N_QUADS)
        objects = json.loads(ox.serialize(quads, format=ox.RdfFormat.JSON_LD))
        for obj in objects if isinstance(objects, list) else [objects]:
            if not first:
                out.write(b",\n")
            first = False
            out.write(json.dumps(compact(obj), ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    out.write(b"\n]\n}\n")
    return count


def _write(store, fmt: str, out: IO[bytes], include_ontology: bool) -> tuple[int, int]:
    """Write the data; returns (statements, graphs)."""
    import pyoxigraph as ox

    graphs = 1
    if fmt in QUAD_FORMATS:
        graphs = (store.article_count() + sum(1 for _ in _identity_graphs(store))
                  + (1 if include_ontology and store.ontology_nquads() else 0))
    if fmt == "nquads":
        count = 0
        for _graph_iri, nquads, quads in _graphs(store, include_ontology):
            out.write(nquads)
            count += quads
        return count, graphs
    if fmt == "ntriples":
        count = 0
        for chunk in _union_ntriples(store, include_ontology):
            out.write(chunk)
            count += chunk.count(b"\n")
        return count, 1
    # Instance IRIs are written relative to the anttid: base (<person/le-van-a-1234abcd>): a prefixed name
    # would need every '/' escaped.
    prefixes = {name: ns for name, ns in PREFIXES.items() if name != "anttid"}
    if fmt == "turtle":
        counter = _Counter(_parsed(_union_ntriples(store, include_ontology), ox.RdfFormat.N_TRIPLES))
        writer = _AbsolutePrefixes(out, prefixes, ID)
        ox.serialize(counter, writer, ox.RdfFormat.TURTLE, prefixes=prefixes, base_iri=ID)
        writer.flush()
        return counter.n, 1
    if fmt == "trig":
        blobs = (nq for _g, nq in _graph_blobs(store, include_ontology) if nq)
        counter = _Counter(_parsed(blobs, ox.RdfFormat.N_QUADS))
        writer = _AbsolutePrefixes(out, prefixes, ID)
        ox.serialize(counter, writer, ox.RdfFormat.TRIG, prefixes=prefixes, base_iri=ID)
        writer.flush()
        return counter.n, graphs
    if fmt == "jsonld":
        return _write_jsonld(store, out, include_ontology), graphs
    raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")


class _AbsolutePrefixes:
    """A writer that swaps the serializer's directive block for one with absolute prefix IRIs.

    pyoxigraph writes prefix IRIs relative to the base (schema: becomes <//schema.org/>), which is
    valid but puzzling to read.
    """

    def __init__(self, out: IO[bytes], prefixes: dict[str, str], base: str):
        self._out = out
        self._header = (f"@base <{base}> .\n" + "".join(
            f"@prefix {name}: <{ns}> .\n" for name, ns in prefixes.items())).encode("utf-8")
        self._pending = b""
        self._in_header = True

    def write(self, data) -> int:
        data = bytes(data)
        if not self._in_header:
            return self._out.write(data) or len(data)
        self._pending += data
        while self._in_header and b"\n" in self._pending:
            line, rest = self._pending.split(b"\n", 1)
            if line.startswith((b"@prefix", b"@base")):
                self._pending = rest
                continue
            self._finish_header()
        return len(data)

    def _finish_header(self) -> None:
        self._in_header = False
        self._out.write(self._header + self._pending)
        self._pending = b""

    def flush(self) -> None:
        if self._in_header:
            self._finish_header()
        self._out.flush()


class _Counter:
    def __init__(self, items: Iterator[Any]):
        self._items, self.n = items, 0

    def __iter__(self):
        for item in self._items:
            self.n += 1
            yield item


def void_description(store, *, fmt: str, statements: int, graphs: int, target: str | None,
                     byte_size: int | None, license: str = DEFAULT_LICENSE, parts: tuple = ()) -> str:
    """VoID + DCAT Turtle describing one export of ``store`` (a file ``target``, or shard files ``parts``:
    one distribution with a download URL per file)."""
    from rdflib import BNode, Graph, Literal, URIRef
    from rdflib.namespace import Namespace

    void, dcat, dcterms = Namespace(VOID), Namespace(DCAT), Namespace(DCTERMS)
    g = Graph()
    for name in ("void", "dcat", "dcterms", "xsd", "antt", "anttid", "schema", "org", "foaf", "prov",
                 "skos"):
        g.bind(name, PREFIXES[name])
    ds = URIRef(DATASET_IRI)
    rdf_type = URIRef(RDF_TYPE)
    g.add((ds, rdf_type, void.Dataset))
    g.add((ds, rdf_type, dcat.Dataset))
    g.add((ds, dcterms.title, Literal("anttkg knowledge graph of Vietnamese public-security news", lang="en")))
    g.add((ds, void.triples, Literal(statements, datatype=URIRef(XSD + "integer"))))
    g.add((ds, void.uriSpace, Literal(ID)))
    g.add((ds, void.entities, Literal(store.article_count(), datatype=URIRef(XSD + "integer"))))
    for name in VOCABULARIES:
        g.add((ds, void.vocabulary, URIRef(PREFIXES[name])))
    for cls, n in store.class_counts().items():
        part = BNode(f"class{len(g)}")
        g.add((ds, void.classPartition, part))
        g.add((part, void["class"], URIRef(cls)))
        g.add((part, void.entities, Literal(n, datatype=URIRef(XSD + "integer"))))
    for path in store.inputs():
        g.add((ds, dcterms.source, URIRef(Path(path).as_uri()) if path.startswith("/") else Literal(path)))
    g.add((ds, dcterms.license, URIRef(license)))
    created = store.meta("last_build") or store.meta("created")
    if created:
        g.add((ds, dcterms.created, Literal(created, datatype=URIRef(XSD + "dateTime"))))
    dist = BNode("distribution")
    ext, media = FORMATS[fmt]
    g.add((ds, dcat.distribution, dist))
    g.add((dist, rdf_type, dcat.Distribution))
    g.add((dist, dcat.mediaType, Literal(media)))
    g.add((dist, dcterms["format"], Literal(fmt)))
    if graphs and fmt in QUAD_FORMATS:
        g.add((dist, void.triples, Literal(statements, datatype=URIRef(XSD + "integer"))))
    for path in ([target] if target else []) + [str(p) for p in parts]:
        g.add((dist, dcat.downloadURL, URIRef(Path(path).resolve().as_uri())))
    if byte_size is not None:
        g.add((dist, dcat.byteSize, Literal(byte_size, datatype=URIRef(XSD + "nonNegativeInteger"))))
    return g.serialize(format="turtle")


def void_path_for(target: str | os.PathLike) -> Path:
    """Where the description of an export written to ``target`` goes: beside it, ``FILE.void.ttl``."""
    target = Path(target)
    return target.with_name(target.name + ".void.ttl")


def export(store, fmt: str, out: str | os.PathLike | IO, *, include_ontology: bool = False,
           void_path: str | os.PathLike | None = None, license: str = DEFAULT_LICENSE) -> ExportResult:
    """Write ``store`` (an open GraphStore) in ``fmt`` to a file path or a binary stream, plus VoID.

    The VoID + DCAT description goes to ``FILE.void.ttl`` beside a file, or, for a stream, to
    ``void_path`` (default: ``STORE/export.void.ttl``).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    target: str | None = None
    if isinstance(out, (str, os.PathLike)):
        target = str(out)
        tmp = Path(target).with_name(Path(target).name + ".partial")
        with open(tmp, "wb") as handle:
            statements, graphs = _write(store, fmt, handle, include_ontology)
        os.replace(tmp, target)
        byte_size = Path(target).stat().st_size
        description_path = Path(void_path) if void_path else void_path_for(target)
    else:
        stream = getattr(out, "buffer", out)  # text streams (sys.stdout) carry a binary buffer
        statements, graphs = _write(store, fmt, stream, include_ontology)
        stream.flush()
        byte_size = None
        description_path = Path(void_path) if void_path else store.path / "export.void.ttl"
    description = void_description(store, fmt=fmt, statements=statements, graphs=graphs, target=target,
                                   byte_size=byte_size, license=license)
    description_path.write_text(description, encoding="utf-8")
    return ExportResult(fmt, statements, graphs, description_path)


@dataclass(frozen=True)
class ShardsResult:
    statements: int  # quads written in all shards
    graphs: int
    paths: tuple[Path, ...]  # the shard files, in order
    void_path: Path


def shard_paths(target: str | os.PathLike, shards: int) -> list[Path]:
    """The files of an N-Quads export in ``shards`` parts: ``graph.nq`` -> ``graph.0001.nq`` ...
    ``graph.NNNN.nq`` (a name without ``.nq`` gets it appended: ``dump`` -> ``dump.0001.nq``). Bulk
    loaders pick the N-Quads parser by that extension."""
    target = Path(target)
    stem = target.name[:-3] if target.name.endswith(".nq") else target.name
    width = max(4, len(str(shards)))
    return [target.with_name(f"{stem}.{n:0{width}d}.nq") for n in range(1, shards + 1)]


def export_shards(store, target: str | os.PathLike, shards: int, *, include_ontology: bool = False,
                  license: str = DEFAULT_LICENSE) -> ShardsResult:
    """Write the N-Quads export of ``store`` as ``shards`` files (see ``shard_paths``) for bulk loaders.

    Whole graphs, in IRI order, cut into runs of about equal quad counts: the shards concatenated in order
    are byte for byte the single-file export. Every file is written, empty when there are more shards than
    graphs. The VoID description goes to ``FILE.void.ttl`` with one download URL per shard."""
    if shards < 1:
        raise ExportError("the number of shards must be at least 1")
    paths = shard_paths(target, shards)
    total = count = 0
    for entry in store.entries():
        total, count = total + entry.quads, count + 1
    if include_ontology:
        ontology = store.ontology_nquads().count(b"\n")
        total, count = total + ontology, count + (1 if ontology else 0)
    statements = graphs = in_shard = 0
    index = 0
    partials = [p.with_name(p.name + ".partial") for p in paths]
    handle = open(partials[0], "wb")
    try:
        for _graph_iri, nquads, quads in _graphs(store, include_ontology):
            # Move on once this shard holds its share, or when the graphs left are only enough to give each
            # remaining shard one; the last shard takes whatever is left.
            while index < shards - 1 and in_shard and (statements >= total * (index + 1) / shards
                                                      or count - graphs <= shards - 1 - index):
                handle.close()
                index, in_shard = index + 1, 0
                handle = open(partials[index], "wb")
            in_shard += 1
            handle.write(nquads)
            statements += quads
            graphs += 1
        handle.close()
        for partial in partials[index + 1:]:
            partial.write_bytes(b"")
        for partial, path in zip(partials, paths):
            os.replace(partial, path)
    finally:
        handle.close()
        for partial in partials:
            partial.unlink(missing_ok=True)
    description_path = void_path_for(target)
    description = void_description(store, fmt="nquads", statements=statements, graphs=graphs, target=None,
                                   byte_size=sum(p.stat().st_size for p in paths), license=license,
                                   parts=tuple(paths))
    description_path.write_text(description, encoding="utf-8")
    return ShardsResult(statements, graphs, tuple(paths), description_path)
