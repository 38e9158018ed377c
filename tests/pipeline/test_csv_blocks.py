"""read_typed_csv reads large files in blocks of rows: the result must not depend on the block."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from dagster_project.schemas.validation import FileFormatError
from dagster_project.sources import csv_reader
from dagster_project.sources.csv_reader import read_typed_csv

COLUMNS = {"date": pl.Date(), "close": pl.Float64(), "ticker": pl.Utf8()}


def _write(path, n: int = 23, bad_at: tuple[int, ...] = (5, 17)) -> None:
    lines = ["date,ticker,close,extra"]
    for i in range(n):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=i)
        close = "n/a" if i in bad_at else f"{10 + i}.5"
        lines.append(f"{day},T{i % 3},{close},x")
    path.write_text("\n".join(lines) + "\n")


@pytest.mark.parametrize("block", [1, 4, 7, 23, 1000])
def test_blocks_give_the_same_rows_and_problems(tmp_path, monkeypatch, block):
    path = tmp_path / "bars.csv"
    _write(path)
    whole, whole_problems = read_typed_csv(path, COLUMNS, dataset="bars")
    monkeypatch.setattr(csv_reader, "BLOCK_ROWS", block)
    frame, problems = read_typed_csv(path, COLUMNS, dataset="bars")
    assert frame.height == 23
    assert frame["_row"].to_list() == list(range(2, 25))  # line numbers of the whole file
    assert_frame_equal(frame, whole)
    assert_frame_equal(problems, whole_problems)
    assert sorted(problems["row"].to_list()) == [7, 19]  # rows 5 and 17 are lines 7 and 19


def test_blocks_with_since_keep_line_numbers(tmp_path, monkeypatch):
    path = tmp_path / "bars.csv"
    _write(path)
    monkeypatch.setattr(csv_reader, "BLOCK_ROWS", 4)
    frame, problems = read_typed_csv(path, COLUMNS, dataset="bars", since=dt.date(2024, 1, 15))
    assert frame["date"].min() == dt.date(2024, 1, 15)
    assert frame["_row"].to_list() == list(range(16, 25))
    assert problems["row"].to_list() == [19]


def test_ragged_line_in_a_later_block_is_named(tmp_path, monkeypatch):
    path = tmp_path / "bars.csv"
    _write(path)
    text = path.read_text().splitlines()
    text[20] = text[20] + ",one too many"
    path.write_text("\n".join(text) + "\n")
    monkeypatch.setattr(csv_reader, "BLOCK_ROWS", 4)
    with pytest.raises(FileFormatError, match=r"bars\.csv: not a readable CSV: row 21 has 5"):
        read_typed_csv(path, COLUMNS, dataset="bars", display_name="bars.csv")
