"""Read a run's outcome from the Dagster instance: step lines, quarantines, the first cause.

Shared by ``make run`` (one line per step, one line at the end) and the run-failure sensor
(the alert says why in one line). Uses only the instance's public event-log reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import dagster as dg

#: The ingest assets' WARN check that counts rows held back in raw.quarantine.
QUARANTINE_CHECK = "no_quarantined_rows"


@dataclass
class StepLine:
    """One finished step, as ``make run`` prints it."""

    step: str
    ok: bool
    seconds: float | None
    detail: str = ""

    def render(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        took = f"{self.seconds:6.1f} s" if self.seconds is not None else "       "
        return f"  {mark} {self.step:<44} {took}  {self.detail}".rstrip()


@dataclass
class RunSummary:
    """What a finished run did, from its event log."""

    quarantined: dict[str, int] = field(default_factory=dict)
    materialized: int = 0
    checks_failed: list[str] = field(default_factory=list)
    first_cause: str | None = None


def _error_text(error: Any) -> str:
    """The most specific message of a SerializableErrorInfo chain, on one line."""
    messages = []
    while error is not None:
        if error.message:
            messages.append(error.message.strip().splitlines()[0] if error.message.strip() else "")
        error = error.cause
    # The innermost cause is the data error (file, row, column); wrappers only name the step.
    useful = [m for m in messages if m and not m.startswith("Error occurred while executing")]
    text = useful[-1] if useful else (messages[0] if messages else "unknown error")
    return text.removeprefix("dagster._core.errors.").strip()


def event_error(event: dg.EventLogEntry) -> str | None:
    """The error carried by a failure event, if any, on one line."""
    dagster_event = event.dagster_event
    if dagster_event is None:
        return None
    data = dagster_event.event_specific_data
    error = getattr(data, "error", None)
    if error is None:
        return None
    return _error_text(error)


def summarize(records: Iterable[dg.EventLogRecord]) -> RunSummary:
    """Quarantine counts per dataset, failed checks and the first cause of failure."""
    summary = RunSummary()
    for record in records:
        entry = record.event_log_entry
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind == dg.DagsterEventType.ASSET_MATERIALIZATION:
            summary.materialized += 1
        elif kind == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            evaluation = event.event_specific_data
            key = evaluation.asset_key.to_user_string()
            if evaluation.check_name == QUARANTINE_CHECK:
                rows = evaluation.metadata.get("quarantined_rows")
                count = int(rows.value) if rows is not None else 0
                if count:
                    summary.quarantined[key] = count
            elif not evaluation.passed:
                name = f"{key}:{evaluation.check_name}"
                summary.checks_failed.append(name)
                if (
                    summary.first_cause is None
                    and evaluation.severity == dg.AssetCheckSeverity.ERROR
                ):
                    description = evaluation.description or ""
                    summary.first_cause = f"check {name} failed" + (
                        f" ({description})" if description else ""
                    )
        elif kind in (
            dg.DagsterEventType.STEP_FAILURE,
            dg.DagsterEventType.RUN_FAILURE,
            dg.DagsterEventType.ENGINE_EVENT,
            dg.DagsterEventType.RESOURCE_INIT_FAILURE,
        ):
            error = event_error(entry)
            if error and summary.first_cause is None:
                where = event.step_key or event.job_name or ""
                summary.first_cause = f"{where}: {error}" if where else error
    return summary


def run_records(instance: dg.DagsterInstance, run_id: str) -> list[dg.EventLogRecord]:
    """Every event of the run, oldest first."""
    records: list[dg.EventLogRecord] = []
    cursor = None
    while True:
        page = instance.get_records_for_run(run_id, cursor=cursor, limit=5000)
        records.extend(page.records)
        cursor = page.cursor
        if not page.has_more:
            return records


def failure_line(instance: dg.DagsterInstance, run_id: str) -> str:
    """``FAILED: <first cause>`` for a failed run (what the alert and ``make run`` print)."""
    summary = summarize(run_records(instance, run_id))
    return f"FAILED: {summary.first_cause or 'see the run in the Dagster UI'}"
