"""pandera (polars) contracts for the market and network feeds.

Contracts apply to the canonical frames returned by both the snapshot readers and the live
clients, so offline and live rows obey one set of rules.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

# Plausible ranges (units in each model's docstring). They are far outside anything observed in
# the snapshot (docs/reliability.md gives the observed maxima) but stop unit and typo errors such
# as fees of 1e12 BTC per day from reaching a mart.
MAX_BTC_USD = 10_000_000.0
MAX_HASHRATE_HS = 1e23
MAX_FEES_BTC_PER_DAY = 5_000.0  # ~144 blocks x ~35 BTC; the snapshot's maximum is ~1,258
MAX_SUBSIDY_BTC_PER_DAY = 50_000.0  # 2010 saw ~700 blocks/day x 50 BTC; snapshot max 34,600
MAX_SHARE_USD = 100_000.0


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
    """BTC/USD daily OHLCV: prices in USD in (0, 10 M], low ≤ open/close ≤ high, one row per date;
    volume in USD per day in [0, 1e12]."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    open: float = pa.Field(gt=0, le=MAX_BTC_USD)
    high: float = pa.Field(gt=0, le=MAX_BTC_USD)
    low: float = pa.Field(gt=0, le=MAX_BTC_USD)
    close: float = pa.Field(gt=0, le=MAX_BTC_USD)
    volume_usd: float = pa.Field(ge=0, le=1e12, nullable=True)

    @pa.dataframe_check(name="low <= open,close <= high")
    def _ohlc_ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        body_low = pl.min_horizontal("open", "close")
        body_high = pl.max_horizontal("open", "close")
        return data.lazyframe.select((pl.col("low") <= body_low) & (body_high <= pl.col("high")))


class NetworkDifficulty(_DatedFeed):
    """Difficulty (dimensionless, ≤ 1e16) and hash rate (TH/s, ≤ 1e11 = 100 ZH/s) samples; one row
    per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    difficulty: float = pa.Field(gt=0, le=1e16)
    hash_rate_ths: float = pa.Field(gt=0, le=MAX_HASHRATE_HS / 1e12, nullable=True)


class NetworkHashrateDaily(_DatedFeed):
    """Daily network hash rate estimate in H/s (≤ 1e23 = 100 ZH/s); one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    hash_rate_hs: float = pa.Field(gt=0, le=MAX_HASHRATE_HS)


class TxFeesDaily(_DatedFeed):
    """Total fees paid to miners per day in BTC, in [0, 5,000]; one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    transaction_fees_btc: float = pa.Field(ge=0, le=MAX_FEES_BTC_PER_DAY)


class BlockRewardDaily(_DatedFeed):
    """BTC issued per day by block subsidy (fees excluded), in [0, 50,000]; one row per date."""

    date: dt.date = pa.Field(nullable=False, unique=True)
    block_reward_btc: float = pa.Field(ge=0, le=MAX_SUBSIDY_BTC_PER_DAY)


class MinerEquitiesDaily(_DatedFeed):
    """Miner equity daily OHLCV: prices in USD per share in (0, 100,000], volume in shares per day
    in [0, 1e10]; one row per (ticker, date) within one source file. The ticker must be a
    tracked miner (checked against miners.csv by the reader)."""

    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    open: float = pa.Field(gt=0, le=MAX_SHARE_USD)
    high: float = pa.Field(gt=0, le=MAX_SHARE_USD)
    low: float = pa.Field(gt=0, le=MAX_SHARE_USD)
    close: float = pa.Field(gt=0, le=MAX_SHARE_USD)
    adj_close: float = pa.Field(gt=0, le=MAX_SHARE_USD, nullable=True)
    volume: float = pa.Field(ge=0, le=1e10, nullable=True)

    class Config:
        strict = False
        unique = ["ticker", "date"]
