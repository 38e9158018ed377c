"""The extracted ``Fact`` record and its exact, ordered field list."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

FACT_TYPES: tuple[str, ...] = (
    "hpc_contract",
    "financing",
    "gpu_purchase",
    "power_capacity",
    "capex_per_mw",
    "acquisition",
    "site",
)
MW_BASES: tuple[str, ...] = ("gross", "critical_it")


@dataclass
class Fact:
    """One fact with the evidence sentence it came from; ``None`` = not stated."""

    doc_id: str
    company: str | None
    fact_type: str
    counterparty: str | None = None
    mw: float | None = None
    mw_basis: str | None = None
    contract_value_usd: float | None = None
    annual_revenue_usd: float | None = None
    term_years: float | None = None
    gpu_count: int | None = None
    gpu_model: str | None = None
    amount_usd: float | None = None
    amount_usd_low: float | None = None
    amount_usd_high: float | None = None
    interest_rate_pct: float | None = None
    conversion_price_usd: float | None = None
    status: str | None = None
    event_date: str | None = None
    scope: str | None = None
    evidence: str = ""
    span_start: int = 0
    span_end: int = 0
    confidence: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """All fields in the documented order (JSON-ready)."""
        return asdict(self)


FACT_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(Fact))

# Slots that describe the fact itself (scored in evaluation, merged across sentences).
VALUE_FIELDS: tuple[str, ...] = (
    "counterparty",
    "mw",
    "mw_basis",
    "contract_value_usd",
    "annual_revenue_usd",
    "term_years",
    "gpu_count",
    "gpu_model",
    "amount_usd",
    "amount_usd_low",
    "amount_usd_high",
    "interest_rate_pct",
    "conversion_price_usd",
    "status",
)
