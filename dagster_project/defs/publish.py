"""Publish the build warehouse for analysts once everything upstream succeeded."""

import dagster as dg

from dagster_project.defs.dbt import minerpivot_dbt_assets
from dagster_project.defs.resources import PipelineSettings
from dagster_project.warehouse import connect, publish


@dg.asset(
    key=dg.AssetKey(["warehouse", "published"]),
    group_name="warehouse",
    deps=list(minerpivot_dbt_assets.keys),
    kinds={"duckdb"},
    automation_condition=dg.AutomationCondition.eager(),
    description=(
        "Atomically replaces data/warehouse/minerpivot.duckdb (read-only for analysts) with a "
        "checked copy of the build file. Runs only after every model and test succeeded, so a "
        "failed run leaves the published file as it was."
    ),
)
def published_warehouse(
    context: dg.AssetExecutionContext, pipeline: PipelineSettings
) -> dg.MaterializeResult:
    settings = pipeline.settings()
    result = publish(settings.build_db, settings.published_db)
    with connect(result.path, read_only=True) as con:
        marts = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
        counts = {
            name: con.execute(f'select count(*) from marts."{name}"').fetchall()[0][0]
            for (name,) in marts
        }
    context.log.info("published %s: %s", result.path, counts)
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "bytes": dg.MetadataValue.int(result.bytes),
            "tables": dg.MetadataValue.int(len(result.tables)),
            "mart_row_counts": dg.MetadataValue.json(counts),
        }
    )
