"""The gender detector's name list, read at once, equals gender_guesser's own reading."""

from __future__ import annotations

import gender_guesser.detector as gender_detector

from wirescope.extract.mentions import _gender_detector, first_name_gender


def test_the_name_list_read_at_once_is_the_stock_one() -> None:
    stock = gender_detector.Detector(case_sensitive=False)
    ours = _gender_detector()
    assert ours.names == stock.names
    assert len(ours.names) > 40_000


def test_first_names_keep_their_gender() -> None:
    assert first_name_gender("Margaret") == "f"
    assert first_name_gender("john") == "m"
    assert first_name_gender("Darian") is None  # only "mostly_male": no rule
    assert first_name_gender("Darian", likely=True) == "m"
