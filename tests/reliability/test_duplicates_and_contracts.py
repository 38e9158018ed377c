"""Duplicates and domain contracts on copies of the real inputs, each with one fault made by code
(tests/reliability/corpus.py): the reader + contract every ingest asset runs, no Dagster."""

from __future__ import annotations

import polars as pl
import pytest

from dagster_project.extraction.press_ingest import overrides_path, read_overrides
from dagster_project.schemas.duplicates import DuplicateKeyError
from dagster_project.schemas.press_overrides import PressOverrides
from dagster_project.schemas.validation import BadRowsError, ValidationResult, validate_parts
from dagster_project.sources.market_feeds import FEEDS, read_offline
from dagster_project.sources.reference_files import (
    REFERENCE_FILES,
    REPORTED_SEGMENT_REVENUE,
    read_reference,
    reference_path,
)
from tests.reliability import corpus as c


def reference(inputs: c.Inputs, table: str, *, fail: bool = False) -> ValidationResult:
    spec = next(s for s in (*REFERENCE_FILES, REPORTED_SEGMENT_REVENUE) if s.table == table)
    frame, problems = read_reference(inputs.raw_dir, spec)
    return validate_parts(
        [(frame, problems, reference_path(inputs.raw_dir, spec))],
        spec.model,
        dataset=table,
        fail_on_bad_rows=fail,
    )


def feed(inputs: c.Inputs, table: str, *, fail: bool = False) -> ValidationResult:
    spec = next(f for f in FEEDS if f.table == table)
    parts = read_offline(c.settings_for(inputs), spec)
    return validate_parts(parts, spec.model, dataset=table, fail_on_bad_rows=fail)


def _rows(result: ValidationResult) -> list[tuple[int, str, str]]:
    q = result.quarantine
    return list(zip(q["row"].to_list(), q["check"].to_list(), q["reason"].to_list(), strict=True))


# -- duplicates ---------------------------------------------------------------------------------


def test_exact_duplicate_miner_is_collapsed_and_the_miner_stays(inputs):
    path = inputs.raw_dir / c.MINERS
    before = reference(inputs, "miners").valid
    copy = c.duplicate_line(path, 2)  # CORZ
    result = reference(inputs, "miners")
    assert result.valid.equals(before)  # the same 13 miners, CORZ once
    [(row, check, reason)] = _rows(result)
    assert (row, check) == (copy, "exact_duplicate")
    assert f"row {copy}: exact duplicate of row 2 collapsed (row 2 kept)" in reason
    assert str(path) in reason  # the path actually read (a temp dir, not data/raw)


def test_exact_duplicate_does_not_fail_even_with_fail_on_bad_rows(inputs):
    c.duplicate_line(inputs.raw_dir / c.MINERS, 5)
    assert reference(inputs, "miners", fail=True).valid.height == 13


def test_conflicting_duplicate_in_a_curated_table_fails_naming_both_rows(inputs):
    path = inputs.raw_dir / c.MINERS
    copy = c.duplicate_line(path, 3, change={"name": "Another name"})
    ticker = c.cell(path, 3, "ticker")
    with pytest.raises(DuplicateKeyError) as info:
        reference(inputs, "miners")
    text = str(info.value)
    assert str(path) in text
    assert f"rows 3 and {copy} share key ticker={ticker!r} but differ in name" in text


def test_conflicting_duplicate_in_segment_revenue_fails(inputs):
    path = inputs.raw_dir / c.SEGMENTS
    original = c.cell(path, 10, "revenue_usd")
    c.duplicate_line(path, 10, change={"revenue_usd": str(float(original) + 1)})
    with pytest.raises(DuplicateKeyError, match=r"rows 10 and 11 share key ticker="):
        reference(inputs, "reported_segment_revenue")


def test_btc_day_duplicated_exactly_keeps_the_day(inputs):
    path = inputs.snapshot_dir / c.BTC
    copy = c.duplicate_line(path, 100)
    day = c.cell(path, 100, "date")
    result = feed(inputs, "btc_price_daily")
    assert result.valid.height == 2015
    assert str(day) in result.valid["date"].cast(pl.Utf8).to_list()
    assert [(r, ch) for r, ch, _ in _rows(result)] == [(copy, "exact_duplicate")]


def test_btc_day_duplicated_with_another_value_keeps_the_last_row(inputs):
    path = inputs.snapshot_dir / c.BTC
    volume = float(c.cell(path, 100, "volume_usd"))
    copy = c.duplicate_line(path, 100, change={"volume_usd": f"{volume + 1:.2f}"})
    day = c.cell(path, 100, "date")
    result = feed(inputs, "btc_price_daily")
    assert result.valid.height == 2015
    kept = result.valid.filter(pl.col("date").cast(pl.Utf8) == day)["volume_usd"].to_list()
    assert kept == [pytest.approx(volume + 1)]  # the later row wins
    [(row, check, reason)] = _rows(result)
    assert (row, check) == (100, "duplicate_key")
    assert f"superseded by row {copy}" in reason and "last row per key in file order" in reason


def test_equity_bar_duplicated_with_another_value_keeps_the_last_row(inputs):
    path = inputs.snapshot_dir / c.EQUITIES
    copy = c.duplicate_line(path, 50, change={"volume": "1"})
    result = feed(inputs, "miner_equities_daily")
    assert [(r, ch) for r, ch, _ in _rows(result)] == [(50, "duplicate_key")]
    assert "superseded by row" in _rows(result)[0][2] and copy == 51


# -- domain contracts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "table", "column", "value", "check"),
    [
        (c.FEES, "tx_fees_daily", "transaction_fees_btc", "1e12", "less_than_or_equal_to(5000"),
        (c.BTC, "btc_price_daily", "close", "95000000", "less_than_or_equal_to(10000000"),
        (c.EQUITIES, "miner_equities_daily", "volume", "-5", "greater_than_or_equal_to(0"),
    ],
)
def test_out_of_range_feed_value_is_quarantined(inputs, path, table, column, value, check):
    c.set_value(inputs.snapshot_dir / path, 7, column, value)
    result = feed(inputs, table)
    rows = _rows(result)
    assert {r for r, _, _ in rows} == {7}, rows
    reason = next(reason for _, ch, reason in rows if ch.startswith(check))
    assert f"row 7 column {column!r}" in reason and str(float(value)) in reason


def test_negative_segment_revenue_is_quarantined(inputs):
    c.set_value(inputs.raw_dir / c.SEGMENTS, 4, "revenue_usd", "-5")
    [(row, check, reason)] = _rows(reference(inputs, "reported_segment_revenue"))
    assert row == 4 and check.startswith("greater_than_or_equal_to(0")
    assert "column 'revenue_usd'" in reason


def test_fleet_efficiency_outside_its_range_is_quarantined(inputs):
    path = inputs.raw_dir / "reference" / "fleet.csv"
    line = c.line_of(path, ticker="CLSK")
    c.set_value(path, line, "fleet_efficiency_j_per_th", "0.02")  # J/GH typed as J/TH
    rows = _rows(reference(inputs, "fleet"))
    assert [r[0] for r in rows] == [line] and "fleet_efficiency_j_per_th" in rows[0][2]


def test_unknown_ticker_in_the_equities_feed_is_quarantined(inputs):
    c.set_value(inputs.snapshot_dir / c.EQUITIES, 9, "ticker", "ZZZZ")
    [(row, check, reason)] = _rows(feed(inputs, "miner_equities_daily"))
    assert row == 9 and check == f"ticker listed in {inputs.raw_dir / c.MINERS}"
    assert "'ZZZZ'" in reason and c.EQUITIES in reason


def test_unknown_ticker_in_a_reference_table_is_quarantined(inputs):
    c.set_value(inputs.raw_dir / c.SITES, 5, "ticker", "NOPE")
    [(row, check, reason)] = _rows(reference(inputs, "sites"))
    assert row == 5 and "miners.csv" in check and "'NOPE'" in reason
    assert str(inputs.raw_dir / c.SITES) in reason


def test_unknown_ticker_fails_with_fail_on_bad_rows(inputs):
    c.set_value(inputs.raw_dir / c.SEGMENTS, 6, "ticker", "ABCD")
    with pytest.raises(BadRowsError, match="ABCD"):
        reference(inputs, "reported_segment_revenue", fail=True)


def test_the_real_inputs_pass_except_the_documented_griid_scope(snapshot_dir):
    """The stricter contracts on the committed data: one row is rejected (reported, not hidden):
    power_capacity.csv's GRIID row (a pre-acquisition scope, not a tracked miner)."""
    inputs = c.Inputs(raw_dir=c.REAL_RAW, snapshot_dir=snapshot_dir)
    rejected = {}
    for spec in (*REFERENCE_FILES, REPORTED_SEGMENT_REVENUE):
        q = reference(inputs, spec.table).quarantine
        if q.height:
            rejected[spec.table] = q["value"].to_list()
    for f in FEEDS:
        q = feed(inputs, f.table).quarantine
        if q.height:
            rejected[f.table] = q["value"].to_list()
    assert rejected == {"power_capacity": ["GRIID"]}


def test_override_correcting_company_to_an_unknown_ticker_is_quarantined(inputs):
    path = inputs.raw_dir / "press" / "overrides.csv"
    rows = c.read_rows(path)
    rows.append(["e4b57434ed41", "correct", "company", "ZZZZ", "typo test", "qa", "2026-11-28"])
    c.write_rows(path, rows)
    frame, problems = read_overrides(inputs.raw_dir)
    result = validate_parts(
        [(frame, problems, overrides_path(inputs.raw_dir))],
        PressOverrides,
        dataset="press_overrides",
        fail_on_bad_rows=False,
    )
    [(row, check, reason)] = _rows(result)
    assert row == len(rows) and "miners.csv" in check and "'ZZZZ'" in reason
    assert str(path) in reason


def test_every_reference_table_and_feed_has_a_key_rule_on_real_columns():
    from dagster_project.schemas.duplicates import KEY_RULES
    from dagster_project.schemas.press_overrides import OVERRIDE_COLUMNS

    columns = {s.table: set(s.columns) for s in (*REFERENCE_FILES, REPORTED_SEGMENT_REVENUE)}
    columns["press_overrides"] = set(OVERRIDE_COLUMNS)
    for f in FEEDS:
        columns[f.table] = {
            f.snapshot_files[0].renames.get(c, c) for c in f.snapshot_files[0].columns
        }
    assert set(KEY_RULES) == set(columns)
    for table, rule in KEY_RULES.items():
        assert set(rule.key) <= columns[table], table
        curated = table not in {f.table for f in FEEDS}
        assert rule.policy == ("curated" if curated else "feed"), table
