"""Curated vs press-extracted HPC contracts on the real data
(int_hpc_contracts_curated_vs_extracted) and how the result reaches the economics marts."""

from __future__ import annotations

import pytest

CMP = "intermediate.int_hpc_contracts_curated_vs_extracted"


def _pair(wh, ticker: str, value_usd: float) -> tuple:
    return wh.execute(
        "select match_status, curated_term_years, extracted_term_years, "
        "curated_contract_value_usd, extracted_contract_value_usd, curated_mw, extracted_mw, "
        f"has_disagreement from {CMP} where ticker = ? and curated_contract_value_usd = ?",
        [ticker, value_usd],
    ).fetchone()


def test_corz_coreweave_and_wulf_fluidstack_are_matched_and_agree(wh):
    # CORZ-CoreWeave: $3.5B over 12 years on 200 MW (the press fact comes from the French article)
    assert _pair(wh, "CORZ", 3.5e9) == ("matched", 12, 12, 3.5e9, 3.5e9, 200, 200, False)
    # WULF-Fluidstack: $3.7B over 10 years on 200 MW critical IT
    assert _pair(wh, "WULF", 3.7e9) == ("matched", 10, 10, 3.7e9, 3.7e9, 200, 200, False)


def test_each_deal_and_event_appears_exactly_once(wh):
    n_curated = wh.execute(
        "select count(*) from intermediate.int_economics_hpc_contracts"
    ).fetchone()
    n_extracted = wh.execute("select count(*) from marts.hpc_contracts").fetchone()
    counts = dict(wh.execute(f"select match_status, count(*) from {CMP} group by 1").fetchall())
    assert counts["matched"] + counts["curated_only"] == n_curated[0]
    assert counts["matched"] + counts["extracted_only"] == n_extracted[0]
    # curated cumulative rows ("all contracts") never match a single event
    assert wh.execute(
        f"select count(*) from {CMP} where curated_is_aggregate and match_status = 'matched'"
    ).fetchone() == (0,)


def test_the_only_disagreement_is_iren_microsoft_annual_value(wh):
    rows = wh.execute(
        "select ticker, curated_counterparty, disagreeing_fields, curated_annual_value_usd, "
        "extracted_annual_value_usd, curated_sources, extracted_sources "
        f"from {CMP} where has_disagreement"
    ).fetchall()
    assert len(rows) == 1
    ticker, counterparty, fields, curated_annual, extracted_annual, c_src, e_src = rows[0]
    assert (ticker, counterparty) == ("IREN", "Microsoft")
    assert fields == ["annual_value_usd", "usd_per_mw_year"]
    # curated: the ~$1.9B ARR stated on the Q1 FY26 results; extracted: $9.7B ÷ 5 years = $1.94B
    assert curated_annual == pytest.approx(1.9e9)
    assert extracted_annual == pytest.approx(9.7e9 / 5)
    assert abs(extracted_annual - curated_annual) / extracted_annual > 0.02
    assert "livenews.co.nz" in c_src
    assert "dcpulse.com" in e_src
    note = wh.execute(
        "select note from raw.hpc_contracts_curated where ticker = 'IREN' "
        "and annual_revenue_usd is not null"
    ).fetchone()[0]
    assert "1.94" in note  # the curated row itself records the call's ~$1.94B


def test_extracted_only_contracts_and_disagreements_reach_per_mw_economics(wh):
    expected = dict(
        wh.execute(
            f"select ticker, count(*) from {CMP} where match_status = 'extracted_only' "
            "and extracted_announced_date is not null group by 1"
        ).fetchall()
    )
    # HUT: the River Bend summary's two upsides (the value if renewals are exercised, the ROFO
    # on 1,000 MW) are two option facts since extraction round 3, as its gold file says
    assert expected == {"APLD": 2, "CIFR": 2, "HUT": 2}
    latest = dict(
        wh.execute(
            "select ticker, n_contracts_extracted_only from marts.per_mw_economics "
            "where is_latest_month and n_contracts_extracted_only > 0"
        ).fetchall()
    )
    assert latest == expected
    # none of them is firm with MW, value and term, so the priced rates are the curated ones
    assert wh.execute(
        "select sum(n_hpc_contracts_priced_extracted_only) from marts.per_mw_economics"
    ).fetchone() == (0,)
    flagged = wh.execute(
        "select ticker, min(month_start) from marts.per_mw_economics "
        "where has_contract_disagreement group by 1"
    ).fetchall()
    assert [(t, str(m)) for t, m in flagged] == [("IREN", "2025-11-01")]
    assert wh.execute(
        "select list(distinct ticker) from marts.miner_power_capacity "
        "where row_type = 'miner' and has_contract_disagreement"
    ).fetchone() == (["IREN"],)
