"""N-Triples / N-Quads term writing: fast, deterministic and safe for any input string."""
from __future__ import annotations

import re
from functools import lru_cache
from decimal import Decimal

from .vocab import XSD

# Anything outside printable ASCII, and the ASCII characters IRIs forbid, is percent-encoded: some
# parsers reject Unicode spaces and C1 controls in IRIs, so written IRIs stay plain URIs.
_IRI_UNSAFE = re.compile(r"[^A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]|%(?![0-9A-Fa-f]{2})")
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_STRING_UNSAFE = re.compile(r'[\\"\n\r\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]')


def _escape_char(match: re.Match) -> str:
    ch = match.group(0)
    if ch in _STRING_ESCAPES:
        return _STRING_ESCAPES[ch]
    code = ord(ch)
    if 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return "\\uFFFD"  # lone surrogates and non-characters cannot be written as UTF-8
    return f"\\u{code:04X}"


def _percent_encode(match: re.Match) -> str:
    return "".join(f"%{b:02X}" for b in match.group(0).encode("utf-8", "replace"))


@lru_cache(maxsize=100_000)
def iri(value: str) -> str:
    """An IRI term; characters not allowed in IRIs (and a second '#') are percent-encoded."""
    base, hash_mark, fragment = value.partition("#")
    safe = _IRI_UNSAFE.sub(_percent_encode, base)
    if hash_mark:
        safe += "#" + _IRI_UNSAFE.sub(_percent_encode, fragment).replace("#", "%23")
    return f"<{safe}>"


def literal(value: object, datatype: str | None = None, lang: str | None = None) -> str:
    """A literal term. Plain strings are xsd:string; bool/int/float get their XSD type."""
    if isinstance(value, bool):
        text, datatype = ("true" if value else "false"), datatype or XSD + "boolean"
    elif isinstance(value, int):
        text, datatype = str(value), datatype or XSD + "integer"
    elif isinstance(value, float):
        text = format(Decimal(repr(value)), "f") if value == value else "0"  # NaN has no decimal form
        if "." not in text:
            text += ".0"
        datatype = datatype or XSD + "decimal"
    else:
        text = str(value)
    body = '"' + _STRING_UNSAFE.sub(_escape_char, text) + '"'
    if lang:
        return f"{body}@{lang}"
    if datatype and datatype != XSD + "string":
        return f"{body}^^{iri(datatype)}"
    return body


def quad(subject: str, predicate: str, obj: str, graph: str | None) -> str:
    """One N-Quads line (terms already written)."""
    if graph:
        return f"{subject} {predicate} {obj} {graph} .\n"
    return f"{subject} {predicate} {obj} .\n"
