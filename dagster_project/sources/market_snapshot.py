"""Offline readers for the market snapshot (``$MINERPIVOT_SNAPSHOT_DIR/market``).

Each reader returns the canonical frame of its feed (the live clients return the same columns)
plus a ``_row`` line number and a quarantine frame of values that did not parse. Units follow
``market/SOURCES.md`` of the snapshot; renames here are the only transformation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dagster_project.sources.csv_reader import read_typed_csv

F64 = pl.Float64()
DATE = pl.Date()
STR = pl.Utf8()


@dataclass(frozen=True)
class SnapshotFeed:
    """One snapshot file: where it lives, what it holds and how its columns are renamed."""

    dataset: str
    relative_path: str
    columns: dict[str, pl.DataType]
    renames: dict[str, str]
    description: str

    @property
    def source(self) -> str:
        return f"snapshot:{self.relative_path}"


BTC_PRICE = SnapshotFeed(
    dataset="btc_price_daily",
    relative_path="market/btc_usd_daily_cccagg.csv",
    columns={"date": DATE, "open": F64, "high": F64, "low": F64, "close": F64, "volume_usd": F64},
    renames={},
    description="BTC/USD daily OHLCV, CryptoCompare CCCAGG index, UTC days.",
)
DIFFICULTY = SnapshotFeed(
    dataset="network_difficulty",
    relative_path="market/btc_difficulty_hashrate_4d_blockchaincom.csv",
    columns={"date": DATE, "difficulty_7d_avg": F64, "hash_rate_ths_7d_avg": F64},
    renames={"difficulty_7d_avg": "difficulty", "hash_rate_ths_7d_avg": "hash_rate_ths"},
    description="Difficulty and hash rate (TH/s), 7-day averages sampled every 4 days "
    "(blockchain.com charts).",
)
HASHRATE = SnapshotFeed(
    dataset="network_hashrate_daily",
    relative_path="market/btc_hashrate_daily_bitcoinvisuals.csv",
    columns={"date": DATE, "hash_rate_hs": F64},
    renames={},
    description="Daily network hash rate estimate in H/s (bitcoinvisuals).",
)
FEES = SnapshotFeed(
    dataset="tx_fees_daily",
    relative_path="market/btc_tx_fees_daily_blockchaincom.csv",
    columns={"date": DATE, "transaction_fees_btc": F64},
    renames={},
    description="Total transaction fees paid to miners per day, BTC (blockchain.com).",
)
BLOCK_REWARD = SnapshotFeed(
    dataset="block_reward_daily",
    relative_path="market/btc_block_reward_daily_bitcoinvisuals.csv",
    columns={"date": DATE, "block_reward_btc": F64},
    renames={},
    description="BTC issued per day by block subsidy, fees excluded (bitcoinvisuals).",
)
_EQUITY_COLUMNS = {
    "ticker": STR,
    "date": DATE,
    "open": F64,
    "high": F64,
    "low": F64,
    "close": F64,
    "adj_close": F64,
    "volume": F64,
}
EQUITIES_YAHOO = SnapshotFeed(
    dataset="miner_equities_daily",
    relative_path="market/miner_stocks_daily_yahoo_2023_2024q1.csv",
    columns=_EQUITY_COLUMNS,
    renames={},
    description="Miner equities daily OHLCV, Yahoo Finance, consolidated volume (preferred).",
)
EQUITIES_SPOOKY = SnapshotFeed(
    dataset="miner_equities_daily",
    relative_path="market/miner_stocks_daily_spookylabs_2023_2025q1.csv",
    columns=_EQUITY_COLUMNS,
    renames={},
    description="Miner equities daily bars to 2025-04 (secondary; single-venue volume).",
)


def read_feed(
    snapshot_dir: Path, feed: SnapshotFeed, *, since: dt.date | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Read one snapshot feed into its canonical frame (+ ``source``) and parse problems;
    with ``since``, only the rows dated from that day on (and the undated ones)."""
    path = snapshot_dir / feed.relative_path
    frame, problems = read_typed_csv(
        path, feed.columns, dataset=feed.dataset, display_name=feed.relative_path, since=since
    )
    frame = frame.rename(feed.renames).with_columns(pl.lit(feed.source).alias("source"))
    return frame, problems
