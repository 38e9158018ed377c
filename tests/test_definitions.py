"""The code location loads, and its graph has the shape the README promises."""

from __future__ import annotations

import dagster as dg

from dagster_project.definitions import build_definitions, defs


def _specs() -> dict[str, str]:
    graph = defs.resolve_asset_graph()
    return {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}


def test_definitions_load_with_in_process_executor():
    assert isinstance(defs, dg.Definitions)
    assert defs.resolve_job_def("build_warehouse").executor_def.name == "in_process"


def test_asset_groups_and_keys():
    specs = _specs()
    expected = {
        "raw/btc_price_daily": "market",
        "raw/network_difficulty": "market",
        "raw/miner_equities_daily": "market",
        "raw/miners": "reference",
        "raw/reported_segment_revenue": "filings",
        "raw/press_facts": "press",
        "staging/stg_market__btc_price_daily": "staging",
        "intermediate/int_hashprice_daily": "intermediate",
        "marts/hashprice_daily": "marts",
        "marts/btc_price_daily": "marts",
        "marts/hpc_contracts": "marts",
        "warehouse/published": "publish",
    }
    assert {k: specs.get(k) for k in expected} == expected
    assert not any(k.startswith("main") or "main_" in k for k in specs)


def test_dbt_sources_are_the_ingest_assets():
    graph = defs.resolve_asset_graph()
    staging = graph.get(dg.AssetKey(["staging", "stg_market__btc_price_daily"]))
    assert dg.AssetKey(["raw", "btc_price_daily"]) in staging.parent_keys
    published = graph.get(dg.AssetKey(["warehouse", "published"]))
    assert dg.AssetKey(["marts", "hashprice_daily"]) in published.parent_keys


def test_every_asset_has_a_description():
    graph = defs.resolve_asset_graph()
    missing = [
        k.to_user_string()
        for k in graph.get_all_asset_keys()
        if graph.get(k).is_materializable and not graph.get(k).description
    ]
    assert missing == []


def test_nightly_schedule_at_two_utc_for_the_nightly_job():
    schedule = build_definitions().resolve_schedule_def("nightly_build")
    assert schedule.cron_schedule == "0 2 * * *"
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "nightly"  # the feeds and their downstream (test_nightly_job)
