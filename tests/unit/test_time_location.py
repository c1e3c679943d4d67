"""How the server keeps a clock-in's position: 3 decimals (~110 m), half-up from the
decimal text the phone sent, whatever its precision (services/time/location.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from khs_crm.services.time.location import Stamps, map_href, rounded


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        (41.878113, "41.878"),
        (-87.629798, "-87.630"),
        (1.0005, "1.001"),  # the float's binary tail (1.000499…) does not tip it down
        (-0.0005, "-0.001"),  # half away from zero, as the office's money rounds
        (90, "90.000"),
        (-179.9996, "-180.000"),
        (12.3, "12.300"),
    ],
    ids=["chicago-lat", "chicago-lng", "half-up", "negative-half", "pole", "near-180", "short"],
)
def test_a_coordinate_is_kept_to_three_decimals(sent, kept):
    assert rounded(sent) == Decimal(kept)
    assert str(rounded(sent)) == kept


def test_a_position_comes_whole():
    assert Stamps.model_validate({"inLat": 1, "inLng": 2}).in_lat == 1
    with pytest.raises(ValueError, match="both its latitude and its longitude"):
        Stamps.model_validate({"outLat": 1})


def test_the_office_map_link_centres_on_the_kept_position():
    href = map_href(Decimal("41.878"), Decimal("-87.630"))
    assert href == ("https://www.openstreetmap.org/?mlat=41.878&mlon=-87.630#map=17/41.878/-87.630")
    assert map_href(None, None) == ""
