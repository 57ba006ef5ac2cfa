"""Roles as the article states them (extract/roles.py), on our own sentences."""

from __future__ import annotations

import pytest

from wirescope.pipeline.build import extract_text


def _roles(text: str, name: str) -> list[str]:
    (person,) = [e for e in extract_text(text).entities if e.name == name]
    return person.roles


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        # titles before the name, with an honorific between
        (
            "After a meeting with Alliance Secretary General Ines Varga, the envoy left.",
            "Ines Varga",
            "Alliance Secretary General",
        ),
        (
            "The plan won the backing of Ohio Gov. Mark Delaney on Friday.",
            "Mark Delaney",
            "Ohio Gov.",
        ),
        ("It was a trip by comedian Dara Whelan and friends.", "Dara Whelan", "comedian"),
        (
            "Regional Health Commissioner Dr. Amara Nwosu said the clinics would open.",
            "Amara Nwosu",
            "Regional Health Commissioner",
        ),
        # a phrase set before the name ("X's Y Z")
        (
            "On Tuesday, the navy's chief spokesperson, Rear Admiral Tomas Weil, said the "
            "ships had left.",
            "Tomas Weil",
            "navy's chief spokesperson",
        ),
        # appositions after the name, across abbreviations and hyphens
        (
            '"It is over," Lina Okoro, an expert on the conflict at U.K. think-tank Harbour '
            "House, told reporters.",
            "Lina Okoro",
            "expert on the conflict at U.K. think-tank Harbour House",
        ),
        (
            "The launch slipped, said Jon Petrak, the co-founder of a Lisbon-based space "
            "consultancy who has worked there for years.",
            "Jon Petrak",
            "co-founder of a Lisbon-based space consultancy",
        ),
    ],
)
def test_a_stated_role_is_found_whole(text: str, name: str, role: str) -> None:
    assert role in _roles(text, name)


def test_no_role_from_a_fragment_or_an_honorific_alone() -> None:
    # "Sen." alone stays an honorific; "Lawyers for X" and "X, the President said" are
    # no roles of X; a list of people is no apposition
    assert _roles("Sen. Maria Kell voted no.", "Maria Kell") == []
    text = "Judge Harriet Quarles ruled. Lawyers for Quarles declined to comment."
    assert _roles(text, "Harriet Quarles") == ["Judge"]
    text = "They met Omar Said, the President said on Monday."
    assert _roles(text, "Omar Said") == []
    text = "The tour included former Senator Ruth Alder, actor Kevin Marsh and others."
    assert _roles(text, "Ruth Alder") == ["former Senator"]


@pytest.mark.parametrize(
    ("text", "name", "roles"),
    [
        (
            "Growth slowed, said Omar Vance, a senior fellow at the Harbour Institute in "
            "Lisbon and a former Labour Ministry official.",
            "Omar Vance",
            ["senior fellow at the Harbour Institute in Lisbon", "former Labour Ministry official"],
        ),
        (
            "Prices rose, said Nina Holt, chief economist at Ridge Analytics Inc. in West "
            "Chester, Pennsylvania.",
            "Nina Holt",
            ["chief economist at Ridge Analytics Inc. in West Chester, Pennsylvania"],
        ),
        ("Saphina Oduya is a mother of two.", "Saphina Oduya", ["mother of two"]),
        (
            "The port was built by the successor of Sultan Qaboos bin Said, who died in 2020.",
            "Qaboos bin Said",
            ["Sultan"],
        ),
    ],
)
def test_roles_in_coordination_places_and_predicates(
    text: str, name: str, roles: list[str]
) -> None:
    assert _roles(text, name) == roles


def test_a_name_the_model_missed_has_its_apposition() -> None:
    # the NER tags no person here; the attribution finds the speaker, the role follows
    text = "Ana Ibekwe, the U.S. ambassador to Ghana, told Rest of World the firms would come."
    assert _roles(text, "Ana Ibekwe") == ["U.S. ambassador to Ghana"]


def test_the_tail_of_a_list_is_no_role() -> None:
    text = "The crew was made up of recent graduates and master’s students, Odile Brassac said."
    assert _roles(text, "Odile Brassac") == []


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        ("Sen. Ola Brandt, R-Neb., called the death a scandal.", "Ola Brandt", "R-Neb."),
        (
            "“Prices will rise,” said Ravi Menon, Director, Harbor Securities.",
            "Ravi Menon",
            "Director, Harbor Securities",
        ),
        (
            "Hours after Amal Saleh was named the new leader of the port workers’ union on "
            "Tuesday, many celebrated.",
            "Amal Saleh",
            "new leader of the port workers' union",
        ),
        (
            "Omar Haddad is the head of the Coastal Dialogue Group in Cyprus, which aims to help.",
            "Omar Haddad",
            "head of the Coastal Dialogue Group in Cyprus",
        ),
        (
            "“We hope to agree,” said Lena Vogt, who represents Carl Mayer.",
            "Lena Vogt",
            "who represents Carl Mayer",
        ),
    ],
)
def test_roles_in_tags_predicates_and_relative_clauses(text: str, name: str, role: str) -> None:
    assert role in _roles(text, name)


def test_a_party_tag_is_nobody() -> None:
    text = "Sen. Ola Brandt, R-Neb., called the death a scandal."
    assert [e.name for e in extract_text(text).entities if e.type == "PERSON"] == ["Ola Brandt"]
