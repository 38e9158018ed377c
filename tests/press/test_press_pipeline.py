"""Press assets: facts with no company or impossible values are quarantined with the reason;
analyst overrides win in the warehouse and stay auditable."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import polars as pl

from dagster_project.defs.press import press_documents, press_facts, press_overrides
from dagster_project.defs.resources import PipelineSettings
from dagster_project.extraction.pipeline import business_problems
from dagster_project.settings import REPO_ROOT

# Synthetic test documents written for this test (not real announcements).
IMPOSSIBLE = """---
title: Test document with impossible figures
source_url: https://example.org/test-impossible
date: 2025-01-15
language: en
---
Core Scientific signed a 200-year lease with CoreWeave for 120 MW of critical IT load, worth
about $1.2 billion.
"""
NO_COMPANY = """---
title: Test document naming no tracked miner
source_url: https://example.org/test-nobody
date: 2025-01-16
language: en
---
Acme Data Corp. signed a 10-year lease with CoreWeave for 50 MW of critical IT load worth
$600 million.
"""


def _raw_dir(tmp_path: Path, docs: dict[str, str]) -> Path:
    raw = tmp_path / "raw"
    (raw / "reference").mkdir(parents=True)
    shutil.copyfile(REPO_ROOT / "data/raw/reference/miners.csv", raw / "reference/miners.csv")
    (raw / "press").mkdir()
    (raw / "press" / "overrides.csv").write_text(
        "fact_id,action,field,value,reason,analyst,decided_on\n"
    )
    for name, text in docs.items():
        (raw / "press" / name).write_text(text, encoding="utf-8")
    return raw


def test_impossible_values_and_missing_company_are_quarantined_with_reasons(tmp_path):
    raw = _raw_dir(tmp_path, {"impossible.txt": IMPOSSIBLE, "nobody.txt": NO_COMPANY})
    settings = PipelineSettings(
        raw_dir=str(raw), warehouse_dir=str(tmp_path / "wh"), context_dir=str(tmp_path / "none")
    )
    result = dg.materialize(
        [press_documents, press_facts, press_overrides], resources={"pipeline": settings}
    )
    assert result.success
    with duckdb.connect(str(tmp_path / "wh" / "build.duckdb"), read_only=True) as con:
        reasons = [
            r[0]
            for r in con.execute(
                "select reason from raw.quarantine where dataset = 'press_facts' order by 1"
            ).fetchall()
        ]
        kept = con.execute("select count(*) from raw.press_facts").fetchall()[0][0]
    assert any("doc impossible" in r and "term_years" in r for r in reasons), reasons
    assert any("doc nobody" in r and "no company resolved" in r for r in reasons), reasons
    assert kept == 0  # neither document yields a fact fit for the warehouse
    check = next(
        e for e in result.get_asset_check_evaluations() if e.asset_key.path[-1] == "press_facts"
    )
    assert not check.passed


def test_business_rules_name_the_document_and_fact():
    facts = pl.DataFrame(
        {
            "_row": [1, 2],
            "fact_id": ["aaaaaaaaaaaa", "bbbbbbbbbbbb"],
            "doc_id": ["d1", "d2"],
            "fact_type": ["site", "hpc_contract"],
            "company": [None, "CORZ"],
            "scope": [None, None],
            "counterparty": [None, None],
            "mw": [100.0, None],
            "contract_value_usd": [None, None],
        }
    )
    problems = business_problems(facts)
    assert problems["reason"].to_list() == [
        "doc d1 fact aaaaaaaaaaaa (site): no company resolved and no aggregate scope",
        "doc d2 fact bbbbbbbbbbbb (hpc_contract): hpc_contract with no counterparty, MW or value",
    ]


def test_overrides_win_in_the_contracts_mart(pipeline_run):
    path = pipeline_run.warehouse_dir / "minerpivot.duckdb"
    with duckdb.connect(str(path), read_only=True) as con:
        corz = con.execute(
            "select mw, mw_basis, usd_per_mw_year, is_analyst_corrected "
            "from marts.hpc_contracts where ticker = 'CORZ' and contract_value_usd = 3.5e9"
        ).fetchall()
        rejected = con.execute(
            "select is_rejected, override_audit from intermediate.int_press_facts_reconciled "
            "where fact_id = '4fb84e1d4cd3'"
        ).fetchall()
    # The article gives no MW; the analyst's correction (200 MW critical IT, cited) wins.
    assert corz == [(200.0, "critical_it", 290_000_000 / 200, True)]
    assert rejected[0][0] is True and "fleet total" in rejected[0][1]
