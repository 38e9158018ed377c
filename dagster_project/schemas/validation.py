"""Run a pandera (polars) contract and split a frame into valid rows and a quarantine.

Every problem is reported with the file, the row (the line number in that file, header = line 1)
and the column, so an analyst can open the file and find it. Whole-file problems (a missing or
renamed column) are not row problems: they raise :class:`FileFormatError` at read time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
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


#: Frames taller than this are validated in blocks of whole keys (see :func:`validate_parts`).
VALIDATE_BLOCK_ROWS = 500_000


def _key_blocks(df: pl.DataFrame, dataset: str, block_rows: int) -> Iterator[pl.DataFrame]:
    """``df`` itself, or, when taller than ``block_rows`` and its dataset has a key rule, about
    ``height / block_rows`` blocks that each hold every row of their keys (rows assigned by a
    hash of the key; file order kept inside a block)."""
    from dagster_project.schemas.duplicates import KEY_RULES

    rule = KEY_RULES.get(dataset)
    key = [k for k in rule.key if k in df.columns] if rule else []
    n_blocks = -(-df.height // block_rows)
    if n_blocks < 2 or not key:
        yield df
        return
    block_of = df.select(pl.struct(key).hash(seed=0) % n_blocks).to_series()  # hashed once
    for block in range(n_blocks):
        yield df.filter(block_of == block)


def iter_validated(
    parts: Iterable[tuple[pl.DataFrame, pl.DataFrame, str]],
    model: type[pa.DataFrameModel],
    *,
    dataset: str,
    fail_on_bad_rows: bool,
    block_rows: int = VALIDATE_BLOCK_ROWS,
) -> Iterator[ValidationResult]:
    """Validate each (frame, parse problems, file name) part, yielding valid rows block by block.

    A file taller than ``block_rows`` is validated in blocks of whole keys
    (:func:`_key_blocks`): every check of a feed's contract is per row or per key (duplicates,
    ``unique``), so the blocks give the same valid rows and quarantine as the whole file, while
    only one block's temporaries and valid rows are held. Each block's valid rows are yielded
    as they are found; the file's whole quarantine (sorted by row) comes with its last block.
    ``parts`` may be a generator, so a caller streaming files holds one file's rows at a time.
    With ``fail_on_bad_rows`` a file with a bad row raises :class:`BadRowsError` listing that
    file's problems (after its blocks: a loader rolls back what it was given).
    """
    for frame, problems, file in parts:
        whole = frame.height <= block_rows
        quarantine, placed = [], []
        pending: pl.DataFrame | None = None
        for block in [frame] if whole else _key_blocks(frame, dataset, block_rows):
            rows = block[ROW_COL]
            placed.append(rows)
            prior = problems if whole else problems.filter(pl.col("row").is_in(rows.implode()))
            result = validate(block, model, dataset=dataset, file=file, prior_problems=prior)
            quarantine.append(result.quarantine)
            if pending is not None:
                yield ValidationResult(valid=pending, quarantine=empty_quarantine())
            pending = result.valid
            del block, result
        if not whole:
            # parse problems of lines that are not rows of the frame stay in the quarantine once
            unplaced = problems.filter(~pl.col("row").is_in(pl.concat(placed).implode()))
            quarantine.insert(0, unplaced)
        del frame, problems, placed
        q = quarantine[0] if whole else pl.concat(quarantine).sort("row", "column")
        # an exact duplicate collapsed is a notice, not a bad row: it never fails a run alone
        if fail_on_bad_rows and q.filter(pl.col("check") != "exact_duplicate").height:
            raise BadRowsError(q)
        if pending is None:  # pragma: no cover - a frame always has a block
            raise AssertionError(file)
        yield ValidationResult(valid=pending, quarantine=q)
        del pending, q


def validate_parts(
    parts: Iterable[tuple[pl.DataFrame, pl.DataFrame, str]],
    model: type[pa.DataFrameModel],
    *,
    dataset: str,
    fail_on_bad_rows: bool,
    block_rows: int = VALIDATE_BLOCK_ROWS,
) -> ValidationResult:
    """Every part validated (:func:`iter_validated`), valid rows and quarantines stacked."""
    valid, quarantine = [], [empty_quarantine()]
    for result in iter_validated(
        parts, model, dataset=dataset, fail_on_bad_rows=fail_on_bad_rows, block_rows=block_rows
    ):
        valid.append(result.valid)
        quarantine.append(result.quarantine)
    return ValidationResult(
        valid=pl.concat(valid, how="diagonal_relaxed"), quarantine=pl.concat(quarantine)
    )


@dataclass
class ValidRowsSummary:
    """What a load reports of rows it no longer holds: count, date range, latest rows."""

    rows: int = 0
    first_date: object = None
    last_date: object = None
    latest: pl.DataFrame | None = None

    def add(self, valid: pl.DataFrame, date_column: str, keep: int = 5) -> None:
        self.rows += valid.height
        if date_column not in valid.columns or not valid.height:
            return
        lo, hi = valid[date_column].min(), valid[date_column].max()
        self.first_date = lo if self.first_date is None else min(self.first_date, lo)  # type: ignore[type-var]
        self.last_date = hi if self.last_date is None else max(self.last_date, hi)  # type: ignore[type-var]
        top = valid.top_k(keep, by=date_column)
        both = top if self.latest is None else pl.concat([self.latest, top], how="diagonal_relaxed")
        self.latest = both.top_k(keep, by=date_column).sort(date_column)

    @classmethod
    def of(cls, valid: pl.DataFrame, date_column: str) -> ValidRowsSummary:
        summary = cls()
        summary.add(valid, date_column)
        return summary


class ValidationStream:
    """Validate parts one at a time for a caller that loads each part's valid rows and lets
    them go (:meth:`valid_frames`); the quarantine and a :class:`ValidRowsSummary` are kept.
    At 100x the equities feed's valid rows (5.8 M, ~640 MiB) are then never all held."""

    def __init__(
        self,
        parts: Iterable[tuple[pl.DataFrame, pl.DataFrame, str]],
        model: type[pa.DataFrameModel],
        *,
        dataset: str,
        fail_on_bad_rows: bool,
        date_column: str = "date",
        block_rows: int = VALIDATE_BLOCK_ROWS,
    ) -> None:
        self._results = iter_validated(
            parts, model, dataset=dataset, fail_on_bad_rows=fail_on_bad_rows, block_rows=block_rows
        )
        self._date_column = date_column
        self._quarantine = [empty_quarantine()]
        self.summary = ValidRowsSummary()
        self._done = False

    def valid_frames(self) -> Iterator[pl.DataFrame]:
        """Each part's valid rows, in turn (consume once)."""
        for result in self._results:
            self._quarantine.append(result.quarantine)
            self.summary.add(result.valid, self._date_column)
            yield result.valid
            del result
        self._done = True

    @property
    def quarantine(self) -> pl.DataFrame:
        """Every part's quarantine rows (after :meth:`valid_frames` was consumed)."""
        if not self._done:
            raise RuntimeError("the valid rows were not all consumed yet")
        return pl.concat(self._quarantine)


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
