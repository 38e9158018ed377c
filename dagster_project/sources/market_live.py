"""Live market and network feeds: fetch (network, lands raw bytes) + parse (pure, offline).

Each feed has three functions:

* ``fetch_<feed>(client, start, end, ...)`` performs the request(s) through a shared
  :class:`~dagster_project.sources.http.HttpClient` and lands every raw response in the landing
  zone before anything is parsed;
* ``parse_<feed>(response(s), start, end)`` turns raw bytes into the canonical polars frame (the
  same columns as the offline snapshot readers) and raises :class:`MarketParseError` naming the
  source, URL and missing field when the body is not what the API documents, including error
  bodies served with HTTP 200;
* ``load_<feed>(client, start, end, ...)`` = fetch + parse (paging long windows where needed).

Windows are inclusive UTC days, so a daily partition passes ``start == end`` and a backfill a
range. Request and response shapes follow ``/work/shared/notes/live-apis.md``; the sources chosen
per feed and their units are in ``docs/http-clients.md``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import polars as pl

from dagster_project.sources.http import HttpClient
from dagster_project.sources.landing import FetchedResponse, LandingZone

# -- canonical frames ----------------------------------------------------------------------------

PRICE_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "open": pl.Float64(),
    "high": pl.Float64(),
    "low": pl.Float64(),
    "close": pl.Float64(),
    "volume_usd": pl.Float64(),
    "source": pl.Utf8(),
}
DIFFICULTY_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "difficulty": pl.Float64(),
    "hash_rate_ths": pl.Float64(),
    "source": pl.Utf8(),
}
HASHRATE_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "hash_rate_hs": pl.Float64(),
    "source": pl.Utf8(),
}
FEES_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "transaction_fees_btc": pl.Float64(),
    "source": pl.Utf8(),
}
SUBSIDY_SCHEMA: dict[str, pl.DataType] = {
    "date": pl.Date(),
    "block_reward_btc": pl.Float64(),
    "source": pl.Utf8(),
}
EQUITY_SCHEMA: dict[str, pl.DataType] = {
    "ticker": pl.Utf8(),
    "date": pl.Date(),
    "open": pl.Float64(),
    "high": pl.Float64(),
    "low": pl.Float64(),
    "close": pl.Float64(),
    "adj_close": pl.Float64(),
    "volume": pl.Float64(),
    "source": pl.Utf8(),
}

SOURCE_CRYPTOCOMPARE = "cryptocompare:histoday"
SOURCE_MEMPOOL_DIFFICULTY = "mempool:difficulty-adjustments"
SOURCE_MEMPOOL_HASHRATE = "mempool:hashrate"
SOURCE_MEMPOOL_SUBSIDY = "mempool:blocks-timestamp"
SOURCE_BLOCKCHAIN_FEES = "blockchain:transaction-fees"
SOURCE_YAHOO = "yahoo:chart"

CRYPTOCOMPARE_MAX_LIMIT = 2000
SATS_PER_BTC = 100_000_000
HALVING_INTERVAL = 210_000
INITIAL_SUBSIDY_SATS = 50 * SATS_PER_BTC


@dataclass(frozen=True)
class LiveEndpoints:
    """Base URLs, injectable so tests can point the clients at a local server."""

    cryptocompare: str = "https://min-api.cryptocompare.com"
    mempool: str = "https://mempool.space"
    blockchain: str = "https://api.blockchain.info"
    yahoo: str = "https://query1.finance.yahoo.com"


DEFAULT_ENDPOINTS = LiveEndpoints()

#: Self-imposed requests/second per host (see docs/http-clients.md for the reasoning).
DEFAULT_RATE_LIMITS: dict[str, float] = {
    "min-api.cryptocompare.com": 1.0,
    "mempool.space": 1.0,
    "api.blockchain.info": 0.1,
    "query1.finance.yahoo.com": 0.5,
    "query2.finance.yahoo.com": 0.5,
    "api.coingecko.com": 0.08,
    "data.sec.gov": 8.0,
    "www.sec.gov": 8.0,
}


class MarketParseError(ValueError):
    """A response did not have the documented shape; names source, URL and field."""

    def __init__(self, source: str, url: str, problem: str) -> None:
        self.source = source
        self.url = url
        self.problem = problem
        super().__init__(f"{source}: {url}: {problem}")


def make_market_client(
    settings: Any,
    *,
    rate_limits: dict[str, float] | None = None,
    **overrides: Any,
) -> HttpClient:
    """HttpClient for the market feeds: settings' User-Agent, landing zone and polite rates.

    ``settings`` is a :class:`dagster_project.settings.Settings` (``http_user_agent`` and
    ``landing_dir`` are used). ``overrides`` go to :class:`HttpClient` (e.g. ``transport``).
    """
    options: dict[str, Any] = {
        "user_agent": settings.http_user_agent,
        "rate_limits": {**DEFAULT_RATE_LIMITS, **(rate_limits or {})},
        "default_rate": 1.0,
        "timeout": 30.0,
        "max_attempts": 5,
        "backoff_initial": 2.0,
        "backoff_max": 120.0,
        "landing": LandingZone(settings.landing_dir),
    }
    options.update(overrides)
    return HttpClient(**options)


# -- small helpers --------------------------------------------------------------------------------


def window_key(start: date, end: date) -> str:
    """Landing partition for a window: ``YYYY-MM-DD`` for one day, else ``start_end``."""
    _check_window(start, end)
    return start.isoformat() if start == end else f"{start.isoformat()}_{end.isoformat()}"


def _check_window(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"window end {end} is before start {start}")


def _unix(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def _utc_day(seconds: float) -> date:
    return datetime.fromtimestamp(seconds, tz=UTC).date()


def _chunks(start: date, end: date, days: int) -> list[tuple[date, date]]:
    out = []
    cursor = start
    while cursor <= end:
        stop = min(end, cursor + timedelta(days=days - 1))
        out.append((cursor, stop))
        cursor = stop + timedelta(days=1)
    return out


def _json(resp: FetchedResponse, source: str) -> Any:
    try:
        return json.loads(resp.content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = resp.content[:120].decode("utf-8", errors="replace")
        raise MarketParseError(
            source, resp.url, f"body is not valid JSON ({exc}); starts with {start!r}"
        ) from exc


def _field(obj: Any, key: str, source: str, url: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise MarketParseError(source, url, f"missing field '{where}{key}'")
    return obj[key]


def _number(value: Any, source: str, url: str, where: str, *, nullable: bool = False) -> Any:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MarketParseError(source, url, f"field '{where}' is {value!r}, expected a number")
    return float(value)


def _frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def _in_window(frame: pl.DataFrame, start: date | None, end: date | None) -> pl.DataFrame:
    if start is not None:
        frame = frame.filter(pl.col("date") >= start)
    if end is not None:
        frame = frame.filter(pl.col("date") <= end)
    return frame


def _unique_dates(frame: pl.DataFrame, source: str, url: str, keys: Sequence[str]) -> None:
    dupes = frame.filter(frame.select(list(keys)).is_duplicated())
    if dupes.height:
        first = dupes.row(0, named=True)
        shown = ", ".join(f"{k}={first[k]}" for k in keys)
        raise MarketParseError(source, url, f"{dupes.height} rows repeat the same key ({shown})")


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
    _check_window(start, end)
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
        "toTs": _unix(end),
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
    body = _json(resp, src)
    if not isinstance(body, dict):
        raise MarketParseError(src, url, f"expected a JSON object, got {type(body).__name__}")
    if body.get("Response") == "Error":
        raise MarketParseError(
            src,
            url,
            f"error body (Type {body.get('Type')}): {body.get('Message', '')!r}"
            + (f" ParamWithError={body['ParamWithError']}" if "ParamWithError" in body else ""),
        )
    outer = _field(body, "Data", src, url, "")
    candles = _field(outer, "Data", src, url, "Data.")
    if not isinstance(candles, list):
        raise MarketParseError(src, url, "field 'Data.Data' is not a list")
    rows = []
    for i, candle in enumerate(candles):
        where = f"Data.Data[{i}]."
        values = {
            k: _number(_field(candle, k, src, url, where), src, url, where + k)
            for k in ("time", "open", "high", "low", "close", "volumeto")
        }
        if all(values[k] == 0 for k in ("open", "high", "low", "close")):
            continue  # days before the pair existed come back as zero candles
        rows.append(
            {
                "date": _utc_day(values["time"]),
                "open": values["open"],
                "high": values["high"],
                "low": values["low"],
                "close": values["close"],
                "volume_usd": values["volumeto"],
                "source": src,
            }
        )
    frame = _frame(rows, PRICE_SCHEMA)
    _unique_dates(frame, src, url, ["date"])
    return _in_window(frame, start, end).sort("date")


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
        for a, b in _chunks(start, end, CRYPTOCOMPARE_MAX_LIMIT + 1)
    ]
    return pl.concat(frames).sort("date")


# -- mempool.space: difficulty adjustments and daily hashrate -----------------------------------

#: mempool period tokens and the days they reach back; anything else means "all history".
_MEMPOOL_PERIODS = (
    ("24h", 1),
    ("3d", 3),
    ("1w", 7),
    ("1m", 30),
    ("3m", 90),
    ("6m", 180),
    ("1y", 365),
    ("2y", 730),
    ("3y", 1095),
    ("4y", 1460),
)


def mempool_period(start: date, today: date | None = None) -> str:
    """Smallest mempool period token whose window (ending now) still covers ``start``."""
    today = today or datetime.now(UTC).date()
    needed = (today - start).days + 1  # one day of margin: periods are relative to "now"
    for token, days in _MEMPOOL_PERIODS:
        if days >= needed:
            return token
    return "all"


def _mempool_error(body: Any, src: str, url: str) -> None:
    if isinstance(body, dict) and "error" in body:
        raise MarketParseError(src, url, f"error body: {body['error']!r}")


def fetch_difficulty(
    client: HttpClient,
    start: date,
    end: date,
    *,
    today: date | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> FetchedResponse:
    """``/api/v1/mining/difficulty-adjustments/{period}`` with a period that covers ``start``."""
    _check_window(start, end)
    period = mempool_period(start, today)
    return client.get(
        f"{endpoints.mempool}/api/v1/mining/difficulty-adjustments/{period}",
        landing=("mempool", window_key(start, end), f"difficulty-adjustments_{period}"),
    )


def parse_difficulty(
    resp: FetchedResponse, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Difficulty at each retarget (one sample per adjustment day); ``hash_rate_ths`` is null.

    Rows are ``[time_unix_s, height, difficulty, adjustment_ratio]``, newest first.
    """
    src, url = SOURCE_MEMPOOL_DIFFICULTY, resp.url
    body = _json(resp, src)
    _mempool_error(body, src, url)
    if not isinstance(body, list):
        raise MarketParseError(src, url, f"expected a JSON array, got {type(body).__name__}")
    rows = []
    for i, item in enumerate(body):
        if not isinstance(item, list) or len(item) < 3:
            raise MarketParseError(
                src, url, f"row [{i}] is {item!r}, expected [time, height, difficulty, ...]"
            )
        time_s = _number(item[0], src, url, f"[{i}][0] (time)")
        height = _number(item[1], src, url, f"[{i}][1] (height)")
        difficulty = _number(item[2], src, url, f"[{i}][2] (difficulty)")
        rows.append((height, _utc_day(time_s), difficulty))
    rows.sort()
    by_day: dict[date, float] = {}
    for _height, day, difficulty in rows:
        by_day[day] = difficulty  # the later retarget wins if two fall on one UTC day
    frame = _frame(
        [
            {"date": d, "difficulty": v, "hash_rate_ths": None, "source": src}
            for d, v in by_day.items()
        ],
        DIFFICULTY_SCHEMA,
    )
    return _in_window(frame, start, end).sort("date")


def load_difficulty(
    client: HttpClient,
    start: date,
    end: date,
    *,
    today: date | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> pl.DataFrame:
    resp = fetch_difficulty(client, start, end, today=today, endpoints=endpoints)
    return parse_difficulty(resp, start, end)


def fetch_hashrate(
    client: HttpClient,
    start: date,
    end: date,
    *,
    today: date | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> FetchedResponse:
    """``/api/v1/mining/hashrate/{period}`` with a period that covers ``start``."""
    _check_window(start, end)
    period = mempool_period(start, today)
    return client.get(
        f"{endpoints.mempool}/api/v1/mining/hashrate/{period}",
        landing=("mempool", window_key(start, end), f"hashrate_{period}"),
    )


def parse_hashrate(
    resp: FetchedResponse, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Daily network hashrate averages (H/s) from the ``hashrates`` list."""
    src, url = SOURCE_MEMPOOL_HASHRATE, resp.url
    body = _json(resp, src)
    _mempool_error(body, src, url)
    series = _field(body, "hashrates", src, url, "")
    if not isinstance(series, list):
        raise MarketParseError(src, url, "field 'hashrates' is not a list")
    rows = []
    for i, point in enumerate(series):
        where = f"hashrates[{i}]."
        time_s = _number(_field(point, "timestamp", src, url, where), src, url, where + "timestamp")
        value = _number(
            _field(point, "avgHashrate", src, url, where), src, url, where + "avgHashrate"
        )
        rows.append({"date": _utc_day(time_s), "hash_rate_hs": value, "source": src})
    frame = _frame(rows, HASHRATE_SCHEMA)
    _unique_dates(frame, src, url, ["date"])
    return _in_window(frame, start, end).sort("date")


def load_hashrate(
    client: HttpClient,
    start: date,
    end: date,
    *,
    today: date | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> pl.DataFrame:
    resp = fetch_hashrate(client, start, end, today=today, endpoints=endpoints)
    return parse_hashrate(resp, start, end)


# -- mempool.space: daily block subsidy ---------------------------------------------------------


def block_subsidy_sats(height: int) -> int:
    """Consensus subsidy of the block at ``height``: 50 BTC halved every 210,000 blocks."""
    halvings = height // HALVING_INTERVAL
    return 0 if halvings >= 64 else INITIAL_SUBSIDY_SATS >> halvings


def subsidy_sats_between(first_height: int, last_height: int) -> int:
    """Total subsidy of blocks ``first_height..last_height`` inclusive (0 if the range is empty)."""
    total = 0
    height = first_height
    while height <= last_height:
        era_end = (height // HALVING_INTERVAL + 1) * HALVING_INTERVAL - 1
        stop = min(era_end, last_height)
        total += (stop - height + 1) * block_subsidy_sats(height)
        height = stop + 1
    return total


def fetch_block_subsidy(
    client: HttpClient,
    start: date,
    end: date,
    *,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> list[FetchedResponse]:
    """Height of the last block before each UTC midnight bounding ``start..end`` (N+1 calls).

    Uses ``/api/v1/mining/blocks/timestamp/{unix}``, which returns the last block whose timestamp
    is at or before ``unix``; each boundary lands under its own date so daily partitions share
    the same layout.
    """
    _check_window(start, end)
    responses = []
    day = start
    while day <= end + timedelta(days=1):
        moment = _unix(day) - 1  # 23:59:59 of the previous day
        responses.append(
            client.get(
                f"{endpoints.mempool}/api/v1/mining/blocks/timestamp/{moment}",
                landing=("mempool", day.isoformat(), "height_before_midnight"),
            )
        )
        day += timedelta(days=1)
    return responses


def _boundary_moment(resp: FetchedResponse, src: str) -> int:
    tail = resp.url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if not tail.isdigit():
        raise MarketParseError(src, resp.url, "URL does not end with the unix timestamp asked for")
    return int(tail)


def parse_block_subsidy(
    responses: Sequence[FetchedResponse], start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Daily subsidy (BTC, fees excluded) from boundary heights: blocks ``(H(d), H(d+1)]``.

    ``responses`` are the boundary answers of :func:`fetch_block_subsidy` (any order); the
    boundary time is read back from each response URL, so landed copies re-parse offline.
    """
    src = SOURCE_MEMPOOL_SUBSIDY
    heights: dict[date, int] = {}
    for resp in responses:
        body = _json(resp, src)
        _mempool_error(body, src, resp.url)
        height = _number(_field(body, "height", src, resp.url, ""), src, resp.url, "height")
        day = _utc_day(_boundary_moment(resp, src) + 1)
        heights[day] = int(height)
    rows = []
    for day in sorted(heights):
        following = day + timedelta(days=1)
        if following not in heights:
            continue
        first, last = heights[day] + 1, heights[following]
        if last < heights[day]:
            url = next(r.url for r in responses if _utc_day(_boundary_moment(r, src) + 1) == day)
            raise MarketParseError(
                src, url, f"height at end of {day} ({last}) is below the start ({heights[day]})"
            )
        btc = subsidy_sats_between(first, last) / SATS_PER_BTC
        rows.append({"date": day, "block_reward_btc": btc, "source": src})
    return _in_window(_frame(rows, SUBSIDY_SCHEMA), start, end).sort("date")


def load_block_subsidy(
    client: HttpClient,
    start: date,
    end: date,
    *,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> pl.DataFrame:
    return parse_block_subsidy(
        fetch_block_subsidy(client, start, end, endpoints=endpoints), start, end
    )


def landed_block_subsidy(zone: LandingZone, start: date, end: date) -> pl.DataFrame:
    """Re-parse the daily subsidy for ``start..end`` from the landing zone, without network."""
    responses = []
    day = start
    while day <= end + timedelta(days=1):
        resp = zone.latest("mempool", day.isoformat(), "height_before_midnight")
        if resp is None:
            raise FileNotFoundError(
                f"no landed mempool boundary height for {day} under {zone.root}/mempool/{day}"
            )
        responses.append(resp)
        day += timedelta(days=1)
    return parse_block_subsidy(responses, start, end)


# -- blockchain.com charts: daily transaction fees -----------------------------------------------


def fetch_fees(
    client: HttpClient,
    start: date,
    end: date,
    *,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> FetchedResponse:
    """``/charts/transaction-fees`` (BTC per day), unsampled, from ``start`` for the window."""
    _check_window(start, end)
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
    body = _json(resp, src)
    if not isinstance(body, dict):
        raise MarketParseError(src, url, f"expected a JSON object, got {type(body).__name__}")
    status = _field(body, "status", src, url, "")
    if status != "ok":
        raise MarketParseError(src, url, f"status is {status!r}: {body.get('error', '')!r}")
    period = body.get("period")
    if period not in (None, "day"):
        raise MarketParseError(src, url, f"field 'period' is {period!r}, expected 'day'")
    values = _field(body, "values", src, url, "")
    if not isinstance(values, list):
        raise MarketParseError(src, url, "field 'values' is not a list")
    rows = []
    for i, point in enumerate(values):
        where = f"values[{i}]."
        x = _number(_field(point, "x", src, url, where), src, url, where + "x")
        y = _number(_field(point, "y", src, url, where), src, url, where + "y")
        rows.append({"date": _utc_day(x), "transaction_fees_btc": y, "source": src})
    frame = _frame(rows, FEES_SCHEMA)
    _unique_dates(frame, src, url, ["date"])
    return _in_window(frame, start, end).sort("date")


def load_fees(
    client: HttpClient,
    start: date,
    end: date,
    *,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> pl.DataFrame:
    return parse_fees(fetch_fees(client, start, end, endpoints=endpoints), start, end)


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
    _check_window(start, end)
    ticker = ticker.strip().upper()
    params = {
        "period1": _unix(start),
        "period2": _unix(end + timedelta(days=1)),
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
    body = _json(resp, src)
    chart = _field(body, "chart", src, url, "")
    error = chart.get("error") if isinstance(chart, dict) else None
    if error:
        raise MarketParseError(src, url, f"chart.error: {error!r}")
    results = _field(chart, "result", src, url, "chart.")
    if not isinstance(results, list) or not results:
        raise MarketParseError(src, url, "field 'chart.result' is empty")
    result = results[0]
    meta = _field(result, "meta", src, url, "chart.result[0].")
    ticker = _field(meta, "symbol", src, url, "chart.result[0].meta.")
    zone = _exchange_zone(meta)
    stamps = result.get("timestamp") if isinstance(result, dict) else None
    if stamps is None:  # Yahoo omits timestamp/quote arrays when the window has no bars
        return pl.DataFrame(schema=EQUITY_SCHEMA)
    indicators = _field(result, "indicators", src, url, "chart.result[0].")
    quotes = _field(indicators, "quote", src, url, "chart.result[0].indicators.")
    if not isinstance(quotes, list) or not quotes:
        raise MarketParseError(src, url, "field 'chart.result[0].indicators.quote' is empty")
    quote = quotes[0]
    columns = {}
    for key in ("open", "high", "low", "close", "volume"):
        where = "chart.result[0].indicators.quote[0]."
        series = _field(quote, key, src, url, where)
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
        instant = datetime.fromtimestamp(_number(stamp, src, url, f"timestamp[{i}]"), tz=UTC)
        local = instant.astimezone(zone) if isinstance(zone, ZoneInfo) else instant + zone
        values = {
            key: _number(columns[key][i], src, url, f"{key}[{i}]", nullable=True) for key in columns
        }
        rows.append(
            {
                "ticker": str(ticker).upper(),
                "date": local.date(),
                "open": values["open"],
                "high": values["high"],
                "low": values["low"],
                "close": values["close"],
                "adj_close": _number(adj[i], src, url, f"adjclose[{i}]", nullable=True)
                if adj is not None
                else None,
                "volume": values["volume"],
                "source": src,
            }
        )
    frame = _frame(rows, EQUITY_SCHEMA)
    _unique_dates(frame, src, url, ["ticker", "date"])
    return _in_window(frame, start, end).sort("ticker", "date")


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
