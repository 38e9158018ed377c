"""Watch EDGAR for new filings of the tracked miners (plain Python, no Dagster import).

One poll reads ``data.sec.gov/submissions/CIK##########.json`` once per tracked CIK (only the
``filings.recent`` block: never the older ``filings.files[]`` pages) through the shared
fair-access client, and diffs it against a cursor ``{cik: last accession seen}``:

* a CIK seen for the first time is *baselined*: its newest accession becomes the cursor and
  nothing is requested (the nightly crawl, or a backfill, covers history);
* otherwise every watched filing listed above the cursor accession (``filings.recent`` is
  newest first) is new;
* if the cursor accession is no longer in ``filings.recent`` (it only lists the latest ~1,000
  filings or one year), the CIK is re-baselined and a problem is reported rather than a flood
  of runs.

The cursor is the whole state: the Dagster sensor (``defs/freshness.py``) stores it as JSON in
its own cursor, so a filing reported once is never reported again.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from dagster_project.sources.edgar import (
    EdgarClient,
    EdgarFormatError,
    SecBlockedError,
    parse_submissions,
)
from dagster_project.sources.http import HttpError

log = logging.getLogger(__name__)

#: Forms a new filing of which triggers a run (and their amendments).
WATCHED_FORMS: tuple[str, ...] = ("8-K", "6-K", "10-Q", "10-K")


@dataclass(frozen=True)
class TrackedMiner:
    """A miner the watch polls: its ticker and SEC CIK."""

    ticker: str
    cik: int


@dataclass(frozen=True)
class NewFiling:
    """One filing the cursor had not seen."""

    ticker: str
    cik: int
    accession: str
    form: str
    filing_date: date


@dataclass
class PollResult:
    """What one poll found, the next cursor and the CIKs it could not read."""

    new: list[NewFiling] = field(default_factory=list)
    cursor: dict[str, str] = field(default_factory=dict)
    baselined: list[str] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    requests: int = 0


def tracked_miners(miners_csv: Path) -> list[TrackedMiner]:
    """Miners with a CIK in the reference file (``data/raw/reference/miners.csv``).

    Read from the CSV, not the warehouse, so a poll never opens the DuckDB file a run writes.
    """
    df = pl.read_csv(miners_csv, infer_schema=False)
    missing = {"ticker", "sec_cik"} - set(df.columns)
    if missing:
        raise ValueError(f"{miners_csv}: missing column(s) {sorted(missing)}")
    out = []
    for i, (ticker, cik) in enumerate(df.select("ticker", "sec_cik").iter_rows(), start=2):
        if cik is None or not cik.strip():
            continue
        if not cik.strip().isdigit():
            raise ValueError(f"{miners_csv} row {i} field sec_cik: {cik!r} is not a number")
        out.append(TrackedMiner(ticker=ticker, cik=int(cik)))
    return out


def load_cursor(text: str | None) -> dict[str, str]:
    """The cursor ``{cik: accession}`` from its JSON text (empty when none yet)."""
    if not text:
        return {}
    value = json.loads(text)
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    ):
        raise ValueError(f"EDGAR watch cursor must be a JSON object of strings, got {text[:80]!r}")
    return value


def dump_cursor(cursor: dict[str, str]) -> str:
    return json.dumps(cursor, sort_keys=True, separators=(",", ":"))


def recent_filings(client: EdgarClient, cik: int) -> pl.DataFrame:
    """Watched filings in ``filings.recent`` of one CIK, newest first (one request)."""
    url = client.submissions_url(cik)
    resp = client.get(url, cik=cik, name="submissions.json")
    return parse_submissions(resp.content, source_url=url, forms=WATCHED_FORMS)


def diff_filings(recent: pl.DataFrame, last_seen: str | None) -> tuple[list[dict], str | None]:
    """New rows of ``recent`` (newest first) above ``last_seen``, and the new cursor value.

    Returns ``([], newest)`` to baseline when ``last_seen`` is None or no longer listed.
    """
    rows = recent.sort("filing_date", descending=True, maintain_order=True).to_dicts()
    newest = rows[0]["accession_number"] if rows else last_seen
    if last_seen is None:
        return [], newest
    new = []
    for row in rows:
        if row["accession_number"] == last_seen:
            return new, newest
        new.append(row)
    return [], newest  # cursor fell out of filings.recent: re-baseline (caller reports it)


def poll(client: EdgarClient, miners: list[TrackedMiner], cursor: dict[str, str]) -> PollResult:
    """One pass over ``miners``: new filings (oldest first) and the next cursor.

    A CIK that cannot be read keeps its cursor and is retried next poll; a block page
    (:class:`SecBlockedError`) stops the poll at once, keeping what was read so far.
    """
    out = PollResult(cursor=dict(cursor))
    for miner in miners:
        key = str(miner.cik)
        try:
            out.requests += 1
            recent = recent_filings(client, miner.cik)
        except SecBlockedError as exc:
            out.problems.append({"ticker": miner.ticker, "error": f"blocked: {exc}"[:300]})
            break
        except (HttpError, EdgarFormatError) as exc:
            log.warning("%s submissions: %s", miner.ticker, exc)
            out.problems.append({"ticker": miner.ticker, "error": str(exc)[:300]})
            continue
        last = cursor.get(key)
        new, newest = diff_filings(recent, last)
        if last is not None and newest != last and not new:
            out.problems.append(
                {
                    "ticker": miner.ticker,
                    "error": f"cursor accession {last} no longer in filings.recent; re-baselined "
                    f"at {newest} (backfill the gap with the sec_edgar crawl)",
                }
            )
        if last is None and newest is not None:
            out.baselined.append(miner.ticker)
        if newest is not None:
            out.cursor[key] = newest
        for row in reversed(new):
            out.new.append(
                NewFiling(
                    ticker=miner.ticker,
                    cik=miner.cik,
                    accession=row["accession_number"],
                    form=row["form"],
                    filing_date=row["filing_date"],
                )
            )
    return out


def filing_tags(filing: NewFiling) -> dict[str, str]:
    """Run tags naming the filing (shown in the UI, searchable)."""
    return {f"minerpivot/{k}": str(v) for k, v in asdict(filing).items()}
