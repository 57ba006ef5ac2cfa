"""The rules: each pattern with its handler, in the order they claim text."""

from __future__ import annotations

import re

from wirescope.extract.dates.anchoring import Ctx, Handler, Norm
from wirescope.extract.dates.durations import (
    _duration_h,
    _half_duration,
    _one_year,
    _plural_duration,
    _set_adverb,
    _set_month,
    _set_unit,
)
from wirescope.extract.dates.points import (
    _ago,
    _century,
    _clock,
    _decade,
    _end_of_year,
    _fiscal,
    _full_date,
    _half,
    _holiday,
    _iso_date,
    _month_day,
    _month_only,
    _month_rel_year,
    _month_year_h,
    _part_of_day,
    _quarter_h,
    _ref_word,
    _relative_day,
    _relative_unit,
    _season,
    _spelled_year,
    _the_quarter,
    _this_year,
    _unit_edge,
    _weekday,
    _year,
    _year_ago_adj,
    _year_quarter,
)
from wirescope.extract.dates.words import (
    _B,
    _CENT,
    _CLOCK,
    _DAY,
    _E,
    _EL,
    _HALF,
    _MOD,
    _MONTH,
    _NUM,
    _NUMWORD,
    _PART,
    _PRE,
    _PREP_MOD,
    _QNUM,
    _UNIT,
    _WEEKDAY,
    _YEAR,
    SEASONS,
    _behind,
)

_Q_WORD = (
    r"(?P<which>(?:the\s+)?(?:latest|current|most\s+recent|year[\s-]?(?:ago|earlier)|same"
    r"|comparable|fiscal)|[Tt]his)"
)

# fmt: off
# Ordered: the first rule to claim characters wins, so longer forms come first.
# (pattern, handler, needs a date context: inside a spaCy DATE/TIME entity)
RULES: list[tuple[re.Pattern[str], Handler, bool]] = [
    (re.compile(_B + r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"), _iso_date, False),
    # clock times joined to their day: "10 p.m. Wednesday", "5 p.m. EST, Nov. 6", "noon today"
    (re.compile(_B + r"(?:(?P<approx>[Aa]round|[Aa]bout|[Aa]pproximately)\s+)?(?:" + _CLOCK
                + r")(?:,?\s+(?:(?P<rd>yesterday|today|tomorrow)|" + _MONTH + r"\s+" + _DAY
                + r"(?!\d)|" + _WEEKDAY + r"))?"), _clock, False),
    (re.compile(_B + r"(?:" + _WEEKDAY + r",?\s+)?" + _PRE + r"(?:" + _MOD + r"\s+)?" + _MONTH
                + r"\s+" + _DAY + r",?\s+" + _YEAR), _full_date, False),
    (re.compile(_B + r"(?:" + _WEEKDAY + r",?\s+)?" + _PRE + _DAY + r"\s+" + _MONTH + r",?\s+"
                + _YEAR), _full_date, False),
    (re.compile(_B + _PRE + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|[Tt]he\s+)?" + _CENT
                + r"[\s-]+[Cc]entury"), _century, False),
    (re.compile(_B + _PRE + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|[Tt]he\s+)(?P<dec>1[5-9]\d0s"
                r"|20\d0s|['’]\d0s"
                r"|twenties|thirties|forties|fifties|sixties|seventies|eighties|nineties)" + _E),
     _decade, False),
    # quarters and halves
    (re.compile(_B + r"(?:[Tt]he\s+)?(?:(?P<year>1[5-9]\d\d|20\d\d)\s+|(?P<rel>[Tt]his|[Ll]ast"
                r"|[Nn]ext|[Pp]revious)"
                r"\s+year['’]s\s+|(?:[Tt]he\s+|[Ii]ts\s+|[Aa]\s+)(?:(?:fiscal|flat|weak|strong"
                r"|latest)\s+)?)?"
                + _QNUM + r"(?:[\s-]+fiscal)?[\s-]+[Qq]uarters?(?![\w-])"
                + r"(?:\s+of\s+(?:fiscal\s+)?(?P<y2>1[5-9]\d\d|20\d\d))?"),
     _quarter_h, False),
    # "the 1988 quarter", "the year-ago third quarter", "last year's period": the reported
    # quarter of another year
    (re.compile(_B + r"(?:[Tt]he\s+)?(?:(?P<year>1[5-9]\d\d|20\d\d)|(?P<ya>[Yy]ear[\s-](?:ago"
                r"|earlier))|(?P<rel>[Tt]his|[Ll]ast|[Nn]ext)\s+year['’]s)\s+(?:" + _QNUM
                + r"[\s-]+)?(?:fiscal\s+)?(?:quarter|period)" + _E), _year_quarter, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?" + _HALF + r"[\s-]+half(?:\s+of\s+" + _YEAR + r")?" + _E),
     _half, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?" + _Q_WORD + r"[\s-]+(?:quarter"
                r"|period)" + _E), _the_quarter, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Qq]uarter\s+a\s+year\s+(?:ago"
                r"|earlier)"), _year_ago_adj, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Cc]orresponding\s+period\s+(?:a\s+year\s+(?:ago|earlier)"
                r"|last\s+year)"),
     _year_ago_adj, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Qq]uarter" + _E), _the_quarter, True),
    (re.compile(_B + r"[Yy]ear[\s-](?:ago|earlier)(?=\s+(?:quarter|period|level|results|figure|"
                r"profit|earnings|loss|sales|net|revenue|month))"), _year_ago_adj, False),
    (re.compile(_B + _PRE + r"(?:(?:[Tt]he\s+)?" + _MOD + r"\s*|[Tt]he\s+)?(?:(?P<rel>[Tt]his"
                r"|[Ll]ast|[Nn]ext)\s+)?(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn"
                r"|[Ww]inter)\s+(?:of\s+)?" + _YEAR + _E), _season, False),
    (re.compile(_B + _PRE + r"(?:(?:the\s+)?" + _MOD + r"\s*|(?P<rel>[Tt]his|[Ll]ast"
                r"|[Nn]ext)\s+)"
                r"(?P<season>[Ss]pring|[Ss]ummer|[Ff]all|[Aa]utumn|[Ww]inter)" + _E),
     _season, False),
    (re.compile(_behind(["in", "during", "by", "until", "since", "through", "over"])
                + r"(?P<season>spring|summer|autumn|winter)" + _E), _season, False),
    (re.compile(_B + r"(?:(?P<every>[Ee]very|[Ee]ach)\s+|(?:[Tt]he|[Tt]his|[Ll]ast|[Nn]ext)\s+)"
                r"(?P<season>spring|summer|fall|autumn|winter)" + _E), _season, False),
    (re.compile(_B + _PRE + r"(?:" + _MOD + r"\s*)?" + _MONTH + r",?\s+(?:of\s+)?" + _YEAR),
     _month_year_h, False),
    # "early October this year", "in April next year": one expression
    (re.compile(_B + _PRE + r"(?:" + _MOD + r"\s*)?" + _MONTH + r",?\s+(?:of\s+)?"
                r"(?P<rel>this|next|last)\s+year" + _E), _month_rel_year, False),
    (re.compile(_B + r"(?:[Ee]very|[Ee]ach)\s+" + _MONTH), _set_month, False),
    (re.compile(_B + r"(?P<every>[Ee]very|[Ee]ach)\s+" + _WEEKDAY), _weekday, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?(?P<wk>[Ww]eek)\s+of\s+" + _MONTH + r"\s+" + _DAY
                + r"(?!\d|:\d)"), _month_day, False),
    (re.compile(_B + r"(?:" + _WEEKDAY + r",?\s+)?" + _PRE + r"(?:" + _MOD + r"\s+)?" + _MONTH
                + r"\s+" + _DAY + r"(?!\d|:\d)"), _month_day, False),
    # "24 January", "on 3 March": the day before the month keeps its day
    (re.compile(_B + r"(?:" + _WEEKDAY + r",?\s+)?" + _PRE + _DAY + r"\s+" + _MONTH
                + r"(?!,?\s*\d)"), _month_day, False),
    (re.compile(_B + _EL + r"(?:(?P<rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?" + _WEEKDAY
                + r"(?:\s+" + _PART + r")?"), _weekday, False),
    (re.compile(_B + _PRE + r"(?:(?P<rel>[Tt]his|[Ll]ast|[Nn]ext)\s+)?(?P<hol>Christmas(?: Eve"
                r"| Day)?|New Year['’]s"
                r" (?:Eve|Day)|July Fourth|Fourth of July|Boxing Day|Valentine['’]s Day"
                r"|Halloween|Independence Day|Thanksgiving(?: Day)?|"
                r"Labor Day|Memorial Day|Easter(?: Sunday)?|Good Friday|May Day|Bastille Day|"
                r"Remembrance Day|Veterans Day)(?:\s+" + _YEAR + r")?" + _E), _holiday, False),
    (re.compile(_B + _EL + r"(?:" + _MOD + r"\s*|" + _PREP_MOD + r"\s+|(?P<rel>[Ll]ast|[Nn]ext"
                r"|[Tt]his)\s+)" + _MONTH),
     _month_only, False),
    (re.compile(r"(?<=\b[Ii]n\s)" + _MONTH + r"(?!\s+\d)"), _month_only, False),
    (re.compile(_behind(["for", "through", "from", "during", "until", "till", "since", "of"])
                + _MONTH + r"(?!\s+\d)"), _month_only, False),
    (re.compile(_B + r"(?!May\b)" + _MONTH + r"(?!\s+\d)"), _month_only, True),
    # relative days and parts of day ("mid-afternoon yesterday" before "yesterday")
    (re.compile(_B + r"(?:(?P<mid>[Mm]id-?)|(?P<rel>[Ee]arly|[Ll]ate)\s+)" + _PART
                + r"\s+(?P<rd>yesterday|today|tomorrow)" + _E), _part_of_day, False),
    (re.compile(_B + _EL + r"(?P<rd>[Yy]esterday|[Tt]oday|[Tt]onight"
                r"|[Tt]omorrow)(?:\s+" + _PART + r")?" + _E),
     _relative_day, False),
    (re.compile(_B + r"(?:(?P<mid>[Mm]id-?)|(?P<rel>[Tt]his|[Ll]ast"
                r"|[Tt]he)\s+)" + _PART + _E
                + r"(?:\s+(?P<rd>yesterday|today|tomorrow))?"), _part_of_day, False),
    (re.compile(_B + r"(?P<part>[Oo]vernight)" + _E), _part_of_day, False),
    # durations (before relative units: "the past two weeks" is a duration, "last week" a date)
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Ss]ome|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?"
                + _NUM + r"\s+(?:more\s+|full\s+|straight\s+|consecutive\s+"
                r"|long\s+)?" + _UNIT + r"s?\s+"
                r"(?P<dir>ago|earlier|from now|hence)" + _E), _ago, False),
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?(?P<n>\d{1,3}|" + _NUMWORD + r")(?:\s+1/2|½"
                r"|\s+and\s+a\s+half)\s+" + _UNIT + r"s?" + _E), _half_duration, False),
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?(?P<n>[Aa]n?|\d{1,3}|" + _NUMWORD + r")\s+" + _UNIT
                + r"s?\s+and\s+a\s+half" + _E), _half_duration, False),
    (re.compile(_B + r"(?:[Tt]he\s+(?:[Ll]ast|[Ff]irst|[Ff]inal|[Ll]atest|[Rr]emaining)"
                r"|(?:[Tt]he\s+)?(?:[Pp]ast|[Nn]ext|[Cc]oming|[Pp]revious))\s+" + _NUM
                + r"\s+(?:more\s+|full\s+)?" + _UNIT + r"s?" + _E), _duration_h, False),
    (re.compile(_B + r"(?:(?P<approx>[Aa]bout|[Aa]round|[Rr]oughly|[Aa]pproximately)\s+|"
                r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early|[Aa]lmost"
                r"|[Uu]nder|[Oo]ver)\s+)?"
                r"(?P<n>\d{1,3}(?:\.\d)?|" + _NUMWORD + r"(?:[\s-]" + _NUMWORD + r")?|[Ss]everal"
                r"|[Aa] few|[Aa] couple of"
                r"|[Mm]any)\s+(?:more\s+|full\s+|straight\s+"
                r"|consecutive\s+)?" + _UNIT + r"s?" + _E + r"(?!\s+old\b)"), _duration_h, False),
    (re.compile(r"(?:" + _B + r"(?P<lt>[Ll]ess than|[Mm]ore than|[Aa]t least|[Uu]p to|[Nn]early"
                r"|[Aa]lmost|[Oo]ver|[Uu]nder)\s+|" + _behind(["for", "within", "took", "lasted",
                "last", "spent", "about", "only", "just", "after", "in"]) + r")"
                r"(?P<n>[Aa]n?)\s+(?:full\s+)?" + _UNIT + _E + r"(?!\s+(?:ago|earlier|later|old))"),
     _duration_h, False),
    (re.compile(_B + r"(?P<n>\d{1,3}|" + _NUMWORD + r"(?:-" + _NUMWORD + r")?)-" + _UNIT + _E
                + r"(?!-old)"),
     _duration_h, False),
    # "a day-long meeting", "a decades-long feud": a stretch as an adjective
    (re.compile(_B + r"(?P<unit>[Dd]ay|[Ww]eek|[Mm]onth|[Yy]ear|[Hh]our|[Dd]ecade)-long" + _E),
     _duration_h, False),
    (re.compile(_B + r"(?P<unit>[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears|[Hh]ours|[Dd]ecades)-long"
                + _E), _plural_duration, False),
    # relative units ("the past week" is a stretch up to now: a duration)
    (re.compile(_B + r"[Tt]he\s+(?P<rel>[Pp]ast|[Ll]ast)\s+(?P<unit>week|month|year|decade|century)"
                + _E), _relative_unit, False),
    (re.compile(_B + _EL + r"(?P<rel>[Ll]ast|[Nn]ext|[Tt]his|[Pp]ast|[Cc]oming|[Pp]revious"
                r"|[Tt]he\s+current)\s+"
                + _UNIT + _E), _relative_unit, False),
    (re.compile(_B + r"(?P<rel>[Tt]he)\s+(?P<unit>weekend)" + _E), _relative_unit, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?(?P<edge>[Ee]nd|[Bb]eginning|[Ss]tart|[Mm]iddle)\s+of\s+"
                r"(?:(?P<rel>the|this|next|last|that)\s+)?(?P<unit>week|month|year|decade|century)"
                r"(?![\w-])(?:\s+" + _YEAR + r")?"), _unit_edge, False),
    (re.compile(_B + r"[Tt]he\s+(?:fiscal\s+)?year(?=\s+(?:ended|ending|through|to\s+date))"),
     _one_year, False),
    (re.compile(_B + r"(?:[Yy]ear['’]s[\s-]end|[Yy]ear[\s-]end)" + _E + r"(?:\s+" + _YEAR + r")?"),
     _end_of_year, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?(?:[Ff]ull|[Ee]ntire|[Ww]hole)\s+year" + _E),
     _this_year, False),
    # "for the year, sales fell", "nine months of the year.": the current year, where the
    # phrase ends (not "the year before", "the year he left", "the year ended June 30")
    (re.compile(_behind(["for", "of", "in", "during", "throughout"]) + r"the\s+year"
                r"(?=\s*[,.;:]|\s+of\s+\$|\s+by\b)"), _this_year, False),
    (re.compile(_B + r"(?:[Tt]he\s+)?[Cc]oming\s+(?P<unit>days|weeks|months|years|decades)" + _E),
     _plural_duration, False),
    (re.compile(_behind(["for", "within", "over", "in"])
                + r"(?P<unit>days|weeks|months|years|decades"
                r"|centuries)(?!\s+(?:ago|of|later|earlier|before|after|old))" + _E),
     _plural_duration, False),
    # "months of talks", "years of war": a stretch of unstated length
    (re.compile(r"(?<!\d\s)" + _B + r"(?P<unit>[Dd]ays|[Ww]eeks|[Mm]onths|[Yy]ears|[Dd]ecades)"
                r"(?=\s+of\s)"), _plural_duration, False),
    (re.compile(_B + r"[Tt]he\s+year\s+(?P<sy>two thousand)(?P<sn>)(?![\s-](?:and\s+)?" + _NUMWORD
                + _E + r")" + _E), _spelled_year, False),
    (re.compile(_B + r"(?P<sy>[Nn]ineteen|[Tt]wo thousand)[\s-](?P<sn>(?:" + _NUMWORD
                + r")(?:[\s-]" + _NUMWORD + r")?)" + _E), _spelled_year, False),
    # sets
    (re.compile(_B + r"(?:[Ee]very|[Ee]ach"
                r"|[Pp]er)\s+(?:single\s+)?" + _UNIT + _E), _set_unit, False),
    (re.compile(r"(?<=\d\s)(?:a|per)\s+" + _UNIT + _E), _set_unit, False),
    (re.compile(_behind(["cents", "dollars", "pounds", "euros", "tonnes", "barrels", "times",
                         "twice", "once", "percent", "million", "billion", "thousand",
                         "hundred"]) + r"(?:a|per)\s+"
                + _UNIT + _E), _set_unit, False),
    # "quarterly" and "annually" are mostly adjectives of money ("quarterly dividend")
    (re.compile(_B + r"(?P<adv>[Dd]aily|[Ww]eekly|[Mm]onthly|[Yy]early|[Hh]ourly"
                r"|[Nn]ightly)" + _E), _set_adverb, False),
    # years
    (re.compile(_B + r"(?:[Ff]iscal(?:\s+year)?)\s+" + _YEAR), _fiscal, False),
    (re.compile(_B + r"(?:" + _MOD + r"\s*|" + _PREP_MOD + r"\s+)" + _YEAR), _year, False),
    (re.compile(r"(?<=\b[IiOo][nf]\s)" + _YEAR), _year, False),
    (re.compile(_B + _YEAR), _year, True),
    # PRESENT_REF / PAST_REF / FUTURE_REF
    (re.compile(_B + r"(?P<refw>(?:[Rr]ight\s+)?[Nn]ow|[Cc]urrently|[Nn]owadays|[Tt]hese days"
                r"|[Aa]t present"
                r"|[Pp]resently|(?:[Mm]ore\s+)?[Rr]ecently|[Rr]ecent\s+(?:years|days|weeks"
                r"|months)|[Ll]ately"
                r"|[Tt]he past|[Ff]ormerly|[Tt]he (?:near )?future)" + _E
                + r"(?!(?<![Nn]ow)\s+that\b)"),  # "now that ..." is a time, "the past that" no
     _ref_word, False),
]
# fmt: on


def _ref_adj(m: re.Match[str], c: Ctx) -> Norm | None:
    return _ref_word(m, c)


# "current" and "recent", "future" as adjectives ("current quarter" is taken above)
RULES.append(
    (
        re.compile(_B + r"(?P<refw>[Ff]uture)" + _E),
        _ref_adj,
        True,
    )
)
# "current" and "recent" before a noun: the present or recent past as such
RULES.append(
    (
        re.compile(
            _B
            + r"(?<!then )(?P<refw>[Cc]urrent|[Rr]ecent)"
            + _E
            + r"(?!\s+(?:account|accounts|affairs|events|dollars|liabilities|assets))"
        ),
        _ref_adj,
        False,
    )
)

# Words without which a rule cannot match (lower case): the rule is skipped for a text
# that has none of them.
_NEEDS: dict[Handler, tuple[str, ...]] = {
    _century: ("centur",),
    _decade: ("0s", "ties"),
    _season: tuple(SEASONS),
    _holiday: ("christmas", "new year", "fourth", "boxing", "valentine", "halloween",
               "independence", "thanksgiving", "labor", "memorial", "easter", "good friday",
               "may day", "bastille", "remembrance", "veterans"),
    _quarter_h: ("quarter",),
    _year_quarter: ("quarter", "period"),
    _half: ("half",),
    _the_quarter: ("quarter", "period"),
    _year_ago_adj: ("year",),
    _ago: ("ago", "earlier", "from now", "hence"),
    _set_month: ("every", "each"),
    _set_unit: ("every", "each", "per ", "a "),
    _set_adverb: ("daily", "weekly", "monthly", "yearly", "hourly", "nightly"),
    _spelled_year: ("nineteen", "two thousand"),
    _fiscal: ("fiscal",),
    _unit_edge: (" of ",),
    _end_of_year: ("end",),
    _one_year: ("year",),
    _this_year: ("year",),
    _part_of_day: ("morning", "afternoon", "evening", "night"),
    _clock: (".m", "am", "pm", "a m", "p m", "noon", "midnight", "midday"),
    _relative_day: ("yesterday", "today", "tonight", "tomorrow"),
    _weekday: ("day",),
    _month_rel_year: ("this year", "next year", "last year"),
    _plural_duration: ("days", "weeks", "months", "years", "decades", "centuries", "hours"),
    _half_duration: ("1/2", "½", " half"),
}  # fmt: skip

_ABSOLUTE: frozenset[Handler] = frozenset(
    {_iso_date, _full_date, _month_year_h, _year, _decade, _century, _fiscal}
)
