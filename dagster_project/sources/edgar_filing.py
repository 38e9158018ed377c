"""Ingest named SEC filings only (plain Python, no Dagster import): the per-filing path of the
EDGAR filing sensor, and the way to backfill a list of accessions.

For each accession (of the miners given):

* the filing row comes from the CIK's ``filings.recent`` (one request; older pages only if an
  accession is not there);
* 8-K (items 2.02/7.01/8.01, as the crawl) and 6-K: the filing index and every EX-99.x
  document are landed unchanged and kept as press documents. An exhibit that cannot be
  fetched or holds no text goes to ``raw.quarantine`` with the accession and the reason;
  the other exhibits and filings go on;
* 10-Q/10-K: the XBRL instance gives segment revenue for that filing, and the CIK's
  companyfacts are re-read (they are per company, not per filing);
* anything already in the landing zone (same URL) is read from there, not fetched again,
  so a re-executed run costs no request for the filing's documents.

:func:`upsert_filings` then replaces exactly those filings' rows in the raw tables (delete by
accession, insert), leaving every other filing as the last crawl wrote it. Q4 segment
revenue derived from a 10-K (FY minus three 10-Qs) is left to the nightly crawl, which sees
every quarter at once.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import polars as pl

from dagster_project.schemas.validation import QUARANTINE_SCHEMA, ValidationResult
from dagster_project.sources.edgar import (
    LANDING_SOURCE,
    EdgarClient,
    FilingDocument,
    SecBlockedError,
    _landing_name,
    derive_q4,
    filing_segment_revenue,
    list_filing_documents,
    parse_submissions,
)
from dagster_project.sources.edgar_harvest import (
    FETCH_ERRORS,
    PERIODIC_FORMS,
    PRESS_8K_ITEMS,
    PRESS_FORMS,
    SCHEMAS,
    T_FACTS,
    T_FILINGS,
    T_PRESS,
    T_SEGMENTS,
    TABLES,
    Miner,
    press_exhibit_rows,
    quarantine_row,
    quarterly_segment_rows,
    validated_table,
    with_document_quarantine,
)
from dagster_project.sources.http import HttpError
from dagster_project.sources.landing import FetchedResponse, LandedChecksumError, LandingZone
from dagster_project.sources.segment_mapping import SegmentMapping
from dagster_project.sources.xbrl import XbrlFormatError
from dagster_project.warehouse import connect

log = logging.getLogger(__name__)


@dataclass
class FilingIngest:
    """What ingesting some accessions produced."""

    filings: list[dict[str, Any]] = field(default_factory=list)
    press: list[dict[str, Any]] = field(default_factory=list)
    segments: list[pl.DataFrame] = field(default_factory=list)
    facts: dict[str, pl.DataFrame] = field(default_factory=dict)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[dict[str, str]] = field(default_factory=list)
    not_found: set[str] = field(default_factory=set)
    from_landing: int = 0
    """Documents read from the landing zone instead of fetched again."""

    def quarantine_row(self, table: str, accession: str, url: str, reason: str) -> None:
        self.quarantine.append(quarantine_row(table, accession, url, reason))

    def frames(self) -> dict[str, pl.DataFrame]:
        """The four raw frames for these filings (exact column sets, possibly empty)."""
        segments = [s.select(list(SCHEMAS[T_SEGMENTS])) for s in self.segments]
        return {
            T_FILINGS: pl.DataFrame(self.filings, schema=SCHEMAS[T_FILINGS], orient="row"),
            T_FACTS: (
                pl.concat([f.select(list(SCHEMAS[T_FACTS])) for f in self.facts.values()])
                if self.facts
                else pl.DataFrame(schema=SCHEMAS[T_FACTS])
            ),
            T_SEGMENTS: (
                pl.concat(segments) if segments else pl.DataFrame(schema=SCHEMAS[T_SEGMENTS])
            ),
            T_PRESS: pl.DataFrame(self.press, schema=SCHEMAS[T_PRESS], orient="row"),
        }


class CountingTransport(httpx.BaseTransport):
    """Counts the HTTP requests that reach the network (retries included)."""

    def __init__(self, inner: httpx.BaseTransport | None = None) -> None:
        self.inner = inner or httpx.HTTPTransport()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class _Fetcher:
    """GET through the fair-access client, unless the landing zone already holds the URL."""

    def __init__(self, client: EdgarClient, zone: LandingZone | None, out: FilingIngest) -> None:
        self.client, self.zone, self.out = client, zone, out

    def get(self, url: str, *, cik: int, name: str) -> FetchedResponse:
        if self.zone is not None:
            for meta in reversed(
                self.zone.list(LANDING_SOURCE, f"CIK{cik:010d}", _landing_name(name))
            ):
                try:
                    landed = self.zone.read(meta)
                except LandedChecksumError as exc:  # damaged copy: fetch the document again
                    log.warning("ignoring a damaged landed copy: %s", exc)
                    continue
                if landed.url == url and landed.status < 400:
                    self.out.from_landing += 1
                    return landed
        return self.client.get(url, cik=cik, name=name)


def _filing_documents(fetch: _Fetcher, cik: int, accession: str) -> list[FilingDocument]:
    """The filing index (``-index.htm``, else ``index.json``) as documents."""
    base = fetch.client.filing_dir_url(cik, accession)
    url = f"{base}/{accession}-index.htm"
    try:
        resp = fetch.get(url, cik=cik, name=f"{accession}-index.htm")
    except HttpError as exc:
        if isinstance(exc, SecBlockedError) or exc.status not in (403, 404):
            raise
        url = f"{base}/index.json"
        resp = fetch.get(url, cik=cik, name=f"{accession}-index.json")
    return list_filing_documents(resp.content, source_url=url, www_base=fetch.client.www_base)


def _press_exhibits(
    fetch: _Fetcher, out: FilingIngest, ticker: str, cik: int, filing: dict[str, Any]
) -> list[str]:
    """Fetch one 8-K/6-K's EX-99.x documents; returns the file names kept."""
    acc = filing["accession_number"]
    rows, kept, quarantined = press_exhibit_rows(
        _filing_documents(fetch, cik, acc),
        fetch.get,
        ticker=ticker,
        cik=cik,
        accession=acc,
        form=filing["form"],
        filing_date=filing["filing_date"],
    )
    out.press.extend(rows)
    out.quarantine.extend(quarantined)
    return kept


def _periodic(
    client: EdgarClient,
    out: FilingIngest,
    miner: Miner,
    filing: dict[str, Any],
    mapping: SegmentMapping,
) -> None:
    acc = filing["accession_number"]
    if miner.ticker not in out.facts:
        out.facts[miner.ticker] = derive_q4(client.companyfacts(miner.cik)).with_columns(
            pl.lit(miner.ticker).alias("ticker")
        )
    if not filing["primary_document"] or not filing["is_xbrl"]:
        return
    members, unmapped = filing_segment_revenue(
        client,
        cik=miner.cik,
        ticker=miner.ticker,
        accession=acc,
        primary_document=filing["primary_document"],
        mapping=mapping,
    )
    out.unmapped.extend({"ticker": miner.ticker, "accession": acc, "member": m} for m in unmapped)
    quarters, _annual = quarterly_segment_rows(
        members,
        ticker=miner.ticker,
        accession=acc,
        form=filing["form"],
        filing_date=filing["filing_date"],
        fiscal_year_end_month=miner.fiscal_year_end_month,
        mapping_version=mapping.version,
    )
    out.segments.append(quarters.drop("_period_start"))


def _filing_rows(fetch: _Fetcher, miner: Miner, wanted: set[str]) -> dict[str, dict[str, Any]]:
    client = fetch.client
    url = client.submissions_url(miner.cik)
    resp = client.get(url, cik=miner.cik, name="submissions.json")
    subs = parse_submissions(resp.content, source_url=url)
    found = subs.filter(pl.col("accession_number").is_in(list(wanted)))
    if found.height < len(wanted):  # older than filings.recent: read the extra pages too
        subs = client.submissions(miner.cik)
        found = subs.filter(pl.col("accession_number").is_in(list(wanted)))
    found = found.with_columns(pl.lit(miner.ticker).alias("ticker"))
    return {r["accession_number"]: r for r in found.iter_rows(named=True)}


def ingest_accessions(
    client: EdgarClient,
    miners: list[Miner],
    accessions: list[str],
    mapping: SegmentMapping,
    *,
    landing: LandingZone | None = None,
) -> FilingIngest:
    """Fetch, land and parse only ``accessions`` (of ``miners``); see the module docstring.

    A block page (:class:`SecBlockedError`) propagates. An accession none of ``miners`` lists
    is reported in ``not_found``.
    """
    out = FilingIngest()
    fetch = _Fetcher(client, landing, out)
    wanted = set(accessions)
    for miner in miners:
        rows = _filing_rows(fetch, miner, wanted)
        for acc, filing in rows.items():
            wanted.discard(acc)
            base_form = filing["form"].removesuffix("/A")
            exhibits = None
            if base_form in PRESS_FORMS and (
                base_form == "6-K" or PRESS_8K_ITEMS.intersection(filing["items"] or [])
            ):
                try:
                    exhibits = _press_exhibits(fetch, out, miner.ticker, miner.cik, filing)
                except SecBlockedError:
                    raise
                except FETCH_ERRORS as exc:
                    url = client.filing_dir_url(miner.cik, acc)
                    out.quarantine_row(T_PRESS, acc, url, f"filing index unreadable: {exc}")
            if base_form in PERIODIC_FORMS:
                try:
                    _periodic(client, out, miner, filing, mapping)
                except SecBlockedError:
                    raise
                except (*FETCH_ERRORS, XbrlFormatError) as exc:
                    url = client.filing_dir_url(miner.cik, acc)
                    out.quarantine_row(T_SEGMENTS, acc, url, f"XBRL unreadable: {exc}")
            out.filings.append({**filing, "exhibits": exhibits})
    out.not_found = wanted
    return out


def _replace_rows(
    con: Any, table: str, frame: pl.DataFrame, key_column: str, keys: list[str]
) -> None:
    """Delete the rows of ``keys`` then insert ``frame`` (one transaction; table made if new)."""
    con.register("_incoming", frame.to_arrow())
    try:
        con.execute("begin transaction")
        try:
            con.execute(
                f'create table if not exists raw."{table}" as select * from _incoming limit 0'
            )
            if keys:
                con.execute(
                    f'delete from raw."{table}" where "{key_column}" in '
                    f"(select unnest(?::varchar[]))",
                    [keys],
                )
            con.execute(f'insert into raw."{table}" by name select * from _incoming')
            con.execute("commit")
        except Exception:
            con.execute("rollback")
            raise
    finally:
        con.unregister("_incoming")


def upsert_filings(
    build_db: Path, ingest: FilingIngest, accessions: list[str], *, fail_on_bad_rows: bool
) -> dict[str, ValidationResult]:
    """Validate the filings' frames and replace exactly their rows in the raw tables.

    ``raw.quarantine`` rows of these accessions (from an earlier attempt) are replaced by this
    attempt's: fetch/parse failures and rows breaking the pandera contracts.
    """
    frames = ingest.frames()
    label = f"EDGAR {', '.join(accessions)}"
    results = {
        t: with_document_quarantine(
            validated_table(frames[t], t, label, fail_on_bad_rows), t, ingest.quarantine
        )
        for t in TABLES
    }
    tickers = sorted(ingest.facts)
    keys = {
        T_FILINGS: ("accession_number", accessions),
        T_PRESS: ("accession_number", accessions),
        T_SEGMENTS: ("source_url", accessions),
        T_FACTS: ("ticker", tickers),
    }
    quarantine = pl.concat(
        [r.quarantine.select(list(QUARANTINE_SCHEMA)) for r in results.values()]
    ).with_columns(pl.lit(dt.datetime.now(dt.UTC).replace(tzinfo=None)).alias("loaded_at"))
    files = [f"EDGAR {a}" for a in accessions] + [label]
    with connect(build_db) as con:
        con.execute('create schema if not exists "raw"')
        for table, result in results.items():
            column, values = keys[table]
            if table == T_FACTS and not values:
                continue
            _replace_rows(con, table, result.valid, column, values)
        con.execute(
            """create table if not exists raw.quarantine (
                dataset varchar, file varchar, "row" bigint, "column" varchar, "check" varchar,
                value varchar, reason varchar, loaded_at timestamp)"""
        )
        _replace_rows(con, "quarantine", quarantine, "file", files)
    return results
