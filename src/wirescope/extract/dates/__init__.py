"""Time expressions (TimeML TIMEX3) normalized against publication time and tense.

Rules over precompiled regexes, not a date library: they run for every article and
cost about a millisecond, where dateparser or Recognizers cost tens. Each mention gets
a TIMEX3 `type` (DATE, TIME, DURATION, SET) and `value` (2021-03-01, 2021-W09,
2021-Q3, 2021-SU, 2021-03-01T22:00, 2021-03-01TNI, P90D, PRESENT_REF, XXXX-WXX-1 ...);
values never invent precision: a month stays "2020-09", a decade "199", a century "19".

Spans follow TimeML: no leading preposition ("on Monday" -> "Monday", "since 1992" ->
"1992", the preposition kept as the legacy `modifier`), determiners kept ("the third
quarter").

Relative expressions without their own direction ("Wednesday", "in September",
"March 8", "the summer") are anchored as HeidelTime and SUTime do: on the publication
day, looking forward or back by the tense of the clause they sit in, read from spaCy's
parse: "will", "would", "is due to", "scheduled", "plans to", present progressive ...
look forward; past tense and perfect look back. Quotes are anchored the same way.
"""

from wirescope.extract.dates.anchoring import clause_sign
from wirescope.extract.dates.find import extract_dates, reference_date

__all__ = ["clause_sign", "extract_dates", "reference_date"]
