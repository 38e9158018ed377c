"""Declarative automation: a changed input re-materializes only what is built on it."""

from __future__ import annotations

import dagster as dg

from dagster_project.definitions import build_definitions


def _requested(result: dg.EvaluateAutomationConditionsResult, keys: list) -> set[str]:
    return {key.to_user_string() for key in keys if result.get_num_requested(key)}


def test_an_updated_input_rebuilds_its_descendants_and_publish_only() -> None:
    defs = build_definitions()
    instance = dg.DagsterInstance.ephemeral()
    graph = defs.resolve_asset_graph()
    keys = [k for k in graph.get_all_asset_keys() if graph.get(k).is_materializable]
    for key in keys:  # a complete build, as the nightly run leaves it
        instance.report_runless_asset_event(dg.AssetMaterialization(key))
    quiet = dg.evaluate_automation_conditions(defs=defs, instance=instance)
    assert _requested(quiet, keys) == set()

    # a filing run (or anyone) updates the press facts: their descendants follow
    instance.report_runless_asset_event(dg.AssetMaterialization(["raw", "press_facts"]))
    result = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=quiet.cursor)
    requested = _requested(result, keys)
    assert {
        "staging/stg_press__facts",
        "intermediate/int_hpc_contract_events",
        "marts/hpc_contracts",
        "warehouse/published",
    } <= requested
    assert "marts/hashprice_daily" not in requested
    assert not any(k.startswith("raw/") for k in requested)

    # handled once: the next tick asks for nothing
    again = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=result.cursor)
    assert _requested(again, keys) == set()


def test_sensors_of_each_mode(monkeypatch) -> None:
    offline = build_definitions()
    assert {s.name for s in offline.sensors} == {"alert_on_run_failure", "marts_follow_inputs"}
    auto = offline.resolve_sensor_def("marts_follow_inputs")
    assert auto.default_status == dg.DefaultSensorStatus.RUNNING

    monkeypatch.setenv("MINERPIVOT_MODE", "live")
    live = build_definitions()
    sensors = {s.name: s for s in live.sensors}
    assert set(sensors) == {
        "alert_on_run_failure",
        "edgar_filings",
        "marts_follow_inputs",
        "freshness_checks_hourly",
        "freshness_checks_sensor",
        "freshness_alerts",
    }
    assert all(s.default_status == dg.DefaultSensorStatus.RUNNING for s in sensors.values())
    assert sensors["edgar_filings"].minimum_interval_seconds == 300
    job = live.resolve_job_def("ingest_filing")
    assert job.tags["minerpivot/writer"] == "warehouse"  # queued behind other writers
    selected = {k.to_user_string() for k in job.asset_layer.selected_asset_keys}
    assert {"raw/sec_filings", "raw/press_facts", "marts/hpc_contracts"} <= selected
    assert "warehouse/published" in selected
    assert not {"raw/btc_price_daily", "marts/hashprice_daily", "raw/miners"} & selected
