"""Sorted character spans, asked whether one overlaps or covers a given span in O(log n).

Testing every mention against every other one is quadratic on long texts with many mentions."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Iterable


class SpanIndex:
    def __init__(self, spans: Iterable[tuple[int, int]]):
        self.spans = sorted(spans)
        self._starts = [s for s, _ in self.spans]
        self._reach = list(accumulate((e for _, e in self.spans), max))  # the furthest end among spans so far
        self._longest = max((e - s for s, e in self.spans), default=0)

    def overlaps(self, start: int, end: int) -> bool:
        """Some span shares a character with [start, end)."""
        i = bisect_left(self._starts, end)  # the spans that start before END
        return i > 0 and self._reach[i - 1] > start

    def covers(self, start: int, end: int) -> bool:
        """Some span holds the whole of [start, end)."""
        i = bisect_right(self._starts, start)  # the spans that start at START or before
        return i > 0 and self._reach[i - 1] >= end

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that share a character with [start, end); only those starting at most one longest span
        before it are looked at."""
        first = bisect_right(self._starts, start - self._longest)
        return [(s, e) for s, e in self.spans[first:bisect_left(self._starts, end)] if e > start]
