"""Live market and network feeds: fetch (network, lands raw bytes) + parse (pure, offline).

One module per provider (``cryptocompare``, ``mempool``, ``blockchain_com``, ``yahoo``) over
``common``; this package exports their public functions, so callers import from here.

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

from dagster_project.sources.market_live.blockchain_com import (
    SOURCE_BLOCKCHAIN_FEES,
    fetch_fees,
    load_fees,
    parse_fees,
)
from dagster_project.sources.market_live.common import (
    DEFAULT_ENDPOINTS,
    DEFAULT_RATE_LIMITS,
    DIFFICULTY_SCHEMA,
    EQUITY_SCHEMA,
    FEES_SCHEMA,
    HASHRATE_SCHEMA,
    PRICE_SCHEMA,
    SUBSIDY_SCHEMA,
    LiveEndpoints,
    MarketParseError,
    make_market_client,
    window_key,
)
from dagster_project.sources.market_live.cryptocompare import (
    CRYPTOCOMPARE_MAX_LIMIT,
    SOURCE_CRYPTOCOMPARE,
    cryptocompare_error,
    fetch_btc_price,
    load_btc_price,
    parse_btc_price,
)
from dagster_project.sources.market_live.mempool import (
    SOURCE_MEMPOOL_DIFFICULTY,
    SOURCE_MEMPOOL_HASHRATE,
    SOURCE_MEMPOOL_SUBSIDY,
    block_subsidy_sats,
    fetch_block_subsidy,
    fetch_difficulty,
    fetch_hashrate,
    landed_block_subsidy,
    load_block_subsidy,
    load_difficulty,
    load_hashrate,
    mempool_period,
    parse_block_subsidy,
    parse_difficulty,
    parse_hashrate,
    subsidy_sats_between,
)
from dagster_project.sources.market_live.yahoo import (
    SOURCE_YAHOO,
    fetch_equity,
    load_equities,
    parse_equity,
)

__all__ = [
    "CRYPTOCOMPARE_MAX_LIMIT",
    "DEFAULT_ENDPOINTS",
    "DEFAULT_RATE_LIMITS",
    "DIFFICULTY_SCHEMA",
    "EQUITY_SCHEMA",
    "FEES_SCHEMA",
    "HASHRATE_SCHEMA",
    "PRICE_SCHEMA",
    "SOURCE_BLOCKCHAIN_FEES",
    "SOURCE_CRYPTOCOMPARE",
    "SOURCE_MEMPOOL_DIFFICULTY",
    "SOURCE_MEMPOOL_HASHRATE",
    "SOURCE_MEMPOOL_SUBSIDY",
    "SOURCE_YAHOO",
    "SUBSIDY_SCHEMA",
    "LiveEndpoints",
    "MarketParseError",
    "block_subsidy_sats",
    "cryptocompare_error",
    "fetch_block_subsidy",
    "fetch_btc_price",
    "fetch_difficulty",
    "fetch_equity",
    "fetch_fees",
    "fetch_hashrate",
    "landed_block_subsidy",
    "load_block_subsidy",
    "load_btc_price",
    "load_difficulty",
    "load_equities",
    "load_fees",
    "load_hashrate",
    "make_market_client",
    "mempool_period",
    "parse_block_subsidy",
    "parse_btc_price",
    "parse_difficulty",
    "parse_equity",
    "parse_fees",
    "parse_hashrate",
    "subsidy_sats_between",
    "window_key",
]
