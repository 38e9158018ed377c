"""The ingest work of the pipeline without Dagster: the floor's first half (bench_pipeline.py).

Does what the 19 ingest steps of an offline run do, through the same plain functions the
assets call: every snapshot feed and reference table read and validated (pandera) and loaded
with its quarantine rows, the EDGAR offline replay (empty tables when nothing landed), press
documents stored, facts extracted and checked, analyst overrides loaded.
"""

from __future__ import annotations

from dagster_project.extraction.press_ingest import (
    check_documents,
    check_facts,
    extract_stored_documents,
    overrides_path,
    press_documents_frame,
    read_overrides,
)
from dagster_project.schemas.press_overrides import PressOverrides
from dagster_project.schemas.validation import ValidationResult, validate_parts
from dagster_project.settings import load_settings, press_max_bytes
from dagster_project.sources.edgar_harvest import (
    EdgarHarvest,
    harvest_frames,
    load_harvest,
    replay_client,
)
from dagster_project.sources.market_feeds import FEEDS, read_offline
from dagster_project.sources.reference_files import (
    REFERENCE_FILES,
    REPORTED_SEGMENT_REVENUE,
    read_reference,
    reference_path,
)
from dagster_project.warehouse import connect, load_raw, replace_quarantine, replace_table


def main() -> None:
    s = load_settings()

    def load(table: str, result: ValidationResult, date_column: str = "date") -> None:
        load_raw(s.build_db, table, result.valid, result.quarantine, date_column=date_column)

    for feed in FEEDS:
        parts = read_offline(s, feed)
        load(
            feed.table,
            validate_parts(parts, feed.model, dataset=feed.table, fail_on_bad_rows=False),
        )
    for spec in (*REFERENCE_FILES, REPORTED_SEGMENT_REVENUE):
        df, problems = read_reference(s.raw_dir, spec)
        parts = [(df, problems, reference_path(s.raw_dir, spec))]
        result = validate_parts(parts, spec.model, dataset=spec.table, fail_on_bad_rows=False)
        load(spec.table, result, "as_of_date")
    if replay_client(s) is not None:
        raise SystemExit("floor_ingest: landed EDGAR responses found; the floor assumes none")
    load_harvest(s.build_db, harvest_frames(EdgarHarvest()), fail_on_bad_rows=False)
    docs, doc_problems = check_documents(
        press_documents_frame(s.raw_dir / "press", s.context_dir, s.build_db),
        s.raw_dir / "press",
        max_bytes=press_max_bytes(),
    )
    with connect(s.build_db) as con:
        replace_table(con, "raw", "press_documents", docs)
        replace_quarantine(con, "press_documents", doc_problems)
    facts, _, problems = extract_stored_documents(
        s.build_db, s.raw_dir / "reference" / "miners.csv"
    )
    checked = check_facts(facts, fail_on_bad_rows=False, document_problems=problems)
    load("press_facts", checked, "doc_date")
    frame, problems = read_overrides(s.raw_dir)
    overrides = validate_parts(
        [(frame, problems, overrides_path(s.raw_dir))],
        PressOverrides,
        dataset="press_overrides",
        fail_on_bad_rows=False,
    )
    load("press_overrides", overrides, "decided_on")


if __name__ == "__main__":
    main()
