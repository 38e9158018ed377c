"""blockchain.com charts: daily transaction fees (BTC)."""

from __future__ import annotations

from datetime import date

import polars as pl

from dagster_project.sources.http import HttpClient
from dagster_project.sources.landing import FetchedResponse
from dagster_project.sources.market_live.common import (
    DEFAULT_ENDPOINTS,
    FEES_SCHEMA,
    LiveEndpoints,
    MarketParseError,
    check_window,
    checked_frame,
    field,
    json_body,
    number_field,
    utc_day,
    window_key,
)

SOURCE_BLOCKCHAIN_FEES = "blockchain:transaction-fees"


# -- blockchain.com charts: daily transaction fees -----------------------------------------------


def fetch_fees(
    client: HttpClient,
    start: date,
    end: date,
    *,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> FetchedResponse:
    """``/charts/transaction-fees`` (BTC per day), unsampled, from ``start`` for the window."""
    check_window(start, end)
    params = {
        "timespan": f"{(end - start).days + 1}days",
        "start": start.isoformat(),
        "format": "json",
        "sampled": "false",
    }
    return client.get(
        f"{endpoints.blockchain}/charts/transaction-fees",
        params,
        landing=("blockchain", window_key(start, end), "transaction-fees"),
    )


def parse_fees(
    resp: FetchedResponse, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Total fees paid to miners per UTC day, in BTC."""
    src, url = SOURCE_BLOCKCHAIN_FEES, resp.url
    body = json_body(resp, src)
    if not isinstance(body, dict):
        raise MarketParseError(src, url, f"expected a JSON object, got {type(body).__name__}")
    status = field(body, "status", src, url, "")
    if status != "ok":
        raise MarketParseError(src, url, f"status is {status!r}: {body.get('error', '')!r}")
    period = body.get("period")
    if period not in (None, "day"):
        raise MarketParseError(src, url, f"field 'period' is {period!r}, expected 'day'")
    values = field(body, "values", src, url, "")
    if not isinstance(values, list):
        raise MarketParseError(src, url, "field 'values' is not a list")
    rows = []
    for i, point in enumerate(values):
        where = f"values[{i}]."
        x = number_field(point, "x", src, url, where)
        y = number_field(point, "y", src, url, where)
        rows.append({"date": utc_day(x), "transaction_fees_btc": y, "source": src})
    return checked_frame(rows, FEES_SCHEMA, src, url, start, end)


def load_fees(
    client: HttpClient,
    start: date,
    end: date,
    *,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> pl.DataFrame:
    return parse_fees(fetch_fees(client, start, end, endpoints=endpoints), start, end)
