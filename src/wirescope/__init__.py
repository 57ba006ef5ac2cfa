"""wirescope: who said what, about whom, when and where, in news-wire articles."""

from wirescope.models import (
    Article,
    Cue,
    Dateline,
    DateMention,
    Entity,
    Event,
    Failure,
    Quote,
    RawDocument,
    Record,
    SpeakerRef,
)
from wirescope.pipeline import extract_text, process, process_one
from wirescope.read import read_paths

__version__ = "0.1.0"

__all__ = [
    "Article",
    "Cue",
    "DateMention",
    "Dateline",
    "Entity",
    "Event",
    "Failure",
    "Quote",
    "RawDocument",
    "Record",
    "SpeakerRef",
    "__version__",
    "extract_text",
    "process",
    "process_one",
    "read_paths",
]
