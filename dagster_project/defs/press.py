"""Press releases (group ``press``): documents → extracted facts → analyst overrides.

Documents are the offline corpus in data/raw/press, the French article read where it lies
(settings.context_dir) and, when the filings assets have landed any, 8-K/6-K exhibit 99.x
documents from raw.sec_press_documents. Facts that break the contract or have no company are
quarantined with the document, fact id and reason; nothing is dropped silently.
"""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import polars as pl

from dagster_project.defs.loading import IngestConfig, load_and_report, validate_parts
from dagster_project.defs.resources import PipelineSettings
from dagster_project.extraction.corpus import load_corpus
from dagster_project.extraction.entities import Resolver, load_aliases
from dagster_project.extraction.pipeline import (
    DOCUMENT_SCHEMA,
    StoredDocument,
    business_problems,
    extract_frame,
    relabel_quarantine,
)
from dagster_project.schemas.press_facts import PressFacts
from dagster_project.schemas.press_overrides import OVERRIDE_COLUMNS, PressOverrides
from dagster_project.schemas.validation import ROW_COL, ValidationResult, validate
from dagster_project.sources.csv_reader import read_typed_csv
from dagster_project.warehouse import connect, replace_table

DOCS_KEY = dg.AssetKey(["raw", "press_documents"])
FACTS_KEY = dg.AssetKey(["raw", "press_facts"])
OVERRIDES_KEY = dg.AssetKey(["raw", "press_overrides"])
SEC_DOCS_KEY = dg.AssetKey(["raw", "sec_press_documents"])


class PressFactsRow(PressFacts):
    """The extracted-facts contract, allowing the id and document columns beside it."""

    class Config:
        strict = False
        ordered = False


def _sec_documents(build_db: Path) -> pl.DataFrame:
    """8-K/6-K exhibits landed by the filings assets, if that table exists and has rows."""
    with connect(build_db) as con:
        exists = con.execute(
            "select count(*) from duckdb_tables() "
            "where schema_name = 'raw' and table_name = 'sec_press_documents'"
        ).fetchall()[0][0]
        if not exists:
            return pl.DataFrame(schema=DOCUMENT_SCHEMA)
        frame = con.sql("select * from raw.sec_press_documents").pl()
    if not frame.height:
        return pl.DataFrame(schema=DOCUMENT_SCHEMA)
    content = pl.col("content")
    if frame.schema.get("content") == pl.String():
        content = content.cast(pl.Binary)
    return frame.select(
        pl.col("doc_id"),
        pl.col("date").cast(pl.Date).alias("doc_date"),
        pl.col("source"),
        pl.col("accession_number"),
        pl.col("content_type"),
        pl.lit(None, pl.String()).alias("language"),
        pl.lit("sec_exhibit").alias("origin"),
        content.alias("content"),
    )


@dg.asset(
    key=DOCS_KEY,
    group_name="press",
    deps=[SEC_DOCS_KEY],
    kinds={"python", "duckdb"},
    description=(
        "Press documents to extract facts from: the offline corpus (data/raw/press, own-words "
        "summaries with source URL and date), the French Forbes article read in place, and "
        "8-K/6-K exhibit 99.x documents from the filings assets when any were fetched."
    ),
    metadata={"dagster/table_name": "raw.press_documents"},
)
def press_documents(
    context: dg.AssetExecutionContext, pipeline: PipelineSettings
) -> dg.MaterializeResult:
    settings = pipeline.settings()
    corpus = load_corpus(settings.raw_dir / "press", settings.context_dir)
    offline = pl.DataFrame(
        [
            {
                "doc_id": d.doc_id,
                "doc_date": d.date,
                "source": d.source,
                "accession_number": d.accession_number,
                "content_type": d.content_type,
                "language": d.language,
                "origin": "context_article" if d.doc_id.startswith("forbes_") else "corpus",
                "content": d.content,
            }
            for d in corpus
        ],
        schema=DOCUMENT_SCHEMA,
    )
    docs = pl.concat([offline, _sec_documents(settings.build_db)])
    dupes = docs.filter(pl.col("doc_id").is_duplicated())["doc_id"].unique().to_list()
    if dupes:
        raise ValueError(f"press documents: duplicate doc_id(s) {dupes}")
    with connect(settings.build_db) as con:
        replace_table(con, "raw", "press_documents", docs)
    by_origin = docs.group_by("origin").len().sort("origin").to_dicts()
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": dg.MetadataValue.int(docs.height),
            "by_origin": dg.MetadataValue.json({r["origin"]: r["len"] for r in by_origin}),
        }
    )


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
    with connect(settings.build_db) as con:
        docs = con.execute(
            "select doc_id, doc_date, source, content, content_type, language "
            "from raw.press_documents order by doc_id"
        ).fetchall()
    resolver = Resolver(load_aliases(settings.raw_dir / "reference" / "miners.csv"))
    facts = extract_frame(
        (StoredDocument(d[0], d[1], d[2], bytes(d[3]), d[4], d[5]) for d in docs), resolver
    )
    facts = facts.with_row_index(ROW_COL, offset=1).with_columns(pl.col(ROW_COL).cast(pl.Int64))
    checked = validate(
        facts,
        PressFactsRow,
        dataset="press_facts",
        file="press_facts",
        prior_problems=business_problems(facts),
        fail_on_bad_rows=config.fail_on_bad_rows,
    )
    # Business problems already name their document; pandera's are relabelled to do so.
    from_pandera = pl.col("file") == "press_facts"
    quarantine = pl.concat(
        [
            checked.quarantine.filter(~from_pandera),
            relabel_quarantine(checked.quarantine.filter(from_pandera), facts),
        ]
    )
    result = ValidationResult(valid=checked.valid, quarantine=quarantine)
    by_type = result.valid.group_by("fact_type").len().sort("fact_type").to_dicts()
    yield from load_and_report(
        context,
        settings,
        table="press_facts",
        result=result,
        date_column="doc_date",
        extra_metadata={
            "documents": dg.MetadataValue.int(len(docs)),
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
    frame, problems = read_typed_csv(
        settings.raw_dir / "press" / "overrides.csv",
        OVERRIDE_COLUMNS,
        dataset="press_overrides",
        display_name="data/raw/press/overrides.csv",
    )
    result = validate_parts(
        [(frame, problems, "data/raw/press/overrides.csv")],
        PressOverrides,
        dataset="press_overrides",
        fail_on_bad_rows=config.fail_on_bad_rows,
    )
    yield from load_and_report(
        context, settings, table="press_overrides", result=result, date_column="decided_on"
    )


press_assets = [press_documents, press_facts, press_overrides]
