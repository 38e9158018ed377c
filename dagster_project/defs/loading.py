"""Shared steps of every ingest asset: validate, load into raw, report a check and metadata."""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import dagster as dg
import polars as pl

from dagster_project.schemas.validation import ValidationResult
from dagster_project.settings import Settings
from dagster_project.warehouse import load_raw

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
    rows, total = load_raw(
        settings.build_db,
        table,
        result.valid,
        result.quarantine,
        date_column=date_column,
        window=window,
    )
    metadata: dict[str, Any] = {
        "dagster/row_count": dg.MetadataValue.int(int(total)),
        "rows_loaded": dg.MetadataValue.int(rows),
        "rows_quarantined": dg.MetadataValue.int(result.quarantined_rows),
        "warehouse": dg.MetadataValue.path(str(settings.build_db)),
    }
    if date_column in result.valid.columns and result.valid.height:
        metadata["first_date"] = dg.MetadataValue.text(str(result.valid[date_column].min()))
        metadata["last_date"] = dg.MetadataValue.text(str(result.valid[date_column].max()))
        metadata["preview"] = dg.MetadataValue.md(_markdown(result.valid.tail(5)))
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
