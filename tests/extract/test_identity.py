"""One entity per name, of one type, in a record (extract/identity.py)."""

from __future__ import annotations

from wirescope.extract.identity import one_entity_per_name
from wirescope.pipeline.build import extract_text
from wirescope.record.models import Cue, Entity, Quote, SpeakerRef


def _quote(entity: str) -> Quote:
    return Quote(
        id="q1",
        span=(0, 5),
        text="Hello",
        kind="direct",
        cue=Cue(span=(6, 10), text="said", lemma="say"),
        speaker=SpeakerRef(span=(11, 17), text="Okafor", entity=entity, name="Okafor"),
    )


def test_a_surname_typed_as_an_organisation_joins_the_person() -> None:
    people = [Entity(id="p1", type="PERSON", name="Adaeze Okafor", mentions=[(0, 13)])]
    bodies = [
        Entity(id="o1", type="ORG", name="Okafor", mentions=[(40, 46)], quotes=["q1"]),
        Entity(id="o2", type="ORG", name="Adaeze Okafor", mentions=[(80, 93)]),
    ]
    ents, quotes = one_entity_per_name(people + bodies, [_quote("o1")])
    (person,) = ents
    assert person.id == "p1" and person.mentions == [(0, 13), (40, 46), (80, 93)]
    assert quotes[0].speaker is not None and quotes[0].speaker.entity == "p1"
    assert person.quotes == ["q1"]


def test_a_body_read_as_a_person_is_the_body() -> None:
    ents, _ = one_entity_per_name(
        [
            Entity(id="p1", type="PERSON", name="Harbour Sports", mentions=[(0, 14)]),
            Entity(id="o1", type="ORG", name="Harbour Sports", mentions=[(50, 64)]),
            Entity(id="p2", type="PERSON", name="The Lagos Courier", mentions=[(70, 87)]),
        ],
        [],
    )
    assert sorted((e.name, e.type) for e in ents) == [
        ("Harbour Sports", "ORG"),
        ("The Lagos Courier", "ORG"),
    ]
    body = next(e for e in ents if e.name == "Harbour Sports")
    assert body.mentions == [(0, 14), (50, 64)]


def test_a_company_and_its_legal_name_are_one() -> None:
    ents, _ = one_entity_per_name(
        [
            Entity(id="o1", type="ORG", name="Tembo Freight, Inc.", mentions=[(0, 19)]),
            Entity(id="o2", type="ORG", name="Tembo Freight", mentions=[(40, 53)]),
        ],
        [],
    )
    assert [(e.name, e.mentions) for e in ents] == [("Tembo Freight, Inc.", [(0, 19), (40, 53)])]


def test_names_that_name_nobody_are_dropped() -> None:
    text = (
        "Markets slowed in a modest recovery.\n\nSpotty Recovery\n\nThe plan was signed.\n\n"
        "Reporting by Ines Varga; Editing by Tom Ashby"
    )
    found = [
        Entity(id="p1", type="PERSON", name="Spotty Recovery", mentions=[(38, 53)]),
        Entity(id="p2", type="PERSON", name="Ines Varga", mentions=[(90, 100)]),
        Entity(id="p3", type="PERSON", name="Tuesday", mentions=[(0, 1)]),
        Entity(id="p4", type="PERSON", name="Horus 4", mentions=[(2, 9)]),
        Entity(id="o1", type="ORG", name="Coastal Shipping Agreement", mentions=[(3, 4)]),
        Entity(id="o2", type="ORG", name="Rear Admiral", mentions=[(5, 6)]),
        Entity(id="o3", type="ORG", name="Department of Justice", mentions=[(7, 8)]),
        Entity(id="p5", type="PERSON", name="Ama Mensah", mentions=[(9, 10)]),
    ]
    ents, _ = one_entity_per_name(found, [], text)
    assert [e.name for e in ents] == ["Department of Justice", "Ama Mensah"]


def _bodies(text: str) -> list[tuple[str, str]]:
    return [(e.type, e.name) for e in extract_text(text).entities if e.type != "PLACE"]


def test_one_person_one_entry_in_a_story() -> None:
    # the small model types the later surnames as organisations
    text = (
        "Mariela Sotomayor won the final. The crowd cheered as Sotomayor lifted the trophy. "
        "Sotomayor told Sky Sports she was delighted."
    )
    assert _bodies(text) == [("PERSON", "Mariela Sotomayor"), ("ORG", "Sky Sports")]
    text = "Judge Harriet Quarles ruled on Monday. Quarles rejected the motion."
    assert _bodies(text) == [("PERSON", "Harriet Quarles")]


def test_a_name_is_only_the_name() -> None:
    text = "Kwame Boateng beat Lars Eriksen 6-4, 6-2. Eriksen said the heat was hard."
    assert ("PERSON", "Lars Eriksen") in _bodies(text)
    text = "Striker Tomas Brevik scored twice on Sunday. Brevik signed a new deal."
    (brevik,) = [e for e in extract_text(text).entities if e.type == "PERSON"]
    assert (brevik.name, brevik.roles) == ("Tomas Brevik", ["Striker"])


def test_credit_lines_name_no_one_of_the_story() -> None:
    text = (
        "Rates rose in Dodoma, the bank said, according to data compiled by Brightline.\n\n"
        "Pilar Mendes reported from Lisbon, and Oren Tal from Haifa.\n\n"
        "Contributing: Nadia Ferreira\n\n"
        "Copyright © 2024 The Coastal Ledger, LLC.\n\n(END)"
    )
    names = {e.name for e in extract_text(text).entities}
    assert "Dodoma" in names
    assert not names & {"Pilar Mendes", "Oren Tal", "Nadia Ferreira", "Lisbon", "Haifa"}
    assert not names & {"The Coastal Ledger", "LLC", "END"}


def test_a_body_paragraph_with_compiled_by_is_no_credit() -> None:
    text = (
        "Jobs fell 4 percent, according to data compiled by the agency, said Ruth Abara, "
        "an economist at the University of Kisumu in Kenya."
    )
    names = {e.name for e in extract_text(text).entities}
    assert {"Ruth Abara", "University of Kisumu"} <= names


def test_documents_are_nobody_and_speak_for_their_author() -> None:
    quote = Quote(
        id="q1",
        span=(0, 5),
        text="Hello",
        kind="indirect",
        speaker=SpeakerRef(span=(11, 24), text="court records", entity="c1", name="court records"),
    )
    found = [
        Entity(id="c1", type="GROUP", name="court records", mentions=[(11, 24)], quotes=["q1"]),
        Entity(id="c2", type="GROUP", name="Harbour Authority data", mentions=[(30, 52)]),
        Entity(id="o1", type="ORG", name="Harbour Authority", mentions=[(60, 77)]),
        Entity(id="c3", type="GROUP", name="Kenyan tallies", mentions=[(80, 94)]),
        Entity(id="c4", type="GROUP", name="methods", mentions=[(95, 102)]),
        Entity(id="c5", type="GROUP", name="the men in the car", mentions=[(103, 121)]),
        Entity(id="c6", type="GROUP", name="one of the survivors", mentions=[(122, 142)]),
    ]
    ents, quotes = one_entity_per_name(found, [quote])
    assert sorted((e.type, e.name) for e in ents) == [
        ("GROUP", "one of the survivors"),
        ("GROUP", "the men in the car"),
        ("ORG", "Harbour Authority"),
    ]
    (body,) = [e for e in ents if e.type == "ORG"]
    assert body.mentions == [(30, 52), (60, 77)]
    speaker = quotes[0].speaker
    assert speaker is not None and speaker.entity is None and speaker.text == "court records"


def test_a_part_of_a_name_joins_the_one_person_who_bears_it() -> None:
    found = [
        Entity(id="p1", type="PERSON", name="Odette Marsh Quillan", mentions=[(0, 20)]),
        Entity(id="p2", type="PERSON", name="Marsh Quillan", mentions=[(30, 43)]),
        Entity(id="p3", type="PERSON", name="Tobias Venn", mentions=[(50, 61)]),
        Entity(id="p4", type="PERSON", name="Venn", mentions=[(70, 74)], quotes=["q1"]),
        Entity(id="p5", type="PERSON", name="Baek Ji", mentions=[(80, 87)]),
        Entity(id="p6", type="PERSON", name="Baek Ji Hoon", mentions=[(90, 101)]),
    ]
    ents, quotes = one_entity_per_name(found, [_quote("p4")])
    assert sorted(e.name for e in ents) == ["Baek Ji Hoon", "Odette Marsh Quillan", "Tobias Venn"]
    assert quotes[0].speaker is not None and quotes[0].speaker.entity == "p3"


def test_a_spouse_or_another_titled_bearer_of_the_surname_stays_apart() -> None:
    found = [
        Entity(id="p1", type="PERSON", name="Emmanuel Durand", mentions=[(0, 15)]),
        Entity(id="p2", type="PERSON", name="Durand", mentions=[(30, 36)], gender="f"),
        Entity(id="p3", type="PERSON", name="Mary Pike", mentions=[(40, 49)], honorifics=["Dr"]),
        Entity(id="p4", type="PERSON", name="Pike", mentions=[(50, 54)], honorifics=["Insp"]),
    ]
    ents, _ = one_entity_per_name(found, [])
    assert sorted(e.name for e in ents) == ["Durand", "Emmanuel Durand", "Mary Pike", "Pike"]


def test_a_body_named_with_a_place_or_a_modifier_in_front_is_one_body() -> None:
    found = [
        Entity(id="o1", type="ORG", name="Freedom Caucus", mentions=[(0, 14)]),
        Entity(id="o2", type="ORG", name="Montana Freedom Caucus", mentions=[(20, 42)]),
        Entity(id="o3", type="ORG", name="Bureau of Prisons", mentions=[(50, 67)]),
        Entity(id="o4", type="ORG", name="federal Bureau of Prisons", mentions=[(70, 95)]),
        Entity(id="o5", type="ORG", name="Democratic Party", mentions=[(100, 116)]),
        Entity(id="o6", type="ORG", name="Constitutional Democratic Party", mentions=[(120, 151)]),
    ]
    ents, _ = one_entity_per_name(found, [])
    assert sorted(e.name for e in ents) == [
        "Bureau of Prisons",
        "Constitutional Democratic Party",
        "Democratic Party",
        "Freedom Caucus",
    ]


def test_mrs_and_the_politician_of_her_surname_are_two_people() -> None:
    text = (
        "President Emmanuel Durand visited Lyon on Monday. His wife, Mrs Durand, said the "
        'trip was long. "It was tiring," Mrs Durand said.'
    )
    people = {e.name: e for e in extract_text(text).entities if e.type == "PERSON"}
    assert set(people) == {"Emmanuel Durand", "Durand"}
    assert "wife" not in people["Emmanuel Durand"].roles


def test_a_one_word_name_that_is_always_part_of_a_longer_name_is_nobody() -> None:
    text = (
        "Tankers crossed the Strait of Kelmar on Monday. Palo told Rest of World the route "
        "was safe. Coach Dunmore agreed. Bush with Iraq. Obama with Libya."
    )

    def at(word: str) -> tuple[int, int]:
        i = text.index(word)
        return (i, i + len(word))

    found = [
        Entity(id=f"p{k}", type="PERSON", name=w, mentions=[at(w)])
        for k, w in enumerate(["Kelmar", "Rest", "Dunmore", "Obama"])
    ]
    ents, _ = one_entity_per_name(found, [], text)
    assert [e.name for e in ents] == ["Dunmore", "Obama"]


def test_a_body_named_only_inside_a_longer_name_or_shouted_is_none() -> None:
    text = (
        "Two Justice Department lawyers met. He saw Secretary of State Ana Reyes and the "
        "Secretary of Harbour Council Ian Po. Out on Court 12, she won. The "
        "Tehrik-e-Azadi party marched.\n\nHARBOUR TO HIGHWAY\n\n"
        "US Delta Force units landed. He told Reuters it was over."
    )

    def at(word: str) -> tuple[int, int]:
        i = text.index(word)
        return (i, i + len(word))

    names = ["Department", "State", "Court", "Tehrik", "HARBOUR TO HIGHWAY", "Delta Force"]
    found = [
        Entity(id=f"o{k}", type="ORG", name=w, mentions=[at(w)])
        for k, w in enumerate([*names, "Harbour Council", "Reuters"])
    ]
    ents, _ = one_entity_per_name(found, [], text)
    assert [e.name for e in ents] == ["Delta Force", "Harbour Council", "Reuters"]


def test_a_person_typed_as_a_body_is_the_person() -> None:
    found = [
        Entity(id="p1", type="PERSON", name="Wirawan", mentions=[(0, 7)]),
        Entity(id="o1", type="ORG", name="Wirawan Sasmita", mentions=[(20, 35)]),
        Entity(id="o2", type="ORG", name="Sasmita", mentions=[(40, 47)], quotes=["q1"]),
        Entity(id="o3", type="ORG", name="Kofi Boateng", mentions=[(50, 62)]),
        Entity(id="o4", type="ORG", name="Harbour Sports", mentions=[(70, 84)]),
    ]
    ents, _ = one_entity_per_name(found, [])
    types = {e.name: e.type for e in ents}
    assert types["Wirawan Sasmita"] == "PERSON" and "Sasmita" not in types
    assert types["Kofi Boateng"] == "PERSON" and types["Harbour Sports"] == "ORG"


def test_a_family_named_in_the_plural_is_no_person() -> None:
    rec = extract_text("The Obamas attended the gala on Friday, the White House said.")
    assert [e.type for e in rec.entities if e.name.endswith("Obamas")] == ["GROUP"]
    # a one-word name ending in "s" without "the" stays a person
    rec = extract_text("Reporters asked Jonas about the vote. Jonas said he would wait.")
    assert [e.type for e in rec.entities if e.name == "Jonas"] == ["PERSON"]
