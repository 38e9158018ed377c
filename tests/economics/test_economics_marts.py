"""Real values in the economics marts, recomputed independently from the cited inputs."""

from __future__ import annotations

import math

import pytest


def _assumption(wh, name: str, level: str = "base") -> float:
    col = {"low": "low", "base": "base", "high": "high"}[level]
    return wh.execute(f"select {col} from raw.assumptions where name = ?", [name]).fetchone()[0]


def test_corz_coreweave_revenue_per_mw_year(wh):
    rate, from_annual, conv = wh.execute(
        "select usd_per_mw_year_critical_it, usd_per_mw_year_critical_it_from_annual, "
        "mw_conversion from intermediate.int_economics_hpc_contracts "
        "where ticker = 'CORZ' and critical_it_mw = 200 and term_years = 12"
    ).fetchone()
    # $3.5B / (12 y × 200 MW critical IT) and the stated $290M per year / 200 MW
    assert rate == pytest.approx(3.5e9 / 12 / 200)
    assert from_annual == pytest.approx(1.45e6)
    assert conv == "gross_from_critical_it"


def test_duplicate_sources_merge_and_gpu_cloud_is_not_colocation(wh):
    rows = wh.execute(
        "select ticker, n_source_rows, contract_kind from intermediate.int_economics_hpc_contracts "
        "where ticker in ('IREN', 'HUT') order by ticker"
    ).fetchall()
    assert rows == [("HUT", 2, "colocation"), ("IREN", 2, "gpu_cloud")]


def test_per_mw_formulas_recomputed_for_corz(wh):
    row = wh.execute(
        "select hashprice_usd_per_ph_day, hashprice_btc_per_ph_day, fleet_efficiency_j_per_th, "
        "mining_revenue_usd_per_mw_year, power_cost_usd_per_mw_year, "
        "mining_margin_usd_per_mw_year, "
        "hpc_revenue_basis, hpc_revenue_usd_per_mw_year_critical_it, "
        "hpc_margin_usd_per_mw_year_gross, breakeven_btc_price_margin_usd, btc_per_mw_year "
        "from marts.per_mw_economics where ticker = 'CORZ' and is_latest_month"
    ).fetchone()
    hp_usd, hp_btc, e, rev, power, margin, basis, hpc_cit, hpc_margin, be, btc_yr = row
    fee = _assumption(wh, "pool_fee_pct") / 100
    price = _assumption(wh, "power_price_usd_per_mwh")
    ratio = _assumption(wh, "gross_to_critical_it_ratio")
    opex = _assumption(wh, "hpc_opex_share")
    assert e == 24.23  # CORZ May 2024 self-mining fleet (Business Wire update), the latest stated
    assert rev == pytest.approx(hp_usd * 1000 / e * 365 * (1 - fee))
    assert power == pytest.approx(price * 8760)  # 1 MW for a year, whatever the J/TH
    assert margin == pytest.approx(rev - power)
    # only the 200 MW CoreWeave deal is priced (the $8.7B row is cumulative, others lack MW/term)
    assert basis == "contracts"
    assert hpc_cit == pytest.approx(3.5e9 / 12 / 200)
    assert hpc_margin == pytest.approx(hpc_cit / ratio * (1 - opex))
    assert btc_yr == pytest.approx(hp_btc * 1000 / e * 365 * (1 - fee))
    # at the break-even price the mining margin equals the HPC margin
    assert btc_yr * be - power == pytest.approx(hpc_margin)


def test_miner_without_stated_efficiency_gets_no_mining_figures(wh):
    rows = wh.execute(
        "select distinct efficiency_status, mining_revenue_usd_per_mw_year is null, "
        "hpc_revenue_basis from marts.per_mw_economics where ticker = 'WULF' and is_latest_month"
    ).fetchall()
    assert rows == [("no_cited_efficiency", True, "contracts")]


def test_scenarios_scale_today(wh):
    n = wh.execute("select count(*) from marts.mining_vs_hpc_scenarios").fetchone()[0]
    n_miners = wh.execute("select count(*) from raw.miners").fetchone()[0]
    n_scen = wh.execute("select count(*) from staging.scenarios").fetchone()[0]
    assert n == n_miners * n_scen
    prices = dict(
        wh.execute(
            "select scenario, btc_price_usd from marts.mining_vs_hpc_scenarios "
            "where ticker = 'CORZ'"
        ).fetchall()
    )
    assert prices["btc_minus_30"] == pytest.approx(0.7 * prices["btc_flat"])
    assert prices["btc_plus_50"] == pytest.approx(1.5 * prices["btc_flat"])
    margins = dict(
        wh.execute(
            "select scenario, mining_margin_usd_per_mw_year from marts.mining_vs_hpc_scenarios "
            "where ticker = 'CORZ'"
        ).fetchall()
    )
    assert margins["power_price_high"] < margins["btc_flat"] < margins["power_price_low"]
    assert margins["hashrate_plus_25"] < margins["btc_flat"] < margins["btc_plus_50"]
    # the break-even does not depend on the BTC price, only on the hash rate and costs
    be = dict(
        wh.execute(
            "select scenario, breakeven_btc_price_margin_usd from marts.mining_vs_hpc_scenarios "
            "where ticker = 'CORZ'"
        ).fetchall()
    )
    assert be["btc_minus_30"] == pytest.approx(be["btc_flat"])
    assert be["hashrate_plus_25"] > be["btc_flat"]


def test_rollup_beside_the_article_aggregate(wh):
    row = wh.execute(
        "select analyst_power_mw, analyst_hpc_suitable_mw, analyst_pipeline_mw, energized_mw, "
        "energized_minus_analyst_mw, comparison_note from marts.miner_power_capacity "
        "where row_type = 'industry_rollup' and ticker = 'ALL14' and as_of_date = '2024-06-24'"
    ).fetchone()
    power, hpc, pipeline, ours, diff, note = row
    assert (power, hpc, pipeline) == (5000, 3600, 4500)
    assert 0 < ours < power  # partial coverage: a lower bound
    assert diff == pytest.approx(ours - power)
    assert "tracked miners" in note


def test_capacity_rows_are_cited_and_shares_bounded(wh):
    bad = wh.execute(
        "select count(*) from marts.miner_power_capacity where row_type = 'miner' "
        "and (sources is null or sources = '')"
    ).fetchone()[0]
    assert bad == 0
    corz = wh.execute(
        "select hpc_contracted_mw_critical_it, hpc_contracted_mw_gross from "
        "marts.miner_power_capacity where row_type = 'miner' and ticker = 'CORZ' "
        "and as_of_date = '2024-10-22'"
    ).fetchone()
    ratio = _assumption(wh, "gross_to_critical_it_ratio")
    assert corz[0] == 500  # cumulative ~500 MW critical IT after the final option
    assert math.isclose(corz[1], 500 * ratio)
