"""Yahoo Finance chart API: daily OHLCV of the tracked miners' shares."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from dagster_project.sources.http import HttpClient
from dagster_project.sources.landing import FetchedResponse
from dagster_project.sources.market_live.common import (
    DEFAULT_ENDPOINTS,
    EQUITY_SCHEMA,
    LiveEndpoints,
    MarketParseError,
    check_window,
    checked_frame,
    field,
    json_body,
    number,
    unix_seconds,
    window_key,
)

SOURCE_YAHOO = "yahoo:chart"


# -- Yahoo Finance chart: miner equities ----------------------------------------------------------


def fetch_equity(
    client: HttpClient,
    ticker: str,
    start: date,
    end: date,
    *,
    user_agent: str | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> FetchedResponse:
    """``/v8/finance/chart/{ticker}`` daily bars from ``start`` to ``end`` (inclusive).

    ``user_agent`` overrides the client's for this host only: Yahoo answers library-looking
    User-Agents with HTTP 429 (see docs/http-clients.md).
    """
    check_window(start, end)
    ticker = ticker.strip().upper()
    params = {
        "period1": unix_seconds(start),
        "period2": unix_seconds(end + timedelta(days=1)),
        "interval": "1d",
        "events": "div,splits",
        "includeAdjustedClose": "true",
    }
    return client.get(
        f"{endpoints.yahoo}/v8/finance/chart/{ticker}",
        params,
        headers={"User-Agent": user_agent} if user_agent else None,
        landing=("yahoo", window_key(start, end), f"chart_{ticker}"),
    )


def _exchange_zone(meta: dict[str, Any]) -> ZoneInfo | timedelta:
    name = meta.get("exchangeTimezoneName")
    if isinstance(name, str):
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    offset = meta.get("gmtoffset")
    return timedelta(seconds=offset if isinstance(offset, int) else 0)


def parse_equity(
    resp: FetchedResponse, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Daily bars in the exchange's local calendar; rows with a null close are dropped."""
    src, url = SOURCE_YAHOO, resp.url
    body = json_body(resp, src)
    chart = field(body, "chart", src, url, "")
    error = chart.get("error") if isinstance(chart, dict) else None
    if error:
        raise MarketParseError(src, url, f"chart.error: {error!r}")
    results = field(chart, "result", src, url, "chart.")
    if not isinstance(results, list) or not results:
        raise MarketParseError(src, url, "field 'chart.result' is empty")
    result = results[0]
    meta = field(result, "meta", src, url, "chart.result[0].")
    ticker = field(meta, "symbol", src, url, "chart.result[0].meta.")
    zone = _exchange_zone(meta)
    stamps = result.get("timestamp") if isinstance(result, dict) else None
    if stamps is None:  # Yahoo omits timestamp/quote arrays when the window has no bars
        return pl.DataFrame(schema=EQUITY_SCHEMA)
    indicators = field(result, "indicators", src, url, "chart.result[0].")
    quotes = field(indicators, "quote", src, url, "chart.result[0].indicators.")
    if not isinstance(quotes, list) or not quotes:
        raise MarketParseError(src, url, "field 'chart.result[0].indicators.quote' is empty")
    quote = quotes[0]
    columns = {}
    for key in ("open", "high", "low", "close", "volume"):
        where = "chart.result[0].indicators.quote[0]."
        series = field(quote, key, src, url, where)
        if not isinstance(series, list) or len(series) != len(stamps):
            raise MarketParseError(
                src, url, f"field '{where}{key}' is not a list as long as 'timestamp'"
            )
        columns[key] = series
    adj_lists = indicators.get("adjclose") or []
    adj = adj_lists[0].get("adjclose") if adj_lists and isinstance(adj_lists[0], dict) else None
    if adj is not None and len(adj) != len(stamps):
        raise MarketParseError(src, url, "field 'adjclose' is not as long as 'timestamp'")
    rows = []
    for i, stamp in enumerate(stamps):
        if columns["close"][i] is None:
            continue
        instant = datetime.fromtimestamp(number(stamp, src, url, f"timestamp[{i}]"), tz=UTC)
        local = instant.astimezone(zone) if isinstance(zone, ZoneInfo) else instant + zone
        values = {
            key: number(columns[key][i], src, url, f"{key}[{i}]", nullable=True) for key in columns
        }
        rows.append(
            {
                "ticker": str(ticker).upper(),
                "date": local.date(),
                "open": values["open"],
                "high": values["high"],
                "low": values["low"],
                "close": values["close"],
                "adj_close": number(adj[i], src, url, f"adjclose[{i}]", nullable=True)
                if adj is not None
                else None,
                "volume": values["volume"],
                "source": src,
            }
        )
    return checked_frame(rows, EQUITY_SCHEMA, src, url, start, end, keys=("ticker", "date"))


def load_equities(
    client: HttpClient,
    tickers: Sequence[str],
    start: date,
    end: date,
    *,
    user_agent: str | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> pl.DataFrame:
    frames = [
        parse_equity(
            fetch_equity(client, t, start, end, user_agent=user_agent, endpoints=endpoints),
            start,
            end,
        )
        for t in tickers
    ]
    return (
        pl.concat(frames).sort("ticker", "date") if frames else pl.DataFrame(schema=EQUITY_SCHEMA)
    )
