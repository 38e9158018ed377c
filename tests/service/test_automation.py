"""What runs unattended: the nightly schedule is on by default and its tick asks for the nightly
job, a weekly schedule for the whole build; the run-failure sensor is on by default and alerts
with the run's first cause; network assets retry in live mode."""

from __future__ import annotations

import datetime as dt
import logging

import dagster as dg

from dagster_project.definitions import build_definitions, defs
from dagster_project.defs.alerting import alert_on_run_failure
from dagster_project.defs.resources import PipelineSettings
from dagster_project.run_outcome import summarize


def test_nightly_schedule_is_running_by_default_and_ticks_the_nightly_job():
    schedule = defs.resolve_schedule_def("nightly_build")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    assert "02:00 UTC" in schedule.description and "switch it off" in schedule.description
    with dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    ) as context:
        result = schedule.evaluate_tick(context)
    (request,) = result.run_requests
    assert request.job_name in (None, "nightly")
    assert schedule.job_name == "nightly"
    weekly = defs.resolve_schedule_def("weekly_full_build")
    assert weekly.default_status == dg.DefaultScheduleStatus.RUNNING
    assert weekly.job_name == "build_warehouse" and "Sunday" in weekly.description


def test_live_nightly_tick_asks_for_yesterdays_partition():
    live = build_definitions(PipelineSettings(mode="live"))
    schedule = live.resolve_schedule_def("nightly_build")
    assert schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    with dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2026, 11, 30, 2, 0, tzinfo=dt.UTC)
    ) as context:
        result = schedule.evaluate_tick(context)
    (request,) = result.run_requests
    assert request.partition_key == "2026-11-29"


def test_network_assets_retry_in_live_mode_only():
    live = build_definitions(PipelineSettings(mode="live")).resolve_asset_graph()
    offline = defs.resolve_asset_graph()
    key = dg.AssetKey(["raw", "btc_price_daily"])
    assert live.get(key).assets_def.op.retry_policy.max_retries == 2
    assert offline.get(key).assets_def.op.retry_policy is None
    sec = dg.AssetKey(["raw", "sec_filings"])
    assert live.get(sec).assets_def.op.retry_policy is not None


def test_failure_sensor_is_running_by_default_and_alerts_with_the_first_cause(tmp_path, caplog):
    assert alert_on_run_failure.default_status == dg.DefaultSensorStatus.RUNNING

    @dg.asset
    def broken() -> None:
        raise dg.Failure("raw/sites: /data/raw/reference/sites.csv row 7, column gross_mw: -5")

    with dg.instance_for_test() as instance:
        result = dg.materialize([broken], instance=instance, raise_on_error=False)
        assert not result.success
        run = instance.get_run_by_id(result.run_id)
        failure = next(
            e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE
        )
        context = dg.build_run_status_sensor_context(
            sensor_name="alert_on_run_failure",
            dagster_instance=instance,
            dagster_run=run,
            dagster_event=failure,
        ).for_run_failure()
        with caplog.at_level(logging.ERROR, logger="minerpivot.alerts"):
            alert_on_run_failure(context)
    assert f"ALERT [run_failure] run {run.run_id}" in caplog.text
    assert "sites.csv row 7, column gross_mw: -5" in caplog.text


def test_run_summary_counts_quarantined_rows_per_dataset():
    @dg.asset(check_specs=[dg.AssetCheckSpec("no_quarantined_rows", asset="feed")])
    def feed():
        yield dg.MaterializeResult()
        yield dg.AssetCheckResult(
            check_name="no_quarantined_rows",
            passed=False,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"quarantined_rows": 3},
        )

    with dg.instance_for_test() as instance:
        result = dg.materialize([feed], instance=instance)
        records = instance.get_records_for_run(result.run_id).records
        summary = summarize(records)
    assert summary.quarantined == {"feed": 3}
    assert summary.first_cause is None


def test_only_network_faults_are_left_to_dagster_retries():
    import pytest

    from dagster_project.defs.loading import only_network_faults_retried
    from dagster_project.sources.http import HostUnreachableError, RetryableHttpError

    for transient in (
        HostUnreachableError(
            "api.example.org", "ConnectError", attempts=5, elapsed=34.0, budget=60.0
        ),
        RetryableHttpError("https://api.example.org/x", 503),
    ):
        with pytest.raises(type(transient)):
            with only_network_faults_retried():
                raise transient
    with pytest.raises(dg.Failure) as failure:
        with only_network_faults_retried():
            raise ValueError("CryptoCompare body: Response=Error, rate limit key invalid")
    assert failure.value.allow_retries is False
    assert "rate limit key invalid" in failure.value.description
