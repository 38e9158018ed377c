"""Validating a tall feed in blocks of whole keys gives what validating it whole gives.

At 100x the equities snapshot has millions of bars; ``validate_parts`` splits a file taller
than ``block_rows`` into blocks by a hash of the dataset's key, so duplicate and ``unique``
checks still see every row of a key. Here the real snapshot, with faults of every kind made by
code, is validated whole and in blocks of a few hundred rows: same valid rows, same quarantine.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import pytest

from dagster_project.schemas.validation import (
    BadRowsError,
    ValidationResult,
    _key_blocks,
    validate_parts,
)
from dagster_project.sources.market_feeds import FEEDS, iter_offline, read_offline
from tests.reliability import corpus as c


def _spec(table: str):
    return next(f for f in FEEDS if f.table == table)


def _validate(inputs: c.Inputs, table: str, block_rows: int, *, stream: bool) -> ValidationResult:
    spec = _spec(table)
    read = iter_offline if stream else read_offline
    parts = read(c.settings_for(inputs), spec)
    return validate_parts(
        parts, spec.model, dataset=table, fail_on_bad_rows=False, block_rows=block_rows
    )


def _same(whole: ValidationResult, blocks: ValidationResult) -> None:
    assert blocks.valid.height == whole.valid.height
    cols = whole.valid.columns
    assert blocks.valid.sort(cols).equals(whole.valid.sort(cols))
    assert blocks.quarantine.equals(whole.quarantine)


def _break_equities(path: Path) -> set[int]:
    """Faults spread over the file; returns the lines that must end in the quarantine."""
    c.duplicate_line(path, 40)  # exact copy: line 41 collapsed
    c.duplicate_line(path, 300, change={"volume": "1"})  # conflict: line 300 superseded
    c.set_value(path, 700, "volume", "-5")  # out of range
    c.set_value(path, 900, "ticker", "ZZZZ")  # unknown ticker
    c.set_value(path, 1200, "close", "not a number")  # does not parse
    return {41, 300, 700, 900, 1200}


def test_equities_in_blocks_of_keys_equal_the_whole_file(inputs):
    path = inputs.snapshot_dir / c.EQUITIES
    expected_bad = _break_equities(path)
    whole = _validate(inputs, "miner_equities_daily", 10_000_000, stream=False)
    assert set(whole.quarantine["row"].to_list()) >= expected_bad
    blocks = _validate(inputs, "miner_equities_daily", 500, stream=True)
    _same(whole, blocks)


def test_a_date_keyed_feed_in_blocks_equals_the_whole_file(inputs):
    path = inputs.snapshot_dir / c.BTC
    c.duplicate_line(path, 100, change={"volume_usd": "1"})
    c.duplicate_line(path, 2000)
    c.set_value(path, 7, "close", "95000000")
    whole = _validate(inputs, "btc_price_daily", 10_000_000, stream=False)
    assert whole.quarantine.height >= 3
    _same(whole, _validate(inputs, "btc_price_daily", 300, stream=True))


def test_blocks_hold_every_row_of_their_keys(inputs):
    spec = _spec("miner_equities_daily")
    [(frame, _, _), *_] = read_offline(c.settings_for(inputs), spec)
    blocks = list(_key_blocks(frame, "miner_equities_daily", 300))
    assert len(blocks) == -(-frame.height // 300) > 5  # really split
    assert sum(b.height for b in blocks) == frame.height
    keys = [set(b.select("ticker", "date").iter_rows()) for b in blocks]
    assert all(a.isdisjoint(b) for i, a in enumerate(keys) for b in keys[i + 1 :])
    # file order is kept inside a block
    assert all(b["_row"].is_sorted() for b in blocks)


def test_fail_on_bad_rows_still_fails_when_validated_in_blocks(inputs):
    _break_equities(inputs.snapshot_dir / c.EQUITIES)
    spec = _spec("miner_equities_daily")
    with pytest.raises(BadRowsError, match="row 700 column 'volume'"):
        validate_parts(
            iter_offline(c.settings_for(inputs), spec),
            spec.model,
            dataset="miner_equities_daily",
            fail_on_bad_rows=True,
            block_rows=500,
        )


def test_a_file_is_released_before_the_next_is_read(inputs):
    """Streaming: when the next file is read, nothing holds the previous file's rows any more."""
    spec = _spec("miner_equities_daily")
    assert len(spec.snapshot_files) >= 2
    previous: list[weakref.ref] = []
    alive_at_read: list[bool] = []

    def traced():
        for frame, problems, file in iter_offline(c.settings_for(inputs), spec):
            alive_at_read.append(any(ref() is not None for ref in previous))
            previous.append(weakref.ref(frame))
            yield frame, problems, file
            del frame, problems

    result = validate_parts(traced(), spec.model, dataset=spec.table, fail_on_bad_rows=False)
    assert alive_at_read == [False] * len(spec.snapshot_files)
    assert result.valid.height > 0
