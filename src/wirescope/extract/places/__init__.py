"""Places (recognized and resolved in context) and organisations, with all their mentions.

Recognition: spaCy's GPE/LOC as entity_types corrects them and the dateline's place,
plus demonyms ("French" officials: a mention of France), state and province
abbreviations after a place or in a dateline ("Alexandria, La."), and places inside
organisation names ("Mansfield Police Department": Mansfield, a place of that org).

Resolution: every sense the gazetteer has for a name, scored by its prior (population
and feature class, gazetteer.prior) plus the article's context:
- "City, Region": the city is one inside the region ("London, Ky." is not England's);
- the article's countries and divisions (named, as demonyms, or the dateline's);
- the dateline's place is a city ("WASHINGTON (AP)" is the capital, not the state);
- a country's capital as an actor ("Washington sent a warship") is that capital;
- one sense per document: a name means one place throughout the story;
- spatial minimality: of a name's senses, one near the story's other places wins.
"""

from wirescope.extract.places.entities import extract_places_orgs
from wirescope.extract.places.recognize import home_country

__all__ = ["extract_places_orgs", "home_country"]
