"""The Dagster code location: assets, checks, jobs (build_warehouse, nightly), schedules,
sensors, resources, in-process executor."""

import datetime as dt

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
from dagster_project.sources.market_feeds import FEEDS

NIGHTLY_DESCRIPTION = (
    "Every night at 02:00 UTC, the nightly job: the market feeds (offline: only the days from "
    "the last loaded day minus a week; live: yesterday's partition, and the SEC EDGAR crawl), "
    "the dbt models downstream of them with their tests, publish. On by default; switch it "
    "off in the UI (Automation) or with `dagster schedule stop nightly_build -w workspace.yaml`."
)
WEEKLY_DESCRIPTION = (
    "Every Sunday at 04:00 UTC, the whole build_warehouse job (every feed and curated table "
    "read whole, every dbt model and test, publish), as `make run` does. On by default; switch "
    "it off in the UI (Automation) or with "
    "`dagster schedule stop weekly_full_build -w workspace.yaml`."
)

#: What the nightly job builds: the daily feeds and only what is downstream of them (their
#: staging, intermediate and mart models with their dbt tests, then publish). Reference,
#: filings and press assets change with commits and filings, not with the day: the full
#: ``build_warehouse`` job (``make run``, the weekly schedule) and their sensors cover them.
NIGHTLY_SELECTION = dg.AssetSelection.groups("market").downstream()
#: Live, the nightly job also crawls SEC EDGAR (group ``filings``): its freshness check expects
#: a crawl at least every 26 hours (docs/freshness.md).
LIVE_NIGHTLY_SELECTION = dg.AssetSelection.groups("market", "filings").downstream()


def nightly_publish_tables(assets: list[dg.AssetsDefinition]) -> dict[str, str]:
    """Tables the nightly job writes (``schema.table`` → date column, "" for a table rewritten
    whole): the raw feeds (by ``date``), the dbt models of the nightly selection (incremental
    ones by their ``unique_key`` day column, from the dbt manifest) and ``raw.quarantine``. The
    nightly publish brings only these up to date in a copy of the published file."""
    import json

    nodes = json.loads(dbt_project.manifest_path.read_text())["nodes"].values()
    day_column = {
        f"{n['config']['schema']}.{n['alias']}": n["config"].get("unique_key")
        for n in nodes
        if n["resource_type"] == "model" and n["config"].get("materialized") == "incremental"
    }
    feeds = {feed.table for feed in FEEDS}
    tables = {"raw.quarantine": ""}
    for key in NIGHTLY_SELECTION.resolve(assets):
        if len(key.path) != 2 or key.path[0] == "warehouse":
            continue
        table = ".".join(key.path)
        if key.path[0] == "raw":
            tables[table] = "date" if key.path[1] in feeds else ""
        else:
            column = day_column.get(table)
            tables[table] = column if isinstance(column, str) else ""
    return tables


def nightly_config(assets: list[dg.AssetsDefinition]) -> dict:
    """Run config of the nightly job (offline): every feed reads only its new days; publish
    patches the tables the job writes in a copy of the published file."""
    return {
        "ops": {
            **{f"raw__{feed.table}": {"config": {"only_new_days": True}} for feed in FEEDS},
            "warehouse__published": {"config": {"patch_tables": nightly_publish_tables(assets)}},
        }
    }


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
    nightly_job = dg.define_asset_job(
        "nightly",
        selection=LIVE_NIGHTLY_SELECTION if live else NIGHTLY_SELECTION,
        description=(
            "The nightly run: the market feeds (offline: only their new days; live: yesterday, "
            "and the SEC EDGAR crawl), the dbt models downstream of them with their tests, "
            "publish. build_warehouse rebuilds everything."
        ),
        partitions_def=daily_partitions if live else None,
        config=None if live else nightly_config(assets),
        tags=dict([WRITER_TAG]),
    )
    if live:
        # The nightly run fetches yesterday's partition (the last complete UTC day).
        nightly = dg.build_schedule_from_partitioned_job(
            nightly_job,
            hour_of_day=2,
            minute_of_hour=0,
            name="nightly_build",
            description=NIGHTLY_DESCRIPTION,
            default_status=dg.DefaultScheduleStatus.RUNNING,
        )
    else:
        nightly = dg.ScheduleDefinition(
            name="nightly_build",
            job=nightly_job,
            cron_schedule="0 2 * * *",
            execution_timezone="UTC",
            description=NIGHTLY_DESCRIPTION,
            default_status=dg.DefaultScheduleStatus.RUNNING,
        )

    @dg.schedule(
        name="weekly_full_build",
        job=everything,
        cron_schedule="0 4 * * 0",
        execution_timezone="UTC",
        description=WEEKLY_DESCRIPTION,
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def weekly_full_build(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        if not live:
            return dg.RunRequest()
        # Live: the whole graph with yesterday's partition of the feeds.
        yesterday = context.scheduled_execution_time - dt.timedelta(days=1)
        return dg.RunRequest(partition_key=yesterday.strftime("%Y-%m-%d"))

    return dg.Definitions(
        assets=assets,
        jobs=[everything, nightly_job],
        schedules=[nightly, weekly_full_build],
        sensors=[alert_on_run_failure, *freshness_sensors(live)],
        asset_checks=freshness_checks(live),
        resources={
            "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
            "pipeline": pipeline,
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()
