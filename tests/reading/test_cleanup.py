"""Page junk blanked before extraction (reading/cleanup.py), offsets kept."""

from __future__ import annotations

from wirescope.pipeline.build import extract_text
from wirescope.reading.cleanup import clean_page, teaser_spans

PAGE = (
    "- Tweet\n- Share this\n\n"
    "LONDON (Reuters) - The government said on Tuesday it would raise taxes on energy firms.\n\n"
    "Rep. Maria OrtizMaria OrtizSenate panel weighs new rules for drones MORE (D-Texas) "
    'called the plan "a giveaway to the rich."\n\n'
    "Photo: Toby Melville/Reuters\n\n"
    "Reporting by Kylie Morgan; Editing by Andrew Cole\n\n"
    "Associated Press writer Jill Lawson contributed to this report.\n"
)


def test_junk_becomes_spaces_and_offsets_hold() -> None:
    cleaned = clean_page(PAGE)
    assert len(cleaned) == len(PAGE)
    assert [i for i, c in enumerate(PAGE) if c == "\n"] == [
        i for i, c in enumerate(cleaned) if c == "\n"
    ]
    for junk in ("Tweet", "Share this", "Senate panel", "MORE", "Toby", "Kylie", "Jill"):
        assert junk not in cleaned
    start = PAGE.index("Rep. Maria Ortiz")
    assert cleaned[start : start + len("Rep. Maria Ortiz")] == "Rep. Maria Ortiz"
    assert cleaned.index("(D-Texas)") == PAGE.index("(D-Texas)")


def test_share_lines_no_longer_hide_the_dateline() -> None:
    r = extract_text(PAGE)
    assert r.dateline is not None and r.dateline.agency == "Reuters"
    assert r.text == clean_page(PAGE)  # the record's text is what was analysed


def test_hover_cards_and_credits_make_no_quotes_or_people() -> None:
    r = extract_text(PAGE)
    people = {e.name for e in r.entities if e.type == "PERSON"}
    assert "Maria Ortiz" in people
    assert not any("Ortiz" in n and n != "Maria Ortiz" for n in people)
    assert not people & {"Kylie Morgan", "Andrew Cole", "Jill Lawson", "Toby Melville"}
    giveaway = next(q for q in r.quotes if "giveaway" in q.text)
    assert giveaway.speaker is not None and giveaway.speaker.name == "Maria Ortiz"
    assert not any("MORE" in q.text or "Senate panel" in q.text for q in r.quotes)


def test_text_without_junk_is_unchanged() -> None:
    text = (
        "Officials said the road would reopen.\n\nThe minister contributed funds to the school.\n"
    )
    assert clean_page(text) == text


TEASERS = (
    "The mayor said on Monday the bridge would close for a year.\n"
    "Read more: Council split over the bridge budget\n"
    "ALSO READ: Ferry fares to rise in spring\n"
    "“It is the only safe choice,” the mayor said.\n"
    "You might also like\n"
    "Woman ordered hit on father of her child, police say\n"
    "Storms cut power to thousands on the coast\n"
    "Ana Ruiz, the city engineer, said she found cracks in two of the piers.\n"
)


def test_related_story_teasers_are_found_and_the_story_left_alone() -> None:
    found = [TEASERS[s:e] for s, e in teaser_spans(TEASERS)]
    assert found == [
        "Read more: Council split over the bridge budget",
        "ALSO READ: Ferry fares to rise in spring",
        "You might also like",
        "Woman ordered hit on father of her child, police say",
        "Storms cut power to thousands on the coast",
    ]
    assert clean_page(TEASERS) == TEASERS  # left in place: the line layout holds


def test_a_teaser_headline_is_not_a_quote() -> None:
    r = extract_text(TEASERS)
    assert not any("ordered hit" in q.text for q in r.quotes)
    assert any("cracks in two of the piers" in q.text for q in r.quotes)
