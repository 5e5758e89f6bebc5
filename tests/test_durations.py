import pytest

from policy_audit.detect.durations import find_durations

# fmt: off
CASES = [
    ("shall be purged after thirty (30) days", 30, "max"),
    ("kept for one (1) year", 365, "exact"),
    ("destroyed after eighteen months", 540, "max"),
    ("overwritten within 72 hours", 3, "max"),
    ("retained for 36 hours", 2, "exact"),
    ("no longer than 2 yrs", 730, "max"),
    ("a period not to exceed one year", 365, "max"),
    ("twenty-four (24) months", 730, "exact"),
    ("12 months", 365, "exact"),
    ("1,095 days", 1095, "exact"),
    ("one hundred eighty (180) days", 180, "exact"),
    ("a 30-day window", 30, "exact"),
    ("ninety calendar days", 90, "exact"),
    ("two weeks", 14, "exact"),
    ("stored for a minimum of 30 days", 30, "min"),
    ("retained for at least two years", 730, "min"),
    ("kept 60 days or longer", 60, "min"),
]
# fmt: on


@pytest.mark.parametrize(("text", "days", "bound"), CASES)
def test_duration_is_normalised_to_days_with_its_bound(text: str, days: int, bound: str) -> None:
    (found,) = find_durations(text)
    assert (found.days, found.bound) == (days, bound)


def test_offsets_point_at_the_duration_in_the_clause() -> None:
    text = "Data shall be purged after thirty (30) days."
    (found,) = find_durations(text, offset=100)
    assert text[found.start - 100 : found.end - 100] == "thirty (30) days"


def test_words_and_digits_that_disagree_are_flagged_and_the_longer_is_used() -> None:
    (found,) = find_durations("purged after thirty (13) days")
    assert found.conflict and found.days == 30


def test_a_frequency_is_not_a_retention_period() -> None:
    (found,) = find_durations("an audit every two years")
    assert found.bound == "every"


@pytest.mark.parametrize(
    "text", ["Section 4 of the policy", "the data retention (in days)", "one of the agencies"]
)
def test_no_duration_where_there_is_none(text: str) -> None:
    assert find_durations(text) == []
