"""Search over entity names: diacritic- and case-insensitive, by name, other written form or abbreviation.

The index is built in memory from the catalogue when the server starts (and again after a correction).
Every written form is folded (``fold``: lower case, no tone or vowel marks, đ -> d, punctuation as spaces)
and cut into words; each distinct word lists the forms holding it. Each word of a query must begin a word
of the form ("to la" finds "Tô Lâm"), so a query is a range of the sorted vocabulary per word and an
intersection of sets, in C. Forms are numbered best-first by the part of the score that does not depend
on the query (how often the entity is named, how short the form is); forms equal to the query are looked
up first, and any other can gain at most ``PREFIX_BOOST`` from the query, so ranking stops as soon as no
later form can enter the top ``limit``.
"""
from __future__ import annotations

import bisect
import heapq
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

from ..text import ascii_fold, normalize_text
from .catalogue import Entry
from .kinds import KIND_NAMES, SEARCH_KINDS

MAX_BOOST = 3.0      # the form is the query
PREFIX_BOOST = 1.5   # the form begins with the query
_NON_WORD = re.compile(r"[\W_]+")  # punctuation, symbols, spaces: word breaks
__all__ = ["Entry", "Hit", "KIND_NAMES", "SEARCH_KINDS", "SearchIndex", "SearchResult", "build_index", "fold",
           "suggest"]


def fold(text: str) -> str:
    """The search form of a text: 'Tô Lâm' and 'to lam' and 'TÔ LÂM' fold alike."""
    return " ".join(_NON_WORD.sub(" ", ascii_fold(normalize_text(text or "").casefold())).split())


@dataclass
class Hit:
    entry: Entry
    matched: str  # the written form that matched (a name, other form or abbreviation)
    score: float


@dataclass
class SearchResult:
    query: str
    hits: list[Hit]
    total: int
    kinds: list[tuple[str, str, int]]       # (kind, display, count) over all matches
    provinces: list[tuple[str, str, int]]   # (place IRI, name, count)


class SearchIndex:
    def __init__(self, entries: list[Entry], forms: list[tuple[int, str]],
                 province_names: dict[str, str] | None = None):
        """``forms``: (index into ``entries``, written form)."""
        self.entries = entries
        self.province_names = province_names or {}
        folded_forms = []
        for index, written in forms:
            folded = fold(written)
            if folded:
                entry = entries[index]
                base = math.log1p(entry.weight) / 4 - len(folded) / 400
                folded_forms.append((-base, entry.label, entry.iri, folded, written, index))
        folded_forms.sort()
        self._owner = [f[5] for f in folded_forms]
        self._written = [f[4] for f in folded_forms]
        self._folded = [f[3] for f in folded_forms]
        self._base = [-f[0] for f in folded_forms]
        self._exact: dict[str, list[int]] = {}
        for number, folded in enumerate(self._folded):
            self._exact.setdefault(folded, []).append(number)
        postings: dict[str, list[int]] = {}
        for number, folded in enumerate(self._folded):
            for word in set(folded.split()):
                postings.setdefault(word, []).append(number)
        self._vocab = sorted(postings)
        self._postings = [postings[w] for w in self._vocab]
        self._kind = [e.kind for e in entries]
        self._provinces = [e.provinces for e in entries]
        gathered: dict[str, set[int]] = {}
        for word, forms_of_word in zip(self._vocab, self._postings):
            for prefix in {word[:1], word[:2]}:
                gathered.setdefault(prefix, set()).update(forms_of_word)
        self._short = {prefix: sorted(forms) for prefix, forms in gathered.items()}

    def __len__(self) -> int:
        return len(self.entries)

    def _forms_with(self, prefix: str) -> frozenset[int] | list[int]:
        """Forms with a word beginning with ``prefix``: a sorted list (one word, or a prefix of one or two
        letters, ready at start-up because autocomplete asks for them at every first keystroke) or a set."""
        short = self._short.get(prefix)
        if short is not None:
            return short
        lo = bisect.bisect_left(self._vocab, prefix)
        hi = bisect.bisect_left(self._vocab, prefix + "\U0010ffff", lo)
        if hi - lo == 1:
            return self._postings[lo]
        return frozenset().union(*self._postings[lo:hi]) if hi > lo else frozenset()

    def _candidates(self, words: list[str]) -> set[int] | list[int]:
        sets = sorted((self._forms_with(w) for w in set(words)), key=len)
        if not sets or not sets[0]:
            return []
        if len(sets) == 1:
            return sets[0]
        found = set(sets[0])
        for other in sets[1:]:
            found.intersection_update(other)
            if not found:
                break
        return found

    def search(self, query: str, *, kind: str | None = None, province: str | None = None,
               limit: int = 20, facets: bool = True) -> SearchResult:
        words = fold(query).split()
        if not words:
            return SearchResult(query, [], 0, [], [])
        candidates = self._candidates(words)
        folded_query = " ".join(words)
        owner, entries = self._owner, self.entries

        def passes(e: int) -> bool:
            return (not kind or self._kind[e] == kind) and (not province or province in entries[e].provinces)

        total, kind_counts, province_counts = 0, Counter(), Counter()
        if facets:
            matched_entries = {owner[f] for f in candidates}
            kind_counts = Counter(self._kind[e] for e in matched_entries)
            kept = [e for e in matched_entries if not kind or self._kind[e] == kind]
            placed = [e for e in kept if self._provinces[e]]
            province_counts = Counter(p for e in placed for p in self._provinces[e])
            total = len(kept) if not province else sum(1 for e in placed if province in self._provinces[e])
        best: dict[int, Hit] = {}
        firsts: list[float] = []  # min-heap of the first score of each entry kept: its top ``limit`` bound
        # Forms equal to the query first (a dictionary look-up); any other form gains at most PREFIX_BOOST.
        exact = [f for f in self._exact.get(folded_query, ()) if _holds(candidates, f)]
        ordered = candidates if isinstance(candidates, list) else sorted(candidates)
        for form in itertools.chain(exact, ordered):
            if len(firsts) >= limit and self._base[form] + 1.0 + PREFIX_BOOST < firsts[0]:
                break  # forms are in falling base order: none after this can enter the top
            e = owner[form]
            if not passes(e):
                continue
            folded = self._folded[form]
            if folded == folded_query:
                boost = MAX_BOOST
            elif folded.startswith(folded_query):
                boost = PREFIX_BOOST
            elif folded_query in folded:
                boost = 0.8
            else:
                boost = 0.0
            score = 1.0 + boost + self._base[form]
            hit = best.get(e)
            if hit is None:
                best[e] = Hit(entries[e], self._written[form], score)
                if len(firsts) < limit:
                    heapq.heappush(firsts, score)
                elif score > firsts[0]:
                    heapq.heapreplace(firsts, score)
            elif hit.score < score:
                best[e] = Hit(entries[e], self._written[form], score)
        hits = sorted(best.values(), key=lambda h: (-h.score, h.entry.label, h.entry.iri))[:limit]
        if not facets:
            total = len(best)
        kinds = [(k, KIND_NAMES[k], kind_counts[k]) for k in SEARCH_KINDS if kind_counts[k]]
        provinces = sorted(((p, self.province_names.get(p, p), n) for p, n in province_counts.items()),
                           key=lambda x: (-x[2], x[1]))[:30]
        return SearchResult(query, hits, total, kinds, provinces)


def _holds(forms: frozenset[int] | set[int] | list[int], form: int) -> bool:
    if isinstance(forms, list):  # sorted
        at = bisect.bisect_left(forms, form)
        return at < len(forms) and forms[at] == form
    return form in forms


def build_index(catalogue) -> SearchIndex:
    """A SearchIndex over the catalogue's entries (real people, bodies, places, events, incidents,
    documents, programmes, articles) and all their written forms."""
    ordered = sorted(catalogue.entries.values(), key=lambda e: e.iri)
    position = {e.iri: n for n, e in enumerate(ordered)}
    forms = [(position[iri], form) for iri, written in sorted(catalogue.forms.items()) if iri in position
             for form in sorted(written)]
    return SearchIndex(ordered, forms, catalogue.province_names)


def suggest(index: SearchIndex, query: str, limit: int = 8) -> list[dict[str, str]]:
    """Autocomplete rows for the JSON endpoint."""
    return [{"label": h.entry.label, "kind": h.entry.kind, "type": KIND_NAMES[h.entry.kind],
             "href": h.entry.href, "matched": h.matched if h.matched != h.entry.label else "",
             "detail": h.entry.detail}
            for h in index.search(query, limit=limit, facets=False).hits]
