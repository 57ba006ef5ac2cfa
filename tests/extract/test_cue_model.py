"""The trained attribution-cue model: it ships, loads, scores deterministically, and
adds the attributions the rules miss in the stances scope only."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from spacy.tokens import Doc

from wirescope.extract.cue_model import MODEL_FILE, CueModel, load_model, shipped_model
from wirescope.extract.quotes import extract_quotes
from wirescope.nlp.parse import parse_many
from wirescope.pipeline.build import ATTRIBUTIONS, build_record, extract_text
from wirescope.pipeline.resources import Resources
from wirescope.reading.article import parse_article
from wirescope.record.models import RawDocument

ATTACK = "Senator Maria Lopez attacked the governor over the budget figures."


def _doc(text: str) -> Doc:
    return next(parse_many([text]))


def _prob(model: CueModel, text: str, word: str) -> float:
    doc = _doc(text)
    (i,) = [t.i for t in doc if t.text == word]
    return model.score(doc)[i]


def test_shipped_model_loads_with_a_threshold_and_weights() -> None:
    model = shipped_model()
    assert 0.0 < model.threshold < 1.0
    assert len(model.weights) > 1000
    assert {"claim", "criticism"} <= model.lemmas  # non-verb cue heads
    shipped = Path(__file__).parents[2] / "src" / "wirescope" / "resources" / MODEL_FILE
    assert load_model(shipped).weights == model.weights


def test_scores_are_deterministic(tmp_path: Path) -> None:
    model = shipped_model()
    text = "Officials accused the company of hiding the losses, and the poll shows doubt."
    first = model.score(_doc(text))
    assert first == model.score(_doc(text))
    model.save(tmp_path / "m.json.gz")
    assert load_model(tmp_path / "m.json.gz").score(_doc(text)) == first
    # The same weights give the same bytes (no name or time in the gzip header).
    model.save(tmp_path / "again.json.gz")
    assert (tmp_path / "m.json.gz").read_bytes() == (tmp_path / "again.json.gz").read_bytes()


def test_accusation_scores_above_threshold() -> None:
    model = shipped_model()
    text = "Senator Maria Lopez accused the governor of hiding the budget figures from voters."
    assert _prob(model, text, "accused") >= model.threshold


def test_non_attribution_verb_scores_low() -> None:
    model = shipped_model()
    assert _prob(model, "The committee ate lunch at noon in the old town hall.", "ate") < 0.3


def test_model_adds_a_stance_the_rules_miss() -> None:
    assert extract_text(ATTACK).quotes == []  # speech only by default: no quote
    (q,) = extract_text(ATTACK, stages=ATTRIBUTIONS).quotes
    assert q.cue is not None and q.cue.text == "attacked"
    assert q.text == "the governor over the budget figures"
    assert q.speaker is not None and q.speaker.text == "Senator Maria Lopez"
    assert q.confidence == round(_prob(shipped_model(), ATTACK, "attacked"), 3)


def test_model_never_duplicates_a_rule_quote() -> None:
    text = "The minister said that the bridge would reopen in the spring after repairs."
    default = extract_text(text).quotes
    stances = extract_text(text, stages=ATTRIBUTIONS).quotes
    assert [q.span for q in stances] == [q.span for q in default]


def test_the_cue_model_is_passed_in() -> None:
    # The model each call is given decides, no module state: one that accepts nothing
    # adds nothing, the default (the shipped one) adds the stance, none at all leaves
    # the rules alone.
    article = parse_article(RawDocument(text=ATTACK, path="<t>", format="text"))
    doc = _doc(article.text)
    picky = replace(shipped_model(), threshold=1.01)
    assert (
        build_record(article, doc, stages=ATTRIBUTIONS, resources=_with(cue_model=picky)).quotes
        == []
    )
    (q,) = build_record(article, doc, stages=ATTRIBUTIONS).quotes
    assert q.cue is not None and q.cue.text == "attacked"
    assert extract_quotes(article, doc, stances=True) == []
    assert shipped_model().threshold < 1.0  # the shared default is left as it was


URGE = "Senator Maria Lopez urged the province to freeze tuition fees for another two years."


def test_the_default_scope_takes_a_speech_verb_the_rules_miss() -> None:
    # "urged X to ...": a speech act whose content is no "that" clause, so the rules'
    # clause cue does not fire; the model's speech cue does, in the default scope too.
    (q,) = extract_text(URGE).quotes
    assert q.cue is not None and q.cue.text == "urged"
    assert q.text == "the province to freeze tuition fees for another two years"
    assert q.speaker is not None and q.speaker.text == "Senator Maria Lopez"


def test_the_default_scope_leaves_the_model_s_non_speech_cues_out() -> None:
    # Negated, not yet said, a noun phrase for content, a study for a source: no quote
    # in the default scope (GGT's notion), though the stances scope may take some.
    for text in (
        URGE.replace("urged", "did not urge"),
        URGE.replace("urged", "will urge"),
        "Senator Maria Lopez announced the new tuition plan for the province on Monday.",
        "A new survey urges parents to limit screen time for children under five.",
    ):
        assert extract_text(text).quotes == [], text


def _with(**models: object) -> Resources:
    """The shipped resources with other models in their place."""
    return replace(Resources.shipped(), **models)  # type: ignore[arg-type]
