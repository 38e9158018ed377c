"""pandera.polars model of the extracted press-release facts frame."""

from __future__ import annotations

from collections.abc import Iterable

import pandera.polars as pa
import polars as pl

from dagster_project.extraction.facts import FACT_FIELDS, FACT_TYPES, MW_BASES, Fact

FACTS_POLARS_SCHEMA: dict[str, pl.DataType] = {
    "doc_id": pl.String(),
    "company": pl.String(),
    "fact_type": pl.String(),
    "counterparty": pl.String(),
    "mw": pl.Float64(),
    "mw_basis": pl.String(),
    "contract_value_usd": pl.Float64(),
    "annual_revenue_usd": pl.Float64(),
    "term_years": pl.Float64(),
    "gpu_count": pl.Int64(),
    "gpu_model": pl.String(),
    "amount_usd": pl.Float64(),
    "amount_usd_low": pl.Float64(),
    "amount_usd_high": pl.Float64(),
    "interest_rate_pct": pl.Float64(),
    "conversion_price_usd": pl.Float64(),
    "status": pl.String(),
    "event_date": pl.String(),
    "scope": pl.String(),
    "evidence": pl.String(),
    "span_start": pl.Int64(),
    "span_end": pl.Int64(),
    "confidence": pl.Float64(),
}
assert tuple(FACTS_POLARS_SCHEMA) == FACT_FIELDS, "schema and Fact fields diverged"


class PressFacts(pa.DataFrameModel):
    """One row per extracted fact, columns in ``Fact`` order."""

    doc_id: str = pa.Field(nullable=False, str_length={"min_value": 1})
    company: str = pa.Field(nullable=True)
    fact_type: str = pa.Field(nullable=False, isin=list(FACT_TYPES))
    counterparty: str = pa.Field(nullable=True)
    mw: float = pa.Field(nullable=True, ge=0)
    mw_basis: str = pa.Field(nullable=True, isin=list(MW_BASES))
    contract_value_usd: float = pa.Field(nullable=True, ge=0)
    annual_revenue_usd: float = pa.Field(nullable=True, ge=0)
    term_years: float = pa.Field(nullable=True, gt=0, le=50)
    gpu_count: int = pa.Field(nullable=True, ge=0)
    gpu_model: str = pa.Field(nullable=True)
    amount_usd: float = pa.Field(nullable=True, ge=0)
    amount_usd_low: float = pa.Field(nullable=True, ge=0)
    amount_usd_high: float = pa.Field(nullable=True, ge=0)
    interest_rate_pct: float = pa.Field(nullable=True, ge=0, le=100)
    conversion_price_usd: float = pa.Field(nullable=True, ge=0)
    status: str = pa.Field(nullable=True)
    event_date: str = pa.Field(nullable=True)
    scope: str = pa.Field(nullable=True)
    evidence: str = pa.Field(nullable=False, str_length={"min_value": 1})
    span_start: int = pa.Field(nullable=False, ge=0)
    span_end: int = pa.Field(nullable=False)
    confidence: float = pa.Field(nullable=False, ge=0, le=1)

    class Config:
        strict = True
        ordered = True

    @pa.dataframe_check
    def span_end_after_start(cls, data: pa.PolarsData) -> pl.LazyFrame:
        """``span_end > span_start`` on every row."""
        return data.lazyframe.select(pl.col("span_end") > pl.col("span_start"))


def facts_to_frame(facts: Iterable[Fact]) -> pl.DataFrame:
    """Facts as a polars frame with the schema above (empty input → empty typed frame)."""
    rows = [f.to_dict() for f in facts]
    return pl.DataFrame(rows, schema=FACTS_POLARS_SCHEMA)
