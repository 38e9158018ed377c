"""Loading a raw table frame by frame (``warehouse.load_frames``): the market feeds stream their
validated blocks into DuckDB so that no step holds a whole large feed. The table must still be
replaced as one unit: a failure part-way leaves the old table and no half-loaded copy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dagster_project.warehouse import connect, load_frames


def _bars(tickers: list[str], start: dt.date, days: int, close: float) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "ticker": [t for t in tickers for _ in range(days)],
            "date": [start + dt.timedelta(days=i) for _ in tickers for i in range(days)],
            "close": [close] * (len(tickers) * days),
        }
    )


def _rows(db: Path, table: str = "raw.bars") -> list[tuple]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(f"select * from {table} order by ticker, date").fetchall()


def _tables(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {r[0] for r in con.execute("select table_name from duckdb_tables()").fetchall()}


def test_frames_replace_the_table_whole(tmp_path):
    db = tmp_path / "b.duckdb"
    day = dt.date(2025, 1, 1)
    with connect(db) as con:
        load_frames(con, "raw", "bars", [_bars(["OLD"], day, 3, 1.0)])
        frames = (_bars([t], day, 2, 2.0) for t in ("AAA", "BBB", "CCC"))
        assert load_frames(con, "raw", "bars", frames) == 6
    rows = _rows(db)
    assert {r[0] for r in rows} == {"AAA", "BBB", "CCC"} and len(rows) == 6
    assert _tables(db) == {"bars"}  # no loading table left behind


def test_a_failure_part_way_keeps_the_old_table_and_no_partial_copy(tmp_path):
    db = tmp_path / "b.duckdb"
    day = dt.date(2025, 1, 1)
    with connect(db) as con:
        load_frames(con, "raw", "bars", [_bars(["OLD"], day, 3, 1.0)])
    before = _rows(db)

    def failing() -> Iterator[pl.DataFrame]:
        yield _bars(["AAA"], day, 2, 2.0)
        yield _bars(["BBB"], day, 2, 2.0)
        raise ValueError("bad block")  # e.g. BadRowsError from the next file

    with connect(db) as con, pytest.raises(ValueError, match="bad block"):
        load_frames(con, "raw", "bars", failing())
    assert _rows(db) == before
    assert _tables(db) == {"bars"}


def test_a_window_replaces_only_its_days(tmp_path):
    db = tmp_path / "b.duckdb"
    day = dt.date(2025, 1, 1)
    with connect(db) as con:
        load_frames(con, "raw", "bars", [_bars(["AAA", "BBB"], day, 10, 1.0)])
        window = (day + dt.timedelta(days=7), dt.date.max)
        new = _bars(["AAA", "BBB"], window[0], 4, 5.0)  # days 7..10: one new day
        assert load_frames(con, "raw", "bars", [new[:4], new[4:]], window=window) == 8
    rows = _rows(db)
    assert len(rows) == 2 * 11
    assert {r[2] for r in rows if r[1] < window[0]} == {1.0}
    assert {r[2] for r in rows if r[1] >= window[0]} == {5.0}


def test_a_window_on_a_missing_table_creates_it(tmp_path):
    db = tmp_path / "b.duckdb"
    day = dt.date(2025, 1, 1)
    with connect(db) as con:
        load_frames(con, "raw", "bars", [_bars(["AAA"], day, 2, 1.0)], window=(day, day))
    assert len(_rows(db)) == 2


def test_no_frame_is_an_error_and_leaves_the_table(tmp_path):
    db = tmp_path / "b.duckdb"
    day = dt.date(2025, 1, 1)
    with connect(db) as con:
        load_frames(con, "raw", "bars", [_bars(["OLD"], day, 1, 1.0)])
        with pytest.raises(ValueError, match="no frame"):
            load_frames(con, "raw", "bars", iter(()))
    assert len(_rows(db)) == 1 and _tables(db) == {"bars"}
