"""pg_trgm's measures in Python (the SQLite side of the similarity rule): known values from
PostgreSQL 15's pg_trgm (tests/integration/test_search_same_answers.py compares them live)."""

import sqlite3

import pytest

from khs_crm.services.search.trigram import register_sqlite, similarity, trigrams, word_similarity


def test_trigrams_are_padded_words_in_lower_case():
    assert trigrams("Ann O'Neil") == (
        "  a", " an", "ann", "nn ", "  o", " o ", "  n", " ne", "nei", "eil", "il ",
    )  # fmt: skip
    assert trigrams("--") == ()


@pytest.mark.parametrize(
    ("a", "b", "sim", "word"),
    [
        ("patrica", "Patricia Nguyen", 0.33333334, 0.75),
        ("Patrica", "Patricia Hernandez", 0.2857143, 0.75),
        ("whitfeld", "Casey Whitfield", None, 0.5833333),
        ("a b", "ab", 0.16666667, 0.25),
        ("", "x", 0.0, 0.0),
    ],
)
def test_values_match_postgresql(a, b, sim, word):
    if sim is not None:
        assert similarity(a, b) == pytest.approx(sim, abs=1e-7)
    assert word_similarity(a, b) == pytest.approx(word, abs=1e-7)


def test_registered_on_sqlite():
    conn = sqlite3.connect(":memory:")
    register_sqlite(conn)
    row = conn.execute("SELECT khs_word_similarity('patrica', 'Patricia Nguyen'), "
                       "khs_similarity(NULL, 'x')").fetchone()  # fmt: skip
    assert row == (0.75, 0.0)
