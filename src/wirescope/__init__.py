"""wirescope: who said what, about whom, when and where, in news-wire articles."""

from wirescope.pipeline.build import extract_text, process, process_one
from wirescope.pipeline.stages import ATTRIBUTIONS, FULL, QUOTES_ONLY, Stages, fingerprint
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
from wirescope.record.serialize import record_from_dict, record_to_dict
from wirescope.version import __version__

__all__ = [
    "ATTRIBUTIONS",
    "FULL",
    "QUOTES_ONLY",
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
    "Stages",
    "__version__",
    "extract_text",
    "fingerprint",
    "process",
    "process_one",
    "read_paths",
    "record_from_dict",
    "record_to_dict",
]
