"""End to end against a local fake EDGAR: a new 8-K appears between two sensor ticks, the run
the sensor requests lands it, extracts the lease from its exhibit, rebuilds the affected dbt
models and publishes; the contract is then in marts.hpc_contracts of the PUBLISHED file.

The fake EDGAR (pytest-httpserver on 127.0.0.1) serves hand-written fixtures in the documented
shapes (tests/fixtures/edgar/README.md); the deal in ``ex991_hpc_lease.htm`` is invented.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from dagster_project.settings import REPO_ROOT
from dagster_project.sources.edgar_watch import tracked_miners

FIX = REPO_ROOT / "tests" / "fixtures" / "edgar"
UA = "minerpivot tests ops@example.org"
NEW_ACC = "0001839341-25-000020"
NEW_DIR = "/Archives/edgar/data/1839341/000183934125000020"


def _corz_submissions(with_new_filing: bool) -> bytes:
    """The CORZ submissions fixture, optionally with a new 8-K on top of filings.recent."""
    doc = json.loads((FIX / "submissions_CIK0001839341.json").read_bytes())
    if with_new_filing:
        recent = doc["filings"]["recent"]
        new = {
            "accessionNumber": NEW_ACC,
            "filingDate": "2025-06-10",
            "reportDate": "2025-06-09",
            "acceptanceDateTime": "2025-06-10T16:05:12.000Z",
            "act": "34",
            "form": "8-K",
            "fileNumber": "001-40046",
            "filmNumber": "25999999",
            "items": "1.01,7.01,9.01",
            "core_type": "8-K",
            "size": 52000,
            "isXBRL": 1,
            "isInlineXBRL": 1,
            "isXBRLNumeric": 0,
            "primaryDocument": "corz-20250610.htm",
            "primaryDocDescription": "8-K",
        }
        for column, values in recent.items():
            values.insert(0, new.get(column))
    return json.dumps(doc).encode()


def _empty_submissions(cik: int) -> bytes:
    """A submissions document with no filing (the other tracked CIKs)."""
    columns = ["accessionNumber", "filingDate", "reportDate", "form", "items", "primaryDocument"]
    return json.dumps(
        {
            "cik": str(cik),
            "name": "Synthetic",
            "tickers": [],
            "filings": {"recent": {c: [] for c in columns}, "files": []},
        }
    ).encode()


@pytest.fixture
def fake_edgar(httpserver: HTTPServer, tmp_path: Path) -> dict:
    state = {"new_filing": False}
    raw = tmp_path / "raw"
    for sub in ("reference", "filings", "press"):
        shutil.copytree(REPO_ROOT / "data" / "raw" / sub, raw / sub)
    for miner in tracked_miners(raw / "reference" / "miners.csv"):
        path = f"/submissions/CIK{miner.cik:010d}.json"
        if miner.cik == 1839341:

            def corz(_: Request) -> Response:
                body = _corz_submissions(state["new_filing"])
                return Response(body, content_type="application/json")

            httpserver.expect_request(path).respond_with_handler(corz)
        else:
            httpserver.expect_request(path).respond_with_data(
                _empty_submissions(miner.cik), content_type="application/json"
            )
    httpserver.expect_request("/submissions/CIK0001839341-submissions-001.json").respond_with_data(
        (FIX / "CIK0001839341-submissions-001.json").read_bytes(), content_type="application/json"
    )
    httpserver.expect_request(f"{NEW_DIR}/{NEW_ACC}-index.htm").respond_with_data(
        (FIX / f"{NEW_ACC}-index.htm").read_bytes(), content_type="text/html"
    )
    httpserver.expect_request(f"{NEW_DIR}/ex991.htm").respond_with_data(
        (FIX / "ex991_hpc_lease.htm").read_bytes(), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request(f"{NEW_DIR}/ex992.htm").respond_with_data(
        "Not Found", status=404, content_type="text/plain"
    )
    return {"state": state, "server": httpserver, "raw": raw}


def _contracts(db: Path) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return (
            con.sql("select ticker, mw, term_years, documents, sources from marts.hpc_contracts")
            .pl()
            .to_dicts()
        )
    finally:
        con.close()


def test_new_8k_becomes_a_published_contract(
    fake_edgar: dict, pipeline_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server: HTTPServer = fake_edgar["server"]
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    for name in ("build.duckdb", "minerpivot.duckdb"):
        shutil.copyfile(pipeline_run.warehouse_dir / name, warehouse / name)
    base = server.url_for("").rstrip("/")
    for var, value in {
        "MINERPIVOT_MODE": "live",
        "MINERPIVOT_WAREHOUSE_DIR": str(warehouse),
        "MINERPIVOT_RAW_DIR": str(fake_edgar["raw"]),
        "MINERPIVOT_SEC_DATA_BASE": base,
        "MINERPIVOT_SEC_WWW_BASE": base,
        "MINERPIVOT_SEC_USER_AGENT": UA,
    }.items():
        monkeypatch.setenv(var, value)
    from dagster_project.definitions import build_definitions

    defs = build_definitions()
    sensor = defs.resolve_sensor_def("edgar_filings")
    job = defs.resolve_job_def("ingest_filing")
    instance = dg.DagsterInstance.ephemeral()
    published = warehouse / "minerpivot.duckdb"
    before = _contracts(published)
    n_ciks = len(tracked_miners(fake_edgar["raw"] / "reference" / "miners.csv"))

    # tick 1: every CIK is baselined at its newest filing, nothing is requested
    first = sensor(dg.build_sensor_context(instance=instance))
    assert first.run_requests == []
    assert json.loads(first.cursor)["1839341"] == "0001839341-25-000012"
    assert len(server.log) == n_ciks  # one request per CIK, nothing landed or fetched besides

    # the miner files an 8-K; tick 2 requests exactly one run, keyed by its accession
    fake_edgar["state"]["new_filing"] = True
    tick_started = time.monotonic()
    second = sensor(dg.build_sensor_context(instance=instance, cursor=first.cursor))
    tick_seconds = time.monotonic() - tick_started
    assert [r.run_key for r in second.run_requests] == [NEW_ACC]
    request = second.run_requests[0]
    assert request.tags["minerpivot/form"] == "8-K"
    assert {r.headers["User-Agent"] for r, _ in server.log} == {UA}

    polled = len(server.log)
    started = time.monotonic()
    result = job.execute_in_process(
        run_config=request.run_config, instance=instance, tags=request.tags
    )
    run_seconds = time.monotonic() - started
    assert result.success
    run_paths = [r.path for r, _ in server.log[polled:]]
    print(
        f"\nfreshness figures: tick {tick_seconds:.2f} s for {n_ciks} CIKs; run "
        f"{len(run_paths)} HTTP requests, {run_seconds:.1f} s"
    )
    # submissions (the filing row), index, EX-99.1, EX-99.2 (404, not retried)
    assert sorted(run_paths) == sorted(
        [
            "/submissions/CIK0001839341.json",
            f"{NEW_DIR}/{NEW_ACC}-index.htm",
            f"{NEW_DIR}/ex991.htm",
            f"{NEW_DIR}/ex992.htm",
        ]
    )
    # only the models downstream of the filings/press tables were rebuilt
    materialized = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "marts/hpc_contracts" in materialized and "warehouse/published" in materialized
    assert "marts/hashprice_daily" not in materialized

    after = _contracts(published)
    new = [c for c in after if any(d.startswith(f"{NEW_ACC}/") for d in c["documents"])]
    assert len(new) == 1, after
    assert new[0]["ticker"] == "CORZ"
    assert (new[0]["mw"], new[0]["term_years"]) == (120.0, 12.0)
    assert any(NEW_ACC.replace("-", "") in s for s in new[0]["sources"])
    # every contract published before is still there
    assert all(c in after for c in before)

    # the exhibit that could not be read is quarantined with its accession; the run went on
    con = duckdb.connect(str(warehouse / "build.duckdb"), read_only=True)
    quarantined = con.sql(
        "select dataset, file, reason from raw.quarantine where file = 'EDGAR ' || ?",
        params=[NEW_ACC],
    ).fetchall()
    press_docs = con.sql(
        "select doc_id from raw.sec_press_documents where accession_number = ?", params=[NEW_ACC]
    ).fetchall()
    con.close()
    assert [(d, f) for d, f, _ in quarantined] == [("sec_press_documents", f"EDGAR {NEW_ACC}")]
    assert "ex992.htm" in quarantined[0][2] and "404" in quarantined[0][2]
    assert press_docs == [(f"{NEW_ACC}/ex991.htm",)]

    # tick 3: the filing is not requested (nor fetched) again
    third = sensor(dg.build_sensor_context(instance=instance, cursor=second.cursor))
    assert third.run_requests == []
    assert third.cursor == second.cursor


def test_failed_filing_run_leaves_the_published_warehouse_as_it_was(
    fake_edgar: dict, pipeline_run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    warehouse = tmp_path / "warehouse"
    warehouse.mkdir()
    for name in ("build.duckdb", "minerpivot.duckdb"):
        shutil.copyfile(pipeline_run.warehouse_dir / name, warehouse / name)
    base = fake_edgar["server"].url_for("").rstrip("/")
    for var, value in {
        "MINERPIVOT_MODE": "live",
        "MINERPIVOT_WAREHOUSE_DIR": str(warehouse),
        "MINERPIVOT_RAW_DIR": str(fake_edgar["raw"]),
        "MINERPIVOT_SEC_DATA_BASE": base,
        "MINERPIVOT_SEC_WWW_BASE": base,
        "MINERPIVOT_SEC_USER_AGENT": UA,
    }.items():
        monkeypatch.setenv(var, value)
    from dagster_project.definitions import build_definitions
    from dagster_project.defs.freshness import filing_run_config

    published = warehouse / "minerpivot.duckdb"
    before = published.read_bytes()
    job = build_definitions().resolve_job_def("ingest_filing")
    # an accession the company never filed (the new 8-K is not served yet)
    result = job.execute_in_process(
        run_config=filing_run_config(NEW_ACC, "CORZ"),
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )
    assert not result.success
    failure = result.get_step_failure_events()[0]
    assert failure.step_key == "sec_edgar"
    error, text = failure.event_specific_data.error, ""
    while error is not None:
        text, error = text + error.message, error.cause
    assert f"['{NEW_ACC}'] not in the submissions of ['CORZ']" in text
    assert published.read_bytes() == before
    assert not result.get_asset_materialization_events()
