"""pandera (polars) contracts for the market and network feeds.

Contracts apply to the canonical frames returned by both the snapshot readers and the live
clients, so offline and live rows obey one set of rules.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl


def _today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()


class _DatedFeed(pa.DataFrameModel):
    """Shared: a UTC calendar day that is not in the future, and a source label."""

    date: dt.date = pa.Field(nullable=False)
    source: str = pa.Field(nullable=False)

    class Config:
        strict = False  # the readers add a ``_row`` line-number column

    @pa.check("date", name="not_in_future")
    def _not_future(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(pl.col(data.key) <= pl.lit(_today_utc()))


class BtcPriceDaily(_DatedFeed):
    """BTC/USD daily OHLCV: positive prices, low ≤ open/close ≤ high, one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    open: float = pa.Field(gt=0)
    high: float = pa.Field(gt=0)
    low: float = pa.Field(gt=0)
    close: float = pa.Field(gt=0)
    volume_usd: float = pa.Field(ge=0, nullable=True)

    @pa.dataframe_check(name="low <= open,close <= high")
    def _ohlc_ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        body_low = pl.min_horizontal("open", "close")
        body_high = pl.max_horizontal("open", "close")
        return data.lazyframe.select((pl.col("low") <= body_low) & (body_high <= pl.col("high")))


class NetworkDifficulty(_DatedFeed):
    """Difficulty (dimensionless) and hash rate (TH/s) samples; one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    difficulty: float = pa.Field(gt=0)
    hash_rate_ths: float = pa.Field(gt=0, nullable=True)


class NetworkHashrateDaily(_DatedFeed):
    """Daily network hash rate estimate in H/s; one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    hash_rate_hs: float = pa.Field(gt=0)


class TxFeesDaily(_DatedFeed):
    """Total fees paid to miners per day in BTC; one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    transaction_fees_btc: float = pa.Field(ge=0)


class BlockRewardDaily(_DatedFeed):
    """BTC issued per day by block subsidy (fees excluded); one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    block_reward_btc: float = pa.Field(ge=0)


class MinerEquitiesDaily(_DatedFeed):
    """Miner equity daily OHLCV; one row per (ticker, date) within one source file."""

    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    open: float = pa.Field(gt=0)
    high: float = pa.Field(gt=0)
    low: float = pa.Field(gt=0)
    close: float = pa.Field(gt=0)
    adj_close: float = pa.Field(gt=0, nullable=True)
    volume: float = pa.Field(ge=0, nullable=True)

    class Config:
        strict = False
        unique = ["ticker", "date"]
