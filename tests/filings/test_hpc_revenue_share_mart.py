"""marts.hpc_revenue_share on the real curated data (data/raw/filings), offline.

Loads the reference + filings raw tables with the Dagster assets into a temp warehouse, then
runs ``dbt build`` (models + data tests + unit tests) for the filings models only. Expected
values are read from data/raw/filings/reported_segment_revenue.csv.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess

import dagster as dg
import duckdb
import polars as pl
import pytest

from dagster_project.dbt_project import DBT_DIR, dbt_executable
from dagster_project.defs.filings import build_filings_assets
from dagster_project.defs.reference import build_reference_assets
from dagster_project.defs.resources import PipelineSettings
from dagster_project.settings import REPO_ROOT


@pytest.fixture(scope="module")
def mart(tmp_path_factory: pytest.TempPathFactory) -> pl.DataFrame:
    tmp = tmp_path_factory.mktemp("filings_mart")
    warehouse = tmp / "warehouse"
    raw_dir = tmp / "raw"  # no landing zone: offline EDGAR tables are empty
    raw_dir.mkdir()
    for sub in ("reference", "filings"):
        (raw_dir / sub).symlink_to(REPO_ROOT / "data" / "raw" / sub)
    result = dg.materialize(
        [*build_reference_assets(), *build_filings_assets(False)],
        resources={
            "pipeline": PipelineSettings(
                mode="offline", raw_dir=str(raw_dir), warehouse_dir=str(warehouse)
            )
        },
    )
    assert result.success
    env = {
        **os.environ,
        "MINERPIVOT_BUILD_DB": str(warehouse / "build.duckdb"),
        "DBT_TARGET_PATH": str(tmp / "target"),
        "DBT_LOG_PATH": str(tmp / "logs"),
    }
    proc = subprocess.run(
        [
            dbt_executable(),
            "build",
            "--profiles-dir",
            ".",
            "--select",
            "+hpc_revenue_share",
            "stg_sec__xbrl_facts",
        ],
        cwd=DBT_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "ERROR=0" in proc.stdout and "unit_test" in proc.stdout
    with duckdb.connect(str(warehouse / "build.duckdb"), read_only=True) as con:
        return con.sql("select * from marts.hpc_revenue_share").pl()


def _row(mart: pl.DataFrame, ticker: str, fiscal_period: str) -> dict:
    rows = mart.filter((pl.col("ticker") == ticker) & (pl.col("fiscal_period") == fiscal_period))
    assert rows.height == 1, (ticker, fiscal_period)
    return rows.row(0, named=True)


def test_one_row_per_miner_quarter_and_shares_in_unit_interval(mart: pl.DataFrame) -> None:
    assert mart.select("ticker", "period_end").is_duplicated().sum() == 0
    shares = mart["hpc_share"].drop_nulls()
    assert shares.len() > 20
    assert shares.min() >= 0 and shares.max() <= 1
    complete = mart.filter(pl.col("is_complete"))
    gap = (complete["segments_sum_usd"] - complete["total_revenue_usd"]).abs()
    assert (gap <= 0.01 * complete["total_revenue_usd"]).all()


def test_core_scientific_hpc_share_rises_across_2024_2025(mart: pl.DataFrame) -> None:
    # CSV: 2024Q1 179.3M total = 150.0M mining + 29.3M hosting as first reported; the 2025Q1 10-Q
    # re-presents that quarter with a separate colocation line, so no implied zero (issue 15)
    q1_2024 = _row(mart, "CORZ", "2024Q1")
    assert q1_2024["is_complete"] and q1_2024["hpc_share"] is None
    assert q1_2024["is_off_series_basis"]
    # CSV: 2024Q2 colocation 5.5M of 141.1M; 2025Q3 15.0M of 81.1M; 2025Q4 31.3M of 79.8M
    assert _row(mart, "CORZ", "2024Q2")["hpc_share"] == pytest.approx(5.5 / 141.1)
    assert _row(mart, "CORZ", "2025Q3")["hpc_share"] == pytest.approx(15.0 / 81.1)
    q4_2025 = _row(mart, "CORZ", "2025Q4")
    assert q4_2025["hpc_share"] == pytest.approx(31.3 / 79.8)
    assert q4_2025["hpc_share_qoq_change"] == pytest.approx(31.3 / 79.8 - 15.0 / 81.1)
    assert q4_2025["calendar_quarter"] == "2025Q4"
    corz_2025 = mart.filter(
        (pl.col("ticker") == "CORZ") & (pl.col("period_end").dt.year() == 2025)
    ).sort("period_end")
    assert corz_2025.height == 4
    assert (corz_2025["hpc_share"] > _row(mart, "CORZ", "2024Q2")["hpc_share"]).all()
    assert corz_2025["hpc_share"].is_sorted()  # 2025: every quarter above the previous one
    # the total was quoted by two sources that agree: both kept, no conflict
    q1_2025 = _row(mart, "CORZ", "2025Q1")
    assert len(q1_2025["total_revenue_sources"]) == 2
    assert not q1_2025["has_source_conflict"]


def test_disagreeing_sources_are_flagged_not_averaged(mart: pl.DataFrame) -> None:
    # CSV: BTBT 2024Q2 HPC 12.5M (dated PR Newswire release) vs 10.7M (undated analyst note)
    btbt = _row(mart, "BTBT", "2024Q2")
    assert btbt["has_source_conflict"]
    assert btbt["conflicting_segments"] == ["ai_cloud_services"]
    assert btbt["ai_cloud_services_usd"] == 12_500_000
    assert btbt["hpc_share"] == pytest.approx(12.5 / 29.0)
    assert len(btbt["ai_cloud_services_sources"]) == 2
    # within 0.5 %: IREN FY2026Q1 mining 232.9M vs 233.0M and CIFR 2025Q3 72.0M vs 71.71M
    assert not _row(mart, "IREN", "FY2026Q1")["has_source_conflict"]
    assert not _row(mart, "CIFR", "2025Q3")["has_source_conflict"]
    assert mart.filter(pl.col("has_source_conflict")).height == 1


def test_fiscal_labels_and_discontinued_operations(mart: pl.DataFrame) -> None:
    # APLD FY ends May-31: FY2026Q2 is the quarter to 2025-11-30, calendar 2025Q4
    apld = _row(mart, "APLD", "FY2026Q2")
    assert apld["period_end"] == dt.date(2025, 11, 30)
    assert apld["calendar_quarter"] == "2025Q4"
    # Cloud Services (18.4M) is discontinued operations, outside the 126.6M total
    assert apld["ai_cloud_services_usd"] is None
    assert apld["discontinued_operations_usd"] == 18_400_000
    assert apld["is_complete"]  # 41.6M hosting + 85.0M HPC hosting = 126.6M
    assert apld["hpc_share"] == pytest.approx(85.0 / 126.6)
    # a quarter with only a total has no share (unknown, not zero)
    assert _row(mart, "MARA", "2025Q3")["hpc_share"] is None


def test_edgar_tables_are_empty_offline_and_do_not_change_the_mart(mart: pl.DataFrame) -> None:
    csv = pl.read_csv(REPO_ROOT / "data" / "raw" / "filings" / "reported_segment_revenue.csv")
    # every (ticker, period_end) of the curated CSV, nothing else (64 rows in 2026-11)
    assert csv.select("ticker", "period_end").unique().height == mart.height


def test_corrected_quarters_issue_15(mart: pl.DataFrame) -> None:
    # HUT 2024Q2: the 10-Q segment note (accession 0001558370-24-011968) reports High
    # Performance Computing - Colocation and Cloud 3,365 of 35,215 (USD thousands): ~9.6 %,
    # previously blank because only mining and managed services were recorded
    hut = _row(mart, "HUT", "2024Q2")
    assert hut["hpc_hosting_colocation_usd"] == 3_365_000
    assert hut["total_revenue_usd"] == 35_215_000
    assert hut["hpc_share"] == pytest.approx(3_365 / 35_215)
    assert not hut["is_complete"]  # "Other" is before eliminations, so segments exceed the total
    # CORZ 2024Q1: split as first reported (hosting may contain colocation) -> share unknown
    corz = _row(mart, "CORZ", "2024Q1")
    assert corz["basis"] == "mixed" and corz["series_basis"] == "restated"
    assert corz["hpc_share"] is None and "not comparable" in corz["basis_note"]
    # APLD: the series is restated (continuing operations); FY2025Q3 as first reported
    # (Cloud Services still inside the 52.9M total) is flagged and never compared
    q3 = _row(mart, "APLD", "FY2025Q3")
    assert q3["basis"] == "as_reported" and q3["is_off_series_basis"]
    assert _row(mart, "APLD", "FY2025Q4")["hpc_share_qoq_change"] is None
    # FY2025Q2 restated: the 27.7M Cloud figure is discontinued, not HPC share of 36.2M
    q2 = _row(mart, "APLD", "FY2025Q2")
    assert q2["ai_cloud_services_usd"] is None
    assert q2["discontinued_operations_usd"] == 27_700_000
    assert q2["hpc_share"] is None


def test_quarter_over_quarter_change_never_crosses_a_basis(mart: pl.DataFrame) -> None:
    ordered = mart.sort("ticker", "period_end").with_columns(
        pl.col("basis").shift(1).over("ticker").alias("previous_basis")
    )
    changes = ordered.filter(pl.col("hpc_share_qoq_change").is_not_null())
    assert changes.height > 5
    assert (changes["basis"] == changes["previous_basis"]).all()
    crossings = ordered.filter(
        pl.col("previous_basis").is_not_null() & (pl.col("basis") != pl.col("previous_basis"))
    )
    assert crossings.height > 0
    assert crossings["basis_note"].str.contains("basis changes|not comparable").all()
