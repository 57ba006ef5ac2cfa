"""wirescope: who said what, about whom, when and where, in news-wire articles."""

from wirescope.reading.read import read_paths
from wirescope.record.models import (
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
from wirescope.record.pipeline import extract_text, process, process_one

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
