"""A document the extractor cannot read whole (here: longer than its 1 MB limit, but within the
ingest limit) still gives facts from its head, and leaves a quarantine row naming it in
raw.quarantine through the press_facts check (issue 11: never silently)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl

from dagster_project.extraction.doc_checks import MAX_BYTES
from dagster_project.extraction.pipeline import DOCUMENT_SCHEMA
from dagster_project.extraction.press_ingest import check_facts, extract_stored_documents
from dagster_project.settings import REPO_ROOT
from dagster_project.warehouse import connect, replace_table

PRESS = REPO_ROOT / "data" / "raw" / "press"
MINERS = REPO_ROOT / "data" / "raw" / "reference" / "miners.csv"


def test_oversized_document_gives_facts_and_a_quarantine_row(tmp_path: Path) -> None:
    real = (PRESS / "wulf_fluidstack_google_2025-08-14.txt").read_bytes()
    long = real + b"\n" + b"Forward-looking statements. " * (MAX_BYTES // 25)
    assert MAX_BYTES < len(long) < 2_000_000
    docs = pl.DataFrame(
        [
            {
                "doc_id": "wulf_long",
                "doc_date": dt.date(2025, 8, 14),
                "source": "https://example.org/wulf-long",
                "accession_number": None,
                "content_type": "text/plain",
                "language": "en",
                "origin": "test",
                "content": long,
            }
        ],
        schema=DOCUMENT_SCHEMA,
    )
    build = tmp_path / "build.duckdb"
    with connect(build) as con:
        replace_table(con, "raw", "press_documents", docs)
    facts, n, problems = extract_stored_documents(build, MINERS)
    assert n == 1 and facts.height >= 1, "the head of the document still gives its facts"
    result = check_facts(facts, fail_on_bad_rows=False, document_problems=problems)
    rows = result.quarantine.filter(pl.col("file") == "wulf_long")
    assert rows.height == 1
    assert rows["dataset"][0] == "press_facts"
    assert "doc wulf_long" in rows["reason"][0]
