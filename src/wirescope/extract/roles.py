"""Roles as the article states them, read around one mention of a person's name.

Three places hold a role, each headed by a role noun (lexicon.ROLE_NOUNS, or a noun
shaped like an agent: "videographer", "comedian"):

- a title before the name: "Nato Secretary General Mark Rutte", "actor Kevin Spacey",
  "Republican state Sen. Keith Regier", "Mohey and co-founder Seif Zahran";
- a noun phrase set before it by a comma: "Israel's chief military spokesperson, Rear
  Admiral Daniel Hagari, said", "his nominee for commerce secretary, Howard Lutnick,";
- an apposition after it: "Matthew Levitt, senior fellow at the Washington Institute
  ...,", "Lina Khatib, an expert on the conflict at U.K. think-tank Chatham House,";
  and "Peter McNally of Third Bridge" (an affiliation).

Forms of address ("Mr", "Dr.", "Prince") stay honorifics, never roles, and a run of
abbreviated titles alone ("Gov.", "Lt. Gen.") is an honorific too; a role never spans
a clause boundary, a verb or another person's name, so no sentence fragment becomes one.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from wirescope.extract.lexicon import COURTESY_TITLES, HONORIFICS, NOT_AGENT_NOUNS, ROLE_NOUNS
from wirescope.nlp.parse import doc_text
from wirescope.record.models import Entity

_AGENT_ENDINGS = ("er", "or", "ist", "ian", "man", "woman", "person", "ant", "ee")
_CONNECTORS = frozenset({"of", "for", "to", "at", "in", "on", "with", "from"})
_PRE_CONNECTORS = frozenset({"of", "for", "to", "&"})  # inside a title before a name
_LEADING = frozenset(
    {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "another", "'s", "’s"}
)
_CLAUSE_WORDS = frozenset({"who", "whom", "whose", "which", "that", "where", "when", "while"})
_MAX_TOKENS = 16


def _low(tok: Token) -> str:
    return tok.lower_.rstrip(".")


def _courtesy(tok: Token) -> bool:
    """A form of address before a name ("Mr", "Dr.", "Prince"): an honorific only."""
    return tok.text[:1].isupper() and _low(tok) in COURTESY_TITLES


def _abbreviated(tok: Token) -> bool:
    return tok.text.endswith(".") or (tok.text in HONORIFICS and len(tok.text) <= 3)


def role_head(tok: Token) -> bool:
    """Does this token head a role ("spokesperson", "Senator", "comedian", "victims")?"""
    low = _low(tok)
    if low in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS:
        return True
    if tok.ent_type_ == "NORP" and tok.text[:1].isupper():
        return True  # "Colombian Daniel Elahi Galan", "fiery Frenchman ..."
    return (
        tok.pos_ in ("NOUN", "PROPN")
        and len(low) >= 5
        and low.isalpha()
        and low.endswith(_AGENT_ENDINGS)
        and low not in NOT_AGENT_NOUNS
        and tok.ent_type_ not in ("GPE", "LOC", "FAC", "ORG", "DATE", "TIME")
    )


def _listed_role(tok: Token) -> bool:
    """A role word the lexicon knows: inside a name span, a word merely shaped like an
    agent noun is a name ("Peter", "Walker")."""
    return _low(tok) in ROLE_NOUNS or tok.lemma_.lower() in ROLE_NOUNS


def _text(doc: Doc, first: int, last: int) -> str:
    """The words first..last (inclusive) as written, one space between them."""
    text = doc_text(doc)
    return " ".join(text[doc[first].idx : doc[last].idx + len(doc[last].text)].split())


def _trim(doc: Doc, first: int, last: int) -> tuple[int, int]:
    # "As policy director for ...", "by its president", "herself a former secretary"
    while first <= last and (
        doc[first].lower_ in _LEADING
        or doc[first].is_punct
        or doc[first].pos_ in ("ADP", "ADV", "SCONJ", "CCONJ")
        or (doc[first].pos_ == "PRON" and doc[first].tag_ != "PRP$")
    ):
        first += 1
    while first <= last and (doc[last].lower_ in _CONNECTORS or doc[last].is_punct):
        last -= 1
    return first, last


def _head_of(doc: Doc, first: int, last: int) -> Token | None:
    """The head noun of a role phrase: the last word before its first connector
    ("head of the Palestinian Dialogue Group" -> head), else its last word."""
    if first + 1 < last and doc[first + 1].lower_ == "of" and doc[first].pos_ in ("NUM", "DET"):
        first += 2  # "one of Epstein's victims": the head is "victims"
    for i in range(first + 1, last + 1):
        if doc[i].lower_ in _CONNECTORS:
            return doc[i - 1]
    return doc[last] if first <= last else None


def _title_run(doc: Doc, name: int, stop: set[int], floor: int) -> int:
    """Where the title run right before token `name` starts (== name when none)."""
    sent_start = doc[name].sent.start
    i, first = name - 1, name
    adjacent = name - 1  # the title next to the name, past forms of address ("Dr.")
    while adjacent > sent_start and _courtesy(doc[adjacent]):
        adjacent -= 1
    while i >= sent_start and i not in stop and doc[i].idx >= floor and name - i <= 10:
        tok = doc[i]
        low = tok.lower_
        if tok.ent_type_ in ("DATE", "TIME"):
            break
        if low in _PRE_CONNECTORS:
            if i == 0 or not role_head(doc[i - 1]) or doc[adjacent].text in HONORIFICS:
                # "the endorsement of Indiana Gov. X", "successor of Sultan X": another's
                # role; "Minister of Health X" is his own
                break
        elif tok.text in ("'s", "’s"):
            pass
        elif low == "the" and i > 0 and doc[i - 1].lower_ in _PRE_CONNECTORS:
            pass  # "Ambassador to the Netherlands"
        elif tok.text in ("-", "‐") and not tok.whitespace_ and not doc[i - 1].whitespace_:
            pass  # "co-founder"
        elif tok.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM") and tok.text not in HONORIFICS:
            break
        first = i
        i -= 1
    return first


def _before(doc: Doc, name: int, stop: set[int], floor: int) -> tuple[list[str], int]:
    """A title before the name, and where the run it belongs to starts."""
    if name > 0 and doc[name - 1].lower_ in _CONNECTORS:
        return [], name  # "Lawyers for Quarles": no title of Quarles
    first = _title_run(doc, name, stop, floor)
    last = name - 1
    while last >= first and _courtesy(doc[last]):
        last -= 1  # "State Health Commissioner Dr. Kristina Box": "Dr." is an honorific
    first, last = _trim(doc, first, last)
    if first > last:
        return [], first
    # "Head of Iran's Islamic Seminaries Ayatollah X": the honorific is the name's
    end = last
    while end > first and doc[end].text in HONORIFICS and not role_head(doc[end - 1]):
        end -= 1
    head = _head_of(doc, first, end)
    if end < last and head is not None and role_head(head):
        first, last = _trim(doc, first, end)  # "successor of Sultan X": "successor"
    elif not role_head(doc[last]) and not (head is not None and role_head(head)):
        return [], first  # "Secretary of Iran's Expediency Council X": the head is first
    # "Pakistani military spokesperson Lt. Gen. X": a role, then ranks in short form
    cut = last
    while cut > first and _abbreviated(doc[cut]):
        cut -= 1
    if cut < last and not _abbreviated(doc[cut]) and doc[cut].is_lower and role_head(doc[cut]):
        last = cut
    if all(_abbreviated(doc[k]) for k in range(first, last + 1)):
        return [], first  # "Gov.", "Lt. Gen." alone: honorifics, kept as such
    return [_text(doc, first, last)], first


def _phrase_left(doc: Doc, end: int, stop: set[int], floor: int) -> int | None:
    """Start of a noun phrase ending at token `end`, back to a clause boundary."""
    i = end
    sent_start = doc[end].sent.start
    while i >= sent_start and end - i < _MAX_TOKENS:
        tok = doc[i]
        if tok.idx < floor or tok.lower_ in _CLAUSE_WORDS or tok.text in (",", ";", ":", "(", ")"):
            break
        clause = tok.is_quote or tok.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ")
        if clause and not (tok.pos_ == "PRON" and tok.lower_ in _LEADING):
            break  # "his", "their" begin the phrase; other pronouns and verbs end it
        if i in stop and not (i + 1 <= end and doc[i + 1].text in ("'s", "’s")):
            break  # another person, unless a possessive inside ("Epstein's victims")
        i -= 1
    return i + 1 if i < end else None


def _phrase_right(doc: Doc, start: int, stop: set[int]) -> int | None:
    """End of a noun phrase starting at token `start`, up to a clause boundary."""
    if start >= len(doc) or start in stop:
        return None  # a list of people, not an apposition
    sent_end = doc[start].sent.end
    i = start
    while i < sent_end and i - start < _MAX_TOKENS:
        tok = doc[i]
        if tok.text in ("'", "’") and i > start and doc[i - 1].text.endswith("s"):
            i += 1  # "the prison workers' union"
            continue
        if tok.text == "," and i > start and doc[i - 1].ent_type_ == "GPE" and _state_after(doc, i):
            i += 2  # "in West Chester, Pennsylvania"
            continue
        if tok.text in (",", ";", ":", "(", ")") or tok.is_quote or tok.lower_ in _CLAUSE_WORDS:
            break
        if tok.text == "." or (tok.is_sent_end and tok.is_punct):
            break
        if tok.ent_type_ in ("DATE", "TIME") and i > start and doc[i - 1].pos_ == "ADP":
            break  # "the new leader of X on Tuesday": the date is no part of the role
        if tok.pos_ in ("VERB", "AUX") and not (i > 0 and doc[i - 1].text in ("-", "‐")):
            return None  # "X, the President said": a clause, not an apposition
        if i in stop:
            return None  # "X, actor Kevin Marsh and ...": a list of people
        i += 1
    return i - 1 if i > start else None


def _state_after(doc: Doc, comma: int) -> bool:
    """ "..., Pennsylvania," / "..., Pennsylvania.": a place's region after a comma."""
    k = comma + 1
    return (
        k + 1 < len(doc)
        and doc[k].ent_type_ == "GPE"
        and doc[k].ent_iob_ == "B"
        and doc[k + 1].text in (",", ".", ";")
    )


def _split_and(doc: Doc, first: int, last: int) -> list[tuple[int, int]]:
    """ "a senior fellow at X and a former Labor Department official": two roles."""
    parts, start = [], first
    for i in range(first + 1, last):
        if doc[i].lower_ == "and" and doc[i + 1].lower_ in ("a", "an", "the", "his", "her"):
            parts.append((start, i - 1))
            start = i + 1
    parts.append((start, last))
    return parts


def _role_phrase(doc: Doc, first: int, last: int) -> str | None:
    first, last = _trim(doc, first, last)
    if first > last:
        return None
    head = _head_of(doc, first, last)
    if head is None or not role_head(head):
        return None
    return _text(doc, first, last)


def stated_roles(doc: Doc, name: int, end: int, stop: set[int], floor: int = 0) -> list[str]:
    """The roles stated around the name doc[name:end] (token offsets; honorifics in the
    span come first); `stop`: tokens of every person's name, which no role crosses;
    `floor`: no role before this character (the dateline)."""
    while name < end - 2 and (doc[name].text in HONORIFICS or _listed_role(doc[name])):
        name += 1  # the span's own titles ("Striker Tomas Brevik") belong to the run before
    if name == end - 2 and doc[name].text in HONORIFICS:
        name += 1
    roles, run = _before(doc, name, stop, floor)
    # "Israel's chief military spokesperson, Rear Admiral Daniel Hagari, said"
    if run >= 2 and doc[run - 1].text == ",":
        after = doc[end] if end < len(doc) else None
        if after is None or after.text in (",", ".") or after.pos_ in ("VERB", "AUX"):
            start = _phrase_left(doc, run - 2, stop, floor)
            # the phrase opens its clause ("Israel's chief military spokesperson, ..."),
            # not the tail of a list ("recent graduates and master's students, X said")
            if start is not None and start > doc[start].sent.start:
                prev = doc[start - 1]
                if prev.pos_ == "CCONJ":
                    start = None
            role = _role_phrase(doc, start, run - 2) if start is not None else None
            if role:
                roles.append(role)
    # "Matthew Levitt, senior fellow at ...", "Peter McNally of Third Bridge"
    if end < len(doc) - 1 and doc[end].text == ",":
        tag = _party_tag(doc, end + 1)
        if tag:
            roles.append(tag)  # "Sen. Ben Sasse, R-Neb., said"
        last = _phrase_right(doc, end + 1, stop)
        for a, b in _split_and(doc, end + 1, last) if last is not None else []:
            role = _role_phrase(doc, a, b)
            if role and b == last:
                role = _with_body(doc, b, role)
            if role:
                roles.append(role)
        clause = _relative_role(doc, end + 1, stop)
        if clause:
            roles.append(clause)
    # "Saphina Ndali is a mother of two", "Abu Amer is the head of ...", "Sinwar was
    # named the new leader of ..."
    elif end + 2 < len(doc) and doc[end].dep_ in ("ROOT", "ccomp", "conj", "auxpass", "aux"):
        k = end
        if doc[k].lemma_ == "be" and doc[k + 1].lemma_ in _NAMING:
            k += 1  # "was named", "was appointed"
        elif doc[k].lemma_ not in ("be", "become"):
            k = -1
        if k >= 0 and k + 2 < len(doc) and doc[k + 1].lower_ in ("a", "an", "the"):
            last = _phrase_right(doc, k + 2, stop)
            role = _role_phrase(doc, k + 2, last) if last is not None else None
            if role:
                roles.append(role)
    elif end < len(doc) - 1 and doc[end].lower_ == "of" and doc[end + 1].ent_type_ == "ORG":
        k = end + 1
        while k + 1 < len(doc) and doc[k + 1].ent_iob_ == "I" and doc[k + 1].ent_type_ == "ORG":
            k += 1
        roles.append(_text(doc, end, k))
    return roles


_NAMING = frozenset({"name", "appoint", "elect", "nominate", "choose", "select"})
# Verbs of a relative clause that states a standing role ("X, who represents Noel,")
_ROLE_VERBS = frozenset({"represent", "head", "lead", "run", "chair", "own", "direct", "manage"})


def _party_tag(doc: Doc, start: int) -> str | None:
    """ "R-Neb.", "D-Texas": the party-and-state tag US news writes after a lawmaker."""
    tok = doc[start]
    piece = tok.text
    k = start
    while k + 1 < len(doc) and not doc[k].whitespace_ and doc[k + 1].text not in (",", ")"):
        k += 1
        piece += doc[k].text
    if len(piece) >= 4 and piece[0] in "RDI" and piece[1] == "-" and piece[2:3].isupper():
        return piece
    return None


def _with_body(doc: Doc, last: int, role: str) -> str:
    """ "Sanjiv Bhasin, Director, IIFL Securities.": the body after a bare title is the
    title's ("Director, IIFL Securities")."""
    k = last + 1
    if k + 1 >= len(doc) or doc[k].text != "," or doc[k + 1].ent_type_ != "ORG":
        return role
    e = k + 1
    while e + 1 < len(doc) and doc[e + 1].ent_iob_ == "I":
        e += 1
    if e + 1 < len(doc) and doc[e + 1].text not in (".", ",", ";"):
        return role
    if " " in role:
        return role  # a full phrase already ("director of ..."): the body is another's
    return role + ", " + _text(doc, k + 1, e)


def _relative_role(doc: Doc, start: int, stop: set[int]) -> str | None:
    """ "Jason Foy, who represents Noel,": a relative clause that states what the person
    does for whom (represents, heads, runs, chairs ...), up to the clause's end."""
    if start + 2 >= len(doc) or doc[start].lower_ != "who":
        return None
    verb = doc[start + 1]
    if verb.lemma_ not in _ROLE_VERBS or verb.tag_ not in ("VBZ", "VBD"):
        return None
    k = start + 2
    sent_end = doc[start].sent.end
    while k < sent_end and doc[k].text not in (",", ";", ".", ")") and not doc[k].is_quote:
        if doc[k].pos_ in ("VERB", "AUX"):
            return None
        k += 1
    if k == start + 2 or k - start > _MAX_TOKENS:
        return None
    return _text(doc, start, k - 1)


def merge_role(roles: list[str], role: str) -> None:
    """Add `role` to `roles` unless one there holds its words; a fuller one replaces
    the shorter ("director" by "director of business development")."""
    role = " ".join(role.replace("’", "'").split())
    key = set(role.lower().split())
    for k, old in enumerate(roles):
        old_key = set(old.lower().split())
        if key <= old_key:
            return
        if old_key <= key:
            roles[k] = role
            return
    roles.append(role)


def _name_words(e: Entity) -> set[str]:
    return {w.lower() for n in [e.name, *e.aliases] for w in n.split() if w[:1].isupper()}


def roles_at_every_name(doc: Doc, entities: list[Entity], floor: int = 0) -> None:
    """The roles stated at every mention of every person's name, whoever found the
    person: a name the NER missed and the attribution found ("Ana Escrogima, the U.S.
    ambassador to Oman, told ...") has its apposition too. Mentions that are no name
    (a pronoun, "the minister") are skipped; no role crosses another person's name."""
    text = doc_text(doc)
    named: list[tuple[Entity, int, int]] = []
    for e in entities:
        if e.type != "PERSON":
            continue
        words = _name_words(e)
        for s, t in e.mentions:
            said = {w.lower().removesuffix("'s").removesuffix("’s") for w in text[s:t].split()}
            if not text[s:t][:1].isupper() or not said & words:
                continue
            sp = doc.char_span(s, t, alignment_mode="expand")
            if sp is not None:
                named.append((e, sp.start, sp.end))
    stop = {k for _, a, b in named for k in range(a, b)}
    # "McNally" inside "Peter McNally": only the whole name is read around
    named = [
        (e, a, b)
        for e, a, b in named
        if not any(f is e and c <= a and b <= d and (c, d) != (a, b) for f, c, d in named)
    ]
    for e, a, b in named:
        for role in stated_roles(doc, a, b, stop - set(range(a, b)), floor):
            merge_role(e.roles, role)
