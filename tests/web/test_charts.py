"""The numbers behind the SVG charts: a volume chart's unit follows the span of its
data, every row lands in one bar, and a map dot's area follows its count."""

from __future__ import annotations

from datetime import date

from wirescope.web.charts import compare, dots, volume


def never() -> list[tuple[str, int]]:
    raise AssertionError("a long span is drawn from the months alone")


def test_a_few_weeks_are_drawn_by_day_with_empty_days_between() -> None:
    days = [("2024-02-27", 2), ("2024-03-03", 5)]
    vol = volume([("2024-02", 2), ("2024-03", 5), ("undated", 4)], lambda: days)
    assert vol is not None and vol.unit == "day"
    assert [b.label for b in vol.bars][:2] == ["2024-02-27", "2024-02-28"]
    assert len(vol.bars) == 6 and sum(b.count for b in vol.bars) == vol.total == 7
    assert vol.undated == 4  # counted, not drawn
    assert vol.bars[0].since == vol.bars[0].until == date(2024, 2, 27)


def test_a_few_months_are_drawn_by_week_from_monday() -> None:
    days = [("2024-01-03", 1), ("2024-01-04", 1), ("2024-05-30", 3)]
    vol = volume([("2024-01", 2), ("2024-05", 3)], lambda: days)
    assert vol is not None and vol.unit == "week"
    first = vol.bars[0]
    assert first.since == date(2024, 1, 1) and first.until == date(2024, 1, 7)
    assert first.count == 2 and vol.bars[-1].count == 3 and vol.total == 5


def test_years_are_drawn_by_month_and_decades_by_year() -> None:
    vol = volume([("2020-01", 1), ("2021-12", 2)], never)
    assert vol is not None and vol.unit == "month" and len(vol.bars) == 24
    assert vol.bars[-1].until == date(2021, 12, 31)
    long = volume([("2001-06", 1), ("2011-02", 2), ("2011-03", 3)], never)
    assert long is not None and long.unit == "year" and len(long.bars) == 11
    assert long.bars[-1].count == 5
    assert volume([("undated", 3)], never) is None


def test_two_series_share_one_scale_and_the_months_of_both() -> None:
    chart = compare([("a", [("2021-01", 4)]), ("b", [("2021-03", 2)])])
    assert chart is not None and chart.months == ["2021-01", "2021-02", "2021-03"]
    assert [s.counts for s in chart.series] == [[4, 0, 0], [0, 0, 2]] and chart.top == 4
    assert compare([("a", [])]) is None


def test_map_dots_by_area_and_without_coordinates_left_out() -> None:
    found = dots([("big", 0.0, 0.0, 100, "/x"), ("small", 10.0, 10.0, 25, "/y")])
    found += dots([("nowhere", None, None, 5, "/z")])
    assert [d.label for d in found] == ["big", "small"]
    big, small = found
    assert (big.x, big.y) == (180.0, 90.0)
    assert round((big.r - 1.2) / (small.r - 1.2), 6) == 2.0  # area 4x, radius 2x
