"""The Dagster code location: assets, checks, resources, schedule, in-process executor."""

import dagster as dg

from dagster_project.dbt_project import dbt_executable, dbt_project
from dagster_project.defs.dbt import LeanDbtCliResource, minerpivot_dbt_assets
from dagster_project.defs.filings import build_filings_assets
from dagster_project.defs.freshness import freshness_checks, freshness_sensors
from dagster_project.defs.market import build_market_assets, daily_partitions
from dagster_project.defs.press import press_assets
from dagster_project.defs.publish import published_warehouse
from dagster_project.defs.reference import build_reference_assets
from dagster_project.defs.resources import PipelineSettings
from dagster_project.settings import load_settings


def build_definitions() -> dg.Definitions:
    """Assemble the definitions for the mode in ``MINERPIVOT_MODE``."""
    settings = load_settings()
    live = settings.mode == "live"
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
    )
    if live:
        # The nightly run fetches yesterday's partition (the last complete UTC day).
        nightly = dg.build_schedule_from_partitioned_job(
            everything, hour_of_day=2, minute_of_hour=0, name="nightly_build"
        )
    else:
        nightly = dg.ScheduleDefinition(
            name="nightly_build",
            job=everything,
            cron_schedule="0 2 * * *",
            execution_timezone="UTC",
        )
    return dg.Definitions(
        assets=assets,
        jobs=[everything],
        schedules=[nightly],
        sensors=freshness_sensors(live),
        asset_checks=freshness_checks(live),
        resources={
            "dbt": LeanDbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
            "pipeline": PipelineSettings.from_env(),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()


def build_warehouse_job() -> dg.JobDefinition:
    """The ``build_warehouse`` job with its resources (a ``reconstructable`` target)."""
    return defs.resolve_job_def("build_warehouse")
