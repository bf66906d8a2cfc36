"""HTTP content negotiation: the best offered media type for an Accept header (RFC 9110 q-values)."""
from __future__ import annotations


def parse_accept(header: str | None) -> list[tuple[str, float, int]]:
    """(media range, q, order) per entry; an absent or empty header accepts anything."""
    if not header or not header.strip():
        return [("*/*", 1.0, 0)]
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((media, q, order))
    return ranges


def _specificity(media_range: str, offered: str) -> int | None:
    if media_range == offered:
        return 2
    kind, _, sub = media_range.partition("/")
    if sub == "*" and (kind == "*" or offered.startswith(kind + "/")):
        return 0 if kind == "*" else 1
    return None


def negotiate(header: str | None, offered: list[str]) -> str | None:
    """The offered type the client wants most; among equal q-values the one the client lists first, then
    the earlier offer; None when none is acceptable."""
    ranges = parse_accept(header)
    best, best_key = None, None
    for index, media in enumerate(offered):
        # The most specific matching range decides this type's q (RFC 9110 12.5.1).
        matches = [(spec, -order, q) for r, q, order in ranges if (spec := _specificity(r, media)) is not None]
        if not matches:
            continue
        spec, neg_order, q = max(matches)
        if q <= 0:
            continue
        key = (q, neg_order if spec > 0 else -len(ranges), -index)
        if best_key is None or key > best_key:
            best, best_key = media, key
    return best
