"""BTC/USD daily OHLCV from CryptoCompare (CoinDesk) ``histoday``: fetch, parse, load."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from dagster_project.sources.http import HttpClient
from dagster_project.sources.landing import FetchedResponse
from dagster_project.sources.market_live.common import (
    DEFAULT_ENDPOINTS,
    PRICE_SCHEMA,
    LiveEndpoints,
    MarketParseError,
    check_window,
    checked_frame,
    chunks,
    field,
    json_body,
    number_field,
    unix_seconds,
    utc_day,
    window_key,
)

SOURCE_CRYPTOCOMPARE = "cryptocompare:histoday"
CRYPTOCOMPARE_MAX_LIMIT = 2000


# -- BTC price: CryptoCompare / CoinDesk histoday --------------------------------------------------


def cryptocompare_error(resp: FetchedResponse) -> str | None:
    """Retryable error bodies served with HTTP 200 (``Type`` 99 = over the rate limit)."""
    try:
        data = json.loads(resp.content)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return None
    if isinstance(data, dict) and data.get("Response") == "Error" and data.get("Type") == 99:
        return f"CryptoCompare rate limit: {data.get('Message', '')}"
    return None


def fetch_btc_price(
    client: HttpClient,
    start: date,
    end: date,
    *,
    api_key: str | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> FetchedResponse:
    """One ``data/v2/histoday`` call covering ``start..end`` (at most 2001 days; see load)."""
    check_window(start, end)
    days = (end - start).days
    if days > CRYPTOCOMPARE_MAX_LIMIT:
        raise ValueError(
            f"histoday returns at most {CRYPTOCOMPARE_MAX_LIMIT + 1} days per call; "
            f"{start}..{end} is {days + 1} days, use load_btc_price to page"
        )
    params = {
        "fsym": "BTC",
        "tsym": "USD",
        "limit": max(days, 1),  # the API returns limit + 1 candles ending at toTs
        "toTs": unix_seconds(end),
    }
    headers = {"Authorization": f"Apikey {api_key}"} if api_key else None
    return client.get(
        f"{endpoints.cryptocompare}/data/v2/histoday",
        params,
        headers=headers,
        landing=("cryptocompare", window_key(start, end), "histoday_BTC_USD"),
        is_error_body=cryptocompare_error,
    )


def parse_btc_price(
    resp: FetchedResponse, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Canonical BTC price frame from a histoday v2 body; pre-listing all-zero rows dropped."""
    src, url = SOURCE_CRYPTOCOMPARE, resp.url
    body = json_body(resp, src)
    if not isinstance(body, dict):
        raise MarketParseError(src, url, f"expected a JSON object, got {type(body).__name__}")
    if body.get("Response") == "Error":
        raise MarketParseError(
            src,
            url,
            f"error body (Type {body.get('Type')}): {body.get('Message', '')!r}"
            + (f" ParamWithError={body['ParamWithError']}" if "ParamWithError" in body else ""),
        )
    outer = field(body, "Data", src, url, "")
    candles = field(outer, "Data", src, url, "Data.")
    if not isinstance(candles, list):
        raise MarketParseError(src, url, "field 'Data.Data' is not a list")
    rows = []
    for i, candle in enumerate(candles):
        where = f"Data.Data[{i}]."
        values = {
            k: number_field(candle, k, src, url, where)
            for k in ("time", "open", "high", "low", "close", "volumeto")
        }
        if all(values[k] == 0 for k in ("open", "high", "low", "close")):
            continue  # days before the pair existed come back as zero candles
        rows.append(
            {
                "date": utc_day(values["time"]),
                "open": values["open"],
                "high": values["high"],
                "low": values["low"],
                "close": values["close"],
                "volume_usd": values["volumeto"],
                "source": src,
            }
        )
    return checked_frame(rows, PRICE_SCHEMA, src, url, start, end)


def load_btc_price(
    client: HttpClient,
    start: date,
    end: date,
    *,
    api_key: str | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> pl.DataFrame:
    """BTC daily OHLCV for ``start..end`` (pages in 2001-day calls for long backfills)."""
    frames = [
        parse_btc_price(fetch_btc_price(client, a, b, api_key=api_key, endpoints=endpoints), a, b)
        for a, b in chunks(start, end, CRYPTOCOMPARE_MAX_LIMIT + 1)
    ]
    return pl.concat(frames).sort("date")
