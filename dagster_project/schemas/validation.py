"""Run a pandera (polars) contract and split a frame into valid rows and a quarantine.

Every problem is reported with the file, the row (the line number in that file, header = line 1)
and the column, so an analyst can open the file and find it. Whole-file problems (a missing or
renamed column) are not row problems: they raise :class:`FileFormatError` at read time.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.polars as pa
import polars as pl

ROW_COL = "_row"

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "dataset": pl.Utf8(),
    "file": pl.Utf8(),
    "row": pl.Int64(),
    "column": pl.Utf8(),
    "check": pl.Utf8(),
    "value": pl.Utf8(),
    "reason": pl.Utf8(),
}


class FileFormatError(ValueError):
    """The file as a whole does not have the expected shape (missing column, bad header)."""


class BadRowsError(ValueError):
    """Rows failed their contract and the caller asked to fail rather than quarantine."""

    def __init__(self, quarantine: pl.DataFrame) -> None:
        self.quarantine = quarantine
        shown = "\n".join(f"  - {r}" for r in quarantine["reason"].head(10).to_list())
        more = f"\n  … and {quarantine.height - 10} more" if quarantine.height > 10 else ""
        super().__init__(f"{quarantine.height} bad value(s):\n{shown}{more}")


@dataclass(frozen=True)
class ValidationResult:
    """Rows that passed (without the ``_row`` helper column) and quarantined problems."""

    valid: pl.DataFrame
    quarantine: pl.DataFrame

    @property
    def quarantined_rows(self) -> int:
        """Number of distinct input rows that were held back."""
        return self.quarantine["row"].n_unique() if self.quarantine.height else 0


def empty_quarantine() -> pl.DataFrame:
    """A quarantine frame with no rows (the table shape every dataset shares)."""
    return pl.DataFrame(schema=QUARANTINE_SCHEMA)


def make_quarantine(
    dataset: str, file: str, rows: list[int], column: str, check: str, values: list[str | None]
) -> pl.DataFrame:
    """Quarantine rows for one column/check, with a readable reason per row."""
    reasons = [
        f"{file} row {r} column {column!r}: failed {check} (value {v!r})"
        for r, v in zip(rows, values, strict=True)
    ]
    return pl.DataFrame(
        {
            "dataset": [dataset] * len(rows),
            "file": [file] * len(rows),
            "row": rows,
            "column": [column] * len(rows),
            "check": [check] * len(rows),
            "value": values,
            "reason": reasons,
        },
        schema=QUARANTINE_SCHEMA,
    )


def validate(
    df: pl.DataFrame,
    model: type[pa.DataFrameModel],
    *,
    dataset: str,
    file: str,
    prior_problems: pl.DataFrame | None = None,
    fail_on_bad_rows: bool = False,
) -> ValidationResult:
    """Validate ``df`` (which must carry a ``_row`` column) against ``model``.

    ``prior_problems`` are quarantine rows found before pandera ran (e.g. values that did not
    parse); their rows are dropped too. With ``fail_on_bad_rows`` any problem raises
    :class:`BadRowsError` whose message lists file, row, column and value.
    """
    problems = [prior_problems] if prior_problems is not None and prior_problems.height else []
    # imported here: duplicates.py builds its quarantine rows with this module's helpers
    from dagster_project.schemas.duplicates import collapse_duplicates

    duplicates = collapse_duplicates(
        df,
        dataset=dataset,
        file=file,
        skip_rows=prior_problems["row"] if prior_problems is not None else None,
    )
    if duplicates.height:
        problems.append(duplicates)
        df = df.filter(~pl.col(ROW_COL).is_in(duplicates["row"].implode()))
    try:
        model.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems.append(_failure_cases_to_quarantine(exc.failure_cases, df, dataset, file))
    quarantine = pl.concat(problems) if problems else empty_quarantine()
    # an exact duplicate collapsed is a notice, not a bad row: it never fails the run on its own
    if fail_on_bad_rows and quarantine.filter(pl.col("check") != "exact_duplicate").height:
        raise BadRowsError(quarantine)
    bad_rows = quarantine["row"].unique().implode()
    valid = df.filter(~pl.col(ROW_COL).is_in(bad_rows)).drop(ROW_COL)
    return ValidationResult(valid=valid, quarantine=quarantine.sort("row", "column"))


def _failure_cases_to_quarantine(
    cases: pl.DataFrame, df: pl.DataFrame, dataset: str, file: str
) -> pl.DataFrame:
    """Turn pandera's failure_cases into quarantine rows naming file, row and column."""
    unlocated = cases.filter(pl.col("index").is_null())
    if unlocated.height:
        # A schema-level failure (wrong dtype, missing column) is a file problem, not a row one.
        detail = "; ".join(
            f"column {c!r}: {chk} ({fc})"
            for c, chk, fc in unlocated.select("column", "check", "failure_case").iter_rows()
        )
        raise FileFormatError(f"{file}: {detail}")
    row_numbers = df[ROW_COL].to_list()
    frames = []
    for column, check, index, value in cases.select(
        "column", "check", "index", "failure_case"
    ).iter_rows():
        col = column if column in df.columns else "(row)"
        frames.append(
            make_quarantine(dataset, file, [row_numbers[index]], col, check, [str(value)])
        )
    return pl.concat(frames) if frames else empty_quarantine()


def validate_parts(
    parts: list[tuple[pl.DataFrame, pl.DataFrame, str]],
    model: type[pa.DataFrameModel],
    *,
    dataset: str,
    fail_on_bad_rows: bool,
) -> ValidationResult:
    """Validate each (frame, parse problems, file name) part on its own and stack the results."""
    results = [
        validate(
            frame,
            model,
            dataset=dataset,
            file=file,
            prior_problems=problems,
            fail_on_bad_rows=fail_on_bad_rows,
        )
        for frame, problems, file in parts
    ]
    valid = pl.concat([r.valid for r in results], how="diagonal_relaxed")
    quarantine = pl.concat([empty_quarantine(), *[r.quarantine for r in results]])
    return ValidationResult(valid=valid, quarantine=quarantine)


def unknown_ticker_problems(
    df: pl.DataFrame,
    known: set[str] | frozenset[str],
    *,
    dataset: str,
    file: str,
    column: str = "ticker",
    known_from: str = "miners.csv",
) -> pl.DataFrame:
    """Quarantine rows whose ``column`` is not a tracked miner's ticker (nulls are the contract's).

    Tickers come only from the miners reference; an unknown one is a typo or an untracked company
    and would otherwise reach a mart with no miner behind it.
    """
    if column not in df.columns or not df.height:
        return empty_quarantine()
    bad = df.filter(pl.col(column).is_not_null() & ~pl.col(column).is_in(sorted(known)))
    if not bad.height:
        return empty_quarantine()
    return make_quarantine(
        dataset,
        file,
        bad[ROW_COL].to_list(),
        column,
        f"ticker listed in {known_from}",
        bad[column].cast(pl.Utf8).to_list(),
    )
