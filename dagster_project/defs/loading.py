"""Shared steps of every ingest asset: validate, load into raw, report a check and metadata."""

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import polars as pl

from dagster_project.schemas.validation import (
    ValidationResult,
    ValidationStream,
    ValidRowsSummary,
)
from dagster_project.settings import Settings
from dagster_project.warehouse import connect, load_frames, replace_quarantine

QUARANTINE_CHECK = "no_quarantined_rows"


@contextmanager
def only_network_faults_retried() -> Iterator[None]:
    """Let Dagster's RetryPolicy retry a step only for faults that may pass (a host down, a
    429/5xx storm that outlasted the HTTP layer's budget); anything else (a block page, a bad
    setting, a parse error) fails at once, since a retry would only repeat it."""
    from dagster_project.sources.http import HostUnreachableError, RetryableHttpError

    try:
        yield
    except (HostUnreachableError, RetryableHttpError, dg.Failure):
        raise
    except Exception as exc:
        raise dg.Failure(description=str(exc), allow_retries=False) from exc


class IngestConfig(dg.Config):
    """Run config of an ingest asset (editable in the launchpad)."""

    fail_on_bad_rows: bool = False
    """Fail the run on any bad row instead of quarantining it."""


def load_and_report(
    context: dg.AssetExecutionContext,
    settings: Settings,
    *,
    table: str,
    result: ValidationResult,
    date_column: str = "date",
    window: tuple[dt.date, dt.date] | None = None,
    extra_metadata: dict[str, Any] | None = None,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Write valid rows to ``raw.<table>`` (whole table, or one date window) and quarantine.

    Yields the materialization (row counts, date range, preview) and the quarantine check.
    """
    with connect(settings.build_db) as con:
        load_frames(con, "raw", table, [result.valid], date_column=date_column, window=window)
    yield from report_load(
        context,
        settings,
        table=table,
        summary=ValidRowsSummary.of(result.valid, date_column),
        quarantine=result.quarantine,
        extra_metadata=extra_metadata,
    )


def load_stream_and_report(
    context: dg.AssetExecutionContext,
    settings: Settings,
    *,
    table: str,
    stream: ValidationStream,
    window: tuple[dt.date, dt.date] | None = None,
    final_quarantine: Callable[[pl.DataFrame], pl.DataFrame] | None = None,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """:func:`load_and_report` for rows validated and loaded one block at a time
    (:func:`~dagster_project.warehouse.load_frames`: the table is still replaced as a unit);
    ``final_quarantine`` may rewrite the stream's quarantine before it is stored (an
    incremental read keeps the lines it did not re-read)."""
    with connect(settings.build_db) as con:
        load_frames(con, "raw", table, stream.valid_frames(), window=window)
    quarantine = stream.quarantine
    if final_quarantine is not None:
        quarantine = final_quarantine(quarantine)
    yield from report_load(
        context, settings, table=table, summary=stream.summary, quarantine=quarantine
    )


def report_load(
    context: dg.AssetExecutionContext,
    settings: Settings,
    *,
    table: str,
    summary: ValidRowsSummary,
    quarantine: pl.DataFrame,
    extra_metadata: dict[str, Any] | None = None,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """Store the dataset's quarantine, then yield the materialization (row counts, date range,
    the latest rows) and the quarantine check."""
    with connect(settings.build_db) as con:
        replace_quarantine(con, table, quarantine)
        total = con.execute(f'select count(*) from raw."{table}"').fetchall()[0][0]
    result = ValidationResult(valid=pl.DataFrame(), quarantine=quarantine)  # for the check
    context.log.info(
        "%s: %d valid rows, %d quarantined", table, summary.rows, result.quarantined_rows
    )
    metadata: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(int(total)),
        "rows_loaded": dg.MetadataValue.int(summary.rows),
        "rows_quarantined": dg.MetadataValue.int(result.quarantined_rows),
        "warehouse": dg.MetadataValue.path(str(settings.build_db)),
    }
    if summary.latest is not None:
        metadata["first_date"] = dg.MetadataValue.text(str(summary.first_date))
        metadata["last_date"] = dg.MetadataValue.text(str(summary.last_date))
        metadata["preview"] = dg.MetadataValue.md(_markdown(summary.latest))
    metadata.update(extra_metadata or {})
    yield dg.MaterializeResult(metadata=metadata)
    yield quarantine_check(result, table)


def quarantine_check(result: ValidationResult, dataset: str) -> dg.AssetCheckResult:
    """WARN-level check: passes when no row was quarantined; shows counts and samples."""
    q = result.quarantine
    by_column = q.group_by("column", "check").len().sort("len", descending=True) if q.height else q
    return dg.AssetCheckResult(
        check_name=QUARANTINE_CHECK,
        passed=q.height == 0,
        severity=dg.AssetCheckSeverity.WARN,
        description=f"Rows of {dataset} held back in raw.quarantine",
        metadata={
            "quarantined_rows": dg.MetadataValue.int(result.quarantined_rows),
            "problems": dg.MetadataValue.int(q.height),
            "by_column_and_check": dg.MetadataValue.md(
                _markdown(by_column) if q.height else "none"
            ),
            "samples": dg.MetadataValue.md(
                _markdown(q.select("file", "row", "column", "value", "reason").head(10))
                if q.height
                else "none"
            ),
        },
    )


def _markdown(df: pl.DataFrame) -> str:
    """A small Markdown table (no pandas/tabulate needed)."""
    cols = df.columns
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.iter_rows():
        lines.append("| " + " | ".join("" if v is None else str(v) for v in row) + " |")
    return "\n".join(lines)


markdown_table = _markdown
