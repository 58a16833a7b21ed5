"""Did you mean: the known words closest to a misspelt one, for a dangling id and an unknown
field alike, and the one way a problem says them (``; did you mean 'kurt-campbell'?``).

``close_words`` is ``difflib.get_close_matches``; ``CloseIds`` gives the same answers over one
large, fixed set of ids without scoring every id against every word.
"""

from __future__ import annotations

import difflib
import functools
import heapq
from collections import Counter
from collections.abc import Iterable
from itertools import groupby, repeat

CLOSE_CUTOFF = 0.6
"""How alike a word and a suggestion must be (difflib's ratio)."""

MOST_SUGGESTIONS = 3
"""Suggestions per misspelt word, closest first."""


def hint(close: list[str]) -> str:
    """``; did you mean 'a' or 'b'?``, or nothing when no word is close."""
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(c) for c in close) + "?"


def close_words(word: str, known: Iterable[str]) -> list[str]:
    """The known words closest to ``word``, closest first (a small set: a record's fields)."""
    return difflib.get_close_matches(word, list(known), n=MOST_SUGGESTIONS, cutoff=CLOSE_CUTOFF)


class CloseIds:
    """``difflib.get_close_matches`` over one large, fixed set of ids, with the same answer for
    every word, but without scoring every id against every word.

    difflib scores an id only if its character-count bound (``quick_ratio``: the characters the
    two share, counted with multiplicity) reaches the cutoff. Here that count is taken for all
    ids at once, one byte per id, from how often each id holds each of the word's characters
    (kept per character once asked). The ids that reach the cutoff are then taken in order of
    their bound, stopping once it falls below the n-th best score so far: no id left can enter
    the top n, whose order (score, then id) is difflib's own. An id is scored by ``ratio`` only
    if a tighter bound, its longest common subsequence with the word, could still place it (the
    blocks ``ratio`` matches are one such subsequence)."""

    def __init__(self, ids: Iterable[str]):
        self.ids = sorted(ids, key=lambda text: (len(text), text))
        self.runs: list[tuple[int, int, int]] = []
        """(length, first, last + 1): the ids of each length, in ``ids``."""
        start = 0
        for length, same in groupby(self.ids, key=len):
            end = start + sum(1 for _ in same)
            self.runs.append((length, start, end))
            start = end
        self.alphabet = frozenset("".join(self.ids))
        """The characters some id holds: only these are counted (and kept, one byte per id)."""
        self._held: dict[str, bytes] = {}

    def held(self, char: str) -> bytes:
        """How often each id holds ``char`` (at most 255), one byte per id."""
        counts = self._held.get(char)
        if counts is None:
            try:
                counts = bytes(map(str.count, self.ids, repeat(char)))
            except ValueError:  # an id holding it more than 255 times
                counts = bytes(min(n, 255) for n in map(str.count, self.ids, repeat(char)))
            self._held[char] = counts
        return counts

    def close(self, word: str, n: int = 3, cutoff: float = 0.6) -> list[str]:
        size = len(word)
        if not word or size > 255 or cutoff <= 0:
            # an empty word scores 1.0 against an empty id, a cutoff of 0 takes every id, and a
            # count for a word this long may not fit a byte: difflib itself
            return difflib.get_close_matches(word, self.ids, n=n, cutoff=cutoff)
        ids = self.ids
        if not any(2.0 * min(size, length) / (size + length) >= cutoff for length, *_ in self.runs):
            return []  # no id has a length that could reach the cutoff (difflib's first test)
        # the characters each id shares with the word, with multiplicity: one byte per id,
        # summed as the digits of big integers (no sum exceeds the word's length, so no carry);
        # a character no id holds adds nothing (and so costs nothing, however many there are)
        total = 0
        for char, wanted in Counter(word).items():
            if char in self.alphabet:
                total += int.from_bytes(self.held(char).translate(_at_most(wanted)), "little")
        shared = total.to_bytes(len(ids), "little")
        bounds = []
        for length, start, end in self.runs:
            least = next(
                (k for k in range(1, min(size, length) + 1) if 2.0 * k / (size + length) >= cutoff),
                None,
            )
            if least is None:
                continue
            reaching = shared[start:end].translate(_at_least(least))
            at = reaching.find(1)
            while at != -1:
                bounds.append((2.0 * shared[start + at] / (size + length), start + at))
                at = reaching.find(1, at + 1)
        bounds.sort(reverse=True)
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(word)
        masks: dict[str, int] = {}  # where each character stands in the word, as bits
        for j, char in enumerate(word):
            masks[char] = masks.get(char, 0) | 1 << j
        best: list[tuple[float, str]] = []  # the n best so far, the least first (a heap)
        for bound, i in bounds:
            floor = best[0][0] if len(best) == n else cutoff
            if bound < floor:
                break
            text = ids[i]
            if 2.0 * _common_subsequence(text, masks, size) / (size + len(text)) < floor:
                continue
            matcher.set_seq1(text)
            score = matcher.ratio()
            if score >= cutoff:
                if len(best) < n:
                    heapq.heappush(best, (score, text))
                else:
                    heapq.heappushpop(best, (score, text))
        return [text for _score, text in sorted(best, reverse=True)]


@functools.cache
def _at_most(m: int) -> bytes:
    """A ``bytes.translate`` table capping each byte at ``m``."""
    return bytes(min(v, m) for v in range(256))


@functools.cache
def _at_least(m: int) -> bytes:
    """A ``bytes.translate`` table giving 1 where a byte reaches ``m``, else 0."""
    return bytes(int(v >= m) for v in range(256))


def _common_subsequence(text: str, masks: dict[str, int], size: int) -> int:
    """The length of the longest common subsequence of ``text`` and a word of ``size``
    characters, given where each of the word's characters stands (bit-parallel, Hyyrö 2004)."""
    full = (1 << size) - 1
    row = full
    for char in text:
        matched = row & masks.get(char, 0)
        row = ((row + matched) | (row - matched)) & full
    return size - row.bit_count()
