"""Press releases (group ``press``): documents → extracted facts → analyst overrides.

Documents are the offline corpus in data/raw/press, the French article read where it lies
(settings.context_dir) and, when the filings assets have landed any, 8-K/6-K exhibit 99.x
documents from raw.sec_press_documents. Facts that break the contract or have no company are
quarantined with the document, fact id and reason; nothing is dropped silently.
"""

from collections.abc import Iterator

import dagster as dg

from dagster_project.defs.loading import (
    QUARANTINE_CHECK,
    IngestConfig,
    load_and_report,
    quarantine_check,
)
from dagster_project.defs.resources import PipelineSettings
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
from dagster_project.settings import press_max_bytes
from dagster_project.warehouse import connect, replace_quarantine, replace_table

DOCS_KEY = dg.AssetKey(["raw", "press_documents"])
FACTS_KEY = dg.AssetKey(["raw", "press_facts"])
OVERRIDES_KEY = dg.AssetKey(["raw", "press_overrides"])
SEC_DOCS_KEY = dg.AssetKey(["raw", "sec_press_documents"])


@dg.asset(
    key=DOCS_KEY,
    group_name="press",
    deps=[SEC_DOCS_KEY],
    kinds={"python", "duckdb"},
    check_specs=[dg.AssetCheckSpec(QUARANTINE_CHECK, asset=DOCS_KEY)],
    description=(
        "Press documents to extract facts from: the offline corpus (data/raw/press, own-words "
        "summaries with source URL and date), the French Forbes article read in place, and "
        "8-K/6-K exhibit 99.x documents from the filings assets when any were fetched. A "
        "document that does not decode cleanly with its declared codec (else UTF-8), is empty, "
        "is over MINERPIVOT_PRESS_MAX_BYTES or has no source URL goes to raw.quarantine."
    ),
    metadata={"dagster/table_name": "raw.press_documents"},
)
def press_documents(
    context: dg.AssetExecutionContext, pipeline: PipelineSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    settings = pipeline.settings()
    press_dir = settings.raw_dir / "press"
    docs, quarantine = check_documents(
        press_documents_frame(press_dir, settings.context_dir, settings.build_db),
        press_dir,
        max_bytes=press_max_bytes(),
    )
    with connect(settings.build_db) as con:
        replace_table(con, "raw", "press_documents", docs)
        replace_quarantine(con, "press_documents", quarantine)
    by_origin = docs.group_by("origin").len().sort("origin").to_dicts()
    yield dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(docs.height),
            "documents_quarantined": dg.MetadataValue.int(quarantine.height),
            "by_origin": dg.MetadataValue.json({r["origin"]: r["len"] for r in by_origin}),
        }
    )
    yield quarantine_check(ValidationResult(valid=docs, quarantine=quarantine), "press_documents")


@dg.asset(
    key=FACTS_KEY,
    group_name="press",
    deps=[DOCS_KEY],
    kinds={"python", "polars", "duckdb"},
    check_specs=[dg.AssetCheckSpec("no_quarantined_rows", asset=FACTS_KEY)],
    description=(
        "Facts extracted from every press document (rules, EN and FR) with evidence spans and "
        "a stable fact_id; validated by the PressFacts pandera contract. Facts without a "
        "company (and no aggregate scope) or with impossible values go to raw.quarantine."
    ),
    metadata={"dagster/table_name": "raw.press_facts"},
)
def press_facts(
    context: dg.AssetExecutionContext, config: IngestConfig, pipeline: PipelineSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    settings = pipeline.settings()
    facts, documents, problems = extract_stored_documents(
        settings.build_db, settings.raw_dir / "reference" / "miners.csv"
    )
    result = check_facts(
        facts, fail_on_bad_rows=config.fail_on_bad_rows, document_problems=problems
    )
    by_type = result.valid.group_by("fact_type").len().sort("fact_type").to_dicts()
    yield from load_and_report(
        context,
        settings,
        table="press_facts",
        result=result,
        date_column="doc_date",
        extra_metadata={
            "documents": dg.MetadataValue.int(documents),
            "facts_by_type": dg.MetadataValue.json({r["fact_type"]: r["len"] for r in by_type}),
        },
    )


@dg.asset(
    key=OVERRIDES_KEY,
    group_name="press",
    kinds={"python", "polars", "duckdb"},
    check_specs=[dg.AssetCheckSpec("no_quarantined_rows", asset=OVERRIDES_KEY)],
    description=(
        "Analyst decisions on extracted facts (data/raw/press/overrides.csv): confirm, correct "
        "a field, or reject, by fact_id, with who and why. Applied in dbt; overrides win."
    ),
    metadata={"dagster/table_name": "raw.press_overrides"},
)
def press_overrides(
    context: dg.AssetExecutionContext, config: IngestConfig, pipeline: PipelineSettings
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    settings = pipeline.settings()
    frame, problems = read_overrides(settings.raw_dir)
    result = validate_parts(
        [(frame, problems, overrides_path(settings.raw_dir))],
        PressOverrides,
        dataset="press_overrides",
        fail_on_bad_rows=config.fail_on_bad_rows,
    )
    yield from load_and_report(
        context, settings, table="press_overrides", result=result, date_column="decided_on"
    )


press_assets = [press_documents, press_facts, press_overrides]
