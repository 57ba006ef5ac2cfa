"""Training data for the speaker model (extract/speaker_model.py) from gold articles.

The pipeline runs with the rules alone over an annotated article; each pronoun or
nominal speaker decision whose quote matches a gold quote (30 % overlap) with a
resolved gold name (`speaker_canonical`) becomes one example: its candidates'
features and which candidate bears that name. Decisions where no candidate does
cannot teach the ranker and are left out. PolNeAR has no resolved names, so it
gives no examples here.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from wirescope.evaluate.quotes import GoldArticle, match_quotes, names_match
from wirescope.extract.cue_model import CueModel
from wirescope.extract.speaker_model import Features
from wirescope.pipeline.build import attribute
from wirescope.pipeline.resources import Resources
from wirescope.pipeline.stages import FULL
from wirescope.record.models import Article

Example = tuple[list[Features], int]


def labelled_decisions(
    gold: GoldArticle, article: Article, doc: Doc, cue_model: CueModel | None
) -> list[Example]:
    """The article's ranked speaker decisions, labelled by the gold speaker's name;
    `cue_model` is the one the pipeline runs with (None: the rules alone)."""
    resources = replace(Resources.shipped(), cue_model=cue_model, speaker_model=None)
    # The pipeline's own wiring (pipeline.build.attribute), so the features it trains
    # on are the ones it ranks with; the rules alone pick (speaker_model None).
    quotes, found = attribute(article, doc, FULL, resources, record=True)
    names = {e.id: e.name for e in [*found.people, *found.others]}
    gold_of = {pi: gi for gi, pi in match_quotes(gold.quotes, [q.span for q in quotes], 0.3)}
    out: list[Example] = []
    for d in found.decisions:
        gi = gold_of.get(d.quote)
        canonical = gold.quotes[gi].speaker_canonical if gi is not None else None
        if not canonical:
            continue
        right = [names_match(names.get(c.entity, ""), canonical) for c in d.candidates]
        if any(right):
            out.append(([c.features for c in d.candidates], right.index(True)))
    return out
