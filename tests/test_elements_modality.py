"""How firmly the generic ``elements`` detector reads a clause: modal scope over coordinated
verbs, "may only", negation after the key, lead-ins carried to list items, approval
exceptions and negative headings. Every sentence here is written for these tests."""

from __future__ import annotations

import pytest

from policy_audit.detect import detect
from policy_audit.detect.clause import (
    COORDINATED,
    DISCRETIONARY,
    FACT,
    MANDATORY,
    MAY_ONLY,
    MODAL_AFTER,
    read_lead_in,
    read_scoped,
)
from policy_audit.pipeline import audit_text
from policy_audit.rubric import Rubric, load_rubric
from policy_audit.segment import make_doc
from tests.conftest import ELEMENT_LEVELS, one_criterion_rubric, source_of

MANIFEST = 'id = "query-rules"\nversion = "0.1"\ntitle = "Query rules"\n'

CRITERION = '''
id = "query_rules"
title = "Query rules"
question = "Are ALPR queries controlled, and are harmful uses banned?"
weight = 1
scorer = "elements"
why = "Every query is a look at where someone has been."
model_language = "Users shall log in with their own credentials."
citations = [{ title = "Test source", source = "tests" }]

''' + ELEMENT_LEVELS + '''
[detect]
triggers = ["ALPR", "query", "queries", "users", "operator", "plate reader", "camera",
            "cameras"]

[[detect.elements]]
id = "credentials"
label = "individual credentials"
pattern = '\\bown\\s+credentials\\b'

[[detect.elements]]
id = "case_number"
label = "a case number"
pattern = '\\bcase\\s+numbers?\\b'

[[detect.elements]]
id = "reason"
label = "a reason"
pattern = '\\breasons?\\b'

[[detect.elements]]
id = "trained"
label = "trained users only"
pattern = '\\btrained\\b'

[[detect.elements]]
id = "no_face"
label = "no face recognition"
pattern = '\\bfac(?:e|ial)\\s+recognition\\b'
require = "ban"

[[detect.elements]]
id = "no_occupants"
label = "no images of occupants"
pattern = '\\boccupants?\\b'
require = "ban"

[[detect.elements]]
id = "no_immigration"
label = "no immigration enforcement"
pattern = '\\bimmigration\\b'
require = "ban"
'''


@pytest.fixture(scope="module")
def rubric(tmp_path_factory: pytest.TempPathFactory) -> Rubric:
    return one_criterion_rubric(tmp_path_factory.mktemp("rubric"), MANIFEST, CRITERION)


def cues(rubric: Rubric, text: str) -> set[str]:
    """Every element cue the detector gives the text, over all its clauses."""
    found = detect(make_doc(text), source_of(text), rubric)
    return {cue for f in found if f.topic == "query_rules" for cue in f.cues}


def firm(rubric: Rubric, text: str) -> set[str]:
    """The elements stated firmly (or banned firmly)."""
    return {c.split(".")[1] for c in cues(rubric, text)
            if c.startswith("element.") and c.count(".") == 1}


def key(text: str, word: str) -> tuple[int, int]:
    at = text.index(word)
    return at, at + len(word)


# --------------------------------------------------------------------------- 1. coordination


def test_modal_governs_coordinated_verb_phrases(rubric: Rubric) -> None:
    text = ("ALPR users shall sign on with their own credentials and enter a case number and a "
            "brief reason before each query.")
    assert firm(rubric, text) >= {"credentials", "case_number", "reason"}
    assert "element.reason.via-coordinated" in cues(rubric, text)


def test_modal_reaches_past_the_old_sixty_character_window(rubric: Rubric) -> None:
    # Far from its modal the key used to read as a plain fact, so "should" passed as firm.
    text = ("Before any historical search of stored plate reads, the operator should type into "
            "the search screen of the vendor's web portal the relevant case number.")
    found = cues(rubric, text)
    assert "element.case_number.soft" in found and "element.case_number" not in found
    text = text.replace("should", "must")
    assert "case_number" in firm(rubric, text)


def test_soft_modal_also_carries_over_coordination(rubric: Rubric) -> None:
    text = "ALPR users should sign on with their own credentials and note a reason for each query."
    found = cues(rubric, text)
    assert "element.reason.soft" in found and "element.reason" not in found


def test_new_subject_with_its_own_verb_ends_the_modal_scope(rubric: Rubric) -> None:
    # "may" does not reach "the reason is logged": a new subject with its own verb.
    text = "Detectives may run an ALPR query, and the reason is logged by the system."
    assert "reason" in firm(rubric, text)
    text = "Detectives shall run ALPR queries, and supervisors may ask for a reason."
    assert "reason" not in firm(rubric, text)


def test_ensure_that_carries_the_modal_into_its_clause(rubric: Rubric) -> None:
    # The that-clause is what "should ensure" asks for: as soft as the modal, not a fact.
    text = "The supervisor should ensure that the reason for each query is recorded."
    found = cues(rubric, text)
    assert "element.reason.soft" in found and "element.reason" not in found
    assert "reason" in firm(rubric, text.replace("should", "shall"))
    # A that-clause after any other verb is still a statement of its own.
    text = "Detectives may note that the reason for each query is recorded by the system."
    assert read_scoped(text, *key(text, "recorded")).modality == FACT


def test_scope_stops_at_unless() -> None:
    text = "Queries shall be logged unless the operator is trained on the backup terminal."
    reading = read_scoped(text, *key(text, "trained"))
    assert reading.modality == FACT


@pytest.mark.parametrize(
    ("text", "word", "modality", "rule"),
    [
        ("Users shall log in and record a reason.", "reason", MANDATORY, COORDINATED),
        ("Users may log in or record a reason.", "reason", DISCRETIONARY, COORDINATED),
        ("Users shall log in; a reason is recorded.", "reason", FACT, "fact"),
    ],
)
def test_read_scoped_modality(text: str, word: str, modality: str, rule: str) -> None:
    reading = read_scoped(text, *key(text, word))
    assert (reading.modality, reading.rule) == (modality, rule)


# --------------------------------------------------------------------------- 2. may only


@pytest.mark.parametrize(
    "text",
    [
        "Stored ALPR data may be accessed only by trained personnel.",
        "Stored ALPR data may only be searched by trained analysts.",
        "Only trained officers may query the ALPR database.",
        "ALPR data can be viewed solely by trained records staff.",
    ],
)
def test_may_only_is_a_restriction(rubric: Rubric, text: str) -> None:
    assert "trained" in firm(rubric, text)
    assert "element.trained.via-may-only" in cues(rubric, text)


def test_plain_may_is_still_a_permission(rubric: Rubric) -> None:
    text = "Stored ALPR data may be accessed by trained personnel."
    assert "trained" not in firm(rubric, text)
    assert "element.trained.soft" in cues(rubric, text)


def test_may_at_discretion_with_only_stays_soft() -> None:
    text = "The unit may, at its discretion and only when asked, give a reason."
    assert read_scoped(text, *key(text, "reason")).modality == DISCRETIONARY


def test_read_scoped_names_the_may_only_rule() -> None:
    text = "Plate data may be used only by trained staff."
    reading = read_scoped(text, *key(text, "trained"))
    assert (reading.modality, reading.rule) == (MANDATORY, MAY_ONLY)


# --------------------------------------------------------------------------- 3. negation after


@pytest.mark.parametrize(
    ("text", "element"),
    [
        ("Pictures of vehicle occupants shall not be kept by the ALPR cameras.", "no_occupants"),
        ("Face recognition will not be used on ALPR images.", "no_face"),
        ("Facial recognition must never be applied to ALPR camera reads.", "no_face"),
        ("No occupant images shall be stored by the ALPR cameras.", "no_occupants"),
        ("Facial recognition is not performed on any ALPR read.", "no_face"),
        ("No facial recognition tool may be run against ALPR reads.", "no_face"),
    ],
)
def test_negation_after_the_key_is_a_ban(rubric: Rubric, text: str, element: str) -> None:
    assert element in firm(rubric, text)


def test_ban_read_after_the_key_names_its_rule(rubric: Rubric) -> None:
    text = "Face recognition will not be used on ALPR images."
    assert "element.no_face.via-modal-after" in cues(rubric, text)
    reading = read_scoped(text, *key(text, "Face recognition"))
    assert (reading.modality, reading.negated, reading.rule) == (MANDATORY, True, MODAL_AFTER)


@pytest.mark.parametrize(
    "text",
    [
        "Face recognition should not be used on ALPR images.",
        "ALPR images should not be run through face recognition.",
    ],
)
def test_soft_negation_is_not_a_ban(rubric: Rubric, text: str) -> None:
    found = cues(rubric, text)
    assert "element.no_face.soft" in found and "element.no_face" not in found


def test_may_not_is_a_ban(rubric: Rubric) -> None:
    assert "no_face" in firm(rubric, "ALPR images may not be run through face recognition.")


@pytest.mark.parametrize(
    "text",
    [
        # Epistemic "may not be": no rule about occupants at all.
        "Officers using ALPR should remember the occupant may not be the registered owner.",
        # The modal belongs to a relative clause, not to the key.
        "ALPR cameras photograph occupants that may be visible through the windshield.",
    ],
)
def test_modal_after_the_key_needs_a_real_predicate(rubric: Rubric, text: str) -> None:
    assert "no_occupants" not in firm(rubric, text)


# --------------------------------------------------------------------------- 4. lead-ins


def test_items_inherit_a_mandatory_lead_in(rubric: Rubric) -> None:
    text = ("Before each ALPR query the operator shall:\n"
            "a. sign on with their own credentials\n"
            "b. enter the case number\n"
            "c. state the reason\n")
    assert firm(rubric, text) >= {"credentials", "case_number", "reason"}
    assert "element.reason.via-lead-in" in cues(rubric, text)


def test_items_inherit_a_following_the_lead_in(rubric: Rubric) -> None:
    text = "Each ALPR query must include the following:\n- the case number\n- the reason\n"
    assert firm(rubric, text) >= {"case_number", "reason"}


def test_items_inherit_a_soft_lead_in(rubric: Rubric) -> None:
    text = "The ALPR operator should:\n1. record the case number\n2. note the reason\n"
    found = cues(rubric, text)
    assert "element.case_number.soft" in found and "element.case_number" not in found


def test_items_under_a_negated_lead_in_are_bans(rubric: Rubric) -> None:
    text = ("ALPR data shall not be used for:\n"
            "(a) immigration enforcement;\n"
            "(b) face recognition;\n"
            "(c) photographing vehicle occupants.\n")
    assert firm(rubric, text) >= {"no_immigration", "no_face", "no_occupants"}


def test_inline_lead_in_is_carried_to_its_items(rubric: Rubric) -> None:
    text = "ALPR data shall not be used for: immigration enforcement; face recognition."
    assert firm(rubric, text) >= {"no_immigration", "no_face"}


def test_lead_in_items_are_read_in_its_context(rubric: Rubric) -> None:
    # The item has no trigger word of its own: the lead-in's "ALPR query" brings it in.
    text = "Every ALPR query must carry:\n- a case number\n"
    assert "case_number" in firm(rubric, text)


@pytest.mark.parametrize(
    ("lead_in", "modality", "negated"),
    [
        ("The operator shall:", MANDATORY, False),
        ("Data shall not be used for:", MANDATORY, True),
        ("Officers may use the system to:", DISCRETIONARY, False),
        ("The following uses are prohibited:", FACT, True),
    ],
)
def test_read_lead_in(lead_in: str, modality: str, negated: bool) -> None:
    reading = read_lead_in(lead_in)
    assert reading is not None and (reading.modality, reading.negated) == (modality, negated)


def test_lead_in_without_modal_passes_nothing() -> None:
    assert read_lead_in("Data collected includes:") is None


# --------------------------------------------------------------------------- 5. approval


def test_approval_exception_qualifies_rather_than_cancels(rubric: Rubric) -> None:
    text = "ALPR users shall record a reason for every query unless approved by a supervisor."
    found = cues(rubric, text)
    assert "element.reason.qualified" in found
    assert "element.reason" not in found


def test_qualified_finding_keeps_the_exception(rubric: Rubric) -> None:
    text = "ALPR users shall give a reason for each query except with the approval of the Chief."
    found = [f for f in detect(make_doc(text), source_of(text), rubric)
             if f.topic == "query_rules"]
    assert found[0].exceptions == ["except with the approval of the Chief."]


def test_only_with_approval_is_a_requirement_not_an_exception(rubric: Rubric) -> None:
    text = "ALPR users shall record a reason, and may query only with the approval of a sergeant."
    assert "reason" in firm(rubric, text)


def test_law_exception_still_swallows(rubric: Rubric) -> None:
    text = "ALPR users shall record a reason for every query except as permitted by law."
    found = cues(rubric, text)
    assert "element.reason.soft" in found
    assert "element.reason.qualified" not in found


def test_exception_for_a_named_statute_leaves_the_element(rubric: Rubric) -> None:
    # Enacted law named as such is harmless; an open "by law" still swallows.
    text = "ALPR data shall not be used for immigration enforcement unless authorized by statute."
    assert "no_immigration" in firm(rubric, text)
    text = "ALPR data shall not be used for immigration enforcement unless authorized by law."
    assert "no_immigration" not in firm(rubric, text)


# --------------------------------------------------------------------------- 6. headings


def test_items_under_a_not_collected_heading_are_bans(rubric: Rubric) -> None:
    text = ("ALPR Cameras\n"
            "What is not collected\n"
            "- Face recognition\n"
            "- Images of occupants\n")
    assert firm(rubric, text) >= {"no_face", "no_occupants"}
    assert "element.no_face.via-heading" in cues(rubric, text)


def test_items_under_a_prohibited_uses_label_are_bans(rubric: Rubric) -> None:
    text = "Prohibited Uses of ALPR\n- Immigration enforcement\n- Face recognition searches\n"
    assert firm(rubric, text) >= {"no_immigration", "no_face"}


def test_label_frames_about_for_its_items(tmp_path_factory: pytest.TempPathFactory) -> None:
    # An ``about`` that needs "ALPR": the item says only "Face recognition"; the label says
    # "ALPR".
    folder = tmp_path_factory.mktemp("about")
    (folder / "rubric.toml").write_text(MANIFEST)
    (folder / "criteria").mkdir()
    spec = CRITERION.replace("[detect]\n", "[detect]\nabout = '\\bALPR\\b'\n")
    spec = spec.replace('triggers = ["ALPR",', 'triggers = ["face recognition", "ALPR",')
    (folder / "criteria" / "query_rules.toml").write_text(spec)
    with_about = load_rubric(folder)
    text = ("Introduction\nThis page describes our cameras.\nALPR: what is not detected\n"
            "- Face recognition\n")
    assert "no_face" in firm(with_about, text)


def test_label_frames_its_value_line(tmp_path_factory: pytest.TempPathFactory) -> None:
    # A key/value portal page: the value line under a label is read after its key, for
    # ``about`` and for element patterns, and the evidence quotes both lines.
    folder = tmp_path_factory.mktemp("keyvalue")
    (folder / "rubric.toml").write_text(MANIFEST)
    (folder / "criteria").mkdir()
    spec = CRITERION.replace("[detect]\n", "[detect]\nabout = '\\bALPR\\b'\n")
    spec = spec.replace("pattern = '\\breasons?\\b'",
                        "pattern = '\\bReasons\\s+required:\\s+\\w+'")
    assert "required:" in spec
    (folder / "criteria" / "query_rules.toml").write_text(spec)
    keyed = load_rubric(folder)
    text = "Overview\nALPR Query Reasons Required\nCase number, offence type\n"
    found = [f for f in detect(make_doc(text), source_of(text), keyed)
             if "element.reason" in f.cues]
    assert [f.text for f in found] == ["ALPR Query Reasons Required\nCase number, offence type"]
    # A body sentence further down is not framed by the label.
    text = "Overview\nALPR Query Reasons Required\nCase number.\nThe ALPR system logs users.\n"
    assert "reason" in firm(keyed, text)
    assert "reason" not in firm(keyed, "ALPR Query Reasons Required. Logged.\n")


# --------------------------------------------------------------------------- levels


def level(rubric: Rubric, text: str) -> str:
    return audit_text(source_of(text), rubric).criterion("query_rules").level.value


def test_coordinated_list_earns_strong(rubric: Rubric) -> None:
    text = ("Only trained officers may run ALPR queries. ALPR users shall sign on with their own "
            "credentials and enter a case number and a reason for each query. ALPR data shall "
            "not be used for:\n- immigration enforcement\n- face recognition\n"
            "Pictures of vehicle occupants shall not be kept by the ALPR cameras.")
    assert level(rubric, text) == "strong"
