"""Shared parts of the live market clients: canonical frames, endpoints, polite rate limits,
the parse error, the HTTP client factory and the parsing helpers every provider uses."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

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
    check_window(start, end)
    return start.isoformat() if start == end else f"{start.isoformat()}_{end.isoformat()}"


def check_window(start: date, end: date) -> None:
    if end < start:
        raise ValueError(f"window end {end} is before start {start}")


def unix_seconds(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def utc_day(seconds: float) -> date:
    return datetime.fromtimestamp(seconds, tz=UTC).date()


def chunks(start: date, end: date, days: int) -> list[tuple[date, date]]:
    out = []
    cursor = start
    while cursor <= end:
        stop = min(end, cursor + timedelta(days=days - 1))
        out.append((cursor, stop))
        cursor = stop + timedelta(days=1)
    return out


def json_body(resp: FetchedResponse, source: str) -> Any:
    try:
        return json.loads(resp.content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = resp.content[:120].decode("utf-8", errors="replace")
        raise MarketParseError(
            source, resp.url, f"body is not valid JSON ({exc}); starts with {start!r}"
        ) from exc


def field(obj: Any, key: str, source: str, url: str, where: str) -> Any:
    if not isinstance(obj, dict) or key not in obj:
        raise MarketParseError(source, url, f"missing field '{where}{key}'")
    return obj[key]


def number(value: Any, source: str, url: str, where: str, *, nullable: bool = False) -> Any:
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MarketParseError(source, url, f"field '{where}' is {value!r}, expected a number")
    return float(value)


def frame_of(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema=schema) if rows else pl.DataFrame(schema=schema)


def in_window(frame: pl.DataFrame, start: date | None, end: date | None) -> pl.DataFrame:
    if start is not None:
        frame = frame.filter(pl.col("date") >= start)
    if end is not None:
        frame = frame.filter(pl.col("date") <= end)
    return frame


def unique_dates(frame: pl.DataFrame, source: str, url: str, keys: Sequence[str]) -> None:
    dupes = frame.filter(frame.select(list(keys)).is_duplicated())
    if dupes.height:
        first = dupes.row(0, named=True)
        shown = ", ".join(f"{k}={first[k]}" for k in keys)
        raise MarketParseError(source, url, f"{dupes.height} rows repeat the same key ({shown})")


def number_field(obj: Any, key: str, source: str, url: str, where: str) -> float:
    """``obj[key]`` as a number; the error names ``where + key`` when missing or not numeric."""
    return number(field(obj, key, source, url, where), source, url, where + key)


def checked_frame(
    rows: list[dict[str, Any]],
    schema: dict[str, pl.DataType],
    source: str,
    url: str,
    start: date | None,
    end: date | None,
    keys: Sequence[str] = ("date",),
) -> pl.DataFrame:
    """Parsed rows as a frame: one row per ``keys`` (else MarketParseError), inside
    ``start..end``, sorted by ``keys``."""
    frame = frame_of(rows, schema)
    unique_dates(frame, source, url, keys)
    return in_window(frame, start, end).sort(*keys)
