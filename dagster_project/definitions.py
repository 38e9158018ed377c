"""The Dagster code location: assets, checks, resources, schedule, sensors, in-process executor."""

import dagster as dg
from dagster_dbt import DbtCliResource

from dagster_project.dbt_project import dbt_executable, dbt_project
from dagster_project.defs.alerting import alert_on_run_failure
from dagster_project.defs.dbt import minerpivot_dbt_assets
from dagster_project.defs.filings import build_filings_assets
from dagster_project.defs.freshness import freshness_checks, freshness_sensors
from dagster_project.defs.market import build_market_assets, daily_partitions
from dagster_project.defs.press import press_assets
from dagster_project.defs.publish import published_warehouse
from dagster_project.defs.reference import build_reference_assets
from dagster_project.defs.resources import PipelineSettings
from dagster_project.instance import WRITER_TAG

NIGHTLY_DESCRIPTION = (
    "Every night at 02:00 UTC: ingest every feed (live: yesterday's partition), dbt build, "
    "publish. On by default; switch it off in the UI (Automation) or with "
    "`dagster schedule stop nightly_build -w workspace.yaml`."
)


def build_definitions(pipeline: PipelineSettings | None = None) -> dg.Definitions:
    """Assemble the definitions; the settings resource decides the mode (offline/live)."""
    pipeline = pipeline or PipelineSettings.from_env()
    live = pipeline.live
    assets = [
        *build_market_assets(live),
        *build_reference_assets(),
        *build_filings_assets(live),
        *press_assets,
        minerpivot_dbt_assets,
        published_warehouse,
    ]
    everything = dg.define_asset_job(
        "build_warehouse",
        selection=dg.AssetSelection.all(),
        description="Ingest every feed, run dbt build, publish the warehouse.",
        partitions_def=daily_partitions if live else None,
        tags=dict([WRITER_TAG]),
    )
    if live:
        # The nightly run fetches yesterday's partition (the last complete UTC day).
        nightly = dg.build_schedule_from_partitioned_job(
            everything,
            hour_of_day=2,
            minute_of_hour=0,
            name="nightly_build",
            description=NIGHTLY_DESCRIPTION,
            default_status=dg.DefaultScheduleStatus.RUNNING,
        )
    else:
        nightly = dg.ScheduleDefinition(
            name="nightly_build",
            job=everything,
            cron_schedule="0 2 * * *",
            execution_timezone="UTC",
            description=NIGHTLY_DESCRIPTION,
            default_status=dg.DefaultScheduleStatus.RUNNING,
        )
    return dg.Definitions(
        assets=assets,
        jobs=[everything],
        schedules=[nightly],
        sensors=[alert_on_run_failure, *freshness_sensors(live)],
        asset_checks=freshness_checks(live),
        resources={
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
            "pipeline": pipeline,
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()
