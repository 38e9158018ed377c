"""SEC EDGAR ingest (group ``filings``): filings, XBRL facts, segment revenue, press exhibits.

One multi-asset writes the four raw tables in one pass over the tracked miners, so a run
shares ONE :class:`~dagster_project.sources.edgar.EdgarClient` (SEC fair access: one
rate limiter, one block state) across every CIK:

* ``raw.sec_filings``          submissions (10-K, 10-Q, 8-K, 20-F, 40-F, 6-K and /A)
* ``raw.sec_xbrl_facts``       companyfacts, long, with derived Q4 rows (``derived = true``)
* ``raw.sec_segment_revenue``  per 10-Q/10-K XBRL instance, mapped through the versioned
  member mapping, in the column contract of the curated ``raw.reported_segment_revenue``
* ``raw.sec_press_documents``  exhibit 99.x of 8-K/6-K filings (text) for the press extraction

Live (``MINERPIVOT_MODE=live``): fetches from EDGAR (responses land in the landing zone
first). Base URLs can be pointed elsewhere with ``MINERPIVOT_SEC_DATA_BASE`` /
``MINERPIVOT_SEC_WWW_BASE`` (tests use a local server). Offline (default): no network;
re-parses the latest landed EDGAR responses if any, else writes empty tables.
"""

import datetime as dt
import time
from collections.abc import Iterator
from typing import Any

import dagster as dg
import polars as pl

from dagster_project.defs.loading import (
    markdown_table,
    only_network_faults_retried,
    quarantine_check,
)
from dagster_project.defs.market import NETWORK_RETRY
from dagster_project.defs.resources import PipelineSettings
from dagster_project.settings import Settings
from dagster_project.sources.edgar import EdgarClient, make_edgar_client
from dagster_project.sources.edgar_filing import (
    CountingTransport,
    ingest_accessions,
    upsert_filings,
)
from dagster_project.sources.edgar_harvest import (
    OFFLINE_EMPTY,
    T_FACTS,
    T_FILINGS,
    T_PRESS,
    T_SEGMENTS,
    TABLES,
    EdgarHarvest,
    corrupt_landing_quarantine,
    harvest,
    harvest_frames,
    load_harvest,
    raise_for_corrupt_landing,
    read_miners,
    replay_client,
)
from dagster_project.sources.landing import LandingZone
from dagster_project.sources.segment_mapping import load_segment_mapping

GROUP = "filings"

DESCRIPTIONS = {
    T_FILINGS: "SEC filings (10-K, 10-Q, 8-K, 20-F, 40-F, 6-K and amendments) of every tracked "
    "miner with a CIK, from EDGAR submissions: form, dates, accession, primary document, 8-K "
    "items and the exhibit files fetched.",
    T_FACTS: "XBRL companyfacts of every tracked miner, one row per fact per filing that "
    "reported it (restatements kept), plus derived Q4 rows (FY - Q1 - Q2 - Q3, derived=true).",
    T_SEGMENTS: "Quarterly revenue by canonical segment read from each 10-Q/10-K XBRL instance "
    "since the configured date, mapped through data/raw/filings/segment_member_map.csv; same "
    "columns and pandera contract as raw.reported_segment_revenue (source_url = accession).",
    T_PRESS: "Exhibit 99.x documents (press releases) of 8-K (items 2.02/7.01/8.01) and 6-K "
    "filings, decoded to text, for the press-release extraction.",
}


class EdgarIngestConfig(dg.Config):
    """Run config of the EDGAR ingest (editable in the launchpad)."""

    since: str = "2023-01-01"
    """Only filings filed on or after this date get their XBRL instance / exhibits fetched."""
    tickers: list[str] = []
    """Restrict to these tickers (empty = every miner with a CIK)."""
    fetch_press: bool = True
    """Fetch exhibit 99.x of 8-K / 6-K filings."""
    fail_on_bad_rows: bool = False
    """Fail the run on any row breaking its contract instead of quarantining it."""
    accessions: list[str] = []
    """Ingest only these filings (accession numbers, e.g. 0001839341-25-000012) of ``tickers``
    and replace just their rows; empty = the full crawl. Set by the EDGAR filing sensor; also
    the way to backfill a list of filings."""


# ====================================================================== the asset


def _specs() -> list[dg.AssetSpec]:
    return [
        dg.AssetSpec(
            key=dg.AssetKey(["raw", table]),
            group_name=GROUP,
            description=DESCRIPTIONS[table],
            kinds={"python", "polars", "duckdb"},
            deps=[dg.AssetKey(["raw", "miners"])],
            metadata={"dagster/table_name": f"raw.{table}"},
        )
        for table in TABLES
    ]


def build_filings_assets(live: bool) -> list[dg.AssetsDefinition]:
    """The EDGAR ingest multi-asset (``raw/sec_*``) for live or offline mode.

    ``live`` only changes the op description shown in the UI; the mode actually used is
    the ``pipeline`` resource's, so tests can run either path.
    """
    specs = _specs()
    checks = [dg.AssetCheckSpec("no_quarantined_rows", asset=s.key) for s in specs]

    @dg.multi_asset(
        name="sec_edgar",
        specs=specs,
        retry_policy=NETWORK_RETRY if live else None,
        check_specs=checks,
        description=(
            "Fetch SEC EDGAR submissions, companyfacts, 10-Q/10-K XBRL and 8-K/6-K exhibits "
            "with one fair-access client"
            if live
            else "Re-parse landed EDGAR responses (no network), else write empty tables"
        ),
    )
    def sec_edgar(
        context: dg.AssetExecutionContext, config: EdgarIngestConfig, pipeline: PipelineSettings
    ) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
        settings = pipeline.settings()
        # Only network faults that may pass are retried by the step's RetryPolicy; a block page,
        # a bad setting, an accession never filed or a parse error fail at once.
        with only_network_faults_retried():
            yield from _sec_edgar(context, settings, config)

    return [sec_edgar]


def _sec_edgar(
    context: dg.AssetExecutionContext, settings: Settings, config: EdgarIngestConfig
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """The EDGAR ingest: named accessions only, or the full crawl."""
    if config.accessions:
        yield from _ingest_accessions(context, settings, config)
        return
    mode_note: str
    if settings.mode == "live":
        data_base, www_base = settings.sec_data_base, settings.sec_www_base
        client: EdgarClient | None = make_edgar_client(
            settings, data_base=data_base, www_base=www_base
        )
        landed = None
        mode_note = f"mode: live, {data_base} + {www_base}"
    else:
        replay = replay_client(settings)
        client, landed = replay if replay else (None, None)
        mode_note = (
            f"mode: offline, replaying {len(landed.index)} landed EDGAR responses"
            if landed
            else OFFLINE_EMPTY
        )
    h = EdgarHarvest()
    if client is not None:
        miners = read_miners(settings, config.tickers)
        mapping = load_segment_mapping(settings.raw_dir / "filings" / "segment_member_map.csv")
        try:
            h = harvest(
                client,
                miners,
                mapping,
                since=dt.date.fromisoformat(config.since),
                fetch_press=config.fetch_press,
                landed=landed,
            )
        finally:
            client.close()
        if landed is None and miners and h.ciks_ok == 0:
            raise dg.Failure(
                "EDGAR: no CIK could be read; first problems: "
                + "; ".join(p["error"] for p in h.problems[:3])
            )
    frames = harvest_frames(h)
    yield from _load(context, settings, frames, h, mode_note, config.fail_on_bad_rows)


def _ingest_accessions(
    context: dg.AssetExecutionContext, settings: Settings, config: EdgarIngestConfig
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    """The per-filing path (sensor runs, backfills): see ``sources/edgar_filing.py``."""
    counter = CountingTransport()
    if settings.mode == "live":
        data_base, www_base = settings.sec_data_base, settings.sec_www_base
        client = make_edgar_client(
            settings, data_base=data_base, www_base=www_base, transport=counter
        )
        mode_note = f"mode: live, filings {', '.join(config.accessions)}"
    else:
        replay = replay_client(settings)
        if replay is None:
            raise dg.Failure(f"offline: no EDGAR response landed for {config.accessions}")
        client = replay[0]
        mode_note = f"mode: offline replay, filings {', '.join(config.accessions)}"
    miners = read_miners(settings, config.tickers)
    mapping = load_segment_mapping(settings.raw_dir / "filings" / "segment_member_map.csv")
    started = time.monotonic()
    try:
        ingest = ingest_accessions(
            client,
            miners,
            config.accessions,
            mapping,
            landing=LandingZone(settings.landing_dir),
        )
    finally:
        client.close()
    if ingest.not_found:
        raise dg.Failure(
            f"EDGAR: {sorted(ingest.not_found)} not in the submissions of "
            f"{[m.ticker for m in miners]}",
            allow_retries=False,  # a wrong accession/ticker pair stays wrong
        )
    results = upsert_filings(
        settings.build_db, ingest, config.accessions, fail_on_bad_rows=config.fail_on_bad_rows
    )
    context.log.info(
        "filings %s: %d HTTP requests, %d documents from the landing zone, %d quarantined, %.2f s",
        config.accessions,
        counter.requests,
        ingest.from_landing,
        len(ingest.quarantine),
        time.monotonic() - started,
    )
    for table, result in results.items():
        key = dg.AssetKey(["raw", table])
        yield dg.MaterializeResult(
            asset_key=key,
            metadata={
                "rows_upserted": dg.MetadataValue.int(result.valid.height),
                "rows_quarantined": dg.MetadataValue.int(result.quarantined_rows),
                "accessions": dg.MetadataValue.json(config.accessions),
                "http_requests": dg.MetadataValue.int(counter.requests),
                "documents_from_landing_zone": dg.MetadataValue.int(ingest.from_landing),
                "documents_quarantined": dg.MetadataValue.int(len(ingest.quarantine)),
                "mode": dg.MetadataValue.text(mode_note),
            },
        )
        failed = [q for q in ingest.quarantine if q["dataset"] == table]
        check = quarantine_check(result, table)
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name=check.check_name,
            passed=check.passed and not failed,
            severity=check.severity,
            description=check.description,
            metadata={
                **check.metadata,
                "documents_quarantined": dg.MetadataValue.md(
                    markdown_table(pl.DataFrame(failed).select("value", "reason"))
                    if failed
                    else "none"
                ),
            },
        )


def _load(
    context: dg.AssetExecutionContext,
    settings: Settings,
    frames: dict[str, pl.DataFrame],
    h: EdgarHarvest,
    mode_note: str,
    fail: bool,
) -> Iterator[dg.MaterializeResult | dg.AssetCheckResult]:
    results = load_harvest(
        settings.build_db,
        frames,
        fail_on_bad_rows=fail,
        landing_quarantine=corrupt_landing_quarantine(h),
        documents_quarantined=h.quarantine,
    )
    raise_for_corrupt_landing(h)  # after the load: the damage is in raw.quarantine
    for m in h.unmapped:
        context.log.warning(f"{m['ticker']} {m['accession']}: unmapped member {m['member']}")
    for table, result in results.items():
        key = dg.AssetKey(["raw", table])
        metadata: dict[str, Any] = {
            "dagster/row_count": dg.MetadataValue.int(result.valid.height),
            "rows_quarantined": dg.MetadataValue.int(result.quarantined_rows),
            "mode": dg.MetadataValue.text(mode_note),
            "warehouse": dg.MetadataValue.path(str(settings.build_db)),
        }
        if result.valid.height:
            preview = result.valid.drop("content", strict=False).tail(5)
            metadata["preview"] = dg.MetadataValue.md(markdown_table(preview))
        if table == T_SEGMENTS:
            metadata["filings_parsed"] = dg.MetadataValue.int(h.filings_parsed)
            metadata["unmapped_members"] = dg.MetadataValue.md(
                markdown_table(pl.DataFrame(h.unmapped)) if h.unmapped else "none"
            )
        if table == T_FILINGS:
            metadata["ciks_read"] = dg.MetadataValue.int(h.ciks_ok)
            metadata["fetch_problems"] = dg.MetadataValue.md(
                markdown_table(pl.DataFrame(h.problems)) if h.problems else "none"
            )
        yield dg.MaterializeResult(asset_key=key, metadata=metadata)
        check = quarantine_check(result, table)
        yield dg.AssetCheckResult(
            asset_key=key,
            check_name=check.check_name,
            passed=check.passed,
            severity=check.severity,
            description=check.description,
            metadata=check.metadata,
        )
