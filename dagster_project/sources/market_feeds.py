"""The six market feeds: raw table, pandera contract, snapshot file(s), live loader and
description of each, and the offline read of a feed (plain Python, no Dagster).

``defs/market.py`` makes one asset per feed; ``benchmarks/floor_ingest.py`` reads the same feeds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pandera.polars as pa
import polars as pl

from dagster_project.schemas import market as schemas
from dagster_project.schemas.validation import QUARANTINE_SCHEMA, ROW_COL, unknown_ticker_problems
from dagster_project.settings import Settings, display_path
from dagster_project.sources import market_snapshot as snap
from dagster_project.sources.reference_files import MINERS_FILE, known_tickers
from dagster_project.warehouse import connect, table_exists

#: An incremental read re-reads the days from the last day already in ``raw.<table>`` minus
#: this many days (dbt's ``incremental_lookback_days`` is the same): a value revised within a
#: week still reaches the raw table and the marts; an older revision needs a full build.
INGEST_LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class Feed:
    """What an ingest asset needs to know about one feed."""

    table: str
    model: type[pa.DataFrameModel]
    snapshot_files: tuple[snap.SnapshotFeed, ...]
    live_loader: str  # function name in dagster_project.sources.market_live
    description: str


FEEDS = (
    Feed(
        "btc_price_daily",
        schemas.BtcPriceDaily,
        (snap.BTC_PRICE,),
        "load_btc_price",
        "BTC/USD daily OHLCV (UTC days). Offline: CryptoCompare CCCAGG snapshot; live: "
        "CryptoCompare histoday.",
    ),
    Feed(
        "network_difficulty",
        schemas.NetworkDifficulty,
        (snap.DIFFICULTY,),
        "load_difficulty",
        "Network difficulty and hash rate samples. Offline: blockchain.com 7-day averages every "
        "~4 days; live: mempool.space difficulty adjustments.",
    ),
    Feed(
        "network_hashrate_daily",
        schemas.NetworkHashrateDaily,
        (snap.HASHRATE,),
        "load_hashrate",
        "Daily network hash rate estimate, H/s. Offline: bitcoinvisuals; live: mempool.space.",
    ),
    Feed(
        "tx_fees_daily",
        schemas.TxFeesDaily,
        (snap.FEES,),
        "load_fees",
        "Total transaction fees per day, BTC. Offline: blockchain.com (2024-02 → 2025-02); "
        "live: mempool.space block fees.",
    ),
    Feed(
        "block_reward_daily",
        schemas.BlockRewardDaily,
        (snap.BLOCK_REWARD,),
        "load_block_subsidy",
        "BTC issued per day by the block subsidy, fees excluded. Offline: bitcoinvisuals.",
    ),
    Feed(
        "miner_equities_daily",
        schemas.MinerEquitiesDaily,
        (snap.EQUITIES_YAHOO, snap.EQUITIES_SPOOKY),
        "load_equities",
        "Miner equities daily OHLCV per ticker with the source of each row. Offline: Yahoo "
        "(preferred, to 2024-03-08) and a secondary single-venue file to 2025-04; live: Yahoo "
        "chart API.",
    ),
)


def iter_offline(
    settings: Settings, feed: Feed, *, since: dt.date | None = None
) -> Iterator[tuple[pl.DataFrame, pl.DataFrame, str]]:
    """Each snapshot file of ``feed``, read when the previous one has been consumed: (frame,
    parse and ticker problems, file label); with ``since``, only its rows dated from that day on
    (and any row whose date is unreadable). Every file is checked to exist before the first is
    read, so a missing file fails the step before any work."""
    for f in feed.snapshot_files:
        settings.snapshot_file(f.relative_path)  # clear error naming a missing dir or file
    for f in feed.snapshot_files:
        frame, problems = snap.read_feed(settings.snapshot_dir, f, since=since)
        if "ticker" in frame.columns:  # equities: only tracked miners
            problems = pl.concat(
                [
                    problems,
                    unknown_ticker_problems(
                        frame,
                        known_tickers(settings.raw_dir),
                        dataset=feed.table,
                        file=f.relative_path,
                        known_from=display_path(settings.raw_dir / MINERS_FILE),
                    ),
                ]
            )
        yield frame, problems, f.relative_path
        del frame, problems


def read_offline(
    settings: Settings, feed: Feed, *, since: dt.date | None = None
) -> list[tuple[pl.DataFrame, pl.DataFrame, str]]:
    """Every snapshot file of ``feed`` at once (see :func:`iter_offline`)."""
    return list(iter_offline(settings, feed, since=since))


def reread_lines(parts: list[tuple[pl.DataFrame, pl.DataFrame, str]]) -> pl.DataFrame:
    """(file, row) of every line an incremental read re-read."""
    return pl.concat(
        [
            frame.select(pl.lit(file).alias("file"), pl.col(ROW_COL).alias("row"))
            for frame, _, file in parts
        ]
    )


def incremental_start(build_db: Path, table: str) -> dt.date | None:
    """First day an incremental read of ``table`` must re-read: the last day already in
    ``raw.<table>`` minus :data:`INGEST_LOOKBACK_DAYS`; None (read everything) when the build
    has no such table or it is empty."""
    if not build_db.is_file():
        return None
    with connect(build_db) as con:
        if not table_exists(con, f"raw.{table}"):
            return None
        row = con.execute(f'select max("date") from raw."{table}"').fetchone()
    last = row[0] if row else None
    return None if last is None else last - dt.timedelta(days=INGEST_LOOKBACK_DAYS)


def quarantine_outside_reread(
    build_db: Path,
    dataset: str,
    reread: pl.DataFrame,
    new_quarantine: pl.DataFrame,
) -> pl.DataFrame:
    """The dataset's quarantine after an incremental read: the rows already quarantined for
    lines that were not re-read this time (``reread``: :func:`reread_lines`; kept: raw input is
    never lost), plus the problems found in the lines that were. Loading replaces the dataset's
    quarantine with this."""
    with connect(build_db) as con:
        if not table_exists(con, "raw.quarantine"):
            return new_quarantine
        columns = ", ".join(f'"{c}"' for c in QUARANTINE_SCHEMA)
        old_rows = con.execute(
            f"select {columns} from raw.quarantine where dataset = ?", [dataset]
        ).fetchall()
    old = pl.DataFrame(old_rows, schema=QUARANTINE_SCHEMA, orient="row")
    kept = old.join(reread, on=["file", "row"], how="anti")
    return pl.concat([kept, new_quarantine.cast(QUARANTINE_SCHEMA)])  # type: ignore[arg-type]
