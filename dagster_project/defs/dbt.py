"""dbt models as Dagster assets; dbt tests appear as asset checks."""

import base64
import importlib.metadata
import os
import subprocess
import threading
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from functools import cached_property
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, dbt_assets
from packaging import version

from dagster_project.dbt_project import dbt_project, ensure_manifest
from dagster_project.defs.dbt_stdout import prefetch_stdout
from dagster_project.defs.resources import PipelineSettings
from dagster_project.warehouse import connect_when_released

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

    def get_automation_condition(
        self, dbt_resource_props: Mapping[str, Any]
    ) -> dg.AutomationCondition | None:
        # Models follow their inputs: rebuilt when an upstream asset was updated (issue 13).
        return dg.AutomationCondition.eager()


class LeanDbtCliResource(DbtCliResource):
    """DbtCliResource without two start-up costs we do not use (pinned dagster-dbt 0.29.27).

    Before every ``dbt build`` dagster-dbt runs ``dbt --version`` in a subprocess (~2 s here)
    and builds an in-process dbt adapter (~2.5 s) that only serves ``fetch_row_counts()`` and
    column metadata. Row counts come from dbt's own log instead (see ``log_row_count``), and
    an in-process DuckDB handle on the build file is exactly what the one-writer rule avoids.
    """

    @cached_property
    def _cli_version(self) -> version.Version:
        # The dbt executable is the one installed beside this Python (see dbt_executable()).
        return version.parse(importlib.metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:  # type: ignore[override]
        return None


ensure_manifest()


@dbt_assets(
    manifest=dbt_project.manifest_path,
    project=dbt_project,
    dagster_dbt_translator=MinerpivotTranslator(),
)
def minerpivot_dbt_assets(
    context: dg.AssetExecutionContext, dbt: DbtCliResource, pipeline: PipelineSettings
) -> Iterator[Any]:
    """``dbt build`` on the build warehouse: seeds, models and tests in dependency order.

    Events stream to Dagster while dbt runs (so recording them overlaps with dbt's work). Row
    counts come from dbt's own log (the ``log_row_count`` post-hook): dagster-dbt's
    fetch_row_counts() would keep an in-process DuckDB connection open and block publishing.
    Marts (and their tests) are held back until dbt has run every node and let go of the file,
    so their materializations can carry a preview table and charts, drawn while dbt exits.
    """
    build_db = pipeline.settings().build_db
    # Matplotlib's import and font loading (~0.7 s) overlap with dbt instead of following it.
    charts_ready = threading.Thread(target=_warm_up_charts, name="charts-warm-up", daemon=True)
    charts_ready.start()
    os.environ["MINERPIVOT_BUILD_DB"] = str(build_db)
    # The project's own target dir (not dagster-dbt's per-run one) so dbt reuses its partial
    # parse instead of re-parsing the whole project on every run (~4 s here).
    target = dbt_project.project_dir / dbt_project.target_path
    invocation = dbt.cli(["build"], context=context, target_path=target, raise_on_error=False)
    # dbt must not wait on a full pipe while Dagster stores the events it already printed.
    prefetch_stdout(invocation.process)
    counts: dict[str, int] = {}
    held: list[Any] = []
    held_keys: set[dg.AssetKey] = set()
    deps = context.assets_def.asset_deps
    early: Future[dict[str, dict[str, Any]]] | None = None
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mart-pictures")
    try:
        for raw in invocation.stream_raw_events():
            info = raw.raw_event.get("info", {})
            message = info.get("msg", "")
            if message.startswith(ROW_COUNT_PREFIX):
                relation, _, n = message[len(ROW_COUNT_PREFIX) :].rpartition(" ")
                counts[relation] = int(n)
            if info.get("name") == RUN_FINISHED_EVENT and held and early is None:
                # Every node is done, and dbt closed the file before saying so: draw the marts'
                # pictures while dbt writes its artifacts and exits (~0.8 s), not after.
                early = pool.submit(
                    _pictures_when_free,
                    build_db,
                    _output_tables(context, held),
                    invocation.process,
                    charts_ready,
                )
            for event in raw.to_default_asset_events(
                manifest=invocation.manifest,
                dagster_dbt_translator=invocation.dagster_dbt_translator,
                context=context,
                target_path=target,
                project=dbt_project,
            ):
                key = _event_key(context, event)
                # Outputs must stay in topological order: once a mart is held back, so is
                # everything built on it (and the tests of those assets).
                if key is not None and (
                    key in held_keys
                    or (
                        isinstance(event, dg.Output)
                        and (key.path[0] == "marts" or held_keys & set(deps.get(key, ())))
                    )
                ):
                    held_keys.add(key)
                    held.append(event)
                    continue
                yield _with_metadata(context, event, counts)
        if held:
            pictures = early.result() if early is not None else {}
            # Whatever was not drawn early (dbt stopped before finishing, or a late output).
            missing = [t for t in _output_tables(context, held) if t not in pictures]
            if missing:
                pictures |= _pictures_when_free(build_db, missing, invocation.process, charts_ready)
            for event in held:
                extra = (
                    pictures[_event_key(context, event).path[-1]]
                    if isinstance(event, dg.Output)
                    else None
                )
                yield _with_metadata(context, event, counts, extra)
    finally:
        pool.shutdown(wait=False)
    if not invocation.is_successful():
        raise invocation.get_error() or RuntimeError("dbt build failed")


ROW_COUNT_PREFIX = "minerpivot_row_count "
#: dbt's "Finished running N seeds, M models ..." event, logged after it closed its connections.
RUN_FINISHED_EVENT = "FinishedRunningStats"


def _output_tables(context: dg.AssetExecutionContext, events: list[Any]) -> list[str]:
    return [_event_key(context, e).path[-1] for e in events if isinstance(e, dg.Output)]


def _pictures_when_free(
    build_db: Path, tables: list[str], dbt_process: subprocess.Popen, charts_ready: threading.Thread
) -> dict[str, dict[str, Any]]:
    """Preview and charts of each mart in ``tables``, read as soon as dbt lets go of the file."""
    charts_ready.join()
    with connect_when_released(build_db, dbt_process) as con:
        return {table: mart_pictures(con, table) for table in tables}


def _warm_up_charts() -> None:
    try:
        from dagster_project.reports import charts

        charts.warm_up()
    except Exception:  # only a head start: rendering later reports any error
        return


def _event_key(context: dg.AssetExecutionContext, event: Any) -> dg.AssetKey | None:
    if isinstance(event, dg.Output):
        return context.asset_key_for_output(event.output_name)
    if isinstance(event, dg.AssetCheckResult):
        return event.asset_key
    return None


def _with_metadata(
    context: dg.AssetExecutionContext,
    event: Any,
    counts: dict[str, int],
    extra: dict[str, Any] | None = None,
) -> Any:
    """An Output with ``dagster/row_count`` (from dbt's log) and any extra metadata added."""
    if not isinstance(event, dg.Output):
        return event
    key = context.asset_key_for_output(event.output_name)
    metadata = dict(event.metadata)
    relation = ".".join(key.path[-2:])
    if relation in counts:
        metadata["dagster/row_count"] = counts[relation]
    metadata.update(extra or {})
    return dg.Output(
        value=event.value,
        output_name=event.output_name,
        metadata=metadata,
        data_version=event.data_version,
        tags=event.tags,
    )


CHARTS = {
    "per_mw_economics": ("mining_vs_hpc_per_mw_year", "render_economics_chart"),
    "hpc_revenue_share": ("hpc_share_by_quarter", "render_hpc_share_chart"),
}


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
