"""The header's search box: Enter goes by the words in the box, even when their debounced
typing has not reached the server yet."""

from __future__ import annotations

from khs_crm.state.office.search import Group, Hit, SearchBoxState
from tests.unit.test_office_state import call, root_state, sub


def _redirect_path(spec) -> str:
    return next(value for name, value in spec.args if str(name) == "path")._var_value


def _box_showing(query: str, href: str) -> SearchBoxState:
    box = sub(root_state(None), SearchBoxState)
    hit = Hit(index=0, option_id="search-option-0", label="Ann Smith", detail="", href=href)
    box.box_query, box.box_groups = query, [Group(kind="customers", title="Customers", hits=[hit])]
    box.box_open, box.box_count, box.box_active = True, 1, 0
    return box


def test_enter_opens_the_chosen_option_when_the_list_answers_the_box():
    box = _box_showing("smith", "/customers/1")
    assert _redirect_path(call(SearchBoxState.key, box, "Enter", "smith")) == "/customers/1"
    assert (box.box_open, box.box_active) == (False, -1)


def test_enter_before_the_typing_arrives_opens_the_results_of_the_box_s_words():
    box = _box_showing("s", "/customers/1")  # the list still answers the first letter
    spec = call(SearchBoxState.key, box, "Enter", "smith")
    assert _redirect_path(spec) == "/search?q=smith"
    assert (box.box_query, box.box_open) == ("smith", False)
    # the late, debounced typing of the same words leaves the list closed
    assert call(SearchBoxState.type_text, box, "smith") is None
    assert box.box_open is False


def test_enter_on_an_empty_box_does_nothing():
    box = _box_showing("s", "/customers/1")
    assert call(SearchBoxState.key, box, "Enter", "   ") is None
    assert box.box_query == "s"
