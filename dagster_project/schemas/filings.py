"""pandera (polars) contracts for the SEC EDGAR raw tables (``raw.sec_*``).

Segment revenue from EDGAR uses :class:`~dagster_project.schemas.reference.ReportedSegmentRevenue`,
the same contract as the curated table, so both can be unioned in staging. List columns
(``items``, ``exhibits``) are not checked here: pandera checks scalar columns only.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa

from dagster_project.sources.edgar import SEC_FORMS

_ACCESSION = r"^\d{10}-\d{2}-\d{6}$"
_FORMS = [*SEC_FORMS, *(f"{f}/A" for f in SEC_FORMS)]


class SecFilings(pa.DataFrameModel):
    """One row per filing (10-K, 10-Q, 8-K, 20-F, 40-F, 6-K and amendments) of a tracked miner."""

    cik: int = pa.Field(gt=0)
    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    form: str = pa.Field(isin=_FORMS)
    filing_date: dt.date = pa.Field(nullable=False)
    report_date: dt.date = pa.Field(nullable=True)
    accession_number: str = pa.Field(unique=True, str_matches=_ACCESSION)
    primary_document: str = pa.Field(nullable=True)
    source_url: str = pa.Field(nullable=False)

    class Config:
        strict = False


class SecXbrlFacts(pa.DataFrameModel):
    """companyfacts as reported by each filing (plus derived Q4 rows, ``derived = true``)."""

    cik: int = pa.Field(gt=0)
    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    taxonomy: str = pa.Field(nullable=False)
    tag: str = pa.Field(nullable=False)
    unit: str = pa.Field(nullable=False)
    value: float = pa.Field(nullable=False)
    period_start: dt.date = pa.Field(nullable=True)
    period_end: dt.date = pa.Field(nullable=False)
    filed: dt.date = pa.Field(nullable=False)
    accession_number: str = pa.Field(str_matches=_ACCESSION)
    derived: bool = pa.Field(nullable=False)

    class Config:
        strict = False


class SecPressDocuments(pa.DataFrameModel):
    """Exhibit 99.x documents of 8-K / 6-K filings, decoded to text for the press extraction."""

    doc_id: str = pa.Field(unique=True, nullable=False)
    date: dt.date = pa.Field(nullable=False)
    source: str = pa.Field(str_matches=r"^https?://")
    accession_number: str = pa.Field(str_matches=_ACCESSION)
    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    content: str = pa.Field(nullable=False)
    content_type: str = pa.Field(nullable=False)

    class Config:
        strict = False
