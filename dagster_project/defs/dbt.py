"""dbt models as Dagster assets (stock dagster-dbt); dbt tests appear as asset checks.

The asset is dagster-dbt's documented pattern, ``dbt.cli(["build"], context=context).stream()``:
Dagster selects the models of the run (so a partial selection becomes ``dbt build --select``),
dbt writes the build warehouse, and every model and test streams back as a materialization or a
check result. Previews and charts of the marts are drawn afterwards by the publish asset, from
the published file (``defs/publish.py``), not while dbt holds the build file.
"""

import os
from collections.abc import Iterator, Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets

from dagster_project.dbt_project import dbt_project
from dagster_project.defs.resources import PipelineSettings
from dagster_project.settings import load_settings
from dagster_project.warehouse import PATCH_DAYS

#: The job of the nightly schedule (definitions.py) and the variable that narrows its tests.
NIGHTLY_JOB = "nightly"
#: dbt flags of the nightly job's build (dbt >= 1.8): no unit tests.
NIGHTLY_DBT_EXCLUDE = ["--exclude-resource-type", "unit_test"]
TEST_WINDOW_ENV = "MINERPIVOT_DBT_TEST_WINDOW_DAYS"

#: Dagster asset group of each dbt schema (the layers of docs/architecture.md).
GROUP_BY_SCHEMA = {"staging": "staging", "intermediate": "intermediate", "marts": "marts"}


class MinerpivotTranslator(DagsterDbtTranslator):
    """Keys ``[schema, name]`` (raw sources match the ingest assets); one group per layer.

    Marts say where analysts read them: the published file, not the build file dbt writes.
    Tests without a description get one made from the test and its arguments.
    """

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["schema"], dbt_resource_props["name"]])
        schema = dbt_resource_props.get("config", {}).get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        schema = dbt_resource_props.get("config", {}).get("schema")
        return GROUP_BY_SCHEMA.get(schema, "staging")

    def get_metadata(self, dbt_resource_props: Mapping[str, Any]) -> Mapping[str, Any]:
        metadata = dict(super().get_metadata(dbt_resource_props))
        schema = dbt_resource_props.get("config", {}).get("schema")
        name = dbt_resource_props.get("alias") or dbt_resource_props.get("name")
        if dbt_resource_props["resource_type"] == "model" and schema == "marts":
            published = load_settings().published_db
            metadata["dagster/table_name"] = f"{published.stem}.marts.{name}"
            metadata["dagster/uri"] = f"duckdb:///{published}"
            metadata["published_file"] = dg.MetadataValue.path(str(published))
        return metadata

    def get_asset_check_spec(
        self,
        asset_spec: dg.AssetSpec,
        manifest: Mapping[str, Any],
        unique_id: str,
        project: Any,
    ) -> dg.AssetCheckSpec | None:
        spec = super().get_asset_check_spec(asset_spec, manifest, unique_id, project)
        if spec is None or spec.description:
            return spec
        test = manifest["nodes"].get(unique_id, {})
        description = test.get("description") or describe_test(test)
        return dg.AssetCheckSpec(
            name=spec.name,
            asset=spec.asset_key,
            description=description,
            additional_deps=spec.additional_deps,
            blocking=spec.blocking,
            metadata=spec.metadata,
        )

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        # Models follow their inputs: rebuilt when an upstream asset was updated (issue 13).
        return dg.AutomationCondition.eager()


def describe_test(test: Mapping[str, Any]) -> str:
    """A readable sentence for a generic dbt test from its name and arguments."""
    meta = test.get("test_metadata") or {}
    name = meta.get("name", "")
    kwargs = meta.get("kwargs") or {}
    column = kwargs.get("column_name")
    subject = f"`{column}`" if column else "each row"
    if name == "not_null":
        return f"{subject} is never null"
    if name == "unique":
        return f"{subject} is unique"
    if name == "accepted_values":
        values = ", ".join(str(v) for v in kwargs.get("values", []))
        return f"{subject} is one of: {values}"
    if name == "relationships":
        target = str(kwargs.get("to", "")).replace("ref('", "").replace("')", "")
        return f"{subject} exists in {target}.{kwargs.get('field')}"
    if name == "in_range":
        return f"{subject} lies in [{kwargs.get('min_value')}, {kwargs.get('max_value')}]"
    if name == "unique_combination":
        cols = ", ".join(kwargs.get("combination_of_columns") or kwargs.get("columns") or [])
        return f"one row per ({cols})"
    if name:
        return f"dbt test {name}" + (f" on {subject}" if column else "")
    return "singular dbt test: " + str(test.get("name", "")).replace("_", " ")


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=MinerpivotTranslator(),
)
def minerpivot_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineSettings
) -> Iterator[Any]:
    """``dbt build`` on the build warehouse: seeds, models and tests in dependency order."""
    # The pipeline resource has pointed dbt's profile at this run's build file and holds the
    # writer lock for the run (defs/resources.py).
    context.log.info("dbt build into %s", pipeline.settings().build_db)
    # The nightly job rewrote only recent days: its key tests on the large daily models read
    # those days only (dbt/macros/get_where_subquery.sql); every other run tests every row.
    args = ["build"]
    if context.job_name == NIGHTLY_JOB:
        os.environ[TEST_WINDOW_ENV] = str(PATCH_DAYS)
        # Unit tests check the SQL against fixed inputs, not the night's data: dbt recommends
        # running them in development and CI only. The full builds (make run, the weekly
        # schedule) and the test suite still run every one of them.
        args += NIGHTLY_DBT_EXCLUDE
    else:
        os.environ.pop(TEST_WINDOW_ENV, None)
    yield from dbt.cli(args, context=context).stream()
