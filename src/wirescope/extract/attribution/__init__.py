"""Speaker attribution: which person, group or organisation each quote's speaker
mention means.

Pronouns and nominals ("the official") resolve to the most salient compatible
person at that point of the text (the latest speaker or subject whose gender
agrees); organisations and groups to the latest one named. `resolve_speakers`
returns its assignments and leaves the quotes and entities it is given alone.
"""

from wirescope.extract.attribution.resolve import Attribution, resolve_speakers

__all__ = ["Attribution", "resolve_speakers"]
