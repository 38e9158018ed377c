"""dbt models as Dagster assets; dbt tests appear as asset checks."""

import base64
import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.dbt_project import dbt_project, ensure_manifest
from dagster_project.defs.resources import PipelineSettings
from dagster_project.warehouse import connect

GROUP_BY_LAYER = {"staging": "warehouse", "intermediate": "warehouse", "marts": "marts"}


class MinerpivotTranslator(DagsterDbtTranslator):
    """Keys are ``[schema, name]`` (raw sources match the ingest assets); groups by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # [schema, table]: raw sources line up with the ingest assets' keys (raw/<table>).
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        schema = dbt_resource_props.get("config", {}).get("schema")
        return GROUP_BY_LAYER.get(schema, "warehouse")


ensure_manifest()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=MinerpivotTranslator(),
)
def minerpivot_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineSettings
) -> Iterator[Any]:
    """``dbt build`` on the build warehouse: seeds, models and tests in dependency order."""
    build_db = pipeline.settings().build_db
    os.environ["MINERPIVOT_BUILD_DB"] = str(build_db)
    # dagster-dbt's fetch_row_counts() keeps an in-process DuckDB connection open, which then
    # blocks the publish step; count rows ourselves once dbt has released the file.
    events = list(dbt.cli(["build"], context=context).stream())
    yield from with_row_counts(context, events, build_db)


CHARTS = {
    "per_mw_economics": ("mining_vs_hpc_per_mw_year", "render_economics_chart"),
    "hpc_revenue_share": ("hpc_share_by_quarter", "render_hpc_share_chart"),
    "mining_vs_hpc_scenarios": ("mining_vs_hpc_per_mw_year", "render_economics_chart"),
}


def with_row_counts(
    context: dg.AssetExecutionContext, events: list[Any], build_db: Path
) -> Iterator[Any]:
    """Add ``dagster/row_count`` to each model output, reading the build file once.

    Marts also get a Markdown preview and, for the economics and revenue-share marts, a PNG
    chart embedded in Markdown (the same charts ``make report`` writes).
    """
    with connect(build_db, read_only=True) as con:
        tables = {
            (schema, name)
            for schema, name in con.execute(
                "select schema_name, table_name from duckdb_tables()"
            ).fetchall()
        }
        for event in events:
            if isinstance(event, dg.Output):
                key = context.asset_key_for_output(event.output_name)
                relation = (key.path[-2], key.path[-1]) if len(key.path) >= 2 else None
                if relation in tables:
                    extra = {
                        "dagster/row_count": int(
                            con.execute(
                                f'select count(*) from "{relation[0]}"."{relation[1]}"'
                            ).fetchall()[0][0]
                        )
                    }
                    if relation[0] == "marts":
                        extra.update(mart_pictures(con, relation[1]))
                    event = dg.Output(
                        value=event.value,
                        output_name=event.output_name,
                        metadata={**event.metadata, **extra},
                        data_version=event.data_version,
                        tags=event.tags,
                    )
            yield event


def mart_pictures(con: Any, table: str) -> dict[str, Any]:
    """Preview table and (for some marts) a chart, as Markdown metadata for the UI."""
    from dagster_project.reports import charts

    pictures: dict[str, Any] = {
        "preview": dg.MetadataValue.md(charts.preview_markdown(con, f"marts.{table}", 10))
    }
    if table in CHARTS:
        label, renderer = CHARTS[table]
        png = getattr(charts, renderer)(con)
        encoded = base64.b64encode(png).decode("ascii")
        pictures[label] = dg.MetadataValue.md(f"![{label}](data:image/png;base64,{encoded})")
    return pictures
