"""The score: pure, bounded, monotone in defects, independent of order."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from readiness.checks import catalog
from readiness.models import Finding
from readiness.score import ScoreInputs, TableFacts, floor2, score
from readiness.settings import Settings

COUNT_CHECKS = ["missing_values", "format", "out_of_range", "duplicate_rows", "not_unique", "mixed_formats",
                "label_missing", "conflicting_labels", "pii", "mojibake", "future_dates", "duplicate_texts",
                "split_overlap", "text_too_short", "orphan_rows", "child_before_parent", "duplicate_parent_keys"]
ROWS = 1000


def make_finding(check: str, count: int, column: str) -> Finding:
    return Finding(check=check, severity="minor", dimension=catalog.check(check).dimension, table="t.csv", column=column,
                   count=count, fraction=count / ROWS, expectation=catalog.check(check).expectation, message="m",
                   details={"kinds": ["email"]} if check == "pii" else {})


findings_strategy = st.lists(
    st.tuples(st.sampled_from(COUNT_CHECKS), st.integers(min_value=1, max_value=ROWS // 8),
              st.sampled_from(["a", "b", "c"])),
    max_size=12,
    unique_by=lambda t: (t[0], t[2]),
)


def inputs_for(items, supervised=True) -> ScoreInputs:
    labeled = ROWS - sum(c for check, c, _ in items if check == "label_missing")
    facts = TableFacts("t.csv", ROWS, cells=ROWS * 5, checked_values=ROWS * 3, date_values=ROWS,
                       labeled=max(0, labeled) if supervised else None, classes=3)
    found = tuple(make_finding(check, count, col) for check, count, col in items)
    return ScoreInputs((facts,), found, 1, supervised, "classification" if supervised else "unsupervised")


@settings(max_examples=200, deadline=None)
@given(findings_strategy, st.booleans())
def test_score_is_within_bounds(items, supervised):
    result = score(inputs_for(items, supervised), Settings())
    assert 0 <= result.score <= 100
    assert 0 <= result.exact <= 100
    assert all(0 <= d.score <= 100 for d in result.dimensions)
    assert result.score == floor2(result.exact)


@settings(max_examples=200, deadline=None)
@given(findings_strategy, st.sampled_from(COUNT_CHECKS), st.sampled_from(["a", "b", "c"]))
def test_adding_a_defect_lowers_the_score(items, check, col):
    before = score(inputs_for(items), Settings())
    existing = {(c, k): n for c, n, k in items}
    current = existing.get((check, col), 0)
    if current >= ROWS // 8:
        return
    grown = [(c, n + 1 if (c, k) == (check, col) else n, k) for c, n, k in items]
    if (check, col) not in existing:
        grown.append((check, 1, col))
    after = score(inputs_for(grown), Settings())
    assert after.exact < before.exact
    assert after.score <= before.score


@settings(max_examples=100, deadline=None)
@given(findings_strategy, st.randoms())
def test_order_of_findings_does_not_matter(items, rnd):
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert score(inputs_for(items), Settings()) == score(inputs_for(shuffled), Settings())


def test_no_table_scores_zero_band_c():
    result = score(ScoreInputs((), (), 2, True, "classification"), Settings())
    assert (result.score, result.grade, result.band) == (0.0, "not-ready", "C")


def test_a_blocker_caps_the_grade():
    facts = TableFacts("t.csv", ROWS, ROWS * 5, ROWS * 3, ROWS, labeled=ROWS, classes=3)
    clean = score(ScoreInputs((facts,), (), 1, True, "classification"), Settings())
    assert clean.grade == "ready" and clean.band == "A"
    blocker = replace(make_finding("label_missing", 1, "y"), severity="blocker")
    capped = score(ScoreInputs((facts,), (blocker,), 1, True, "classification"), Settings())
    assert capped.grade == "not-ready" and capped.band == "B"


def test_waived_findings_do_not_lower_the_score():
    facts = TableFacts("t.csv", ROWS, ROWS * 5, ROWS * 3, ROWS, labeled=ROWS, classes=3)
    live = make_finding("missing_values", 100, "a")
    with_live = score(ScoreInputs((facts,), (live,), 1, True, "classification"), Settings())
    waived = score(ScoreInputs((facts,), (replace(live, waived=True),), 1, True, "classification"), Settings())
    clean = score(ScoreInputs((facts,), (), 1, True, "classification"), Settings())
    assert waived == clean
    assert with_live.exact < clean.exact


def test_weights_come_from_settings():
    facts = TableFacts("t.csv", ROWS, ROWS * 5, ROWS * 3, ROWS, labeled=ROWS, classes=3)
    found = (make_finding("missing_values", 500, "a"),)
    default = score(ScoreInputs((facts,), found, 1, True, "classification"), Settings())
    weights = dict(Settings().weights, completeness=0.0)
    ignored = score(ScoreInputs((facts,), found, 1, True, "classification"), Settings(weights=weights))
    assert ignored.exact == 100.0 and default.exact < 100.0


def test_a_parent_keys_repeats_count_once():
    """Each child table that refers to a parent key reports its repeats (one finding per
    relationship); the uniqueness score takes them once, and not at all when not_unique counts them."""
    def keys(*findings: Finding) -> float:
        return next(d.score for d in score(ScoreInputs((TableFacts("t.csv", ROWS, cells=ROWS, checked_values=ROWS,
                                                                   date_values=0, labeled=None, classes=0),),
                                                       findings, 1, False, "unsupervised"), Settings()).dimensions
                    if d.name == "uniqueness")

    repeat = make_finding("duplicate_parent_keys", 30, "id")
    assert keys(repeat) == keys(repeat, replace(repeat, subject="events.csv")) == 100.0 * (1 - 30 / ROWS)
    assert keys(replace(repeat, details={"also_not_unique": True})) == 100.0
