"""Article metadata from a news page's HTML: publication and modification time with
their zone, author, site name and canonical URL.

News pages state these in machine-readable places, in this order of trust: JSON-LD
(`NewsArticle.datePublished` / `dateModified` / `author` / `publisher`), Open Graph
and article meta tags (`article:published_time`, `article:modified_time`,
`og:site_name`), itemprop/Dublin Core/Parse.ly tags, then `<time datetime>`.
trafilatura's `date` keeps the day only; htmldate is the fallback when a page has
none of these. Times are kept as written, with their UTC offset.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from wirescope.reading import safejson

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "published_time",
    "pubdate", "publishdate", "publish-date", "date.published", "dc.date.issued",
    "dcterms.created", "dc.date", "parsely-pub-date", "sailthru.date", "date",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "modified_time",
    "lastmod", "last-modified", "dcterms.modified", "date.modified",
)  # fmt: skip
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "dc.creator",
    "sailthru.author",
)
_SITE_META = ("og:site_name", "application-name", "publisher", "twitter:site")
_XML_DECLARATION = re.compile(r"\A\s*<\?xml[^>]*\?>")
_ISO_LIKE = re.compile(r"^\s*\d{4}-\d{2}-\d{2}")


# Years a news stamp can hold. Outside them a stamp is a placeholder a CMS writes
# for "unknown" (0001-01-01, 9999-12-31), not a time: read as no stamp at all.
EARLIEST_YEAR, LATEST_YEAR = 1800, 2200
# Zero values of common clocks, the same kind of placeholder inside those years.
_PLACEHOLDER_DAYS = frozenset({(1900, 1, 1), (1970, 1, 1)})


def plausible(stamp: datetime) -> bool:
    """Whether a stamp can be a real publication time, not a placeholder."""
    if not EARLIEST_YEAR <= stamp.year <= LATEST_YEAR:
        return False
    midnight = (stamp.hour, stamp.minute, stamp.second) == (0, 0, 0)
    return not (midnight and (stamp.year, stamp.month, stamp.day) in _PLACEHOLDER_DAYS)


def parse_iso(value: str) -> datetime | None:
    """An ISO 8601 stamp as written (with its offset when it has one), else None."""
    s = value.strip()
    if not _ISO_LIKE.match(s):
        return None
    s = re.sub(r"\s+", "T", s, count=1) if re.match(r"\d{4}-\d{2}-\d{2}\s+\d", s) else s
    s = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", s)  # +0100 -> +01:00
    s = re.sub(r"\.\d+(?=(?:Z|[+-]\d{2}:\d{2})?$)", "", s)  # fractions of a second
    try:
        return datetime.fromisoformat(s.replace("Z", "+00:00"))
    except ValueError:
        return None


def _json_ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _json_ld_items(item)
    elif isinstance(data, dict):
        yield data
        graph = data.get("@graph")
        if graph is not None:
            yield from _json_ld_items(graph)


def _names(value: Any) -> list[str]:
    """Author or publisher names from a JSON-LD value (a string, an object, a list)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() and "://" not in value else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


_ARTICLE_TYPES = ("article", "posting", "report", "blog", "webpage")


def _is_article(item: dict[str, Any]) -> bool:
    kind = item.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and any(t in k.lower() for t in _ARTICLE_TYPES) for k in kinds)


def html_metadata(html: str) -> dict[str, Any]:
    """`published`, `modified` (ISO strings with offset), `author`, `sitename`, `url`."""
    from lxml import html as lxml_html  # trafilatura's own parser

    # lxml refuses a str that carries an encoding declaration (the text is decoded
    # already): the declaration says nothing more, so it goes.
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = lxml_html.fromstring(html)
    except Exception:  # an unparsable page has no metadata; its text is read elsewhere
        return {}
    out: dict[str, Any] = {}
    ld_pub: list[str] = []
    ld_mod: list[str] = []
    ld_author: list[str] = []
    ld_site: list[str] = []
    for script in tree.xpath('//script[@type="application/ld+json"]'):
        try:
            data = safejson.loads(script.text_content() or "null")[0]
        except ValueError:
            continue
        for item in sorted(_json_ld_items(data), key=lambda i: not _is_article(i)):
            if isinstance(item.get("datePublished"), str):
                ld_pub.append(item["datePublished"])
            if isinstance(item.get("dateModified"), str):
                ld_mod.append(item["dateModified"])
            ld_author += _names(item.get("author"))
            ld_site += _names(item.get("publisher"))
    metas: dict[str, str] = {}
    for el in tree.xpath("//meta[@content]"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        if key and key not in metas and el.get("content", "").strip():
            metas[key] = el.get("content").strip()
    time_pub: list[str] = []
    time_mod: list[str] = []
    for el in tree.xpath("//time[@datetime]"):
        prop = (el.get("itemprop") or "").lower()
        (time_mod if prop == "datemodified" else time_pub).append(el.get("datetime", ""))

    def first(cands: list[str]) -> str | None:
        for c in cands:
            dt = parse_iso(c)
            if dt is not None and plausible(dt):
                return dt.isoformat()
        return None

    published = first(ld_pub + [metas[k] for k in _PUBLISHED_META if k in metas] + time_pub)
    modified = first(ld_mod + [metas[k] for k in _MODIFIED_META if k in metas] + time_mod)
    if published is None:
        published = _htmldate(html)
    if published:
        out["published"] = published
    if modified and modified != published:
        out["modified"] = modified
    authors = (
        ld_author or [metas[k] for k in _AUTHOR_META if k in metas and "://" not in metas[k]][:1]
    )
    if authors:
        out["author"] = "; ".join(dict.fromkeys(authors))
    site = (ld_site or [metas[k] for k in _SITE_META if k in metas])[:1]
    if site:
        out["sitename"] = site[0].lstrip("@")
    canonical = tree.xpath('//link[@rel="canonical"]/@href')
    url = metas.get("og:url") or (str(canonical[0]) if canonical else None)
    if url:
        out["url"] = url
    return out


def _htmldate(html: str) -> str | None:
    """htmldate's guess (a day, no time), for pages without structured dates."""
    try:
        from htmldate import find_date

        found = find_date(html, extensive_search=False, original_date=True)
    except Exception:  # a guesser's failure leaves the page undated, nothing more
        return None
    return found if isinstance(found, str) else None
