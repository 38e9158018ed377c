"""mempool.space: difficulty adjustments, daily hashrate and the daily block subsidy."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl

from dagster_project.sources.http import HttpClient
from dagster_project.sources.landing import FetchedResponse, LandingZone
from dagster_project.sources.market_live.common import (
    DEFAULT_ENDPOINTS,
    DIFFICULTY_SCHEMA,
    HASHRATE_SCHEMA,
    SUBSIDY_SCHEMA,
    LiveEndpoints,
    MarketParseError,
    check_window,
    checked_frame,
    field,
    frame_of,
    in_window,
    json_body,
    number,
    number_field,
    unix_seconds,
    utc_day,
    window_key,
)

SOURCE_MEMPOOL_DIFFICULTY = "mempool:difficulty-adjustments"
SOURCE_MEMPOOL_HASHRATE = "mempool:hashrate"
SOURCE_MEMPOOL_SUBSIDY = "mempool:blocks-timestamp"

SATS_PER_BTC = 100_000_000
HALVING_INTERVAL = 210_000
INITIAL_SUBSIDY_SATS = 50 * SATS_PER_BTC


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


def _fetch_mining(
    client: HttpClient,
    resource: str,
    start: date,
    end: date,
    today: date | None,
    endpoints: LiveEndpoints,
) -> FetchedResponse:
    """``/api/v1/mining/{resource}/{period}`` with a period that covers ``start``."""
    check_window(start, end)
    period = mempool_period(start, today)
    return client.get(
        f"{endpoints.mempool}/api/v1/mining/{resource}/{period}",
        landing=("mempool", window_key(start, end), f"{resource}_{period}"),
    )


def fetch_difficulty(
    client: HttpClient,
    start: date,
    end: date,
    *,
    today: date | None = None,
    endpoints: LiveEndpoints = DEFAULT_ENDPOINTS,
) -> FetchedResponse:
    """``/api/v1/mining/difficulty-adjustments/{period}`` with a period that covers ``start``."""
    return _fetch_mining(client, "difficulty-adjustments", start, end, today, endpoints)


def parse_difficulty(
    resp: FetchedResponse, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Difficulty at each retarget (one sample per adjustment day); ``hash_rate_ths`` is null.

    Rows are ``[time_unix_s, height, difficulty, adjustment_ratio]``, newest first.
    """
    src, url = SOURCE_MEMPOOL_DIFFICULTY, resp.url
    body = json_body(resp, src)
    _mempool_error(body, src, url)
    if not isinstance(body, list):
        raise MarketParseError(src, url, f"expected a JSON array, got {type(body).__name__}")
    rows = []
    for i, item in enumerate(body):
        if not isinstance(item, list) or len(item) < 3:
            raise MarketParseError(
                src, url, f"row [{i}] is {item!r}, expected [time, height, difficulty, ...]"
            )
        time_s = number(item[0], src, url, f"[{i}][0] (time)")
        height = number(item[1], src, url, f"[{i}][1] (height)")
        difficulty = number(item[2], src, url, f"[{i}][2] (difficulty)")
        rows.append((height, utc_day(time_s), difficulty))
    rows.sort()
    by_day: dict[date, float] = {}
    for _height, day, difficulty in rows:
        by_day[day] = difficulty  # the later retarget wins if two fall on one UTC day
    frame = frame_of(
        [
            {"date": d, "difficulty": v, "hash_rate_ths": None, "source": src}
            for d, v in by_day.items()
        ],
        DIFFICULTY_SCHEMA,
    )
    return in_window(frame, start, end).sort("date")


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
    return _fetch_mining(client, "hashrate", start, end, today, endpoints)


def parse_hashrate(
    resp: FetchedResponse, start: date | None = None, end: date | None = None
) -> pl.DataFrame:
    """Daily network hashrate averages (H/s) from the ``hashrates`` list."""
    src, url = SOURCE_MEMPOOL_HASHRATE, resp.url
    body = json_body(resp, src)
    _mempool_error(body, src, url)
    series = field(body, "hashrates", src, url, "")
    if not isinstance(series, list):
        raise MarketParseError(src, url, "field 'hashrates' is not a list")
    rows = []
    for i, point in enumerate(series):
        where = f"hashrates[{i}]."
        time_s = number_field(point, "timestamp", src, url, where)
        value = number_field(point, "avgHashrate", src, url, where)
        rows.append({"date": utc_day(time_s), "hash_rate_hs": value, "source": src})
    return checked_frame(rows, HASHRATE_SCHEMA, src, url, start, end)


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
    check_window(start, end)
    responses = []
    day = start
    while day <= end + timedelta(days=1):
        moment = unix_seconds(day) - 1  # 23:59:59 of the previous day
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
        body = json_body(resp, src)
        _mempool_error(body, src, resp.url)
        height = number_field(body, "height", src, resp.url, "")
        day = utc_day(_boundary_moment(resp, src) + 1)
        heights[day] = int(height)
    rows = []
    for day in sorted(heights):
        following = day + timedelta(days=1)
        if following not in heights:
            continue
        first, last = heights[day] + 1, heights[following]
        if last < heights[day]:
            url = next(r.url for r in responses if utc_day(_boundary_moment(r, src) + 1) == day)
            raise MarketParseError(
                src, url, f"height at end of {day} ({last}) is below the start ({heights[day]})"
            )
        btc = subsidy_sats_between(first, last) / SATS_PER_BTC
        rows.append({"date": day, "block_reward_btc": btc, "source": src})
    return in_window(frame_of(rows, SUBSIDY_SCHEMA), start, end).sort("date")


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
