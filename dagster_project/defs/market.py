"""Market and network feeds (group ``market``): one asset per feed into the ``raw`` schema.

Offline (default) each asset reads its snapshot file(s) whole; with ``only_new_days`` (set by
the ``nightly`` job) it reads only the rows dated from its raw table's last day minus a week
and replaces those days, so a nightly run's ingest follows the new days, not the history.
Live, the assets are daily partitioned: a partition (or a backfill range, in one run) is
fetched from the public API, landed unchanged in the landing zone, parsed, validated and
written with delete+insert on its date window, so re-materializing a partition replaces it.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

import dagster as dg
import polars as pl

from dagster_project.defs.loading import (
    IngestConfig,
    load_stream_and_report,
    only_network_faults_retried,
)
from dagster_project.defs.resources import PipelineSettings
from dagster_project.schemas.validation import ROW_COL, ValidationStream, empty_quarantine
from dagster_project.settings import Settings
from dagster_project.sources.market_feeds import (
    FEEDS,
    INGEST_LOOKBACK_DAYS,
    Feed,
    incremental_start,
    iter_offline,
    quarantine_outside_reread,
    read_offline,
    reread_lines,
)

LIVE_START_DATE = "2021-01-01"

daily_partitions = dg.DailyPartitionsDefinition(start_date=LIVE_START_DATE, timezone="UTC")


def tracked_tickers(settings: Settings) -> list[str]:
    """Tickers of the miners reference (data/raw/reference/miners.csv)."""
    path = settings.raw_dir / "reference" / "miners.csv"
    return pl.read_csv(path, infer_schema=False)["ticker"].to_list()


def live_endpoints(settings: Settings):  # noqa: ANN201 - market_live.LiveEndpoints (lazy import)
    """Base URLs of the live APIs; ``MINERPIVOT_ENDPOINT_<NAME>`` overrides one (tests, proxies)."""
    import dataclasses

    from dagster_project.sources.market_live import LiveEndpoints

    known = {f.name for f in dataclasses.fields(LiveEndpoints)}
    return LiveEndpoints(**{k: v for k, v in settings.market_endpoints.items() if k in known})


class MarketIngestConfig(IngestConfig):
    """Run config of a market feed asset (launchpad; the ``nightly`` job sets ``only_new_days``)."""

    only_new_days: bool = False
    """Offline: read only the snapshot rows dated from the raw table's last day minus
    INGEST_LOOKBACK_DAYS (and rows with an unreadable date) and replace those days; the first
    run, or a build without the table, reads everything. Live runs load their partition."""


#: Network-bound steps are retried by Dagster too (after the HTTP layer's own retries gave up):
#: a provider's outage of a few minutes should not cost the night's run.
NETWORK_RETRY = dg.RetryPolicy(max_retries=2, delay=60, backoff=dg.Backoff.EXPONENTIAL)


def _read_live(
    settings: Settings, feed: Feed, start: dt.date, end: dt.date
) -> list[tuple[pl.DataFrame, pl.DataFrame, str]]:
    from dagster_project.sources import market_live

    loader: Callable[..., pl.DataFrame] = getattr(market_live, feed.live_loader)
    endpoints = live_endpoints(settings)
    with market_live.make_market_client(settings) as client:
        if feed.table == "miner_equities_daily":
            frame = loader(client, tracked_tickers(settings), start, end, endpoints=endpoints)
        elif feed.table == "btc_price_daily":
            frame = loader(
                client, start, end, api_key=settings.cryptocompare_api_key, endpoints=endpoints
            )
        else:
            frame = loader(client, start, end, endpoints=endpoints)
    frame = frame.with_row_index(ROW_COL, offset=1).with_columns(pl.col(ROW_COL).cast(pl.Int64))
    return [(frame, empty_quarantine(), f"live:{feed.live_loader}:{start}..{end}")]


def _make_asset(feed: Feed, live: bool) -> dg.AssetsDefinition:
    key = dg.AssetKey(["raw", feed.table])

    @dg.asset(
        key=key,
        group_name="market",
        description=feed.description,
        kinds={"python", "polars", "duckdb"},
        partitions_def=daily_partitions if live else None,
        backfill_policy=dg.BackfillPolicy.single_run() if live else None,
        retry_policy=NETWORK_RETRY if live else None,
        check_specs=[dg.AssetCheckSpec("no_quarantined_rows", asset=key)],
        metadata={
            "dagster/table_name": f"raw.{feed.table}",
            "snapshot_files": ", ".join(f.relative_path for f in feed.snapshot_files),
        },
    )
    def _asset(
        context: dg.AssetExecutionContext, config: MarketIngestConfig, pipeline: PipelineSettings
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        settings = pipeline.settings()
        window = None
        since = None
        parts: Iterable[tuple[pl.DataFrame, pl.DataFrame, str]]
        if context.has_partition_key:
            tw = context.partition_time_window
            window = (tw.start.date(), (tw.end - dt.timedelta(days=1)).date())
            with only_network_faults_retried():
                parts = _read_live(settings, feed, *window)
        elif config.only_new_days and (since := incremental_start(settings.build_db, feed.table)):
            parts = read_offline(settings, feed, since=since)  # a week of rows: kept whole
            reread = reread_lines(parts)
        else:
            parts = iter_offline(settings, feed)
        reread_quarantine = None
        if since is not None:
            # Replace only the days read; the quarantine keeps the lines not re-read.
            window = (since, dt.date.max)
            context.log.info(
                "%s: incremental read from %s (last loaded day minus %d days)",
                feed.table,
                since,
                INGEST_LOOKBACK_DAYS,
            )

            def reread_quarantine(found: pl.DataFrame) -> pl.DataFrame:
                return quarantine_outside_reread(settings.build_db, feed.table, reread, found)

        # Each block of each file is validated, loaded and let go before the next is read
        # (the table is swapped in whole at the end): at 100x the equities' rows are never all
        # held at once.
        stream = ValidationStream(
            parts, feed.model, dataset=feed.table, fail_on_bad_rows=config.fail_on_bad_rows
        )
        del parts
        yield from load_stream_and_report(
            context,
            settings,
            table=feed.table,
            stream=stream,
            window=window,
            final_quarantine=reread_quarantine,
        )

    return _asset


def build_market_assets(live: bool) -> list[dg.AssetsDefinition]:
    """One asset per feed; daily-partitioned when the pipeline runs live."""
    return [_make_asset(feed, live) for feed in FEEDS]
