"""Committed, cited reference tables (group ``reference``) loaded into the ``raw`` schema."""

from collections.abc import Iterator

import dagster as dg

from dagster_project.defs.loading import IngestConfig, load_and_report
from dagster_project.defs.resources import PipelineSettings
from dagster_project.schemas.validation import validate_parts
from dagster_project.sources.reference_files import (
    REFERENCE_FILES,
    REPORTED_SEGMENT_REVENUE,
    ReferenceFile,
    read_reference,
    reference_path,
)


def reference_asset(spec: ReferenceFile, group: str) -> dg.AssetsDefinition:
    """An asset that validates one committed CSV and writes it to ``raw.<table>``."""
    key = dg.AssetKey(["raw", spec.table])

    @dg.asset(
        key=key,
        group_name=group,
        description=f"{spec.description} Source file: data/raw/{spec.relative_path}.",
        kinds={"python", "polars", "duckdb"},
        check_specs=[dg.AssetCheckSpec("no_quarantined_rows", asset=key)],
        metadata={
            "dagster/table_name": f"raw.{spec.table}",
            "file": f"data/raw/{spec.relative_path}",
        },
    )
    def _asset(
        context: dg.AssetExecutionContext, config: IngestConfig, pipeline: PipelineSettings
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        settings = pipeline.settings()
        frame, problems = read_reference(settings.raw_dir, spec)
        result = validate_parts(
            [(frame, problems, reference_path(settings.raw_dir, spec))],
            spec.model,
            dataset=spec.table,
            fail_on_bad_rows=config.fail_on_bad_rows,
        )
        yield from load_and_report(
            context, settings, table=spec.table, result=result, date_column="as_of_date"
        )

    return _asset


def build_reference_assets() -> list[dg.AssetsDefinition]:
    """Reference tables (group reference) and the curated segment revenue (group filings)."""
    return [
        *(reference_asset(spec, "reference") for spec in REFERENCE_FILES),
        reference_asset(REPORTED_SEGMENT_REVENUE, "filings"),
    ]
