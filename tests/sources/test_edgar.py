"""EDGAR client and parsers against a local pytest-httpserver (fixtures are synthetic)."""

from __future__ import annotations

import gzip
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dagster_project.settings import Settings, SettingsError
from dagster_project.sources.edgar import (
    DATA_BASE,
    WWW_BASE,
    EdgarFormatError,
    SecBlockedError,
    derive_q4,
    fetch_filing_facts,
    fetch_press_exhibits,
    filing_segment_revenue,
    latest_filed_facts,
    list_filing_documents,
    make_edgar_client,
    normalise_exhibit_type,
    parse_companyfacts,
    parse_submissions,
    press_exhibits,
    sec_block_reason,
)
from dagster_project.sources.http import HttpError, RateLimitedError
from dagster_project.sources.segment_mapping import load_segment_mapping

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "edgar"
UA = "minerpivot tests ops@example.org"
CIK = 1839341
ACC_8K = "0001839341-25-000012"
ACC_10Q = "0001839341-25-000010"
DIR_8K = "/Archives/edgar/data/1839341/000183934125000012"
DIR_10Q = "/Archives/edgar/data/1839341/000183934125000010"


def _read(name: str) -> bytes:
    return (FIX / name).read_bytes()


def _settings(tmp_path: Path, user_agent: str | None = UA) -> Settings:
    return Settings(
        mode="live",
        snapshot_dir=tmp_path / "snapshot",
        raw_dir=tmp_path / "raw",
        warehouse_dir=tmp_path / "warehouse",
        context_dir=tmp_path / "context",
        sec_user_agent=user_agent,
        http_user_agent="minerpivot-tests",
        cryptocompare_api_key=None,
    )


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(httpserver, tmp_path: Path, sleeps: Sleeps):
    base = httpserver.url_for("").rstrip("/")
    c = make_edgar_client(
        _settings(tmp_path),
        data_base=base,
        www_base=base,
        rate_per_second=10.0,
        max_attempts=3,
        backoff_initial=0.01,
        sleep=sleeps,
    )
    yield c
    c.close()


# ------------------------------------------------------------------------------ configuration


@pytest.mark.parametrize("ua", [None, "", "minerpivot research"])
def test_missing_or_email_less_user_agent_is_a_settings_error(tmp_path: Path, ua) -> None:
    with pytest.raises(SettingsError, match="MINERPIVOT_SEC_USER_AGENT"):
        make_edgar_client(_settings(tmp_path, ua))


def test_rate_is_shared_across_both_sec_hosts(tmp_path: Path) -> None:
    c = make_edgar_client(_settings(tmp_path), land=False)
    try:
        data_host, www_host = DATA_BASE.split("//")[1], WWW_BASE.split("//")[1]
        assert c.http.rate_for(data_host) + c.http.rate_for(www_host) == pytest.approx(9.0)
        assert c.http.user_agent == UA
    finally:
        c.close()
    with pytest.raises(ValueError, match="at most 10"):
        make_edgar_client(_settings(tmp_path), rate_per_second=12)


# ------------------------------------------------------------------------------ end to end


def test_submissions_index_and_exhibit_end_to_end(httpserver, client, tmp_path: Path) -> None:
    ua = {"User-Agent": UA}
    httpserver.expect_request("/submissions/CIK0001839341.json", headers=ua).respond_with_data(
        _read("submissions_CIK0001839341.json"), content_type="application/json"
    )
    httpserver.expect_request(
        "/submissions/CIK0001839341-submissions-001.json", headers=ua
    ).respond_with_data(
        _read("CIK0001839341-submissions-001.json"), content_type="application/json"
    )
    httpserver.expect_request(f"{DIR_8K}/{ACC_8K}-index.htm", headers=ua).respond_with_data(
        _read("0001839341-25-000012-index.htm"), content_type="text/html"
    )
    httpserver.expect_request(f"{DIR_8K}/ex991.htm", headers=ua).respond_with_data(
        _read("ex991.htm"), content_type="text/html; charset=utf-8"
    )
    httpserver.expect_request(f"{DIR_8K}/ex992.htm", headers=ua).respond_with_data(
        _read("ex992.htm"), content_type="text/html"
    )

    filings = client.submissions(CIK)
    assert filings.schema["filing_date"] == pl.Date and filings.schema["cik"] == pl.Int64
    # Form 4 and S-1 dropped; 10-K/A kept; extra page appended
    assert filings["form"].to_list() == ["8-K", "10-Q", "10-K/A", "10-K", "8-K", "10-K", "10-Q"]
    assert set(filings["ticker"]) == {"CORZ"} and set(filings["cik"]) == {CIK}
    first = filings.row(0, named=True)
    assert first["items"] == ["2.02", "9.01"] and first["is_inline_xbrl"] is True
    assert first["report_date"] == date(2025, 5, 6)
    blank = filings.filter(pl.col("accession_number") == "0001839341-25-000001").row(0, named=True)
    assert blank["items"] == [] and blank["report_date"] is None
    assert blank["primary_document"] is None

    earnings = filings.filter((pl.col("form") == "8-K") & pl.col("items").list.contains("2.02"))
    row = earnings.row(0, named=True)
    docs = fetch_press_exhibits(client, CIK, row["accession_number"], row["filing_date"])
    assert [d.doc_id for d in docs] == [f"{ACC_8K}/ex991.htm", f"{ACC_8K}/ex992.htm"]
    assert docs[0].content == _read("ex991.htm")
    assert docs[0].date == date(2025, 5, 6) and docs[0].accession_number == ACC_8K
    assert docs[0].content_type.startswith("text/html")
    assert docs[0].source.endswith(f"{DIR_8K}/ex991.htm")

    landed = sorted(p.name for p in (tmp_path / "raw/landing/sec/CIK0001839341").glob("*.body"))
    assert len(landed) == 5
    assert any(name.startswith(f"{ACC_8K}-ex991.htm__") for name in landed)
    assert any(name.startswith("submissions.json__") for name in landed)
    httpserver.check_assertions()


def test_index_page_table_types_and_links() -> None:
    docs = list_filing_documents(
        _read("0001839341-25-000012-index.htm"), source_url="idx", www_base="https://www.sec.gov"
    )
    by_name = {d.filename: d for d in docs}
    primary = by_name["corz-20250506.htm"]
    assert primary.type == "8-K"
    assert primary.url == f"https://www.sec.gov{DIR_8K}/corz-20250506.htm"  # /ix?doc= stripped
    assert by_name["ex991.htm"].type == "EX-99.1"  # EX-99.01 normalised
    assert by_name["ex991.htm"].description == "PRESS RELEASE"
    assert by_name["corz-20250506.xsd"].type == "EX-101.SCH"  # data files table too
    assert by_name[f"{ACC_8K}.txt"].type is None
    assert [d.filename for d in press_exhibits(docs)] == ["ex991.htm", "ex992.htm"]  # pdf skipped


def test_index_json_fallback_guesses_exhibits_from_filenames(httpserver, client) -> None:
    httpserver.expect_request(f"{DIR_8K}/{ACC_8K}-index.htm").respond_with_data("", status=404)
    httpserver.expect_request(f"{DIR_8K}/index.json").respond_with_data(
        _read("index.json"), content_type="application/json"
    )
    httpserver.expect_request(f"{DIR_8K}/ea0012345ex99-1_corz.htm").respond_with_data(
        b"<html>a</html>", content_type="text/html"
    )
    httpserver.expect_request(f"{DIR_8K}/exhibit992.htm").respond_with_data(
        b"<html>b</html>", content_type="text/html"
    )
    docs = fetch_press_exhibits(client, CIK, ACC_8K, date(2025, 5, 6))
    assert [(d.doc_id, d.content) for d in docs] == [
        (f"{ACC_8K}/ea0012345ex99-1_corz.htm", b"<html>a</html>"),
        (f"{ACC_8K}/exhibit992.htm", b"<html>b</html>"),
    ]


def test_index_page_without_table_is_a_clear_error() -> None:
    with pytest.raises(EdgarFormatError, match="https://x/idx.htm: no <table class='tableFile'>"):
        list_filing_documents(b"<html><body>nothing</body></html>", source_url="https://x/idx.htm")


def test_exhibit_type_normalisation() -> None:
    assert normalise_exhibit_type(" ex-99.01 ") == "EX-99.1"
    assert normalise_exhibit_type("EX-99") == "EX-99"
    assert normalise_exhibit_type("EX-101.INS") == "EX-101.INS"


# ------------------------------------------------------------------------------ companyfacts


def test_companyfacts_restatements_kept_latest_wins_and_q4_derived(httpserver, client) -> None:
    httpserver.expect_request("/api/xbrl/companyfacts/CIK0001839341.json").respond_with_data(
        gzip.compress(_read("companyfacts_CIK0001839341.json")),
        headers={"Content-Encoding": "gzip"},
        content_type="application/json",
    )
    facts = client.companyfacts(CIK)
    assert facts.schema["value"] == pl.Float64 and facts.schema["filed"] == pl.Date
    assert facts.height == 20  # 1 dei + 9 Revenues + 5 RFC + 4 EPS + 1 unknown
    fy23 = facts.filter(
        (pl.col("tag") == "Revenues") & (pl.col("period_end") == date(2023, 12, 31))
    )
    assert sorted(fy23["value"]) == [500_000_000.0, 502_000_000.0]  # every filing's value kept

    latest = latest_filed_facts(facts)
    fy23_latest = latest.filter(
        (pl.col("tag") == "Revenues") & (pl.col("period_end") == date(2023, 12, 31))
    )
    assert fy23_latest["value"].to_list() == [502_000_000.0]

    shares = facts.filter(pl.col("tag") == "EntityCommonStockSharesOutstanding").row(0, named=True)
    assert shares["is_instant"] and shares["period_start"] is None and shares["unit"] == "shares"
    mystery = facts.filter(pl.col("taxonomy") == "xyz").row(0, named=True)  # unknown tag kept
    assert mystery["tag"] == "MysteryTag" and mystery["fiscal_year"] is None

    with_q4 = derive_q4(facts)
    derived = with_q4.filter(pl.col("derived"))
    assert derived.height == 1  # not for the series with a reported Q4, not for EPS
    q4 = derived.row(0, named=True)
    assert q4["tag"] == "Revenues"
    assert (q4["period_start"], q4["period_end"]) == (date(2024, 10, 1), date(2024, 12, 31))
    assert q4["value"] == 455_000_000.0 - 330_000_000.0  # restated FY (10-K/A) minus Q1..Q3
    assert q4["accession_number"] == "0001839341-25-000005" and q4["fiscal_period"] == "Q4"
    assert with_q4.height == facts.height + 1
    assert with_q4.filter(~pl.col("derived")).height == facts.height


def test_companyfacts_404_means_no_facts(httpserver, client) -> None:
    httpserver.expect_request("/api/xbrl/companyfacts/CIK0001839341.json").respond_with_data(
        "Not found", status=404
    )
    facts = client.companyfacts(CIK)
    assert facts.is_empty() and "accession_number" in facts.columns


def test_malformed_json_names_the_url(httpserver, client) -> None:
    httpserver.expect_request("/api/xbrl/companyfacts/CIK0001839341.json").respond_with_data(
        _read("malformed.json"), content_type="application/json"
    )
    with pytest.raises(EdgarFormatError, match=r"companyfacts/CIK0001839341\.json: body is not"):
        client.companyfacts(CIK)


def test_missing_units_names_the_path() -> None:
    with pytest.raises(
        EdgarFormatError, match=r"cf\.json: facts\.us-gaap\.Revenues has no 'units'"
    ):
        parse_companyfacts(_read("companyfacts_missing_units.json"), source_url="cf.json")


def test_companyfacts_fact_missing_value_names_index() -> None:
    doc = json.loads(_read("companyfacts_CIK0001839341.json"))
    del doc["facts"]["us-gaap"]["Revenues"]["units"]["USD"][2]["val"]
    with pytest.raises(EdgarFormatError, match=r"Revenues\.units\.USD\[2\] has no 'val'"):
        parse_companyfacts(json.dumps(doc).encode(), source_url="cf.json")


def test_submissions_wrong_shape_errors() -> None:
    with pytest.raises(EdgarFormatError, match="s.json: top level has no 'filings'"):
        parse_submissions(b'{"cik": "1"}', source_url="s.json")
    doc = json.loads(_read("submissions_CIK0001839341.json"))
    doc["filings"]["recent"]["form"].pop()
    with pytest.raises(EdgarFormatError, match="filings.recent.form has 5 entries"):
        parse_submissions(json.dumps(doc).encode(), source_url="s.json")


# ------------------------------------------------------------------------------ errors, limits


def test_429_then_success_retries_with_backoff(httpserver, client, sleeps: Sleeps) -> None:
    path = "/submissions/CIK0001839341.json"
    httpserver.expect_ordered_request(path).respond_with_data("Too Many Requests", status=429)
    httpserver.expect_ordered_request(path).respond_with_data(
        _read("submissions_CIK0001839341.json"), content_type="application/json"
    )
    httpserver.expect_request("/submissions/CIK0001839341-submissions-001.json").respond_with_data(
        _read("CIK0001839341-submissions-001.json"), content_type="application/json"
    )
    filings = client.submissions(CIK)
    assert filings.height == 7
    assert len(sleeps) == 1


def test_persistent_plain_429_is_rate_limited_error(httpserver, client) -> None:
    httpserver.expect_request("/submissions/CIK0001839341.json").respond_with_data(
        "slow down", status=429
    )
    with pytest.raises(RateLimitedError):
        client.submissions(CIK)
    assert len(httpserver.log) == 3  # max_attempts


@pytest.mark.parametrize("status", [403, 429])
def test_block_page_raises_without_retry_and_pauses(httpserver, client, status: int) -> None:
    httpserver.expect_request("/submissions/CIK0001839341.json").respond_with_data(
        gzip.compress(_read("sec_block_page.html")),
        status=status,
        headers={"Content-Encoding": "gzip"},
        content_type="text/html",
    )
    with pytest.raises(SecBlockedError, match="pause ALL SEC requests for about 10 minutes"):
        client.submissions(CIK)
    assert len(httpserver.log) == 1  # never retried into the block
    assert client.blocked_for > 500
    with pytest.raises(SecBlockedError, match="still paused"):
        client.companyfacts(CIK)
    assert len(httpserver.log) == 1  # the pause is enforced locally


def test_plain_403_is_a_normal_http_error(httpserver, client) -> None:
    httpserver.expect_request("/submissions/CIK0001839341.json").respond_with_data(
        "<html><title>403 Forbidden</title></html>", status=403
    )
    with pytest.raises(HttpError) as info:
        client.submissions(CIK)
    assert not isinstance(info.value, SecBlockedError) and info.value.status == 403
    assert client.blocked_for == 0


def test_block_reason_needs_status_and_marker() -> None:
    page = _read("sec_block_page.html")
    assert sec_block_reason(403, page) == "request rate threshold exceeded"
    assert sec_block_reason(200, page) is None
    assert sec_block_reason(403, b"<html>Forbidden</html>") is None


# ------------------------------------------------------------------------------ filing XBRL


def test_filing_facts_prefers_instance_and_falls_back_to_inline(httpserver, client) -> None:
    httpserver.expect_request(f"{DIR_10Q}/core-20250331_htm.xml").respond_with_data(
        _read("core-20250331_htm.xml"), content_type="application/xml"
    )
    facts = fetch_filing_facts(client, CIK, ACC_10Q, "core-20250331.htm")
    assert "f-14" in facts["fact_id"].to_list()  # only the instance fixture has it

    httpserver.clear()
    httpserver.expect_request(f"{DIR_10Q}/core-20250331_htm.xml").respond_with_data("", status=404)
    httpserver.expect_request(f"{DIR_10Q}/core-20250331.htm").respond_with_data(
        _read("core-20250331.htm"), content_type="text/html"
    )
    seg, unmapped = filing_segment_revenue(
        client,
        cik=CIK,
        ticker="CORZ",
        accession=ACC_10Q,
        primary_document="core-20250331.htm",
        mapping=load_segment_mapping(),
    )
    assert dict(zip(seg["segment"], seg["revenue_usd"], strict=True))["hosted_mining"] == (
        12_000_500.0
    )
    assert set(seg["source"]) == {ACC_10Q} and unmapped == []
