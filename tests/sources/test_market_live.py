"""Live market clients against locally served, hand-written responses (fixtures/market_live)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from dagster_project.schemas import market as contracts
from dagster_project.settings import load_settings
from dagster_project.sources.http import HttpClient, HttpError, RateLimitedError
from dagster_project.sources.landing import FetchedResponse, LandingZone
from dagster_project.sources.market_live import (
    DEFAULT_RATE_LIMITS,
    DIFFICULTY_SCHEMA,
    EQUITY_SCHEMA,
    FEES_SCHEMA,
    HASHRATE_SCHEMA,
    PRICE_SCHEMA,
    SUBSIDY_SCHEMA,
    LiveEndpoints,
    MarketParseError,
    block_subsidy_sats,
    fetch_btc_price,
    fetch_equity,
    landed_block_subsidy,
    load_block_subsidy,
    load_btc_price,
    load_difficulty,
    load_equities,
    load_fees,
    load_hashrate,
    make_market_client,
    mempool_period,
    parse_block_subsidy,
    parse_btc_price,
    parse_difficulty,
    parse_equity,
    parse_fees,
    parse_hashrate,
    subsidy_sats_between,
    window_key,
)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "market_live"
UA = "minerpivot-tests/0.1 (ops@example.org)"
D17, D18, D19, D20, D21 = (date(2024, 4, d) for d in (17, 18, 19, 20, 21))


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def fixture_json(name: str) -> object:
    return json.loads(fixture_bytes(name))


@pytest.fixture
def client(tmp_path):
    with HttpClient(
        user_agent=UA,
        default_rate=1000.0,
        timeout=2.0,
        max_attempts=3,
        backoff_initial=0.01,
        backoff_max=0.05,
        landing=LandingZone(tmp_path / "landing"),
    ) as c:
        yield c


@pytest.fixture
def endpoints(httpserver) -> LiveEndpoints:
    base = httpserver.url_for("").rstrip("/")
    return LiveEndpoints(cryptocompare=base, mempool=base, blockchain=base, yahoo=base)


def canned(body: bytes, url: str = "https://example.test/x") -> FetchedResponse:
    return FetchedResponse(url, 200, {}, body, datetime(2024, 4, 21, tzinfo=UTC))


def assert_schema(frame: pl.DataFrame, schema: dict) -> None:
    assert dict(frame.schema) == schema


# -- BTC price -----------------------------------------------------------------------------------


def test_btc_price_success_parses_window_and_drops_zero_candles(httpserver, client, endpoints):
    httpserver.expect_oneshot_request(
        "/data/v2/histoday",
        query_string={"fsym": "BTC", "tsym": "USD", "limit": "2", "toTs": "1713571200"},
        headers={"Authorization": "Apikey k123", "User-Agent": UA},
    ).respond_with_data(
        fixture_bytes("cryptocompare_histoday.json"), content_type="application/json"
    )
    frame = load_btc_price(client, D18, D20, api_key="k123", endpoints=endpoints)
    assert_schema(frame, PRICE_SCHEMA)
    assert frame["date"].to_list() == [D18, D19, D20]
    first = frame.row(0, named=True)
    assert first == {
        "date": D18,
        "open": 61200.0,
        "high": 64000.5,
        "low": 60100.25,
        "close": 63500.0,
        "volume_usd": 2500000000.75,
        "source": "cryptocompare:histoday",
    }
    httpserver.check_assertions()


def test_btc_price_daily_partition_and_offline_reparse(httpserver, client, endpoints, tmp_path):
    httpserver.expect_request("/data/v2/histoday").respond_with_data(
        fixture_bytes("cryptocompare_histoday.json"), content_type="application/json"
    )
    resp = fetch_btc_price(client, D19, D19, endpoints=endpoints)
    assert "limit=1" in resp.url and "toTs=1713484800" in resp.url
    live = parse_btc_price(resp, D19, D19)
    assert live["date"].to_list() == [D19]
    httpserver.clear()  # the network is gone: the landing zone alone must reproduce the frame
    replay = LandingZone(tmp_path / "landing").latest(
        "cryptocompare", "2024-04-19", "histoday_BTC_USD"
    )
    assert replay is not None
    assert parse_btc_price(replay, D19, D19).equals(live)


def test_btc_price_error_body_with_200_names_source_and_message(httpserver, client, endpoints):
    httpserver.expect_request("/data/v2/histoday").respond_with_data(
        fixture_bytes("cryptocompare_error_apikey.json"), content_type="application/json"
    )
    with pytest.raises(MarketParseError) as info:
        load_btc_price(client, D18, D20, endpoints=endpoints)
    message = str(info.value)
    assert "cryptocompare:histoday" in message
    assert "/data/v2/histoday?" in message
    assert "Type 1" in message and "valid auth key" in message


def test_btc_price_rate_limit_body_is_retried_then_succeeds(httpserver, client, endpoints):
    httpserver.expect_ordered_request("/data/v2/histoday").respond_with_data(
        fixture_bytes("cryptocompare_error_ratelimit.json"), content_type="application/json"
    )
    httpserver.expect_ordered_request("/data/v2/histoday").respond_with_data(
        fixture_bytes("cryptocompare_histoday.json"), content_type="application/json"
    )
    frame = load_btc_price(client, D18, D20, endpoints=endpoints)
    assert frame.height == 3


def test_btc_price_missing_field_is_named():
    body = fixture_json("cryptocompare_histoday.json")
    del body["Data"]["Data"][2]["close"]
    with pytest.raises(MarketParseError, match=r"missing field 'Data.Data\[2\].close'"):
        parse_btc_price(canned(json.dumps(body).encode()))


def test_btc_price_long_backfill_pages(httpserver, client, endpoints):
    httpserver.expect_request("/data/v2/histoday").respond_with_data(
        fixture_bytes("cryptocompare_histoday.json"), content_type="application/json"
    )
    with pytest.raises(ValueError, match="load_btc_price"):
        fetch_btc_price(client, date(2015, 1, 1), date(2024, 1, 1), endpoints=endpoints)
    load_btc_price(client, date(2018, 1, 1), date(2024, 4, 20), endpoints=endpoints)
    to_ts = [req.args["toTs"] for req, _ in httpserver.log]
    assert len(to_ts) == 2  # 2303 days -> two calls of at most 2001 days
    assert to_ts[-1] == "1713571200"


# -- mempool: difficulty and hashrate -------------------------------------------------------------


def test_mempool_period_covers_the_window():
    today = date(2024, 4, 22)
    assert mempool_period(date(2024, 4, 22), today) == "24h"
    assert mempool_period(D21, today) == "3d"
    assert mempool_period(D20, today) == "3d"
    assert mempool_period(date(2024, 4, 1), today) == "1m"
    assert mempool_period(date(2023, 4, 1), today) == "2y"
    assert mempool_period(date(2010, 1, 1), today) == "all"


def test_difficulty_success(httpserver, client, endpoints):
    httpserver.expect_request("/api/v1/mining/difficulty-adjustments/3m").respond_with_data(
        fixture_bytes("mempool_difficulty_adjustments.json"), content_type="application/json"
    )
    frame = load_difficulty(
        client, date(2024, 4, 1), date(2024, 4, 29), today=date(2024, 5, 1), endpoints=endpoints
    )
    assert_schema(frame, DIFFICULTY_SCHEMA)
    assert frame.rows() == [
        (date(2024, 4, 2), 86390000000000.0, None, "mempool:difficulty-adjustments"),
        (date(2024, 4, 16), 88950000000000.25, None, "mempool:difficulty-adjustments"),
    ]


def test_hashrate_success_and_window(httpserver, client, endpoints):
    httpserver.expect_request("/api/v1/mining/hashrate/1w").respond_with_data(
        fixture_bytes("mempool_hashrate.json"), content_type="application/json"
    )
    frame = load_hashrate(client, D19, D20, today=date(2024, 4, 22), endpoints=endpoints)
    assert_schema(frame, HASHRATE_SCHEMA)
    assert frame.rows() == [(D19, 6.41e20, "mempool:hashrate"), (D20, 6.05e20, "mempool:hashrate")]


def test_mempool_429_page_then_success(httpserver, client, endpoints):
    httpserver.expect_ordered_request("/api/v1/mining/hashrate/3d").respond_with_data(
        fixture_bytes("mempool_429.html"), status=429, content_type="text/html"
    )
    httpserver.expect_ordered_request("/api/v1/mining/hashrate/3d").respond_with_data(
        fixture_bytes("mempool_hashrate.json"), content_type="application/json"
    )
    frame = load_hashrate(client, D20, D20, today=date(2024, 4, 21), endpoints=endpoints)
    assert frame["hash_rate_hs"].to_list() == [6.05e20]


def test_mempool_persistent_429_raises_rate_limited(httpserver, client, endpoints):
    httpserver.expect_request("/api/v1/mining/hashrate/3d").respond_with_data(
        fixture_bytes("mempool_429.html"), status=429, content_type="text/html"
    )
    with pytest.raises(RateLimitedError, match="HTTP 429"):
        load_hashrate(client, D20, D20, today=date(2024, 4, 21), endpoints=endpoints)


def test_mempool_500_then_success(httpserver, client, endpoints):
    httpserver.expect_ordered_request("/api/v1/mining/hashrate/3d").respond_with_data(
        fixture_bytes("mempool_error.json"), status=500, content_type="application/json"
    )
    httpserver.expect_ordered_request("/api/v1/mining/hashrate/3d").respond_with_data(
        fixture_bytes("mempool_hashrate.json"), content_type="application/json"
    )
    frame = load_hashrate(client, D20, D20, today=date(2024, 4, 21), endpoints=endpoints)
    assert frame.height == 1


def test_mempool_error_body_and_bad_shape_are_clear():
    with pytest.raises(MarketParseError, match="Failed to get historical hashrate"):
        parse_hashrate(canned(fixture_bytes("mempool_error.json")))
    with pytest.raises(MarketParseError, match=r"missing field 'hashrates\[0\].avgHashrate'"):
        parse_hashrate(canned(b'{"hashrates": [{"timestamp": 1713398400, "avg": 1}]}'))
    with pytest.raises(MarketParseError, match="not valid JSON"):
        parse_hashrate(canned(b'{"hashrates": [{"timestamp": 17133'))


# -- mempool: subsidy -----------------------------------------------------------------------------


def test_subsidy_schedule():
    assert block_subsidy_sats(0) == 50 * 10**8
    assert block_subsidy_sats(839_999) == 625_000_000
    assert block_subsidy_sats(840_000) == 312_500_000
    assert block_subsidy_sats(64 * 210_000) == 0
    # 2 blocks at 6.25 BTC + 3 blocks at 3.125 BTC across the 2024 halving.
    assert subsidy_sats_between(839_998, 840_002) == 2 * 625_000_000 + 3 * 312_500_000
    assert subsidy_sats_between(10, 9) == 0


def _serve_heights(httpserver, heights: dict[date, int]) -> None:
    for day, height in heights.items():
        moment = int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp()) - 1
        httpserver.expect_request(f"/api/v1/mining/blocks/timestamp/{moment}").respond_with_json(
            {
                "height": height,
                "hash": f"00000000test{height}",
                "timestamp": "2024-04-19T23:58:00.000Z",
            }
        )


def test_block_subsidy_across_halving_and_offline_reparse(httpserver, client, endpoints, tmp_path):
    # Illustrative boundary heights: last block before 04-19 00:00 is 839850, before 04-20 is
    # 839999 (the halving block 840000 is the first of 04-20), before 04-21 is 840160.
    _serve_heights(httpserver, {D19: 839_850, D20: 839_999, D21: 840_160})
    frame = load_block_subsidy(client, D19, D20, endpoints=endpoints)
    assert_schema(frame, SUBSIDY_SCHEMA)
    assert frame.rows() == [
        (D19, 149 * 6.25, "mempool:blocks-timestamp"),
        (D20, 161 * 3.125, "mempool:blocks-timestamp"),
    ]
    httpserver.clear()
    offline = landed_block_subsidy(LandingZone(tmp_path / "landing"), D19, D20)
    assert offline.equals(frame)
    with pytest.raises(FileNotFoundError, match="2024-04-22"):
        landed_block_subsidy(LandingZone(tmp_path / "landing"), D20, D21)


def test_block_subsidy_rejects_heights_going_backwards(httpserver, client, endpoints):
    _serve_heights(httpserver, {D19: 840_100, D20: 840_000})
    with pytest.raises(MarketParseError, match="below the start"):
        load_block_subsidy(client, D19, D19, endpoints=endpoints)


# -- blockchain.com fees ---------------------------------------------------------------------------


def test_fees_success(httpserver, client, endpoints):
    httpserver.expect_oneshot_request(
        "/charts/transaction-fees",
        query_string={
            "timespan": "3days",
            "start": "2024-04-18",
            "format": "json",
            "sampled": "false",
        },
    ).respond_with_data(
        fixture_bytes("blockchain_transaction_fees.json"), content_type="application/json"
    )
    frame = load_fees(client, D18, D20, endpoints=endpoints)
    assert_schema(frame, FEES_SCHEMA)
    assert frame.rows() == [
        (D18, 41.5, "blockchain:transaction-fees"),
        (D19, 104.0, "blockchain:transaction-fees"),
        (D20, 1250.75, "blockchain:transaction-fees"),
    ]


def test_fees_error_status_and_duplicates():
    with pytest.raises(MarketParseError, match="status is 'not-found'"):
        parse_fees(canned(fixture_bytes("blockchain_error.json")))
    body = fixture_json("blockchain_transaction_fees.json")
    body["values"].append({"x": 1713571200 + 600, "y": 1.0})
    with pytest.raises(MarketParseError, match="repeat the same key"):
        parse_fees(canned(json.dumps(body).encode()))


def test_fees_persistent_500_names_url(httpserver, client, endpoints):
    httpserver.expect_request("/charts/transaction-fees").respond_with_data("oops", status=502)
    with pytest.raises(HttpError) as info:
        load_fees(client, D18, D20, endpoints=endpoints)
    assert "/charts/transaction-fees?" in str(info.value)
    assert "HTTP 502" in str(info.value)


# -- Yahoo equities --------------------------------------------------------------------------------


def test_equities_success_drops_null_bars(httpserver, client, endpoints):
    httpserver.expect_request(
        "/v8/finance/chart/CORZ",
        query_string={
            "period1": "1713312000",
            "period2": "1713657600",
            "interval": "1d",
            "events": "div,splits",
            "includeAdjustedClose": "true",
        },
        headers={"User-Agent": "Browser/1.0"},
    ).respond_with_data(fixture_bytes("yahoo_chart_corz.json"), content_type="application/json")
    frame = load_equities(client, ["corz"], D17, D20, user_agent="Browser/1.0", endpoints=endpoints)
    assert_schema(frame, EQUITY_SCHEMA)
    assert frame["date"].to_list() == [D17, D19]  # the all-null bar of 04-18 is dropped
    last = frame.row(1, named=True)
    assert last["ticker"] == "CORZ"
    assert last["close"] == pytest.approx(3.9000000953674316)
    assert last["volume"] == 6200300.0
    assert last["source"] == "yahoo:chart"


def test_equity_dates_use_exchange_timezone():
    body = fixture_json("yahoo_chart_corz.json")
    # 02:00 UTC on 04-18 is still 04-17 in New York.
    body["chart"]["result"][0]["timestamp"][0] = 1713405600
    frame = parse_equity(canned(json.dumps(body).encode()))
    assert frame["date"].to_list()[0] == D17


def test_equity_unknown_ticker_404_and_error_body(httpserver, client, endpoints):
    httpserver.expect_request("/v8/finance/chart/NOPE").respond_with_data(
        fixture_bytes("yahoo_chart_not_found.json"), status=404, content_type="application/json"
    )
    with pytest.raises(HttpError) as info:
        fetch_equity(client, "NOPE", D17, D20, endpoints=endpoints)
    assert info.value.status == 404 and "No data found" in info.value.body_excerpt
    # The same error body served with 200 is caught by the parser.
    with pytest.raises(MarketParseError, match="chart.error"):
        parse_equity(canned(fixture_bytes("yahoo_chart_not_found.json")))


def test_equity_ragged_arrays_are_rejected():
    body = fixture_json("yahoo_chart_corz.json")
    body["chart"]["result"][0]["indicators"]["quote"][0]["low"].pop()
    with pytest.raises(MarketParseError, match=r"quote\[0\].low' is not a list as long"):
        parse_equity(canned(json.dumps(body).encode()))


def test_equity_plain_text_429_then_success(httpserver, client, endpoints):
    httpserver.expect_ordered_request("/v8/finance/chart/CORZ").respond_with_data(
        "Edge: Too Many Requests", status=429, content_type="text/plain"
    )
    httpserver.expect_ordered_request("/v8/finance/chart/CORZ").respond_with_data(
        fixture_bytes("yahoo_chart_corz.json"), content_type="application/json"
    )
    frame = load_equities(client, ["CORZ"], D17, D20, endpoints=endpoints)
    assert frame.height == 2


# -- wiring ----------------------------------------------------------------------------------------


def test_make_market_client_uses_settings(tmp_path, monkeypatch):
    monkeypatch.setenv("MINERPIVOT_RAW_DIR", str(tmp_path / "raw"))
    monkeypatch.setenv("MINERPIVOT_HTTP_USER_AGENT", "minerpivot-test (ops@example.org)")
    settings = load_settings()
    with make_market_client(settings) as client:
        assert client.user_agent == "minerpivot-test (ops@example.org)"
        assert client.landing is not None
        assert client.landing.root == tmp_path / "raw" / "landing"
        assert client.rate_for("mempool.space") <= 1.0
        assert client.rate_for("query1.finance.yahoo.com") <= 1.0
        assert client.rate_for("min-api.cryptocompare.com") <= 1.0
    assert DEFAULT_RATE_LIMITS["api.blockchain.info"] < 1.0


def test_window_key():
    assert window_key(D19, D19) == "2024-04-19"
    assert window_key(D18, D20) == "2024-04-18_2024-04-20"
    with pytest.raises(ValueError, match="before start"):
        window_key(D20, D19)


def test_endpoints_are_replaceable():
    ep = replace(LiveEndpoints(), mempool="http://127.0.0.1:1")
    assert ep.mempool == "http://127.0.0.1:1" and ep.yahoo.startswith("https://")


@pytest.mark.parametrize(
    ("fixture", "parse", "contract"),
    [
        ("cryptocompare_histoday.json", parse_btc_price, contracts.BtcPriceDaily),
        ("mempool_difficulty_adjustments.json", parse_difficulty, contracts.NetworkDifficulty),
        ("mempool_hashrate.json", parse_hashrate, contracts.NetworkHashrateDaily),
        ("blockchain_transaction_fees.json", parse_fees, contracts.TxFeesDaily),
        ("yahoo_chart_corz.json", parse_equity, contracts.MinerEquitiesDaily),
    ],
)
def test_live_frames_satisfy_the_shared_contracts(fixture, parse, contract):
    frame = parse(canned(fixture_bytes(fixture)))
    assert frame.height > 0
    contract.validate(frame)


def test_live_subsidy_frame_satisfies_contract():
    responses = [
        canned(json.dumps({"height": h}).encode(), f"https://m/api/v1/mining/blocks/timestamp/{t}")
        for h, t in ((839_850, 1713484799), (839_999, 1713571199), (840_160, 1713657599))
    ]
    frame = parse_block_subsidy(responses)
    assert frame["block_reward_btc"].to_list() == [931.25, 503.125]
    contracts.BlockRewardDaily.validate(frame)
