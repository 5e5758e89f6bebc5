"""Comparing versions of a policy: criterion deltas and the section-aligned redline.

The versions are written here (short fictional policies), each test changing one thing
that a council's staff meet in real drafts: a renumbered or moved section, an inserted
one, a clause weakened, the same text in another file format.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policy_audit.cli import main
from policy_audit.compare import Comparison, Version, compare_to_model, compare_versions
from policy_audit.compare.models import CriterionDelta
from policy_audit.compare.redline import redline, word_diff
from policy_audit.compare.render import render
from policy_audit.compare.sections import words_of
from policy_audit.errors import InputError
from policy_audit.ingest import read_document
from policy_audit.pipeline import audit_text

from .conftest import source_of

SAMPLES = Path(__file__).parent.parent / "sample_policies"

SECTIONS = [
    ("Purpose", "This order sets the rules for the automated license plate reader system of "
     "the Fairview Police Department. It applies to every member of the Department."),
    ("Definitions", "A hit is an alert that a scanned plate matches a plate on a hot list. "
     "ALPR data means the plate images, dates, times and places the cameras record."),
    ("Data Retention", "ALPR data that is not connected to a hit or an open investigation "
     "shall be purged no later than 30 days after it was collected."),
    ("Sharing", "ALPR data may be shared only with California law enforcement agencies that "
     "submit a written request approved by the Chief, and shall not be sold or given to any "
     "private entity."),
    ("Immigration", "ALPR data shall not be used or shared for immigration enforcement, and "
     "shall not be released to Immigration and Customs Enforcement or any other federal "
     "immigration authority."),
    ("Training", "Only members who completed the Department's ALPR course may operate the "
     "system. It applies to every member of the Department who uses the system."),
    ("Audits", "The Professional Standards Unit shall audit every ALPR search each quarter "
     "and confirm that each search recorded a case number."),
    ("Public Reporting", "Each year the Department shall publish on its website a report "
     "with the number of plates read, hits, searches and the agencies that received data. "
     "This order shall also be posted on the website."),
]


def policy(sections: list[tuple[str, str]], number: str = "Section {n}.") -> str:
    lines = ["FAIRVIEW POLICE DEPARTMENT", "General Order 41 - License Plate Readers", ""]
    for n, (title, body) in enumerate(sections, start=1):
        lines += [f"{number.format(n=n)} {title}", body, ""]
    return "\n".join(lines)


def version(text: str, name: str = "draft.txt") -> Version:
    source = source_of(text, name)
    return Version(audit_text(source, "core"), source.text)


def compare(*texts: str) -> Comparison:
    return compare_versions([version(t, f"v{i + 1}.txt") for i, t in enumerate(texts)])


def statuses(comparison: Comparison, step: int = 0) -> list[tuple[str, str, bool]]:
    return [((s.new or s.old).title, s.status, s.moved)
            for s in comparison.steps[step].sections]


def criterion(comparison: Comparison, criterion_id: str) -> CriterionDelta:
    return next(c for c in comparison.criteria if c.id == criterion_id)


def test_identical_inputs_have_no_changes() -> None:
    text = policy(SECTIONS)
    result = compare(text, text)
    assert not result.changed
    assert all(s.status == "unchanged" and not s.moved for s in result.steps[0].sections)
    assert len(result.steps[0].sections) == len(SECTIONS) + 1  # and the title block
    assert all(c.change == "unchanged" for c in result.criteria)
    assert result.overall.delta == 0
    assert "unchanged section" in render(result, "text")
    assert "[-" not in render(result, "text") and "{+" not in render(result, "text")


def test_renumbered_sections_match_by_their_words() -> None:
    renumbered = policy(SECTIONS, number="{n}0.")  # 10., 20., 30. … instead of Section 1…
    result = compare(policy(SECTIONS), renumbered)
    assert not any(s.status != "unchanged" for s in result.steps[0].sections)
    assert sum(s.renumbered for s in result.steps[0].sections) == len(SECTIONS)
    assert all(c.change == "unchanged" for c in result.criteria)


def test_a_moved_section_is_shown_as_moved_and_nothing_else_changes() -> None:
    moved = [SECTIONS[0], SECTIONS[6], *SECTIONS[1:6], SECTIONS[7]]  # Audits moved up
    result = compare(policy(SECTIONS), policy(moved))
    rows = statuses(result)
    assert [title for title, _, is_moved in rows if is_moved] == ["Audits"]
    assert all(status == "unchanged" for _, status, _ in rows)
    assert result.steps[0].counts["moved"] == 1
    assert "moved" in render(result, "text")


def test_an_inserted_section_does_not_shift_later_matches() -> None:
    new = ("Hot Lists", "Hot lists may be loaded only from the state's stolen vehicle "
           "database, and a supervisor shall review every manual entry before it is used.")
    inserted = [*SECTIONS[:2], new, *SECTIONS[2:]]
    result = compare(policy(SECTIONS), policy(inserted))
    rows = statuses(result)
    assert [(t, s) for t, s, _ in rows if s != "unchanged"] == [("Hot Lists", "inserted")]
    later = [s for s in result.steps[0].sections if s.old and s.new and s.old.number != "1"]
    # Every section after the insertion kept its own partner, one number further on.
    for section in later:
        if section.old.number and section.old.number.isdigit() and int(section.old.number) > 2:
            assert int(section.new.number) == int(section.old.number) + 1
            assert section.status == "unchanged"


def test_a_deleted_section_among_boilerplate_is_not_paired_with_a_lookalike() -> None:
    # "Purpose" and "Training" share a sentence; dropping "Training" must not pair it
    # with "Purpose" (nor shift "Audits" onto it).
    without = [s for s in SECTIONS if s[0] != "Training"]
    result = compare(policy(SECTIONS), policy(without))
    rows = statuses(result)
    assert [(t, s) for t, s, _ in rows if s != "unchanged"] == [("Training", "deleted")]
    titles = [t for t, _, _ in rows]
    assert titles.index("Training") == titles.index("Immigration") + 1  # where it stood


def test_a_replaced_section_sharing_only_boilerplate_is_deleted_and_inserted() -> None:
    # "Vendor Contracts" takes the place of "Training" and shares its boilerplate sentence
    # (and its position): it is a new section, not an edit of the old one.
    vendor = ("Vendor Contracts", "The vendor shall not sell, share or reuse ALPR data, and "
              "shall delete every copy when the contract ends. The vendor shall report any "
              "breach to the Chief within 24 hours. It applies to every member of the "
              "Department who uses the system.")
    replaced = [vendor if t == "Training" else (t, b) for t, b in SECTIONS]
    rows = statuses(compare(policy(SECTIONS), policy(replaced)))
    assert sorted((t, s) for t, s, _ in rows if s != "unchanged") == [
        ("Training", "deleted"), ("Vendor Contracts", "inserted")]


def test_the_text_before_the_first_heading_is_compared_with_its_counterpart() -> None:
    adopted = "Adopted by the City Council on 3 May 2024 by resolution 24-17.\n" + policy(SECTIONS)
    draft = "Draft for discussion at the committee; not in force.\n" + policy(SECTIONS)
    sections = compare(adopted, draft).steps[0].sections
    assert sections[0].status == "changed" and sections[0].old.title == "(opening text)"
    assert all(s.status == "unchanged" for s in sections[1:])


def test_a_regressing_criterion_is_flagged_with_both_quotes_and_the_edit() -> None:
    weakened = [(t, b.replace("shall be purged no later than 30 days after it was collected",
                              "may be kept for as long as it is useful to the Department"))
                for t, b in SECTIONS]
    result = compare(policy(SECTIONS), policy(weakened))
    retention = criterion(result, "retention")
    assert retention.change == "regressed"
    assert retention.versions[0].level == "strong"
    assert "30 days" in retention.versions[0].quote.text
    assert "as long as it is useful" in retention.versions[1].quote.text
    step = retention.steps[0]
    assert step.change == "regressed" and step.wording_changed
    assert any("Data Retention" in label for label in step.touched_by)
    changed = [s for s in result.steps[0].sections if s.status == "changed"]
    assert [s.new.title for s in changed] == ["Data Retention"]
    assert changed[0].affects == ["retention"]
    deleted = " ".join(r.text for r in changed[0].diff if r.op == "delete")
    inserted = " ".join(r.text for r in changed[0].diff if r.op == "insert")
    assert "purged" in deleted and "30 days" in deleted and "useful" in inserted
    assert result.retention_days == [30, None]
    assert result.overall.change == "regressed" and result.overall.delta < 0
    # Sections the scorecard did not rely on stay quiet.
    assert all(not c.steps[0].touched_by for c in result.criteria if c.id != "retention")


def test_a_new_clause_improves_a_criterion_and_quotes_both_sides() -> None:
    without = [s for s in SECTIONS if s[0] != "Immigration"]
    result = compare(policy(without), policy(SECTIONS))
    immigration = criterion(result, "immigration")
    assert immigration.change == "improved"
    assert immigration.versions[0].quote is None  # v1 says nothing
    assert "immigration enforcement" in immigration.versions[1].quote.text
    assert "(the policy says nothing on this)" in render(result, "text")
    inserted = [s for s in result.steps[0].sections if s.status == "inserted"]
    assert [s.new.title for s in inserted] == ["Immigration"]
    assert "immigration" in inserted[0].affects


def test_state_law_findings_that_change_are_listed() -> None:
    without = [s for s in SECTIONS if s[0] != "Immigration"]
    versions = []
    for text in (policy(without), policy(SECTIONS)):
        source = source_of(text)
        versions.append(Version(audit_text(source, "core", jurisdiction="CA"), source.text))
    result = compare_versions(versions)
    assert result.jurisdiction == "CA"
    changes = {g.requirement: (g.before, g.after) for g in result.steps[0].legal_changes}
    assert changes == {"no-immigration-enforcement": ("not_addressed", "complies")}
    assert "Values Act" in render(result, "text")


def test_versions_checked_differently_are_refused() -> None:
    plain = version(policy(SECTIONS))
    source = source_of(policy(SECTIONS))
    with_state = Version(audit_text(source, "core", jurisdiction="CA"), source.text)
    with pytest.raises(InputError, match="same state law"):
        compare_versions([plain, with_state])


def test_whitespace_line_breaks_and_typographic_quotes_are_not_changes() -> None:
    text = policy(SECTIONS)
    reflowed = text.replace("Department. It applies", "Department.\nIt applies").replace(
        "Department's", "Department’s").replace(" hits, ", "  hits,   ")
    result = compare(text, reflowed)
    assert all(s.status == "unchanged" for s in result.steps[0].sections)


def test_hyphenation_and_page_furniture_are_not_changes() -> None:
    text = policy(SECTIONS)
    printed = text.replace("shall be purged no later", "shall be pur-\nged no later").replace(
        "Section 5. Immigration", "Page 2 of 3\nSection 5. Immigration")
    versions = []
    for name, body in (("a.txt", text), ("b.txt", printed)):
        source = read_document(body.encode("utf-8"), name=name)
        versions.append(Version(audit_text(source, "core"), source.text))
    result = compare_versions(versions)
    assert not result.changed


def test_three_versions_in_order() -> None:
    weak = [(t, b.replace("no later than 30 days", "no later than two years"))
            for t, b in SECTIONS]
    result = compare(policy(SECTIONS), policy(weak), policy(SECTIONS))
    retention = criterion(result, "retention")
    assert [s.change for s in retention.steps] == ["regressed", "improved"]
    assert retention.change == "unchanged"  # first to last
    assert result.retention_days == [30, 730, 30]
    assert len(result.steps) == 2


def test_competing_versions_each_against_the_first() -> None:
    bill_a = [(t, b.replace("no later than 30 days", "no later than 14 days")) for t, b in SECTIONS]
    bill_b = [(t, b.replace("no later than 30 days", "no later than two years"))
              for t, b in SECTIONS]
    versions = [version(policy(s), f"{n}.txt") for n, s in
                (("current-law", SECTIONS), ("bill-a", bill_a), ("bill-b", bill_b))]
    result = compare_versions(versions, baseline=True)
    assert result.steps_from == "first"
    assert [(s.from_version, s.to_version) for s in result.steps] == [(0, 1), (0, 2)]
    retention = criterion(result, "retention")
    assert [s.change for s in retention.steps] == ["unchanged", "regressed"]
    assert result.retention_days == [30, 14, 730]
    assert "each with v1 current-law.txt" in render(result, "text")


def test_a_rewritten_sentence_is_one_deletion_and_one_insertion() -> None:
    old = ("Records are kept for two years. The captain shall review the audit results every "
           "quarter and report them to the chief. Copies go to the clerk of the council.")
    new = ("Records are kept for two years. Vendor staff may inspect the cameras whenever "
           "maintenance is scheduled by the city. Copies go to the clerk of the council.")
    runs = word_diff(words_of(old), words_of(new), old, new)
    assert [r.op for r in runs] == ["equal", "delete", "insert", "equal"]  # no stray "the"
    month = old.replace("every quarter", "every month")
    edited = word_diff(words_of(old), words_of(month), old, month)
    assert [(r.op, r.text.strip()) for r in edited if r.op != "equal"] == [
        ("delete", "quarter"), ("insert", "month")]


def test_long_sections_are_diffed_sentence_by_sentence_with_the_same_result() -> None:
    sentences = [f"Rule {n} says the unit shall keep record number {n} for the file."
                 for n in range(120)]  # 1,560 words: past the word-by-word limit
    old = "Section 1. Records\n" + " ".join(sentences)
    new = old.replace("keep record number 57 for", "destroy record number 57 after")
    runs = redline(old, new)[0][0].diff
    assert [(r.op, r.text.strip()) for r in runs if r.op != "equal"] == [
        ("delete", "keep"), ("insert", "destroy"), ("delete", "for"), ("insert", "after")]
    # The runs still spell out the new section (its title, then its words).
    assert "".join(r.text for r in runs if r.op != "delete").strip() == " ".join(
        new.replace("Section 1. ", "").split())


def test_very_many_sections_still_match_identical_ones_and_say_so() -> None:
    many = [(f"Rule {n}", f"The unit shall keep record {n} in the records room for audit.")
            for n in range(600)]  # 600 × 600 sections: past the pairwise limit
    edited = [(t, b.replace("record 300 ", "record 300 and its copies ")) for t, b in many]
    result = compare(policy(many), policy(edited))
    step = result.steps[0]
    assert step.counts["unchanged"] == 600  # the title block and 599 rules
    assert step.counts["changed"] == 1 and step.counts["inserted"] == 0
    assert any("too many to compare every pair" in w for w in result.warnings)


def test_pdf_against_docx_of_the_same_text_has_no_changes() -> None:
    versions = []
    for name in ("millbrook-so-policy.pdf", "millbrook-so-policy.docx"):
        source = read_document(SAMPLES / name)
        versions.append(Version(audit_text(source, "core"), source.text, source.pages))
    result = compare_versions(versions)
    assert not result.changed
    assert len(result.steps[0].sections) > 5
    assert result.steps[0].sections[1].old.page == 1  # pages come from the PDF side


def test_one_draft_against_the_model_language() -> None:
    weak = [(t, b) for t, b in SECTIONS if t not in ("Immigration", "Public Reporting")]
    result = compare_to_model(version(policy(weak)))
    gaps = {gap.id: gap for gap in result.model}
    assert set(gaps) == {"immigration", "reporting"}  # retention and sharing are strong
    assert gaps["immigration"].quote is None
    assert [run.op for run in gaps["immigration"].diff] == ["insert"]
    assert "immigration" in gaps["immigration"].model_language.lower()
    assert "To reach strong" in render(result, "text")


def test_policy_text_is_escaped_in_html_and_markdown() -> None:
    hostile = [(t, b + (" <script>alert(1)</script> **x**" if t == "Audits" else ""))
               for t, b in SECTIONS]
    result = compare(policy(SECTIONS), policy(hostile))
    html = render(result, "html")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<ins>" in html  # the redline itself is markup
    markdown = render(result, "markdown")
    assert "<script>" not in markdown and r"\*\*x\*\*" in markdown


def test_json_output_is_the_documented_contract() -> None:
    weak = [(t, b.replace("30 days", "90 days")) for t, b in SECTIONS]
    data = json.loads(render(compare(policy(SECTIONS), policy(weak)), "json"))
    assert data["schema_version"] == "1.0" and data["kind"] == "versions"
    assert data["retention_days"] == [30, 90]
    retention = next(c for c in data["criteria"] if c["id"] == "retention")
    assert [v["level"] for v in retention["versions"]] == ["strong", "partial"]
    assert retention["change"] == "regressed"
    assert {"sections", "counts", "conflicts_new", "loopholes_new", "legal_changes"} <= set(
        data["steps"][0])
    published = Path(__file__).parent.parent / "schema" / "comparison-1.0.schema.json"
    assert json.loads(published.read_text("utf-8")) == Comparison.model_json_schema(), (
        "regenerate schema/comparison-1.0.schema.json (README, 'Comparing drafts')")


# --------------------------------------------------------------------------- the command


@pytest.fixture
def drafts(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "draft-1.txt", tmp_path / "draft-2.txt"
    old.write_text(policy(SECTIONS), encoding="utf-8")
    new.write_text(policy([(t, b.replace("30 days", "one year")) for t, b in SECTIONS]),
                   encoding="utf-8")
    return old, new


@pytest.mark.parametrize(("fmt", "marker"), [
    ("text", "Legend: [-deleted-] {+inserted+}"), ("markdown", "# Comparing"),
    ("html", "<!doctype html>"), ("json", '"kind": "versions"')])
def test_compare_command_formats(drafts: tuple[Path, Path], fmt: str, marker: str,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", *map(str, drafts), "-f", fmt, "--timeout", "0", "-r", "core"]) == 0
    out = capsys.readouterr().out
    assert marker in out and "one year" in out


def test_compare_writes_one_file_and_fails_on_regression(
        drafts: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "drafts.md"
    code = main(["compare", *map(str, drafts), "-f", "markdown", "-o", str(target),
                 "--timeout", "0", "-r", "core", "--fail-on-regression"])
    assert code == 1 and "retention" in capsys.readouterr().err
    assert target.is_file() and "one year" in target.read_text("utf-8")
    assert main(["compare", *map(str, drafts), "--timeout", "0", "-r", "core",
                 "--fail-on-regression", "-o", str(tmp_path / "x.txt")]) == 1
    reverse = [str(drafts[1]), str(drafts[0])]
    assert main(["compare", *reverse, "--timeout", "0", "-r", "core",
                 "--fail-on-regression", "-o", str(tmp_path / "y.txt")]) == 0


def test_compare_errors_are_one_line(drafts: tuple[Path, Path], tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compare", str(drafts[0]), str(tmp_path / "nope.txt"), "--timeout", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.txt: no such file" in err
    assert main(["compare", *map(str, drafts), "-o", str(tmp_path), "--timeout", "0"]) == 2
    assert "takes a file name" in capsys.readouterr().err
    assert main(["compare", *map(str, drafts), "-o", str(drafts[0]), "--timeout", "0"]) == 2
    assert "overwrite an input" in capsys.readouterr().err
