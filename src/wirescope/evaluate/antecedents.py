"""Who "he", "she" and "the official" mean, measured on GUM's coreference layer.

GUM (`../shared/data/gum/`, CoNLL coreference, one token a line) links every mention
of every entity. Each document is rebuilt as plain text (tokens joined as written
English spaces them, so the offsets of every token are known), read and parsed as
wirescope reads an article, and given to attribution's Resolver (the people it
finds, their salience). Then, in text order, each gold mention that is a person
pronoun ("he", "him", "she", "her"...) or a definite description of a person ("the
minister", "this official") and whose person was mentioned before is an anaphor:
the Resolver lists its candidates with their features (attribution/context.py) and
the rules' pick. A candidate is right when one of its mentions is a gold mention of
the anaphor's entity. These examples train the ranker (extract/speaker_model.py,
scripts/train_antecedent_model.py) and score it beside the rules on the same
mentions. The texts stay in ../shared/data: nothing of them is written anywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc

from wirescope.extract.attribution.context import Resolver
from wirescope.extract.entity_types import corrected_ents
from wirescope.extract.lexicon import CUES, NOMINAL_GENDER, PERSON_NOUNS
from wirescope.extract.places import extract_places_orgs
from wirescope.extract.quotes import extract_quotes
from wirescope.extract.speaker_model import Candidate, Features, SpeakerModel
from wirescope.reading.article import parse_article
from wirescope.record.models import Article, RawDocument

Span = tuple[int, int]

# Person pronouns and the gender each implies (third person singular: "they" goes to
# groups in attribution, never to a ranked person).
PERSON_PRONOUNS: dict[str, str] = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
DEFINITE = ("the", "this", "that")

# Features that GUM cannot teach: it has no paragraph breaks, no quote speakers of the
# pipeline's kind; the model learns without them (their weight stays 0).
UNTRAINED = frozenset({"same_para", "n_same_para", "last_speaker", "n_last_speaker",
                       "quotes", "n_quotes"})  # fmt: skip

_PUNCT = frozenset([",", ".", ";", ":", "!", "?", ")", "]", "}", "%", "...", "-"])
_CLITICS = frozenset(["'s", "’s", "n't", "'re", "'ve", "'ll", "'d", "'m"])
_NO_SPACE_BEFORE = _PUNCT | _CLITICS
_NO_SPACE_AFTER = frozenset({"(", "[", "{", "$", "#", "-"})
_QUOTE_MARKS = ('"', "'")
_PIECES = re.compile(r"\(|\)|[^()]+")
_NAME = re.compile(r"([a-z]+)-(\d+)")


@dataclass
class GumDoc:
    name: str
    text: str
    tokens: list[Span]  # each token's characters in `text`
    mentions: list[tuple[Span, str, str]]  # (token span [start, end), entity id, type)


def read_conll(path: Path) -> GumDoc:
    """One GUM CoNLL file as text with token offsets and its gold mentions."""
    words: list[str] = []
    corefs: list[str] = []
    breaks: set[int] = set()  # token indices after a blank line
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        if not line.strip():
            breaks.add(len(words))
            continue
        cols = line.split("\t")
        words.append(cols[1])
        corefs.append(cols[2] if len(cols) > 2 else "_")
    parts: list[str] = []
    spans: list[Span] = []
    at = 0
    quote_open = False
    prev = ""
    for i, w in enumerate(words):
        if i == 0:
            sep = ""
        elif i in breaks:
            # a blank line (some files have them): a heading without a final
            # period is its own paragraph, as in wire copy
            sep = " " if prev in (".", "!", "?", '"', "”", "'") else "\n\n"
        elif w in _NO_SPACE_BEFORE or prev in _NO_SPACE_AFTER:
            sep = ""
        elif w in _QUOTE_MARKS:
            sep = "" if quote_open else " "
        elif prev in _QUOTE_MARKS and quote_open:
            sep = ""
        else:
            sep = " "
        if w in _QUOTE_MARKS:
            quote_open = not quote_open
        parts.append(sep)
        at += len(sep)
        parts.append(w)
        spans.append((at, at + len(w)))
        at += len(w)
        prev = w
    text = "".join(parts)
    mentions: list[tuple[Span, str, str]] = []
    stack: dict[str, list[tuple[int, str]]] = {}
    for i, col in enumerate(corefs):
        if col == "_":
            continue
        pieces = _PIECES.findall(col)
        for k, piece in enumerate(pieces):
            head = _NAME.match(piece)
            if head is None:
                continue
            etype, eid = head.group(1), head.group(2)
            if k > 0 and pieces[k - 1] == "(":
                stack.setdefault(eid, []).append((i, etype))
            if k + 1 < len(pieces) and pieces[k + 1] == ")":
                opened = stack.get(eid)
                if opened:
                    start, etype0 = opened.pop()
                    mentions.append(((start, i + 1), eid, etype0))
    mentions.sort(key=lambda m: (m[0][0], -m[0][1]))
    return GumDoc(path.stem, text, spans, mentions)


def split_names(gum_dir: Path, split: str) -> list[str]:
    """The documents of GUM's `split` (splits.md) present in `gum_dir`."""
    sections = re.split(r"^## ", (gum_dir / "splits.md").read_text(encoding="utf-8"), flags=re.M)
    for sec in sections[1:]:
        if sec.split("\n", 1)[0].strip() == split:
            names = re.findall(r"\*\s+(\S+)", sec)
            return [n for n in names if (gum_dir / f"{n}.conll").is_file()]
    raise ValueError(f"{gum_dir / 'splits.md'}: no split named {split!r}")


@dataclass
class Anaphor:
    kind: str  # "pronoun" | "nominal"
    span: Span  # characters
    gold: str  # entity id
    candidates: list[Candidate]
    rule: str | None
    right: set[str] = field(default_factory=set)  # candidate ids that are the gold entity

    @property
    def resolvable(self) -> bool:
        return bool(self.right)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _head(doc: Doc, span: Span) -> str | None:
    """The person noun heading a description ("the former minister of health")."""
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or not len(sp):
        return None
    head = sp.root.lower_
    return head if head in PERSON_NOUNS else None


def _is_speech_subject(doc: Doc, span: Span) -> bool:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    if sp is None or not len(sp):
        return False
    root = sp.root
    return root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in CUES


def anaphors(gum: GumDoc, article: Article, doc: Doc, res: Resolver) -> Iterator[Anaphor]:
    """Each person pronoun and definite description of a person whose entity was
    mentioned before, in text order, with its candidates and the rules' pick. The
    Resolver notes each pick made for a speech verb's subject, as attribution does
    for a speaker mention."""
    quotes = extract_quotes(article, doc)
    content_of: dict[Span, Span] = {}
    for q in quotes:
        if q.speaker is not None:
            content_of[q.speaker.span] = q.span
    seen: set[str] = set()
    by_entity: dict[str, list[Span]] = {}
    for (s, e), eid, _ in gum.mentions:
        by_entity.setdefault(eid, []).append((gum.tokens[s][0], gum.tokens[e - 1][1]))
    for (s, e), eid, etype in gum.mentions:
        span = (gum.tokens[s][0], gum.tokens[e - 1][1])
        words = gum.text[span[0] : span[1]].lower().split()
        earlier = eid in seen
        seen.add(eid)
        if not earlier or etype != "person" or not words:
            continue
        gender: str | None
        role: str | None
        if len(words) == 1 and words[0] in PERSON_PRONOUNS:
            kind, gender, role = "pronoun", PERSON_PRONOUNS[words[0]], None
        elif words[0] in DEFINITE and len(words) > 1 and (head := _head(doc, span)):
            kind, role = "nominal", head
            gender = NOMINAL_GENDER.get(role)
        else:
            continue
        pos = span[0]
        content = next((c for sp, c in content_of.items() if _overlaps(sp, span)), (pos, pos))
        if kind == "pronoun":
            named = frozenset(pid for (ms, _), pid in res.mentions if content[0] <= ms < content[1])
            rule = res.salient(pos, gender, named)
        else:
            assert role is not None
            low = [w.lower() for w in words]
            after = low[low.index(role) + 1 :] if role in low else None
            rule = res.resolve_nominal(pos, role, after)
        cands = res.candidates(kind, pos, gender, role, content, rule)
        gold_spans = [m for m in by_entity[eid] if m[0] < span[0] or kind == "nominal"]
        right = {
            c.entity
            for c in cands
            if any(
                _overlaps(m, g)
                for m in res.people.by_id[c.entity].mentions
                for g in gold_spans
                if m != span
            )
        }
        yield Anaphor(kind, span, eid, cands, rule, right)
        if rule is not None and _is_speech_subject(doc, span):
            res.note(pos, rule)


def document_anaphors(gum: GumDoc, doc: Doc | None = None) -> list[Anaphor]:
    """Read, parse (unless `doc` is given) and resolve one GUM document."""
    from wirescope.nlp.parse import parse_many

    raw = RawDocument(text=gum.text, path=f"gum:{gum.name}", format="txt", id=gum.name, meta={})
    article = parse_article(raw)
    if article.text != gum.text:
        return []  # page cleanup changed the text: the gold offsets would not hold
    if doc is None:
        doc = next(iter(parse_many([article.text])))
    ents = corrected_ents(doc)
    others = extract_places_orgs(article, doc, ents)
    quotes = extract_quotes(article, doc)
    dl = article.dateline
    floor = dl.span[1] if dl and dl.span else 0
    res = Resolver(doc, ents, others, floor, [q.span for q in quotes], article.paragraphs)
    return list(anaphors(gum, article, doc, res))


# What the ranker reads: nearness (in characters, sentences, among the people the
# gender allows), subject-hood and the grammatical role of the latest mention, the same
# clause as the anaphor, gender agreement, a speech verb's subject, and the rules'
# pick. Features of genre more than of reference (how often named, a role noun, the
# story's first person, named inside quoted words) taught GUM's biographies and court
# texts habits that news quotes do not share: they are left out.
FEATURES = frozenset({"rule", "recent", "agree", "sent", "strong", "last_subj", "last_obj",
                      "same_clause", "log_dist", "gender_agree", "likely_agree",
                      "likely_clash", "last_speech_subj"})  # fmt: skip
# Rules that stay rules: a candidate whose known gender clashes is never chosen.
EXCLUDE = ("gender_clash",)


def _family(name: str) -> str:
    base = name[2:] if name.startswith("n_") else name
    stem, _, last = base.rpartition("_")
    return stem if last.isdigit() else base


def trainable(f: Features) -> Features:
    """The features the ranker is trained on (FEATURES, nominal copies included)."""
    return {k: v for k, v in f.items() if k not in UNTRAINED and _family(k) in FEATURES}


def _allowed(c: Candidate) -> bool:
    return not any(c.features.get(k) for k in EXCLUDE)


def examples(found: Sequence[Anaphor]) -> list[tuple[list[Features], int]]:
    """(candidate features, index of a right candidate) for each resolvable anaphor
    with a choice to make; the nearest right candidate is the label."""
    out: list[tuple[list[Features], int]] = []
    for a in found:
        cands = [c for c in a.candidates if _allowed(c)]
        rights = [i for i, c in enumerate(cands) if c.entity in a.right]
        if not rights or len(cands) < 2:
            continue
        feats = [trainable(c.features) for c in cands]
        gold = min(rights, key=lambda i: cands[i].features.get("log_dist", 99.0))
        out.append((feats, gold))
    return out


@dataclass
class Accuracy:
    kind: str
    mentions: int = 0  # every anaphor of the kind
    resolvable: int = 0  # a right candidate among the candidates
    rules: int = 0
    model: int = 0

    def row(self) -> str:
        n, r = max(1, self.mentions), max(1, self.resolvable)
        return (
            f"{self.kind:<8} {self.mentions:>6} {self.resolvable:>6}  "
            f"rules {self.rules / n:6.1%} ({self.rules / r:6.1%})  "
            f"model {self.model / n:6.1%} ({self.model / r:6.1%})"
        )


def accuracy(found: Sequence[Anaphor], model: SpeakerModel) -> dict[str, Accuracy]:
    """Accuracy of the rules' pick and the model's first candidate, per kind, over
    every anaphor and (in `row`'s brackets) over the resolvable ones."""
    out = {k: Accuracy(k) for k in ("pronoun", "nominal")}
    for a in found:
        acc = out[a.kind]
        acc.mentions += 1
        acc.resolvable += a.resolvable
        acc.rules += a.rule in a.right
        best = model.best(a.candidates)
        acc.model += best is not None and best.entity in a.right
    return out
