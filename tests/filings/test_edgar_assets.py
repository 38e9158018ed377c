"""The EDGAR ingest multi-asset, live against pytest-httpserver and offline (no network).

The served files are the synthetic fixtures of ``tests/fixtures/edgar`` (see its README):
every number there is illustrative, none is a reported figure.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from pytest_httpserver import HTTPServer

from dagster_project.defs.filings import build_filings_assets
from dagster_project.defs.reference import build_reference_assets
from dagster_project.defs.resources import PipelineSettings
from dagster_project.settings import REPO_ROOT
from dagster_project.sources.edgar_harvest import (
    OFFLINE_EMPTY,
    SCHEMAS,
    TABLES,
    fiscal_period_label,
)

FIX = REPO_ROOT / "tests" / "fixtures" / "edgar"
UA = "minerpivot tests ops@example.org"
DIR_8K = "/Archives/edgar/data/1839341/000183934125000012"
DIR_10Q = "/Archives/edgar/data/1839341/000183934125000010"
RUN_CONFIG = {"ops": {"sec_edgar": {"config": {"since": "2025-03-01", "tickers": ["CORZ"]}}}}


def _serve(server: HTTPServer) -> None:
    def file(path: str, name: str, content_type: str) -> None:
        server.expect_request(path).respond_with_data(
            (FIX / name).read_bytes(), content_type=content_type
        )

    file("/submissions/CIK0001839341.json", "submissions_CIK0001839341.json", "application/json")
    file(
        "/submissions/CIK0001839341-submissions-001.json",
        "CIK0001839341-submissions-001.json",
        "application/json",
    )
    file(
        "/api/xbrl/companyfacts/CIK0001839341.json",
        "companyfacts_CIK0001839341.json",
        "application/json",
    )
    file(f"{DIR_10Q}/core-20250331_htm.xml", "core-20250331_htm.xml", "application/xml")
    file(f"{DIR_8K}/0001839341-25-000012-index.htm", "0001839341-25-000012-index.htm", "text/html")
    file(f"{DIR_8K}/ex991.htm", "ex991.htm", "text/html; charset=utf-8")
    file(f"{DIR_8K}/ex992.htm", "ex992.htm", "text/html")


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    """A private copy of data/raw (reference CSVs + mapping) with its own landing zone."""
    raw = tmp_path / "raw"
    for sub in ("reference", "filings"):
        shutil.copytree(REPO_ROOT / "data" / "raw" / sub, raw / sub)
    return raw


@pytest.fixture
def edgar_env(monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer) -> HTTPServer:
    base = httpserver.url_for("").rstrip("/")
    monkeypatch.setenv("MINERPIVOT_SEC_DATA_BASE", base)
    monkeypatch.setenv("MINERPIVOT_SEC_WWW_BASE", base)
    monkeypatch.setenv("MINERPIVOT_SEC_USER_AGENT", UA)
    return httpserver


def _materialize(mode: str, raw_dir: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    miners = [a for a in build_reference_assets() if dg.AssetKey(["raw", "miners"]) in a.keys]
    return dg.materialize(
        [*miners, *build_filings_assets(mode == "live")],
        resources={
            "pipeline": PipelineSettings(
                mode=mode, raw_dir=str(raw_dir), warehouse_dir=str(warehouse)
            )
        },
        run_config=RUN_CONFIG,
        raise_on_error=False,
    )


def _tables(warehouse: Path) -> dict[str, duckdb.DuckDBPyRelation]:
    con = duckdb.connect(str(warehouse / "build.duckdb"), read_only=True)
    return {t: con.sql(f"select * from raw.{t}").pl() for t in TABLES}


def _failure_text(result: dg.ExecuteInProcessResult) -> str:
    events = result.get_step_failure_events()
    assert events, "expected a failed step"
    error = events[0].event_specific_data.error
    parts = []
    while error is not None:
        parts.append(error.message)
        error = error.cause
    return "\n".join(parts)


def test_live_run_fetches_parses_and_loads_all_four_tables(
    edgar_env: HTTPServer, raw_dir: Path, tmp_path: Path
) -> None:
    # first answer to submissions is a plain 429 (not SEC's block page): retried, then 200
    edgar_env.expect_oneshot_request("/submissions/CIK0001839341.json").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    _serve(edgar_env)
    result = _materialize("live", raw_dir, tmp_path / "wh")
    assert result.success
    hits = [r.path for r, _ in edgar_env.log]
    assert hits.count("/submissions/CIK0001839341.json") == 2
    # fair access: every request carried the configured User-Agent
    assert {r.headers["User-Agent"] for r, _ in edgar_env.log} == {UA}

    t = _tables(tmp_path / "wh")
    for table in TABLES:
        assert t[table].columns == list(SCHEMAS[table]), table

    filings = t["sec_filings"]
    assert set(filings["form"]) == {"8-K", "10-Q", "10-K", "10-K/A"}  # Form 4 / S-1 dropped
    assert filings.height == 7  # 5 recent (no Form 4) + 2 from the extra page (no S-1)
    row_8k = filings.filter(filings["accession_number"] == "0001839341-25-000012").row(
        0, named=True
    )
    assert row_8k["items"] == ["2.02", "9.01"]
    assert row_8k["exhibits"] == ["ex991.htm", "ex992.htm"]  # the PDF exhibit is skipped

    seg = t["sec_segment_revenue"].sort("period_end", "segment")
    assert set(seg["source_url"]) == {"0001839341-25-000010"}
    assert set(seg["source_date"]) == {dt.date(2025, 5, 6)}
    q1 = {
        r["segment"]: r for r in seg.filter(seg["fiscal_period"] == "2025Q1").iter_rows(named=True)
    }
    assert {k: v["revenue_usd"] for k, v in q1.items()} == {
        "bitcoin_mining_self": 55e6,
        "hosted_mining": 12e6,
        "hpc_hosting_colocation": 10e6,
        "total": 80e6,
    }
    assert q1["total"]["period_end"] == dt.date(2025, 3, 31)
    # the prior-year comparative of the same 10-Q is its own row
    assert seg.filter(seg["fiscal_period"] == "2024Q1")["revenue_usd"].to_list() == [5e6, 70e6]

    facts = t["sec_xbrl_facts"]
    assert facts["derived"].any() and not facts["derived"].all()
    assert set(facts["ticker"]) == {"CORZ"}

    press = t["sec_press_documents"].sort("doc_id")
    assert press["doc_id"].to_list() == [
        "0001839341-25-000012/ex991.htm",
        "0001839341-25-000012/ex992.htm",
    ]
    assert "first quarter 2025 results" in press["content"][0]
    assert set(press["date"]) == {dt.date(2025, 5, 6)}

    seg_meta = result.asset_materializations_for_node("sec_edgar")
    by_key = {m.asset_key.path[-1]: m.metadata for m in seg_meta}
    assert "NewWidgetServiceMember" in by_key["sec_segment_revenue"]["unmapped_members"].value
    assert by_key["sec_segment_revenue"]["dagster/row_count"].value == seg.height
    assert by_key["sec_filings"]["mode"].value.startswith("mode: live")
    checks = {c.asset_key.path[-1]: c.passed for c in result.get_asset_check_evaluations()}
    assert {t: checks[t] for t in TABLES} == {table: True for table in TABLES}

    # the responses landed: an offline run re-parses them with no network at all
    edgar_env.clear()
    replay = _materialize("offline", raw_dir, tmp_path / "wh2")
    assert replay.success
    assert edgar_env.log == []
    t2 = _tables(tmp_path / "wh2")
    for table in TABLES:
        assert t2[table].sort(t2[table].columns[:4]).equals(t[table].sort(t[table].columns[:4])), (
            table
        )


def test_missing_user_agent_fails_with_the_setting_named(
    edgar_env: HTTPServer, raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MINERPIVOT_SEC_USER_AGENT")
    _serve(edgar_env)
    result = _materialize("live", raw_dir, tmp_path / "wh")
    assert not result.success
    text = _failure_text(result)
    assert "MINERPIVOT_SEC_USER_AGENT" in text and "e-mail" in text
    assert edgar_env.log == []


def test_sec_block_page_fails_the_asset_without_retrying(
    edgar_env: HTTPServer, raw_dir: Path, tmp_path: Path
) -> None:
    edgar_env.expect_request("/submissions/CIK0001839341.json").respond_with_data(
        (FIX / "sec_block_page.html").read_bytes(), status=403, content_type="text/html"
    )
    result = _materialize("live", raw_dir, tmp_path / "wh")
    assert not result.success
    assert "fair-access block" in _failure_text(result)
    assert len(edgar_env.log) == 1  # no retry into a block


def test_offline_without_landed_responses_writes_empty_tables_and_no_network(
    raw_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # any network attempt would fail: nothing listens on the discard port
    monkeypatch.setenv("MINERPIVOT_SEC_DATA_BASE", "http://127.0.0.1:9")
    monkeypatch.setenv("MINERPIVOT_SEC_WWW_BASE", "http://127.0.0.1:9")
    monkeypatch.delenv("MINERPIVOT_SEC_USER_AGENT", raising=False)
    result = _materialize("offline", raw_dir, tmp_path / "wh")
    assert result.success
    t = _tables(tmp_path / "wh")
    for table in TABLES:
        assert t[table].height == 0
        assert t[table].columns == list(SCHEMAS[table])
    metas = result.asset_materializations_for_node("sec_edgar")
    assert {m.metadata["mode"].value for m in metas} == {OFFLINE_EMPTY}
    assert not (raw_dir / "landing").exists()


@pytest.mark.parametrize(
    ("period_end", "fye_month", "label"),
    [
        (dt.date(2025, 3, 31), 12, "2025Q1"),
        (dt.date(2024, 12, 31), 12, "2024Q4"),
        (dt.date(2024, 9, 30), 6, "FY2025Q1"),  # IREN
        (dt.date(2025, 6, 30), 6, "FY2025Q4"),
        (dt.date(2025, 2, 28), 5, "FY2025Q3"),  # APLD
        (dt.date(2024, 8, 31), 5, "FY2025Q1"),
        (dt.date(2024, 6, 30), 9, "FY2024Q3"),  # CLSK
        (dt.date(2023, 9, 30), 3, "FY2024Q2"),  # HIVE
        (dt.date(2025, 1, 4), 12, "2024Q4"),  # 52/53-week calendar
    ],
)
def test_fiscal_period_label_matches_the_curated_convention(
    period_end: dt.date, fye_month: int, label: str
) -> None:
    assert fiscal_period_label(period_end, fye_month) == label
