"""Speakers named by a pronoun: "he" or "she" is the most salient person whose
gender agrees; "they", "we" and "it" the latest group or organisation."""

from __future__ import annotations

from bisect import bisect_right

from wirescope.extract.attribution.context import Resolver
from wirescope.extract.lexicon import (
    HONORIFIC_GENDER,
    NOMINAL_GENDER,
    ORG_NOUNS,
    PRONOUNS,
    fold,
)
from wirescope.extract.mentions import (
    Span,
    first_name_gender,
    given_name,
    is_outlet,
)
from wirescope.nlp.parse import doc_text
from wirescope.record.models import SpeakerRef


def resolve_pronoun(spk: SpeakerRef, res: Resolver, low: str, content: Span) -> None:
    spk.mention_type = "pronoun"
    gender = PRONOUNS[low]
    pos = spk.span[0]
    if low in ("they", "we", "it"):
        prev = _latest_group_speaker(res, pos)
        if low == "they":
            # "The Conservatives believe ...; they say": the nearer of the two.
            plural = _plural_subject(res, pos)
            if plural is not None and (
                prev is None or res.mention_pos(plural, pos) > res.mention_pos(prev, pos)
            ):
                prev = plural
        if prev is not None:
            spk.entity = prev
            return
        if low == "they":
            return  # never a single person
    # "Macharia hid under a desk, he said": a person named in the words is not "he".
    named = frozenset(pid for (s, _), pid in res.mentions if content[0] <= s < content[1])
    continued = _continued_speaker(res, pos, gender) or _described_speaker(res, pos, gender)
    if continued is not None:
        spk.entity = continued
        if continued in res.people.by_id:  # the text says; the name guessed
            res.people.by_id[continued].gender = gender
    else:
        rule = res.salient(pos, gender, named)
        spk.entity = res.rank("pronoun", pos, gender, None, content, rule)
    person = res.people.by_id.get(spk.entity or "")
    if person is not None:
        if person.gender is None and gender:
            person.gender = gender
        res.note(pos, person.id)


# An argument's pronoun as the speaker resolution knows it: "him" and "his" mean whom
# "he" would, "them" and "their" whom "they" would.
_AS_SPEAKER = {
    "he": "he",
    "him": "he",
    "his": "he",
    "she": "she",
    "her": "she",
    "hers": "she",
    "they": "they",
    "them": "they",
    "their": "they",
}


def pronoun_referent(
    res: Resolver, span: Span, word: str, within: Span | None = None
) -> str | None:
    """Who a pronoun that is no quote's speaker means (an event's agent or patient):
    the entity resolve_pronoun would give it were it a speaker mention. Called after
    every speaker is resolved; the resolution's record of ranked decisions (training
    data, one per quote) is left as it was.

    within: the quote whose words hold the pronoun. A "he" or "she" there means the
    latest person of that gender the words themselves name before it ("Saeedi said
    Mateen ... was living there when he left"), else whom the story does ("Saeedi
    said he would go": the speaker)."""
    low = _AS_SPEAKER.get(word.lower())
    if low is None:
        return None
    if within is not None and low != "they":
        gender = PRONOUNS[low]
        named = sorted(
            ((s, pid) for (s, _), pid in res.mentions if within[0] <= s < span[0]), reverse=True
        )
        for _, pid in named:
            person = res.people.by_id.get(pid)
            if person is not None and (person.gender or person.likely_gender) in (None, gender):
                return person.id
    kept = len(res.decisions)
    spk = SpeakerRef(span=span, text=word)
    resolve_pronoun(spk, res, low, (span[0], span[0]))
    del res.decisions[kept:]
    return spk.entity


_CONTINUING = frozenset(["add", "continue"])


def _continued_speaker(res: Resolver, pos: int, gender: str | None) -> str | None:
    """'“...,” Dangor said. He added that ...': "he added" right after a quote continues
    its speaker, even when the speaker's first name guessed the other gender (Zane is
    "female" to the name list). Only a guess yields: an honorific's gender stays."""
    if not gender or res.last_speaker is None:
        return None
    end, pid = res.last_speaker
    person = res.people.by_id.get(pid)
    if person is None or person.gender in (None, gender):
        return None  # no clash: the rules' own nearness finds the speaker
    if any(HONORIFIC_GENDER.get(h) for h in person.honorifics):
        return None
    if person.gender != first_name_gender(given_name(person.words)):
        return None  # not the name's guess: something in the text said so
    span = res.doc.char_span(pos, pos + 1, alignment_mode="expand")
    if span is None or not len(span) or span.root.head.lemma_.lower() not in _CONTINUING:
        return None
    if span.root.dep_ != "nsubj" or res.sentence_of(pos) - res.sentence_of(end - 1) > 1:
        return None
    return pid


# "A source close to the probe said ... He cautioned": an anonymous source is a person.
_PERSON_SOURCES = frozenset(["source"])


def _described_speaker(res: Resolver, pos: int, gender: str | None) -> str | None:
    """'A city engineer said the cables were sound. She added ...': "he" or "she" right
    after a quote whose speaker only a description named (an engineer, a source, the
    boyfriend) is that speaker, not the last person named, unless a person of that
    gender is named in between. Unnamed speakers are weak antecedents elsewhere (a
    later "he" usually means the named person the story follows); here the pronoun
    opens the sentence right after their words."""
    if not gender or res.last_speaker is None or res.last_mention is None:
        return None
    end, eid = res.last_speaker
    if pos < end or res.sentence_of(pos) - res.sentence_of(end - 1) > 1:
        return None
    span = res.doc.char_span(*res.last_mention, alignment_mode="expand")
    if span is None or not len(span):
        return None
    root = span.root
    lemma = root.lemma_.lower()
    if root.pos_ != "NOUN" or root.tag_ != "NN":
        return None  # a name, a pronoun or a plural
    if lemma in ORG_NOUNS and lemma not in _PERSON_SOURCES:
        return None  # "the company", "the ministry": no "he"
    if NOMINAL_GENDER.get(lemma) not in (None, gender):
        return None
    person = res.people.by_id.get(eid)
    if person is not None and (person.gender or person.likely_gender) not in (None, gender):
        return None
    for s in res.salience:
        if res.last_mention[1] <= s.pos < pos and s.strong and s.entity != eid:
            other = res.people.by_id.get(s.entity)
            if other is not None and (other.gender or other.likely_gender) in (None, gender):
                return None  # someone named since then is the nearer "he"
    return eid


def _plural_subject(res: Resolver, pos: int) -> str | None:
    """'The Conservatives ... they said': the latest plural subject before `they`."""
    doc = res.doc
    text = doc_text(doc)
    k = bisect_right([t.idx for t in doc], pos - 1)
    for tok in reversed(doc[:k]):
        if pos - tok.idx > 1500:
            break
        if any(s <= tok.idx < e for s, e in res.reported):
            continue  # a subject inside the reported words is not who speaks
        if tok.dep_ in ("nsubj", "nsubjpass") and tok.tag_ in ("NNS", "NNPS"):
            start = tok.left_edge.idx
            if "," in text[start : tok.idx]:
                start = tok.idx
            return res.group(text[start : tok.idx + len(tok.text)], tok.idx).id
    return None


def _latest_group_speaker(res: Resolver, pos: int) -> str | None:
    best: tuple[int, str] | None = None
    surnames = res.person_surnames()
    for ent in [*res.groups, *res.others]:
        if is_outlet(ent.name):
            continue  # the outlet reporting is not "they"
        if ent.type == "ORG" and fold(ent.name) in surnames:
            continue  # "Trump" typed ORG is a person, never "they"
        for s, _ in ent.mentions:
            if any(a <= s < b for a, b in res.reported):
                continue  # named inside someone's words: not who "it" is
            if s < pos and (best is None or s > best[0]) and ent.type in ("GROUP", "ORG"):
                best = (s, ent.id)
    return best[1] if best and pos - best[0] < 1500 else None
