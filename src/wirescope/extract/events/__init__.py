"""Events: who did what to whom, where and when (issue 24).

stage.py finds the events of an article (triggers, arguments, where, when, quote);
triggers.py is the learned TimeML trigger classifier and the tense/aspect/polarity/
modality rules it is read with.
"""

from wirescope.extract.events.stage import Referent, extract_events, speech_lemmas

__all__ = ["Referent", "extract_events", "speech_lemmas"]
