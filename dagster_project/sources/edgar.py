"""SEC EDGAR client and parsers (plain Python, no Dagster import).

Endpoints used (shapes in ``/work/shared/notes/live-apis.md`` section 1 and ``docs/edgar.md``):

* ``data.sec.gov/submissions/CIK##########.json`` (+ ``filings.files[]`` extra pages)
  -> :func:`parse_submissions`, :func:`parse_submissions_page`
* ``data.sec.gov/api/xbrl/companyfacts/CIK##########.json`` -> :func:`parse_companyfacts`,
  :func:`derive_q4`, :func:`latest_filed_facts`
* ``www.sec.gov/Archives/edgar/data/<cik>/<acc>/<acc>-index.htm`` (or ``index.json``)
  -> :func:`list_filing_documents`, :func:`press_exhibits`
* exhibit 99.x documents -> :func:`fetch_press_exhibits` (``PressDocument`` list)
* XBRL instance / inline XBRL of a 10-Q/10-K -> :func:`fetch_filing_facts`

Conventions: dates are ``pl.Date``; every money value is ``pl.Float64`` (companyfacts
``val`` may be fractional, and the XBRL side scales iXBRL numbers, so one float type
everywhere avoids silent int/float unions); CIKs are ``pl.Int64``.

Fair access: :func:`make_edgar_client` builds the shared :class:`HttpClient` with the
User-Agent from settings (a :class:`SettingsError` if it lacks a contact e-mail), at most
9 requests/second summed over data.sec.gov and www.sec.gov, and a transport wrapper that
turns SEC's block page into :class:`SecBlockedError` *without* retrying (retrying during a
block extends it).
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
import polars as pl
from bs4 import BeautifulSoup

from dagster_project.settings import Settings
from dagster_project.sources.documents import PressDocument
from dagster_project.sources.http import HttpClient, HttpError
from dagster_project.sources.landing import FetchedResponse, LandingZone
from dagster_project.sources.segment_mapping import SegmentMapping
from dagster_project.sources.xbrl import (
    XbrlFormatError,
    parse_inline_xbrl,
    parse_xbrl_instance,
    segment_revenue,
)

log = logging.getLogger(__name__)

DATA_BASE = "https://data.sec.gov"
WWW_BASE = "https://www.sec.gov"
#: Requests per second summed over both SEC hosts (policy: at most 10).
SEC_MAX_RATE = 9.0
#: How long to stop all SEC traffic after a block page (SEC: ~10 minutes under the limit).
SEC_BLOCK_PAUSE_S = 600.0
LANDING_SOURCE = "sec"

#: Forms kept by :func:`parse_submissions` (their ``/A`` amendments are kept too).
SEC_FORMS: tuple[str, ...] = ("10-K", "10-Q", "8-K", "20-F", "40-F", "6-K")

_BLOCK_MARKERS = (
    "request rate threshold exceeded",
    "undeclared automated tool",
    "automated tools",
)


class EdgarFormatError(ValueError):
    """An EDGAR payload has the wrong shape; the message names the URL/file and the field."""


class SecBlockedError(HttpError):
    """SEC served its block page (403/429 + marker text). Stop all SEC traffic ~10 minutes."""

    def __init__(self, url: str, status: int | None, body_excerpt: str = "") -> None:
        super().__init__(
            url,
            status,
            body_excerpt,
            reason=(
                "SEC fair-access block page: pause ALL SEC requests for about 10 minutes "
                "(requests during the block extend it; there is no Retry-After), keep under "
                "10 requests/second, and check that MINERPIVOT_SEC_USER_AGENT names you and a "
                "contact e-mail"
            ),
        )


def sec_block_reason(status: int, body: bytes) -> str | None:
    """The marker phrase if ``(status, body)`` is SEC's block page, else None.

    A plain 403 (e.g. an Archives path not published yet) is *not* a block.
    """
    if status not in (403, 429):
        return None
    text = body[:20000].decode("utf-8", errors="replace").lower()
    for marker in _BLOCK_MARKERS:
        if marker in text:
            return marker
    return None


class _BlockDetectingTransport(httpx.BaseTransport):
    """Wraps the real transport; raises :class:`SecBlockedError` on the block page.

    Raising from the transport (rather than letting the HttpClient see a 429) means the
    shared retry loop never retries into a block.
    """

    def __init__(self, inner: httpx.BaseTransport, on_block: Callable[[], None]) -> None:
        self._inner = inner
        self._on_block = on_block

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self._inner.handle_request(request)
        if response.status_code not in (403, 429):
            return response
        try:
            raw = b"".join(response.stream)  # type: ignore[union-attr]
        finally:
            response.close()
        decoded = httpx.Response(
            response.status_code, headers=response.headers, stream=httpx.ByteStream(raw)
        ).read()
        if sec_block_reason(response.status_code, decoded):
            self._on_block()
            excerpt = decoded[:300].decode("utf-8", errors="replace").strip()
            raise SecBlockedError(str(request.url), response.status_code, excerpt)
        return httpx.Response(
            response.status_code,
            headers=response.headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
            request=request,
        )

    def close(self) -> None:
        self._inner.close()


# =============================================================================== client


class EdgarClient:
    """SEC-specific wrapper over the shared :class:`HttpClient` (build with
    :func:`make_edgar_client`). Base URLs are injectable for tests.

    After a block page every further call raises :class:`SecBlockedError` immediately for
    :data:`SEC_BLOCK_PAUSE_S` seconds, without touching the network. Share one instance.
    """

    def __init__(
        self,
        http: HttpClient,
        *,
        data_base: str = DATA_BASE,
        www_base: str = WWW_BASE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.data_base = data_base.rstrip("/")
        self.www_base = www_base.rstrip("/")
        self._clock = clock
        self._blocked_until = 0.0
        self._lock = threading.Lock()

    # -- block state -------------------------------------------------------------------------

    def note_block(self) -> None:
        """Start (or extend) the pause after a block page."""
        with self._lock:
            self._blocked_until = self._clock() + SEC_BLOCK_PAUSE_S

    @property
    def blocked_for(self) -> float:
        """Seconds left in the current pause (0 when not blocked)."""
        return max(0.0, self._blocked_until - self._clock())

    def get(self, url: str, *, cik: int, name: str) -> FetchedResponse:
        """GET an SEC URL (landing it under ``sec/CIK##########/<name>`` when configured)."""
        left = self.blocked_for
        if left > 0:
            raise SecBlockedError(url, None, f"still paused for {left:.0f}s after a block page")
        landing = None
        if self.http.landing is not None:
            landing = (LANDING_SOURCE, f"CIK{cik:010d}", _landing_name(name))
        return self.http.get(url, landing=landing)

    # -- URLs --------------------------------------------------------------------------------

    def submissions_url(self, cik: int) -> str:
        return f"{self.data_base}/submissions/CIK{cik:010d}.json"

    def submissions_page_url(self, name: str) -> str:
        return f"{self.data_base}/submissions/{name}"

    def companyfacts_url(self, cik: int) -> str:
        return f"{self.data_base}/api/xbrl/companyfacts/CIK{cik:010d}.json"

    def filing_dir_url(self, cik: int, accession: str) -> str:
        return f"{self.www_base}/Archives/edgar/data/{cik}/{accession.replace('-', '')}"

    # -- endpoints ---------------------------------------------------------------------------

    def submissions(self, cik: int, *, forms: Iterable[str] = SEC_FORMS) -> pl.DataFrame:
        """All filings of the wanted forms: ``filings.recent`` plus every extra page."""
        url = self.submissions_url(cik)
        resp = self.get(url, cik=cik, name="submissions.json")
        frames = [parse_submissions(resp.content, source_url=url, forms=forms)]
        meta = _submissions_meta(resp.content, source_url=url)
        for page in submissions_extra_files(resp.content, source_url=url):
            page_url = self.submissions_page_url(page)
            page_resp = self.get(page_url, cik=cik, name=page)
            frames.append(
                parse_submissions_page(
                    page_resp.content,
                    source_url=page_url,
                    cik=meta["cik"],
                    ticker=meta["ticker"],
                    forms=forms,
                )
            )
        return (
            pl.concat(frames)
            .unique(subset=["accession_number"], keep="first", maintain_order=True)
            .sort("filing_date", descending=True)
        )

    def companyfacts(self, cik: int) -> pl.DataFrame:
        """Long facts table; an empty table when SEC answers 404 (no XBRL facts)."""
        url = self.companyfacts_url(cik)
        try:
            resp = self.get(url, cik=cik, name="companyfacts.json")
        except HttpError as exc:
            if exc.status == 404 and not isinstance(exc, SecBlockedError):
                log.info("no companyfacts for CIK %s (404 at %s)", cik, url)
                return pl.DataFrame(schema=COMPANYFACTS_SCHEMA)
            raise
        return parse_companyfacts(resp.content, source_url=url)

    def filing_documents(self, cik: int, accession: str) -> list[FilingDocument]:
        """Documents of a filing from the ``-index.htm`` table, else ``index.json`` names."""
        base = self.filing_dir_url(cik, accession)
        url = f"{base}/{accession}-index.htm"
        try:
            resp = self.get(url, cik=cik, name=f"{accession}-index.htm")
        except HttpError as exc:
            if isinstance(exc, SecBlockedError) or exc.status not in (403, 404):
                raise
            log.info("index page %s answered %s; falling back to index.json", url, exc.status)
            url = f"{base}/index.json"
            resp = self.get(url, cik=cik, name=f"{accession}-index.json")
        return list_filing_documents(resp.content, source_url=url, www_base=self.www_base)

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> EdgarClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_edgar_client(
    settings: Settings,
    *,
    data_base: str = DATA_BASE,
    www_base: str = WWW_BASE,
    rate_per_second: float = SEC_MAX_RATE,
    land: bool = True,
    transport: httpx.BaseTransport | None = None,
    max_attempts: int = 5,
    backoff_initial: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> EdgarClient:
    """The one EDGAR client of a run.

    Raises :class:`~dagster_project.settings.SettingsError` when
    ``MINERPIVOT_SEC_USER_AGENT`` is missing or has no e-mail. ``rate_per_second`` is the
    *total* over both hosts: the shared HttpClient limits per host, so each distinct host
    gets an equal share (a single test server gets all of it).
    """
    user_agent = settings.require_sec_user_agent()
    if rate_per_second > 10:
        raise ValueError(f"SEC allows at most 10 requests/second, got {rate_per_second}")
    hosts = {urlsplit(data_base).netloc.lower(), urlsplit(www_base).netloc.lower()}
    per_host = rate_per_second / len(hosts)
    holder: dict[str, EdgarClient] = {}

    def on_block() -> None:
        holder["client"].note_block()

    wrapped = _BlockDetectingTransport(transport or httpx.HTTPTransport(), on_block)
    http = HttpClient(
        user_agent=user_agent,
        rate_limits={host: per_host for host in hosts},
        default_rate=per_host,
        max_attempts=max_attempts,
        backoff_initial=backoff_initial,
        landing=LandingZone(settings.landing_dir) if land else None,
        transport=wrapped,
        extra_headers={"Accept-Encoding": "gzip, deflate"},
        sleep=sleep,
    )
    client = EdgarClient(http, data_base=data_base, www_base=www_base)
    holder["client"] = client
    return client


def _landing_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._=+-]", "-", name)
    cleaned = re.sub(r"_{2,}", "_", cleaned).lstrip("._-=+")
    return cleaned or "document"


# =============================================================================== JSON helpers


def _load_json(content: bytes, *, source_url: str) -> Any:
    try:
        return json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        start = content[:80].decode("utf-8", errors="replace")
        raise EdgarFormatError(
            f"{source_url}: body is not valid JSON ({exc}); it starts with {start!r}"
        ) from exc


def _require(obj: Any, key: str, kind: type | tuple[type, ...], *, where: str, source: str) -> Any:
    if not isinstance(obj, dict):
        raise EdgarFormatError(f"{source}: {where} is {type(obj).__name__}, expected an object")
    if key not in obj:
        raise EdgarFormatError(f"{source}: {where} has no {key!r} key")
    value = obj[key]
    if not isinstance(value, kind) or isinstance(value, bool) and bool not in _as_tuple(kind):
        raise EdgarFormatError(
            f"{source}: {where}.{key} is {type(value).__name__}, expected "
            f"{' or '.join(t.__name__ for t in _as_tuple(kind))}"
        )
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _date_or_none(text: Any, *, source: str, field: str) -> date | None:
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        raise EdgarFormatError(f"{source}: {field} is {text!r}, expected a YYYY-MM-DD string")
    try:
        return date.fromisoformat(text[:10])
    except ValueError as exc:
        raise EdgarFormatError(f"{source}: {field} is {text!r}, not a YYYY-MM-DD date") from exc


# =============================================================================== submissions

SUBMISSIONS_SCHEMA: dict[str, pl.DataType] = {
    "cik": pl.Int64(),
    "ticker": pl.String(),
    "form": pl.String(),
    "filing_date": pl.Date(),
    "report_date": pl.Date(),
    "accession_number": pl.String(),
    "primary_document": pl.String(),
    "primary_doc_description": pl.String(),
    "items": pl.List(pl.String()),
    "is_xbrl": pl.Boolean(),
    "is_inline_xbrl": pl.Boolean(),
    "source_url": pl.String(),
}


def _submissions_meta(content: bytes, *, source_url: str) -> dict[str, Any]:
    doc = _load_json(content, source_url=source_url)
    cik_raw = _require(doc, "cik", (str, int), where="top level", source=source_url)
    try:
        cik = int(cik_raw)
    except ValueError as exc:
        raise EdgarFormatError(f"{source_url}: cik {cik_raw!r} is not a number") from exc
    tickers = doc.get("tickers") or []
    ticker = tickers[0] if isinstance(tickers, list) and tickers else None
    filings = _require(doc, "filings", dict, where="top level", source=source_url)
    recent = _require(filings, "recent", dict, where="filings", source=source_url)
    files = filings.get("files") or []
    if not isinstance(files, list):
        raise EdgarFormatError(f"{source_url}: filings.files is not a list")
    return {"cik": cik, "ticker": ticker, "recent": recent, "files": files}


def submissions_extra_files(content: bytes, *, source_url: str) -> list[str]:
    """Names of the older-filings pages listed in ``filings.files[]``."""
    meta = _submissions_meta(content, source_url=source_url)
    names = []
    for i, entry in enumerate(meta["files"]):
        names.append(_require(entry, "name", str, where=f"filings.files[{i}]", source=source_url))
    return names


def parse_submissions(
    content: bytes, *, source_url: str, forms: Iterable[str] = SEC_FORMS
) -> pl.DataFrame:
    """Filings of ``forms`` (and their ``/A``) from ``filings.recent`` of a submissions file.

    Extra pages (``filings.files[]``) are parsed with :func:`parse_submissions_page`;
    :meth:`EdgarClient.submissions` does both.
    """
    meta = _submissions_meta(content, source_url=source_url)
    return _parse_columnar(
        meta["recent"],
        source_url=source_url,
        where="filings.recent",
        cik=meta["cik"],
        ticker=meta["ticker"],
        forms=forms,
    )


def parse_submissions_page(
    content: bytes,
    *,
    source_url: str,
    cik: int,
    ticker: str | None = None,
    forms: Iterable[str] = SEC_FORMS,
) -> pl.DataFrame:
    """An extra submissions page: the columnar object at top level (no ``filings`` key)."""
    doc = _load_json(content, source_url=source_url)
    if not isinstance(doc, dict):
        raise EdgarFormatError(f"{source_url}: top level is {type(doc).__name__}, not an object")
    return _parse_columnar(
        doc, source_url=source_url, where="top level", cik=cik, ticker=ticker, forms=forms
    )


def _parse_columnar(
    cols: dict[str, Any],
    *,
    source_url: str,
    where: str,
    cik: int,
    ticker: str | None,
    forms: Iterable[str],
) -> pl.DataFrame:
    wanted = set(forms)
    required = ("accessionNumber", "filingDate", "form")
    for key in required:
        _require(cols, key, list, where=where, source=source_url)
    n = len(cols["accessionNumber"])
    for key, values in cols.items():
        if isinstance(values, list) and len(values) != n:
            raise EdgarFormatError(
                f"{source_url}: {where}.{key} has {len(values)} entries but accessionNumber "
                f"has {n}; columns must have equal length"
            )

    def col(key: str) -> list[Any]:
        values = cols.get(key)
        return values if isinstance(values, list) else [None] * n

    rows = []
    for i, (acc, filed, form, report, items, xbrl, ixbrl, primary, desc) in enumerate(
        zip(
            col("accessionNumber"),
            col("filingDate"),
            col("form"),
            col("reportDate"),
            col("items"),
            col("isXBRL"),
            col("isInlineXBRL"),
            col("primaryDocument"),
            col("primaryDocDescription"),
            strict=True,
        )
    ):
        if not isinstance(form, str) or form.removesuffix("/A") not in wanted:
            continue
        if not isinstance(acc, str) or not re.fullmatch(r"\d{10}-\d{2}-\d{6}", acc):
            raise EdgarFormatError(f"{source_url}: {where}.accessionNumber[{i}] is {acc!r}")
        filing_date = _date_or_none(filed, source=source_url, field=f"{where}.filingDate[{i}]")
        if filing_date is None:
            raise EdgarFormatError(f"{source_url}: {where}.filingDate[{i}] is empty")
        rows.append(
            {
                "cik": cik,
                "ticker": ticker,
                "form": form,
                "filing_date": filing_date,
                "report_date": _date_or_none(
                    report, source=source_url, field=f"{where}.reportDate[{i}]"
                ),
                "accession_number": acc,
                "primary_document": primary or None,
                "primary_doc_description": desc or None,
                "items": [p.strip() for p in (items or "").split(",") if p.strip()],
                "is_xbrl": bool(xbrl),
                "is_inline_xbrl": bool(ixbrl),
                "source_url": source_url,
            }
        )
    return pl.DataFrame(rows, schema=SUBMISSIONS_SCHEMA, orient="row")


# =============================================================================== companyfacts

COMPANYFACTS_SCHEMA: dict[str, pl.DataType] = {
    "cik": pl.Int64(),
    "entity_name": pl.String(),
    "taxonomy": pl.String(),
    "tag": pl.String(),
    "unit": pl.String(),
    "value": pl.Float64(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
    "is_instant": pl.Boolean(),
    "fiscal_year": pl.Int64(),
    "fiscal_period": pl.String(),
    "form": pl.String(),
    "filed": pl.Date(),
    "accession_number": pl.String(),
    "frame": pl.String(),
}

_FACT_KEYS = ("end", "val", "accn", "form", "filed")


def parse_companyfacts(content: bytes, *, source_url: str = "<companyfacts>") -> pl.DataFrame:
    """companyfacts -> one row per (tag, unit, fact) *as reported by each filing*.

    Nothing is deduplicated here: a value repeated by a later 10-K (or restated) stays as a
    separate row with its own ``filed``/``accession_number``; see :func:`latest_filed_facts`.
    Tags and taxonomies we do not know are kept as they come. A tag without ``units`` or a
    fact without ``end``/``val``/``accn``/``form``/``filed`` is a shape error.
    """
    doc = _load_json(content, source_url=source_url)
    cik_raw = _require(doc, "cik", (int, str), where="top level", source=source_url)
    try:
        cik = int(cik_raw)
    except ValueError as exc:
        raise EdgarFormatError(f"{source_url}: cik {cik_raw!r} is not a number") from exc
    entity = doc.get("entityName")
    facts = _require(doc, "facts", dict, where="top level", source=source_url)
    rows: list[dict[str, Any]] = []
    for taxonomy, tags in facts.items():
        if not isinstance(tags, dict):
            raise EdgarFormatError(f"{source_url}: facts.{taxonomy} is not an object")
        for tag, body in tags.items():
            where = f"facts.{taxonomy}.{tag}"
            units = _require(body, "units", dict, where=where, source=source_url)
            for unit, items in units.items():
                if not isinstance(items, list):
                    raise EdgarFormatError(f"{source_url}: {where}.units.{unit} is not a list")
                for i, fact in enumerate(items):
                    at = f"{where}.units.{unit}[{i}]"
                    for key in _FACT_KEYS:
                        if not isinstance(fact, dict) or key not in fact:
                            raise EdgarFormatError(f"{source_url}: {at} has no {key!r} key")
                    val = fact["val"]
                    if isinstance(val, bool) or not isinstance(val, (int, float)):
                        raise EdgarFormatError(f"{source_url}: {at}.val is {val!r}, not a number")
                    start = _date_or_none(fact.get("start"), source=source_url, field=f"{at}.start")
                    fy = fact.get("fy")
                    rows.append(
                        {
                            "cik": cik,
                            "entity_name": entity,
                            "taxonomy": taxonomy,
                            "tag": tag,
                            "unit": unit,
                            "value": float(val),
                            "period_start": start,
                            "period_end": _date_or_none(
                                fact["end"], source=source_url, field=f"{at}.end"
                            ),
                            "is_instant": start is None,
                            "fiscal_year": fy if isinstance(fy, int) else None,
                            "fiscal_period": fact.get("fp"),
                            "form": fact["form"],
                            "filed": _date_or_none(
                                fact["filed"], source=source_url, field=f"{at}.filed"
                            ),
                            "accession_number": fact["accn"],
                            "frame": fact.get("frame"),
                        }
                    )
    return pl.DataFrame(rows, schema=COMPANYFACTS_SCHEMA, orient="row")


_PERIOD_KEY = ["cik", "taxonomy", "tag", "unit", "period_start", "period_end"]


def latest_filed_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per (tag, unit, period): the value from the most recently filed filing.

    This is the "latest filed wins" rule for restatements (ties: highest accession).
    """
    return facts.sort(["filed", "accession_number"]).unique(
        subset=_PERIOD_KEY, keep="last", maintain_order=True
    )


_ADDITIVE_UNIT = ~pl.col("unit").str.contains("/", literal=True) & ~pl.col(
    "unit"
).str.to_lowercase().is_in(["pure", "shares"])


def derive_q4(facts: pl.DataFrame) -> pl.DataFrame:
    """``facts`` plus derived Q4 rows (``derived=True``) where only the annual is reported.

    For each additive duration series (money-like units; not per-share, ``pure`` or
    ``shares``), with latest-filed values: an annual period (350-380 days) whose first three
    quarters (80-100 days each, contiguous from the annual start) exist but whose last
    quarter does not gets ``Q4 = FY - Q1 - Q2 - Q3`` for ``[Q3 end + 1, FY end]``. The
    derived row carries the annual fact's filing (form, filed, accession, fiscal_year),
    ``fiscal_period="Q4"`` and no ``frame``. Original rows get ``derived=False``.
    """
    base = facts.with_columns(pl.lit(False).alias("derived"))
    durations = latest_filed_facts(facts.filter(~pl.col("is_instant") & _ADDITIVE_UNIT))
    if durations.is_empty():
        return base
    durations = durations.with_columns(
        ((pl.col("period_end") - pl.col("period_start")).dt.total_days() + 1).alias("_days")
    )
    series: dict[tuple[Any, ...], list[dict[str, Any]]] = {}
    for row in durations.iter_rows(named=True):
        series.setdefault((row["cik"], row["taxonomy"], row["tag"], row["unit"]), []).append(row)
    derived: list[dict[str, Any]] = []
    for rows in series.values():
        quarters = {r["period_start"]: r for r in rows if 80 <= r["_days"] <= 100}
        periods = {(r["period_start"], r["period_end"]) for r in rows}
        for fy in (r for r in rows if 350 <= r["_days"] <= 380):
            chain = []
            start = fy["period_start"]
            for _ in range(3):
                q = quarters.get(start)
                if q is None:
                    break
                chain.append(q)
                start = q["period_end"] + timedelta(days=1)
            if len(chain) < 3:
                continue
            q4_days = (fy["period_end"] - start).days + 1
            if not 80 <= q4_days <= 100 or (start, fy["period_end"]) in periods:
                continue
            value = fy["value"] - sum(q["value"] for q in chain)
            out = {k: fy[k] for k in COMPANYFACTS_SCHEMA}
            out.update(
                period_start=start, fiscal_period="Q4", frame=None, value=value, derived=True
            )
            derived.append(out)
    if not derived:
        return base
    extra = pl.DataFrame(derived, schema={**COMPANYFACTS_SCHEMA, "derived": pl.Boolean()})
    return pl.concat([base, extra], how="vertical")


# =============================================================================== filing index


@dataclass(frozen=True)
class FilingDocument:
    """One document of a filing. ``type`` is EDGAR's (``EX-99.1``), or guessed from the
    filename (index.json fallback), or None when unknown."""

    type: str | None
    filename: str
    url: str
    description: str | None = None
    sequence: str | None = None


_EX99_FILENAME = re.compile(r"(?i)ex(?:hibit)?[-_]?99[-_.]?0?(\d{1,2})(?![\d])")
_INDEX_FILES = re.compile(r"(?i)(-index(-headers)?\.html?|\.txt|-xbrl\.zip|index\.json)$")


def normalise_exhibit_type(raw: str) -> str:
    """``ex-99.01`` -> ``EX-99.1``; anything else upper-cased and stripped."""
    t = raw.replace("\xa0", " ").strip().upper()
    m = re.fullmatch(r"EX-(\d+)\.0*(\d+)", t)
    if m:
        return f"EX-{m.group(1)}.{m.group(2)}"
    return t


def list_filing_documents(
    content: bytes, *, source_url: str, www_base: str = WWW_BASE
) -> list[FilingDocument]:
    """Documents from a filing's ``-index.htm`` page or its ``index.json`` listing.

    The index page's ``tableFile`` tables give authoritative types; the JSON listing has
    none, so EX-99.x is guessed from the filename (``ex99-1``, ``ex991``, ``exhibit99_1``).
    """
    if content.lstrip()[:1] in (b"{", b"["):
        return _documents_from_json(content, source_url=source_url, www_base=www_base)
    return _documents_from_html(content, source_url=source_url, www_base=www_base)


def _documents_from_html(content: bytes, *, source_url: str, www_base: str) -> list[FilingDocument]:
    soup = BeautifulSoup(content, "lxml")
    tables = soup.find_all("table", class_="tableFile")
    if not tables:
        raise EdgarFormatError(f"{source_url}: no <table class='tableFile'> in the index page")
    docs: list[FilingDocument] = []
    for table in tables:
        for tr in table.find_all("tr"):
            cells = tr.find_all("td")
            if len(cells) < 4:
                continue  # header row
            link = cells[2].find("a")
            if link is None or not link.get("href"):
                continue
            href = str(link["href"])
            if href.startswith("/ix?doc="):
                href = href[len("/ix?doc=") :]
            url = urljoin(www_base + "/", href)
            filename = PurePosixPath(urlsplit(url).path).name
            type_text = cells[3].get_text(" ", strip=True)
            docs.append(
                FilingDocument(
                    type=normalise_exhibit_type(type_text) if type_text else None,
                    filename=filename,
                    url=url,
                    description=cells[1].get_text(" ", strip=True) or None,
                    sequence=cells[0].get_text(" ", strip=True) or None,
                )
            )
    return docs


def _documents_from_json(content: bytes, *, source_url: str, www_base: str) -> list[FilingDocument]:
    doc = _load_json(content, source_url=source_url)
    directory = _require(doc, "directory", dict, where="top level", source=source_url)
    items = _require(directory, "item", list, where="directory", source=source_url)
    dir_name = _require(directory, "name", str, where="directory", source=source_url)
    docs = []
    for i, item in enumerate(items):
        name = _require(item, "name", str, where=f"directory.item[{i}]", source=source_url)
        if _INDEX_FILES.search(name):
            continue
        m = _EX99_FILENAME.search(name)
        docs.append(
            FilingDocument(
                type=f"EX-99.{int(m.group(1))}" if m else None,
                filename=name,
                url=f"{www_base}{dir_name.rstrip('/')}/{name}",
            )
        )
    return docs


_TEXT_DOC = re.compile(r"(?i)\.(htm|html|txt)$")


def press_exhibits(documents: Iterable[FilingDocument]) -> list[FilingDocument]:
    """The EX-99 / EX-99.x documents in HTML or text (PDFs and images are skipped)."""
    return [
        d
        for d in documents
        if d.type and re.fullmatch(r"EX-99(\.\d+)?", d.type) and _TEXT_DOC.search(d.filename)
    ]


def fetch_press_exhibits(
    client: EdgarClient, cik: int, accession: str, filing_date: date
) -> list[PressDocument]:
    """Exhibit 99.x documents of an 8-K / 6-K as :class:`PressDocument` (bytes untouched)."""
    docs = press_exhibits(client.filing_documents(cik, accession))
    if not docs:
        log.info("CIK %s %s: no EX-99.x document", cik, accession)
    out = []
    for doc in docs:
        resp = client.get(doc.url, cik=cik, name=f"{accession}-{doc.filename}")
        content_type = resp.headers.get("content-type") or (
            "text/plain" if doc.filename.lower().endswith(".txt") else "text/html"
        )
        out.append(
            PressDocument(
                doc_id=f"{accession}/{doc.filename}",
                date=filing_date,
                source=doc.url,
                accession_number=accession,
                content=resp.content,
                content_type=content_type,
            )
        )
    return out


# =============================================================================== XBRL per filing


def fetch_filing_facts(
    client: EdgarClient, cik: int, accession: str, primary_document: str
) -> pl.DataFrame:
    """Dimensional facts of one 10-Q/10-K: EDGAR's extracted instance
    (``<primary>_htm.xml``) when published, else the inline-XBRL primary document."""
    base = client.filing_dir_url(cik, accession)
    stem = PurePosixPath(primary_document).name
    if stem.lower().endswith((".htm", ".html")):
        instance_name = re.sub(r"(?i)\.html?$", "", stem) + "_htm.xml"
        url = f"{base}/{instance_name}"
        try:
            resp = client.get(url, cik=cik, name=f"{accession}-{instance_name}")
            return parse_xbrl_instance(resp.content, source=url)
        except HttpError as exc:
            if isinstance(exc, SecBlockedError) or exc.status not in (403, 404):
                raise
            log.info("no extracted instance at %s (%s); parsing inline XBRL", url, exc.status)
        except XbrlFormatError as exc:
            log.warning("%s; falling back to inline XBRL", exc)
    url = f"{base}/{stem}"
    resp = client.get(url, cik=cik, name=f"{accession}-{stem}")
    return parse_inline_xbrl(resp.content, source=url)


def filing_segment_revenue(
    client: EdgarClient,
    *,
    cik: int,
    ticker: str,
    accession: str,
    primary_document: str,
    mapping: SegmentMapping,
) -> tuple[pl.DataFrame, list[str]]:
    """:func:`fetch_filing_facts` + :func:`~dagster_project.sources.xbrl.segment_revenue`."""
    facts = fetch_filing_facts(client, cik, accession, primary_document)
    return segment_revenue(facts, mapping, ticker, accession=accession)
