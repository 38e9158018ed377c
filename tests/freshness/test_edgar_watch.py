"""The EDGAR poll/diff and the per-filing ingest, against a local pytest-httpserver.

Fixtures are the synthetic ones of tests/fixtures/edgar (see its README).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from pytest_httpserver import HTTPServer

from dagster_project.settings import REPO_ROOT, Settings
from dagster_project.sources.edgar import make_edgar_client
from dagster_project.sources.edgar_filing import CountingTransport, ingest_accessions
from dagster_project.sources.edgar_harvest import Miner
from dagster_project.sources.edgar_watch import (
    TrackedMiner,
    diff_filings,
    dump_cursor,
    load_cursor,
    poll,
    tracked_miners,
)
from dagster_project.sources.landing import LandingZone
from dagster_project.sources.segment_mapping import load_segment_mapping

FIX = REPO_ROOT / "tests" / "fixtures" / "edgar"
UA = "minerpivot tests ops@example.org"
CORZ = TrackedMiner("CORZ", 1839341)
SUBS = "/submissions/CIK0001839341.json"
DIR_10Q = "/Archives/edgar/data/1839341/000183934125000010"
DIR_8K = "/Archives/edgar/data/1839341/000183934125000012"


def _settings(tmp_path: Path) -> Settings:
    return Settings(
        mode="live",
        snapshot_dir=tmp_path,
        raw_dir=tmp_path / "raw",
        warehouse_dir=tmp_path / "wh",
        context_dir=tmp_path,
        sec_user_agent=UA,
        http_user_agent="t",
        cryptocompare_api_key=None,
    )


def _client(
    server: HTTPServer,
    tmp_path: Path,
    counter: CountingTransport | None = None,
    *,
    land: bool = True,
):
    base = server.url_for("").rstrip("/")
    return make_edgar_client(
        _settings(tmp_path),
        data_base=base,
        www_base=base,
        max_attempts=1,
        transport=counter,
        land=land,
    )


def _recent(accessions: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "accession_number": accessions,
            "filing_date": [dt.date(2025, 6, 10 - i) for i in range(len(accessions))],
        }
    )


def test_diff_baselines_finds_new_and_rebaselines_a_lost_cursor() -> None:
    recent = _recent(["A3", "A2", "A1"])
    assert diff_filings(recent, None) == ([], "A3")  # first sight: baseline, no backfill
    new, cursor = diff_filings(recent, "A1")
    assert [r["accession_number"] for r in new] == ["A3", "A2"] and cursor == "A3"
    assert diff_filings(recent, "A3") == ([], "A3")
    assert diff_filings(recent, "GONE") == ([], "A3")  # fell out of filings.recent


def test_cursor_round_trip_and_bad_cursor() -> None:
    cursor = {"1839341": "0001839341-25-000012"}
    assert load_cursor(dump_cursor(cursor)) == cursor
    assert load_cursor(None) == {}
    with pytest.raises(ValueError, match="JSON object"):
        load_cursor("[1, 2]")


def test_tracked_miners_reads_every_cik_of_the_reference_file() -> None:
    miners = tracked_miners(REPO_ROOT / "data" / "raw" / "reference" / "miners.csv")
    assert CORZ in miners
    assert all(m.cik > 0 for m in miners)


def test_poll_reports_new_watched_forms_oldest_first_and_keeps_cursor_on_errors(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request(SUBS).respond_with_data(
        (FIX / "submissions_CIK0001839341.json").read_bytes(), content_type="application/json"
    )
    httpserver.expect_request("/submissions/CIK0000000002.json").respond_with_data(
        "boom", status=500
    )
    other = TrackedMiner("XXX", 2)
    with _client(httpserver, tmp_path, land=False) as client:  # as the sensor builds it
        result = poll(
            client, [CORZ, other], {"1839341": "0001839341-25-000001", "2": "0000000002-25-000001"}
        )
    # the Form 4 between them is not watched; 10-K/A counts as a 10-K
    assert [(f.accession, f.form) for f in result.new] == [
        ("0001839341-25-000003", "10-K"),
        ("0001839341-25-000005", "10-K/A"),
        ("0001839341-25-000010", "10-Q"),
        ("0001839341-25-000012", "8-K"),
    ]
    assert result.cursor == {"1839341": "0001839341-25-000012", "2": "0000000002-25-000001"}
    assert [p["ticker"] for p in result.problems] == ["XXX"]
    # only the submissions file: never the older pages; polls are not landed
    assert [r.path for r, _ in httpserver.log] == [SUBS, "/submissions/CIK0000000002.json"]
    assert not (tmp_path / "raw" / "landing").exists()


def _serve_10q(server: HTTPServer) -> None:
    for path, name, ctype in [
        (SUBS, "submissions_CIK0001839341.json", "application/json"),
        (
            "/api/xbrl/companyfacts/CIK0001839341.json",
            "companyfacts_CIK0001839341.json",
            "application/json",
        ),
        (f"{DIR_10Q}/core-20250331_htm.xml", "core-20250331_htm.xml", "application/xml"),
        (f"{DIR_8K}/0001839341-25-000012-index.htm", "0001839341-25-000012-index.htm", "text/html"),
        (f"{DIR_8K}/ex991.htm", "ex991.htm", "text/html"),
        (f"{DIR_8K}/ex992.htm", "ex992.htm", "text/html"),
    ]:
        server.expect_request(path).respond_with_data((FIX / name).read_bytes(), content_type=ctype)


def test_ingest_accessions_fetches_only_those_filings_and_reuses_the_landing_zone(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    _serve_10q(httpserver)
    mapping = load_segment_mapping(
        REPO_ROOT / "data" / "raw" / "filings" / "segment_member_map.csv"
    )
    miner = Miner("CORZ", 1839341, 12)
    accessions = ["0001839341-25-000010", "0001839341-25-000012"]
    zone = LandingZone(tmp_path / "raw" / "landing")
    counter = CountingTransport()
    with _client(httpserver, tmp_path, counter) as client:
        first = ingest_accessions(client, [miner], accessions, mapping, landing=zone)
    frames = first.frames()
    assert sorted(frames["sec_filings"]["accession_number"]) == accessions
    assert set(frames["sec_segment_revenue"]["source_url"]) == {"0001839341-25-000010"}
    assert frames["sec_press_documents"]["doc_id"].to_list() == [
        "0001839341-25-000012/ex991.htm",
        "0001839341-25-000012/ex992.htm",
    ]
    assert frames["sec_xbrl_facts"].height > 0 and first.quarantine == []
    # 10-Q: submissions + companyfacts + XBRL instance; 8-K: index + two exhibits
    assert counter.requests == 6

    # a re-executed run reads the filing's documents from the landing zone
    counter2 = CountingTransport()
    with _client(httpserver, tmp_path, counter2) as client:
        again = ingest_accessions(client, [miner], ["0001839341-25-000012"], mapping, landing=zone)
    assert counter2.requests == 1  # the submissions file only
    assert again.from_landing == 3
    assert again.frames()["sec_press_documents"].height == 2


def test_unreadable_exhibit_is_quarantined_and_the_rest_kept(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    httpserver.expect_request(SUBS).respond_with_data(
        (FIX / "submissions_CIK0001839341.json").read_bytes(), content_type="application/json"
    )
    httpserver.expect_request(f"{DIR_8K}/0001839341-25-000012-index.htm").respond_with_data(
        (FIX / "0001839341-25-000012-index.htm").read_bytes(), content_type="text/html"
    )
    httpserver.expect_request(f"{DIR_8K}/ex991.htm").respond_with_data(
        (FIX / "ex991.htm").read_bytes(), content_type="text/html"
    )
    httpserver.expect_request(f"{DIR_8K}/ex992.htm").respond_with_data(
        "<html><body><p> </p></body></html>", content_type="text/html"
    )
    mapping = load_segment_mapping(
        REPO_ROOT / "data" / "raw" / "filings" / "segment_member_map.csv"
    )
    with _client(httpserver, tmp_path) as client:
        out = ingest_accessions(
            client, [Miner("CORZ", 1839341, 12)], ["0001839341-25-000012"], mapping
        )
    assert [d["doc_id"] for d in out.press] == ["0001839341-25-000012/ex991.htm"]
    assert len(out.quarantine) == 1
    q = out.quarantine[0]
    assert q["file"] == "EDGAR 0001839341-25-000012" and q["dataset"] == "sec_press_documents"
    assert "ex992.htm" in q["reason"] and "no readable text" in q["reason"]
    assert out.filings[0]["exhibits"] == ["ex991.htm"]
    json.dumps(out.quarantine)  # plain values only


def test_nightly_crawl_quarantines_the_same_way_and_keeps_the_good_exhibit(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    from dagster_project.sources.edgar_harvest import harvest, harvest_frames

    for path, name in [
        (SUBS, "submissions_CIK0001839341.json"),
        ("/submissions/CIK0001839341-submissions-001.json", "CIK0001839341-submissions-001.json"),
        ("/api/xbrl/companyfacts/CIK0001839341.json", "companyfacts_CIK0001839341.json"),
        (f"{DIR_10Q}/core-20250331_htm.xml", "core-20250331_htm.xml"),
        (f"{DIR_8K}/0001839341-25-000012-index.htm", "0001839341-25-000012-index.htm"),
        (f"{DIR_8K}/ex991.htm", "ex991.htm"),
    ]:
        httpserver.expect_request(path).respond_with_data((FIX / name).read_bytes())
    httpserver.expect_request(f"{DIR_8K}/ex992.htm").respond_with_data("gone", status=404)
    mapping = load_segment_mapping(
        REPO_ROOT / "data" / "raw" / "filings" / "segment_member_map.csv"
    )
    with _client(httpserver, tmp_path) as client:
        h = harvest(client, [Miner("CORZ", 1839341, 12)], mapping, since=dt.date(2025, 3, 1))
    frames = harvest_frames(h)
    assert frames["sec_press_documents"]["doc_id"].to_list() == ["0001839341-25-000012/ex991.htm"]
    row = frames["sec_filings"].filter(pl.col("accession_number") == "0001839341-25-000012")
    assert row["exhibits"].to_list() == [["ex991.htm"]]
    assert [(q["dataset"], q["file"]) for q in h.quarantine] == [
        ("sec_press_documents", "EDGAR 0001839341-25-000012")
    ]
    assert "ex992.htm" in h.quarantine[0]["reason"] and "404" in h.quarantine[0]["reason"]
