"""pandera (polars) contract for ``data/raw/press/overrides.csv`` (analyst decisions)."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl

from dagster_project.extraction.pipeline import CORRECTABLE_FIELDS

OVERRIDE_COLUMNS: dict[str, pl.DataType] = {
    "fact_id": pl.Utf8(),
    "action": pl.Utf8(),
    "field": pl.Utf8(),
    "value": pl.Utf8(),
    "reason": pl.Utf8(),
    "analyst": pl.Utf8(),
    "decided_on": pl.Date(),
}


class PressOverrides(pa.DataFrameModel):
    """confirm / correct / reject one extracted fact by id, with who decided and why."""

    fact_id: str = pa.Field(str_matches=r"^[0-9a-f]{12}$")
    action: str = pa.Field(isin=["confirm", "correct", "reject"])
    field: str = pa.Field(nullable=True, isin=list(CORRECTABLE_FIELDS))
    value: str = pa.Field(nullable=True)
    reason: str = pa.Field(nullable=False, str_length={"min_value": 3})
    analyst: str = pa.Field(nullable=False, str_length={"min_value": 2})
    decided_on: dt.date = pa.Field(nullable=False)

    class Config:
        strict = False
        unique = ["fact_id", "action", "field"]

    @pa.dataframe_check(name="a correction names a field and a value")
    def _correction_complete(cls, data: pa.PolarsData) -> pl.LazyFrame:
        return data.lazyframe.select(
            (pl.col("action") != "correct")
            | (pl.col("field").is_not_null() & pl.col("value").is_not_null())
        )
