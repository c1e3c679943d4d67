"""pg_trgm's trigram measures, computed in Python exactly as PostgreSQL computes them.

SQLite gets these as SQL functions (``register_sqlite``) so that one similarity rule gives the
same answers on both databases. Ported from PostgreSQL's contrib/pg_trgm/trgm_op.c:

- words are the runs of letters and digits, lower-cased; each is padded with two spaces in
  front and one behind, and its trigrams are the 3-character windows of that;
- ``similarity(a, b)`` = shared / union of the two trigram *sets*;
- ``word_similarity(q, text)`` = the greatest similarity between q's trigram set and a
  continuous extent of text's trigram sequence, found by pg_trgm's own greedy walk (so a
  typo in one word of a long name still scores high: "patrica" vs "Patricia Nguyen" 0.75).

Results are rounded to single precision, as pg_trgm returns ``real``: the same numbers sort
the same way on both databases. (pg_trgm hashes trigrams of multi-byte characters into 3
bytes; here they stay characters, which differs only on a hash collision.)
"""

from __future__ import annotations

import struct
from functools import lru_cache


def _f4(value: float) -> float:
    """The value as a 4-byte float (pg_trgm's ``float4``), back in a Python float."""
    return struct.unpack("f", struct.pack("f", value))[0]


def _words(text: str) -> list[str]:
    words, current = [], []
    for ch in text:
        if ch.isalnum():
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


@lru_cache(maxsize=4096)
def trigrams(text: str) -> tuple[str, ...]:
    """Every trigram of ``text`` in order, repeats kept (pg_trgm's generate_trgm_only)."""
    out: list[str] = []
    for word in _words(text):
        padded = "  " + word.lower() + " "
        out.extend(padded[i : i + 3] for i in range(len(padded) - 2))
    return tuple(out)


def _sml(count: int, len1: int, len2: int) -> float:
    return _f4(_f4(float(count)) / _f4(float(len1 + len2 - count)))


def similarity(a: str | None, b: str | None) -> float:
    """pg_trgm ``similarity(a, b)``: shared trigrams over all trigrams of the two sets."""
    if a is None or b is None:
        return 0.0
    one, two = set(trigrams(a)), set(trigrams(b))
    if not one or not two:
        return 0.0
    return _sml(len(one & two), len(one), len(two))


def word_similarity(query: str | None, text: str | None) -> float:
    """pg_trgm ``word_similarity(query, text)`` (calc_word_similarity, non-strict)."""
    if query is None or text is None:
        return 0.0
    wanted = set(trigrams(query))
    sequence = trigrams(text)
    if not wanted or not sequence:
        return 0.0
    found = [t in wanted for t in sequence]
    # One slot per distinct trigram: its last position inside the current extent.
    slot = {t: i for i, t in enumerate(dict.fromkeys(sequence))}
    return _iterate(sequence, found, [slot[t] for t in sequence], len(wanted))


def _iterate(sequence: tuple[str, ...], found: list[bool], slots: list[int], ulen1: int) -> float:
    """pg_trgm's iterate_word_similarity without the strict or check-only flags."""
    lastpos = [-1] * len(slots)
    ulen2 = count = 0
    lower = -1
    best = 0.0
    for i in range(len(sequence)):
        index = slots[i]
        if lower >= 0 or found[i]:
            if lastpos[index] < 0:
                ulen2 += 1
                count += found[i]
            lastpos[index] = i
        if not found[i]:
            continue
        upper = i
        if lower == -1:
            lower, ulen2 = i, 1
        current = _sml(count, ulen1, ulen2)
        tmp_count, tmp_ulen2, prev_lower = count, ulen2, lower
        for tmp_lower in range(lower, upper + 1):
            candidate = _sml(tmp_count, ulen1, tmp_ulen2)
            if candidate > current:
                current, ulen2, lower, count = candidate, tmp_ulen2, tmp_lower, tmp_count
            if lastpos[slots[tmp_lower]] == tmp_lower:
                tmp_ulen2 -= 1
                tmp_count -= found[tmp_lower]
        best = max(best, current)
        for tmp_lower in range(prev_lower, lower):
            if lastpos[slots[tmp_lower]] == tmp_lower:
                lastpos[slots[tmp_lower]] = -1
    return best


def register_sqlite(dbapi_connection) -> None:
    """Add ``khs_similarity`` and ``khs_word_similarity`` to a sqlite3 connection."""
    dbapi_connection.create_function("khs_similarity", 2, similarity, deterministic=True)
    dbapi_connection.create_function("khs_word_similarity", 2, word_similarity, deterministic=True)
