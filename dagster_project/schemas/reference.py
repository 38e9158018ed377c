"""pandera (polars) contracts for the committed, cited reference tables in ``data/raw``.

Every curated figure must carry a source; vocabularies are closed so a typo fails loudly.
"""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

CANONICAL_SEGMENTS = (
    "bitcoin_mining_self",
    "hosted_mining",
    "hpc_hosting_colocation",
    "ai_cloud_services",
    "other",
)


class _Cited(pa.DataFrameModel):
    """Every row names where its figures come from."""

    source_url: str = pa.Field(nullable=False, str_matches=r"^(https?://|\.\./|0\d{9}-\d{2}-\d{6})")

    class Config:
        strict = False


SOURCE_KINDS = ("sec_filing", "company_release", "secondary")
FIGURE_KINDS = ("stated", "estimate", "target")
REVENUE_BASES = ("as_reported", "restated")
_ACCESSION = r"^\d{10}-\d{2}-\d{6}$"


class _Provenance(_Cited):
    """Curated rows also say what kind of source they cite and what kind of figure they hold.

    ``source_kind``: ``sec_filing`` (an EDGAR filing, with its accession when the URL does not
    carry one on sec.gov), ``company_release`` (the company's site or a newswire carrying its
    release) or ``secondary`` (anything else; ``source_note`` says why no primary source is cited).
    ``figure_kind``: ``stated`` / ``estimate`` (``estimate_by`` says whose) / ``target``.
    """

    source_kind: str = pa.Field(nullable=False, isin=list(SOURCE_KINDS))
    accession: str = pa.Field(nullable=True, str_matches=_ACCESSION)
    figure_kind: str = pa.Field(nullable=False, isin=list(FIGURE_KINDS))
    estimate_by: str = pa.Field(nullable=True)
    source_note: str = pa.Field(nullable=True)

    @pa.dataframe_check(name="sec_filing rows name their accession or a sec.gov URL")
    def _sec_filing_traceable(cls, data: pa.PolarsData) -> pl.LazyFrame:
        kind, acc, url = pl.col("source_kind"), pl.col("accession"), pl.col("source_url")
        return data.lazyframe.select(
            (kind != "sec_filing")
            | acc.is_not_null()
            | url.str.contains(r"^https?://(www\.)?sec\.gov/").fill_null(False)
        )

    @pa.dataframe_check(name="estimate rows say whose estimate")
    def _estimate_has_author(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("figure_kind") != "estimate") | pl.col("estimate_by").is_not_null()
        )

    @pa.dataframe_check(name="secondary rows say why no primary source is cited")
    def _secondary_has_note(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("source_kind") != "secondary") | pl.col("source_note").is_not_null()
        )


class Miners(_Provenance):
    ticker: str = pa.Field(unique=True, str_matches=r"^[A-Z]{2,5}$")
    name: str = pa.Field(nullable=False)
    sec_cik: str = pa.Field(nullable=True, str_matches=r"^\d{10}$")
    filer_type: str = pa.Field(isin=["domestic", "foreign"])
    fiscal_year_end: str = pa.Field(str_matches=r"^(0[1-9]|1[0-2])-\d{2}$")
    aliases: str = pa.Field(nullable=True)
    as_of_date: dt.date = pa.Field(nullable=True)


class Sites(_Provenance):
    ticker: str = pa.Field(str_matches=r"^[A-Z0-9]{2,6}$")
    site: str = pa.Field(nullable=False)
    gross_mw: float = pa.Field(ge=0, le=10_000, nullable=True)
    critical_it_mw: float = pa.Field(ge=0, le=10_000, nullable=True)
    status: str = pa.Field(isin=["energized", "under_construction", "planned", "contracted"])
    primary_use: str = pa.Field(isin=["mining", "hpc", "mixed"])
    as_of_date: dt.date = pa.Field(nullable=True)


class PowerCapacity(_Provenance):
    ticker: str = pa.Field(str_matches=r"^[A-Z0-9]{2,6}$")
    as_of_date: dt.date = pa.Field(nullable=True)
    energized_mw: float = pa.Field(ge=0, le=20_000, nullable=True)
    under_construction_mw: float = pa.Field(ge=0, le=20_000, nullable=True)
    pipeline_mw: float = pa.Field(ge=0, le=50_000, nullable=True)
    total_secured_mw: float = pa.Field(ge=0, le=50_000, nullable=True)
    hpc_designated_mw: float = pa.Field(ge=0, le=20_000, nullable=True)
    mw_basis: str = pa.Field(nullable=True)


class Fleet(_Provenance):
    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    as_of_date: dt.date = pa.Field(nullable=True)
    installed_hashrate_eh: float = pa.Field(gt=0, le=500, nullable=True)  # EH/s
    fleet_efficiency_j_per_th: float = pa.Field(ge=5, le=150, nullable=True)  # J/TH
    mining_mw: float = pa.Field(ge=0, le=20_000, nullable=True)  # MW


class HpcContractsCurated(_Provenance):
    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    counterparty: str = pa.Field(nullable=True)
    announced_date: dt.date = pa.Field(nullable=True)
    critical_it_mw: float = pa.Field(gt=0, le=10_000, nullable=True)
    gross_mw: float = pa.Field(gt=0, le=10_000, nullable=True)
    term_years: float = pa.Field(gt=0, le=50, nullable=True)
    contract_value_usd: float = pa.Field(gt=0, le=1e12, nullable=True)  # USD, whole term
    annual_revenue_usd: float = pa.Field(gt=0, le=1e11, nullable=True)  # USD per year
    status: str = pa.Field(nullable=True)


class Assumptions(_Provenance):
    name: str = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    unit: str = pa.Field(nullable=False)
    low: float = pa.Field(nullable=True)
    base: float = pa.Field(nullable=True)
    high: float = pa.Field(nullable=True)

    @pa.dataframe_check(name="low <= base <= high")
    def _ordered(cls, data: pa.PolarsData) -> pl.LazyFrame:
        lo, base, hi = pl.col("low"), pl.col("base"), pl.col("high")
        return data.lazyframe.select(
            (lo.is_null() | base.is_null() | (lo <= base))
            & (base.is_null() | hi.is_null() | (base <= hi))
            & (lo.is_null() | hi.is_null() | (lo <= hi))
        )


class AnalystAggregates(_Provenance):
    scope: str = pa.Field(nullable=False)
    analyst: str = pa.Field(nullable=True)
    as_of_date: dt.date = pa.Field(nullable=True)
    power_mw: float = pa.Field(ge=0, le=200_000, nullable=True)  # MW, industry aggregates
    hpc_suitable_mw: float = pa.Field(ge=0, le=200_000, nullable=True)
    pipeline_mw: float = pa.Field(ge=0, le=200_000, nullable=True)


class ReportedSegmentRevenue(_Cited):
    """Analyst-curated (offline) and EDGAR-extracted (live) segment revenue share this contract."""

    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    fiscal_period: str = pa.Field(str_matches=r"^(FY)?\d{4}Q[1-4]$")
    period_end: dt.date = pa.Field(nullable=False)
    segment: str = pa.Field(isin=["total", *CANONICAL_SEGMENTS])
    revenue_usd: float = pa.Field(ge=0, le=1e11)  # USD per fiscal quarter; revenue is never < 0
    source_date: dt.date = pa.Field(nullable=True)


class CuratedSegmentRevenue(_Provenance):
    """The curated file: the shared revenue contract plus provenance and a named basis.

    ``basis``: ``as_reported`` (as first reported under the presentation of the time) or
    ``restated`` (on the presentation the company adopted later, e.g. after a business was
    classified as discontinued operations, including quarters first reported that way).
    """

    ticker: str = pa.Field(str_matches=r"^[A-Z]{2,5}$")
    fiscal_period: str = pa.Field(str_matches=r"^(FY)?\d{4}Q[1-4]$")
    period_end: dt.date = pa.Field(nullable=False)
    segment: str = pa.Field(isin=["total", *CANONICAL_SEGMENTS])
    revenue_usd: float = pa.Field(ge=0, le=1e11)  # same range as ReportedSegmentRevenue
    source_date: dt.date = pa.Field(nullable=True)
    basis: str = pa.Field(nullable=False, isin=list(REVENUE_BASES))


class SeedClaims(_Provenance):
    """Headline claims of the source article, paraphrased with their numbers (our words)."""

    claim_id: str = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    topic: str = pa.Field(nullable=False)
    claim: str = pa.Field(nullable=False)
    article_value: float = pa.Field(nullable=True)
    unit: str = pa.Field(nullable=True)
    tolerance: float = pa.Field(ge=0, le=1, nullable=True)
    as_of_date: dt.date = pa.Field(nullable=True)
