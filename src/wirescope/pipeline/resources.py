"""What the extraction stages read besides the article: the spaCy pipeline and its
array rules, the cue model and the speaker model. Built once and passed in (spaCy's
`nlp` object habit), so two configurations can live in one process and tests can hand
in their own; `Resources.shipped()` is the package's own, loaded once per process."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.language import Language

from wirescope.extract.cue_model import CueModel
from wirescope.extract.cue_model import shipped_model as shipped_cue_model
from wirescope.extract.speaker_model import SpeakerModel
from wirescope.extract.speaker_model import shipped_model as shipped_speaker_model
from wirescope.nlp.fast_rules import ArrayRules
from wirescope.nlp.parse import get_array_rules, get_nlp


@dataclass(frozen=True)
class Resources:
    nlp: Language
    # The model's attribute ruler and lemmatizer on arrays (None: spaCy's own run).
    array_rules: ArrayRules | None
    # Adds the attributions the cue rules miss (None: the rules alone).
    cue_model: CueModel | None
    # Ranks pronoun and nominal speakers (None: the rules alone).
    speaker_model: SpeakerModel | None

    @classmethod
    def shipped(cls) -> Resources:
        """The package's pipeline and models (each loaded once per process)."""
        return cls(
            nlp=get_nlp(),
            array_rules=get_array_rules(),
            cue_model=shipped_cue_model(),
            speaker_model=shipped_speaker_model(),
        )
