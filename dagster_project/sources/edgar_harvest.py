"""EDGAR harvest without Dagster: crawl the tracked miners' filings with one client, turn
what was read into the four raw ``sec_*`` frames, and replay landed responses offline.

The ``sec_edgar`` multi-asset (``defs/filings.py``) is a thin wrapper around these functions;
``benchmarks/floor_ingest.py`` calls them directly.
"""

import datetime as dt
import json
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pandera.polars as pa
import polars as pl
from bs4 import BeautifulSoup
from charset_normalizer import from_bytes

from dagster_project.schemas.filings import SecFilings, SecPressDocuments, SecXbrlFacts
from dagster_project.schemas.reference import ReportedSegmentRevenue
from dagster_project.schemas.validation import (
    QUARANTINE_SCHEMA,
    ROW_COL,
    ValidationResult,
    empty_quarantine,
    make_quarantine,
    validate,
)
from dagster_project.settings import Settings
from dagster_project.sources.edgar import (
    COMPANYFACTS_SCHEMA,
    DATA_BASE,
    LANDING_SOURCE,
    SUBMISSIONS_SCHEMA,
    WWW_BASE,
    EdgarClient,
    EdgarFormatError,
    FilingDocument,
    SecBlockedError,
    derive_q4,
    filing_segment_revenue,
    press_exhibits,
)
from dagster_project.sources.http import HttpClient, HttpError
from dagster_project.sources.landing import (
    FetchedResponse,
    LandedChecksumError,
    LandingZone,
    LandingZoneError,
)
from dagster_project.sources.segment_mapping import SegmentMapping
from dagster_project.sources.xbrl import XbrlFormatError
from dagster_project.warehouse import connect, replace_quarantine, replace_table

log = logging.getLogger(__name__)

DATA_BASE_ENV = "MINERPIVOT_SEC_DATA_BASE"
WWW_BASE_ENV = "MINERPIVOT_SEC_WWW_BASE"
OFFLINE_EMPTY = "mode: offline, no EDGAR responses landed"

#: Forms whose XBRL instance gives quarterly/annual segment revenue.
PERIODIC_FORMS = ("10-Q", "10-K")
#: Forms whose EX-99.x exhibits are press releases (8-K only with these items).
PRESS_FORMS = ("8-K", "6-K")
PRESS_8K_ITEMS = frozenset({"2.02", "7.01", "8.01"})

T_FILINGS = "sec_filings"
T_FACTS = "sec_xbrl_facts"
T_SEGMENTS = "sec_segment_revenue"
T_PRESS = "sec_press_documents"
TABLES = (T_FILINGS, T_FACTS, T_SEGMENTS, T_PRESS)

FILINGS_SCHEMA: dict[str, pl.DataType] = {
    **SUBMISSIONS_SCHEMA,
    "exhibits": pl.List(pl.String()),
}
FACTS_SCHEMA: dict[str, pl.DataType] = {
    "ticker": pl.String(),
    **COMPANYFACTS_SCHEMA,
    "derived": pl.Boolean(),
}
SEGMENTS_SCHEMA: dict[str, pl.DataType] = {
    "ticker": pl.String(),
    "fiscal_period": pl.String(),
    "period_end": pl.Date(),
    "segment": pl.String(),
    "revenue_usd": pl.Float64(),
    "source_url": pl.String(),
    "source_date": pl.Date(),
    "as_of_date": pl.Date(),
    "note": pl.String(),
}
PRESS_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "date": pl.Date(),
    "source": pl.String(),
    "accession_number": pl.String(),
    "ticker": pl.String(),
    "cik": pl.Int64(),
    "form": pl.String(),
    "content": pl.String(),
    "content_type": pl.String(),
}
SCHEMAS = {
    T_FILINGS: FILINGS_SCHEMA,
    T_FACTS: FACTS_SCHEMA,
    T_SEGMENTS: SEGMENTS_SCHEMA,
    T_PRESS: PRESS_SCHEMA,
}
MODELS: dict[str, type[pa.DataFrameModel]] = {
    T_FILINGS: SecFilings,
    T_FACTS: SecXbrlFacts,
    T_SEGMENTS: ReportedSegmentRevenue,
    T_PRESS: SecPressDocuments,
}
# ====================================================================== plain helpers


@dataclass(frozen=True)
class Miner:
    """What the ingest needs from ``raw.miners``."""

    ticker: str
    cik: int
    fiscal_year_end_month: int


def fiscal_period_label(period_end: dt.date, fiscal_year_end_month: int) -> str:
    """``YYYYQn`` for calendar filers, ``FYyyyyQn`` (company label) otherwise.

    The fiscal year is named after the calendar year it ends in (IREN, FY ends Jun-30:
    quarter to 2024-09-30 is ``FY2025Q1``). A quarter end in the first half of a month
    (52/53-week calendars, e.g. 2025-01-04) counts as the previous month's end.
    """
    year, month = period_end.year, period_end.month
    if period_end.day < 15:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    months_after = (month - fiscal_year_end_month) % 12
    quarter = 4 if months_after == 0 else -(-months_after // 3)
    if fiscal_year_end_month == 12:
        return f"{year}Q{quarter}"
    fiscal_year = year if month <= fiscal_year_end_month else year + 1
    return f"FY{fiscal_year}Q{quarter}"


def _days(start: dt.date | None, end: dt.date | None) -> int:
    return (end - start).days + 1 if start and end else 0


def decode_text(content: bytes, content_type: str) -> str:
    """Document bytes as text: the declared charset, else detected, else UTF-8 (lenient)."""
    charset = None
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            charset = value.strip("\"'")
    if charset:
        try:
            return content.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(content).best()
    return str(best) if best is not None else content.decode("utf-8", errors="replace")


def quarterly_segment_rows(
    members: pl.DataFrame,
    *,
    ticker: str,
    accession: str,
    form: str,
    filing_date: dt.date,
    fiscal_year_end_month: int,
    mapping_version: int,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Per-member XBRL rows of one filing -> (quarterly contract rows, annual rows).

    Members of one segment are summed per period. When a filing tags the same segment on
    more than one axis (product/service and business segment), only one axis is kept
    (``srt:ProductOrServiceAxis`` first) so nothing is counted twice. Quarterly = 80-100 day
    durations; annual (350-380 days) rows are returned apart for Q4 derivation.
    """
    empty = pl.DataFrame(schema=SEGMENTS_SCHEMA)
    if members.is_empty():
        return empty, empty
    members = members.with_columns(
        pl.col("axis").fill_null("").alias("axis"),
        (pl.col("axis") != "srt:ProductOrServiceAxis").alias("_axis_rank"),
    )
    by_axis = members.group_by("period_start", "period_end", "segment", "axis", "_axis_rank").agg(
        pl.col("revenue_usd").sum(),
        pl.col("member").drop_nulls().sort().alias("members"),
        pl.col("concept").first(),
    )
    chosen = by_axis.sort("_axis_rank", "axis").unique(
        subset=["period_start", "period_end", "segment"], keep="first", maintain_order=True
    )
    rows_q: list[dict[str, Any]] = []
    rows_a: list[dict[str, Any]] = []
    for r in chosen.sort("period_end", "segment").iter_rows(named=True):
        days = _days(r["period_start"], r["period_end"])
        what = "total" if r["segment"] == "total" else f"{r['axis']} {'+'.join(r['members'])}"
        row = {
            "ticker": ticker,
            "fiscal_period": fiscal_period_label(r["period_end"], fiscal_year_end_month),
            "period_end": r["period_end"],
            "segment": r["segment"],
            "revenue_usd": r["revenue_usd"],
            "source_url": accession,
            "source_date": filing_date,
            "as_of_date": filing_date,
            "note": f"EDGAR {form} XBRL {r['concept']} {what}; mapping v{mapping_version}",
            "_period_start": r["period_start"],
        }
        if 80 <= days <= 100:
            rows_q.append(row)
        elif 350 <= days <= 380:
            rows_a.append(row)
    schema = {**SEGMENTS_SCHEMA, "_period_start": pl.Date()}
    return (
        pl.DataFrame(rows_q, schema=schema, orient="row"),
        pl.DataFrame(rows_a, schema=schema, orient="row"),
    )


def derive_q4_segments(quarters: pl.DataFrame, annuals: pl.DataFrame) -> pl.DataFrame:
    """Q4 = FY - Q1 - Q2 - Q3 per segment, where the 10-K gives only the annual figure.

    Uses the most recently filed value of each quarter; a Q4 is derived only when the
    three quarters chain from the fiscal-year start and no filing reported Q4 itself. The
    derived row cites the 10-K accession and says so in ``note``.
    """
    if annuals.is_empty():
        return pl.DataFrame(schema={**SEGMENTS_SCHEMA, "_period_start": pl.Date()})
    latest_q = quarters.sort("source_date", "source_url").unique(
        subset=["segment", "_period_start", "period_end"], keep="last"
    )
    by_start = {(r["segment"], r["_period_start"]): r for r in latest_q.iter_rows(named=True)}
    have = {(r["segment"], r["period_end"]) for r in latest_q.iter_rows(named=True)}
    latest_a = annuals.sort("source_date", "source_url").unique(
        subset=["segment", "_period_start", "period_end"], keep="last"
    )
    out = []
    for fy in latest_a.iter_rows(named=True):
        start, chain = fy["_period_start"], []
        for _ in range(3):
            q = by_start.get((fy["segment"], start))
            if q is None:
                break
            chain.append(q)
            start = q["period_end"] + dt.timedelta(days=1)
        if len(chain) < 3 or (fy["segment"], fy["period_end"]) in have:
            continue
        if not 80 <= _days(start, fy["period_end"]) <= 100:
            continue
        value = fy["revenue_usd"] - sum(q["revenue_usd"] for q in chain)
        cited = ", ".join(q["source_url"] for q in chain)
        out.append(
            {
                **fy,
                "revenue_usd": value,
                "_period_start": start,
                "note": f"derived Q4 = FY ({fy['source_url']}) - Q1..Q3 ({cited}); {fy['note']}",
            }
        )
    return pl.DataFrame(out, schema={**SEGMENTS_SCHEMA, "_period_start": pl.Date()}, orient="row")


# ====================================================================== exhibits 99.x

#: Fewer visible characters than this after removing markup = "holds no text".
MIN_TEXT_CHARS = 20
FETCH_ERRORS = (HttpError, EdgarFormatError, LandingZoneError)
Getter = Callable[..., FetchedResponse]


def visible_text_length(text: str, content_type: str) -> int:
    """Characters of visible text (markup removed for HTML)."""
    if "html" in content_type.lower() or re.search(r"(?i)<html|<body|<p>", text[:2000]):
        text = BeautifulSoup(text, "lxml").get_text(" ", strip=True)
    return len(text.strip())


def quarantine_row(table: str, accession: str, url: str, reason: str) -> dict[str, Any]:
    """A ``raw.quarantine`` row for a filing document that could not be used."""
    log.warning("quarantined %s %s: %s", accession, url, reason)
    return {
        "dataset": table,
        "file": f"EDGAR {accession}",
        "row": None,
        "column": "content",
        "check": "fetch_and_parse",
        "value": url,
        "reason": f"{accession} {url}: {reason}"[:500],
    }


def press_exhibit_rows(
    documents: list[FilingDocument],
    get: Getter,
    *,
    ticker: str,
    cik: int,
    accession: str,
    form: str,
    filing_date: dt.date,
) -> tuple[list[dict[str, Any]], list[str], list[dict[str, Any]]]:
    """EX-99.x of one 8-K/6-K -> (press rows, file names kept, quarantine rows).

    ``get(url, cik=, name=)`` fetches (and lands) one document. An exhibit that cannot be
    fetched, is binary or holds no readable text is quarantined with the accession and the
    reason; the others are kept. A block page propagates.
    """
    rows: list[dict[str, Any]] = []
    kept: list[str] = []
    quarantine: list[dict[str, Any]] = []
    for doc in press_exhibits(documents):
        try:
            resp = get(doc.url, cik=cik, name=f"{accession}-{doc.filename}")
        except (SecBlockedError, LandedChecksumError):
            raise  # a block stops everything; a damaged landed copy fails the asset (problem())
        except FETCH_ERRORS as exc:
            quarantine.append(quarantine_row(T_PRESS, accession, doc.url, f"cannot fetch: {exc}"))
            continue
        content_type = resp.headers.get("content-type") or (
            "text/plain" if doc.filename.lower().endswith(".txt") else "text/html"
        )
        if b"\x00" in resp.content[:4096]:
            quarantine.append(quarantine_row(T_PRESS, accession, doc.url, "binary, not text"))
            continue
        text = decode_text(resp.content, content_type)
        if visible_text_length(text, content_type) < MIN_TEXT_CHARS:
            quarantine.append(
                quarantine_row(T_PRESS, accession, doc.url, f"{doc.type} holds no readable text")
            )
            continue
        kept.append(doc.filename)
        rows.append(
            {
                "doc_id": f"{accession}/{doc.filename}",
                "date": filing_date,
                "source": doc.url,
                "accession_number": accession,
                "ticker": ticker,
                "cik": cik,
                "form": form,
                "content": text,
                "content_type": content_type,
            }
        )
    return rows, kept, quarantine


# ====================================================================== offline replay


class LandedResponses(httpx.BaseTransport):
    """Serves the latest landed EDGAR response per URL; 404 for anything never landed.

    Lets the offline run re-parse landed responses through the same client code as live,
    with no network.
    """

    def __init__(self, landing_dir: Path) -> None:
        self.zone = LandingZone(landing_dir)
        self.index: dict[str, Path] = {}
        root = landing_dir / LANDING_SOURCE
        for meta_path in sorted(root.glob("*/*.meta.json")) if root.is_dir() else []:
            try:
                url = json.loads(meta_path.read_text())["url"]
            except (OSError, ValueError, KeyError) as exc:
                raise LandingZoneError(f"cannot read landed response {meta_path}: {exc}") from exc
            previous = self.index.get(url)
            # file names end with the fetch timestamp: the later name is the newer response
            if (
                previous is None
                or meta_path.name.rsplit("__", 1)[-1] > previous.name.rsplit("__", 1)[-1]
            ):
                self.index[url] = meta_path

    def has_prefix(self, prefix: str) -> bool:
        return any(url.startswith(prefix) for url in self.index)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        meta_path = self.index.get(str(request.url))
        if meta_path is None:
            return httpx.Response(404, content=b"not landed", request=request)
        landed = self.zone.read(meta_path)
        headers = {k: v for k, v in landed.headers.items() if k == "content-type"}
        return httpx.Response(200, headers=headers, content=landed.content, request=request)


def replay_client(settings: Settings) -> tuple[EdgarClient, LandedResponses] | None:
    """A client answering from the landing zone, or None when no EDGAR response landed."""
    transport = LandedResponses(settings.landing_dir)
    if not transport.index:
        return None
    http = HttpClient(
        user_agent="minerpivot offline replay (no network)",
        default_rate=1000.0,
        max_attempts=1,
        transport=transport,
    )
    data_base, www_base = edgar_bases()
    return EdgarClient(http, data_base=data_base, www_base=www_base), transport


def edgar_bases() -> tuple[str, str]:
    """EDGAR base URLs (overridable through the environment, e.g. for a local test server)."""
    return (
        os.environ.get(DATA_BASE_ENV, "").strip() or DATA_BASE,
        os.environ.get(WWW_BASE_ENV, "").strip() or WWW_BASE,
    )


# ====================================================================== the crawl


@dataclass
class EdgarHarvest:
    """Everything one pass over the miners produced."""

    filings: list[pl.DataFrame] = field(default_factory=list)
    facts: list[pl.DataFrame] = field(default_factory=list)
    segments: list[pl.DataFrame] = field(default_factory=list)
    press: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[dict[str, str]] = field(default_factory=list)
    problems: list[dict[str, str]] = field(default_factory=list)
    quarantine: list[dict[str, Any]] = field(default_factory=list)
    """Filing documents that could not be used (``raw.quarantine`` rows, with accession)."""
    ciks_ok: int = 0
    filings_parsed: int = 0

    corrupt: list[dict[str, str]] = field(default_factory=list)

    def problem(self, ticker: str, what: str, exc: Exception) -> None:
        if isinstance(exc, LandedChecksumError):
            # never a quiet skip: quarantined, and the asset fails naming the company
            log.error("%s %s: %s", ticker, what, exc)
            self.corrupt.append(
                {"ticker": ticker, "what": what, "file": str(exc.body_path), "error": str(exc)}
            )
        else:
            log.warning("%s %s: %s", ticker, what, exc)
        self.problems.append({"ticker": ticker, "what": what, "error": str(exc)[:300]})


class CorruptLandingError(RuntimeError):
    """Landed responses failed their SHA-256 check; the companies they belong to are named."""

    def __init__(self, corrupt: list[dict[str, str]]) -> None:
        self.corrupt = corrupt
        lines = "\n".join(f"  - {c['ticker']} {c['what']}: {c['file']}" for c in corrupt)
        tickers = sorted({c["ticker"] for c in corrupt})
        super().__init__(
            f"EDGAR: {len(corrupt)} landed response(s) failed their SHA-256 check, so "
            f"{', '.join(tickers)} cannot be trusted (quarantined in raw.quarantine, dataset "
            f"{LANDING_QUARANTINE!r}); re-fetch them in live mode or remove the damaged files:\n"
            f"{lines}"
        )


LANDING_QUARANTINE = "sec_landing"


def corrupt_landing_quarantine(h: EdgarHarvest) -> pl.DataFrame:
    """Quarantine rows (one per damaged landed body) for ``raw.quarantine``."""
    if not h.corrupt:
        return empty_quarantine()
    return pl.concat(
        [
            make_quarantine(
                LANDING_QUARANTINE, c["file"], [0], "(body)", "sha256 matches meta", [c["ticker"]]
            ).with_columns(pl.lit(f"{c['ticker']} {c['what']}: {c['error']}").alias("reason"))
            for c in h.corrupt
        ]
    )


def raise_for_corrupt_landing(h: EdgarHarvest) -> None:
    """Fail loudly (after the rest was loaded and the damage quarantined)."""
    if h.corrupt:
        raise CorruptLandingError(h.corrupt)


def harvest(
    client: EdgarClient,
    miners: list[Miner],
    mapping: SegmentMapping,
    *,
    since: dt.date,
    fetch_press: bool = True,
    landed: LandedResponses | None = None,
) -> EdgarHarvest:
    """Crawl EDGAR for ``miners`` with one shared client.

    :class:`SecBlockedError` (and any settings error) propagates: a block must stop every
    SEC request. Other per-CIK / per-filing failures are recorded in ``problems`` and the
    crawl goes on. With ``landed`` (offline replay) filings nothing was landed for are
    skipped quietly.
    """
    out = EdgarHarvest()
    for miner in miners:
        tk = miner.ticker
        try:
            subs = client.submissions(miner.cik).with_columns(pl.lit(tk).alias("ticker"))
        except SecBlockedError:
            raise
        except (HttpError, EdgarFormatError, LandingZoneError) as exc:
            if landed is None or not isinstance(exc, HttpError) or exc.status != 404:
                out.problem(tk, "submissions", exc)
            continue
        out.ciks_ok += 1
        try:
            facts = derive_q4(client.companyfacts(miner.cik))
            out.facts.append(facts.with_columns(pl.lit(tk).alias("ticker")))
        except SecBlockedError:
            raise
        except (HttpError, EdgarFormatError, LandingZoneError) as exc:
            out.problem(tk, "companyfacts", exc)

        recent = subs.filter(pl.col("filing_date") >= since)
        quarters, annuals = [], []
        for f in recent.filter(pl.col("form").is_in(PERIODIC_FORMS)).iter_rows(named=True):
            acc, primary = f["accession_number"], f["primary_document"]
            if not primary or not f["is_xbrl"]:
                continue
            if landed is not None and not landed.has_prefix(client.filing_dir_url(miner.cik, acc)):
                continue
            try:
                members, unmapped = filing_segment_revenue(
                    client,
                    cik=miner.cik,
                    ticker=tk,
                    accession=acc,
                    primary_document=primary,
                    mapping=mapping,
                )
            except SecBlockedError:
                raise
            except (HttpError, EdgarFormatError, XbrlFormatError, LandingZoneError) as exc:
                out.problem(tk, f"{f['form']} {acc} XBRL", exc)
                if not isinstance(exc, LandedChecksumError):  # that one has its own rows
                    out.quarantine.append(
                        quarantine_row(
                            T_SEGMENTS,
                            acc,
                            client.filing_dir_url(miner.cik, acc),
                            f"XBRL unreadable: {exc}",
                        )
                    )
                continue
            out.filings_parsed += 1
            out.unmapped.extend({"ticker": tk, "accession": acc, "member": m} for m in unmapped)
            q, a = quarterly_segment_rows(
                members,
                ticker=tk,
                accession=acc,
                form=f["form"],
                filing_date=f["filing_date"],
                fiscal_year_end_month=miner.fiscal_year_end_month,
                mapping_version=mapping.version,
            )
            quarters.append(q)
            annuals.append(a)
        if quarters:
            q_all, a_all = pl.concat(quarters), pl.concat(annuals)
            q4 = derive_q4_segments(q_all, a_all)
            out.segments.append(pl.concat([q_all, q4]).drop("_period_start"))

        exhibits: dict[str, list[str]] = {}
        if fetch_press:
            for f in recent.filter(pl.col("form").is_in(PRESS_FORMS)).iter_rows(named=True):
                acc = f["accession_number"]
                if f["form"] == "8-K" and not PRESS_8K_ITEMS.intersection(f["items"] or []):
                    continue
                if landed is not None and not landed.has_prefix(
                    client.filing_dir_url(miner.cik, acc)
                ):
                    continue
                try:
                    rows, kept, quarantined = press_exhibit_rows(
                        client.filing_documents(miner.cik, acc),
                        client.get,
                        ticker=tk,
                        cik=miner.cik,
                        accession=acc,
                        form=f["form"],
                        filing_date=f["filing_date"],
                    )
                except SecBlockedError:
                    raise
                except FETCH_ERRORS as exc:
                    out.problem(tk, f"{f['form']} {acc} exhibits", exc)
                    if not isinstance(exc, LandedChecksumError):  # that one has its own rows
                        out.quarantine.append(
                            quarantine_row(
                                T_PRESS,
                                acc,
                                client.filing_dir_url(miner.cik, acc),
                                f"filing index unreadable: {exc}",
                            )
                        )
                    continue
                exhibits[acc] = kept
                out.press.extend(rows)
                out.quarantine.extend(quarantined)
        out.filings.append(
            subs.with_columns(
                pl.col("accession_number")
                .replace_strict(exhibits, default=None, return_dtype=pl.List(pl.String()))
                .alias("exhibits")
            )
        )
    return out


def harvest_frames(h: EdgarHarvest) -> dict[str, pl.DataFrame]:
    """The four raw tables (with their exact column sets, possibly empty)."""

    def stack(frames: list[pl.DataFrame], table: str) -> pl.DataFrame:
        schema = SCHEMAS[table]
        if not frames:
            return pl.DataFrame(schema=schema)
        return pl.concat([f.select(list(schema)).cast(schema) for f in frames])

    return {
        T_FILINGS: stack(h.filings, T_FILINGS).unique(
            subset=["accession_number"], keep="first", maintain_order=True
        ),
        T_FACTS: stack(h.facts, T_FACTS),
        T_SEGMENTS: stack(h.segments, T_SEGMENTS),
        T_PRESS: pl.DataFrame(h.press, schema=PRESS_SCHEMA, orient="row").unique(
            subset=["doc_id"], keep="first", maintain_order=True
        ),
    }


def read_miners(settings: Settings, tickers: list[str]) -> list[Miner]:
    """Miners with a CIK from ``raw.miners`` (optionally only ``tickers``)."""
    with connect(settings.build_db, read_only=True) as con:
        rows = con.execute(
            "select ticker, sec_cik, fiscal_year_end from raw.miners "
            "where sec_cik is not null order by ticker"
        ).fetchall()
    wanted = {t.upper() for t in tickers}
    return [
        Miner(ticker=t, cik=int(cik), fiscal_year_end_month=int(fye.split("-")[0]))
        for t, cik, fye in rows
        if not wanted or t in wanted
    ]


def validated_table(df: pl.DataFrame, table: str, file: str, fail: bool) -> ValidationResult:
    if df.is_empty():
        return ValidationResult(valid=df, quarantine=empty_quarantine())
    with_rows = df.with_row_index(ROW_COL, offset=1).with_columns(pl.col(ROW_COL).cast(pl.Int64))
    return validate(with_rows, MODELS[table], dataset=table, file=file, fail_on_bad_rows=fail)


def with_document_quarantine(
    result: ValidationResult, table: str, documents: list[dict[str, Any]]
) -> ValidationResult:
    """``result`` with the quarantined filing documents of ``table`` added."""
    rows = [q for q in documents if q["dataset"] == table]
    if not rows:
        return result
    extra = pl.DataFrame(rows, schema=QUARANTINE_SCHEMA, orient="row")
    return ValidationResult(
        valid=result.valid,
        quarantine=pl.concat([result.quarantine.select(list(QUARANTINE_SCHEMA)), extra]),
    )


def load_harvest(
    build_db: Path,
    frames: dict[str, pl.DataFrame],
    *,
    fail_on_bad_rows: bool,
    landing_quarantine: pl.DataFrame | None = None,
    documents_quarantined: list[dict[str, Any]] | None = None,
) -> dict[str, ValidationResult]:
    """Validate the four frames and replace their raw tables and quarantine rows (and those of
    damaged landed responses, dataset ``sec_landing``).

    ``documents_quarantined`` (``EdgarHarvest.quarantine``: filing documents that could not be
    used) joins the validation problems of their table.
    """
    results = {
        t: with_document_quarantine(
            validated_table(frames[t], t, f"EDGAR {t}", fail_on_bad_rows),
            t,
            documents_quarantined or [],
        )
        for t in TABLES
    }
    with connect(build_db) as con:
        for table, result in results.items():
            replace_table(con, "raw", table, result.valid)
            replace_quarantine(con, table, result.quarantine)
        replace_quarantine(
            con,
            LANDING_QUARANTINE,
            landing_quarantine if landing_quarantine is not None else empty_quarantine(),
        )
    return results
