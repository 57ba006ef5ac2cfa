"""Words and regex pieces of time expressions: month, weekday, number and unit names,
and the fragments the rules are built from."""

from __future__ import annotations

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6,
}  # fmt: skip
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "twenty-first": 21,
}  # fmt: skip
NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a hundred": 100, "a couple of": 2, "a dozen": 12, "dozen": 12,
}  # fmt: skip
VAGUE_NUMBERS = ("several", "a few", "few", "many", "some", "a number of", "the", "")
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}
# TIMEX3 duration codes, and the granularity of a relative unit's value
UNIT_CODE = {
    "second": "TS", "minute": "TM", "hour": "TH", "day": "D", "night": "D", "week": "W",
    "weekend": "WE", "month": "M", "quarter": "Q", "year": "Y", "decade": "DE",
    "century": "CE",
}  # fmt: skip

Sign = int  # +1 forward (future), -1 back (past), 0 unknown


def _ci(word: str) -> str:
    """A word with its first letter in either case ("[Ee]arly"): month names stay capitalized."""
    return f"[{word[0].upper()}{word[0].lower()}]{word[1:]}"


def _alt(words: list[str] | tuple[str, ...]) -> str:
    return "(?:" + "|".join(words) + ")"


def _cialt(words: list[str] | tuple[str, ...]) -> str:
    return _alt([_ci(w) for w in sorted(words, key=len, reverse=True)])


# Month names must be capitalized: "may" and "march" are also verbs.
_MONTH = (
    r"(?P<month>January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|"
    r"Nov\.?|Dec\.?)(?![a-z])"
)
_MOD = (
    r"(?P<mod>" + _cialt(["early", "mid", "late", "the end of", "the beginning of",
                          "the start of", "the middle of", "the first half of",
                          "the second half of"])
    + r"|[Mm]id-|[Ll]ate-|[Ee]arly-)"
)  # fmt: skip
_PREP_MOD = r"(?P<pmod>" + _cialt(["since", "before", "after", "until", "by"]) + ")"
_PRE = r"(?:" + _PREP_MOD + r"\s+)?"  # a preposition kept out of the span
_YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)(?!\d|,\d)"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_WEEKDAY = (
    r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)(?P<plural>s)?(?![a-z])"
)
_PART = r"(?P<part>morning|afternoon|evening|night)"
_EL = r"(?:(?P<el>[Ee]arlier|[Ll]ater)\s+)?"
_B = r"(?<![\w-])"  # word start that is not inside "re-1992" or a number
_E = r"(?![\w-])"
_NUMWORD = _cialt([w for w in NUMBER_WORDS if w not in ("a", "an")])
_NUM = (
    r"(?P<n>\d{1,3}(?:\.\d)?|" + _NUMWORD + r"(?:[\s-]" + _NUMWORD + r")?|[Aa]n?"
    r"|[Ss]everal|[Aa] few|[Ff]ew|[Mm]any|[Ss]ome|[Aa] number of)"
)
_UNIT = (
    r"(?P<unit>second|minute|hour|day|night|week|weekend|month|quarter|year|decade|centur(?:y|ie))"
)
_CLOCK = (
    r"(?P<h>[01]?\d)(?::(?P<mi>[0-5]\d))?\s*(?P<ap>[AaPp]\.?\s?[Mm]\b\.?)"
    r"(?:\s+(?P<tz>[ECMP][SD]T|GMT|UTC))?"
    r"|(?<![Hh]igh )(?P<noon>[Nn]oon|[Mm]idnight|[Mm]idday)"
)
_CENT = (
    r"(?P<cnum>\d{1,2}(?:st|nd|rd|th)|"
    + _alt([_ci(w) for w in sorted(ORDINALS, key=len, reverse=True)])
    + ")"
)
_QNUM = r"(?P<q>[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|1st|2nd|3rd|4th)"
_HALF = r"(?P<hn>[Ff]irst|[Ss]econd|1st|2nd)"


def _behind(words: list[str]) -> str:
    """One of `words` and a space, kept out of the span (group "pre", see _span_start);
    cheaper than a lookbehind per word."""
    return r"(?<![\w-])(?P<pre>" + _cialt(words) + r")\s+"
