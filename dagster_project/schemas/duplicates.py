"""Duplicate rows before the contract runs: collapse exact copies, then apply a per-dataset rule.

Two kinds of duplicates, two outcomes (docs/reliability.md):

* **Exact duplicates** (every column equal, only the line number differs) are collapsed: the first
  copy is kept and each later copy becomes a quarantine row with check ``exact_duplicate`` and a
  reason naming the kept row. Nothing is lost and the count shows in the quarantine check.
* **Conflicting duplicates** (same key, different values) depend on the dataset:

  - *curated* reference tables (``data/raw``): the run fails with :class:`DuplicateKeyError`
    naming the file, both line numbers, the key and the columns that differ. A curated row is a
    cited fact; picking one silently could drop a miner, so an analyst must decide.
  - *feeds* (market snapshot / live APIs, thousands of rows): the **last row per key in file
    order wins**; earlier rows are quarantined (check ``duplicate_key``) with a reason naming the
    row that superseded them. A corrected value appended to a feed therefore replaces the old one.

Rows whose key has a null are left to the contract (a null key is its own problem).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Literal

import polars as pl

from dagster_project.schemas.validation import (
    QUARANTINE_SCHEMA,
    ROW_COL,
    empty_quarantine,
)

log = logging.getLogger(__name__)

Policy = Literal["curated", "feed"]


@dataclass(frozen=True)
class KeyRule:
    """The columns that identify a row of one dataset and what a conflict does."""

    key: tuple[str, ...]
    policy: Policy


#: dataset (raw table name) → its key rule. Datasets not listed are not deduplicated.
KEY_RULES: dict[str, KeyRule] = {
    # curated reference tables: a conflict fails the run naming both rows
    "miners": KeyRule(("ticker",), "curated"),
    "sites": KeyRule(("ticker", "site", "as_of_date", "source_url"), "curated"),
    "power_capacity": KeyRule(("ticker", "as_of_date", "mw_basis", "source_url"), "curated"),
    "fleet": KeyRule(("ticker", "as_of_date", "source_url"), "curated"),
    "hpc_contracts_curated": KeyRule(
        ("ticker", "counterparty", "announced_date", "source_url"), "curated"
    ),
    "assumptions": KeyRule(("name",), "curated"),
    "seed_claims": KeyRule(("claim_id",), "curated"),
    "analyst_aggregates": KeyRule(("scope", "analyst", "as_of_date", "source_url"), "curated"),
    "reported_segment_revenue": KeyRule(
        ("ticker", "fiscal_period", "segment", "source_url"), "curated"
    ),
    "press_overrides": KeyRule(("fact_id", "action", "field"), "curated"),
    # high-volume feeds: last row per key in file order wins, the others are quarantined
    "btc_price_daily": KeyRule(("date",), "feed"),
    "network_difficulty": KeyRule(("date",), "feed"),
    "network_hashrate_daily": KeyRule(("date",), "feed"),
    "tx_fees_daily": KeyRule(("date",), "feed"),
    "block_reward_daily": KeyRule(("date",), "feed"),
    "miner_equities_daily": KeyRule(("ticker", "date"), "feed"),
}


class DuplicateKeyError(ValueError):
    """Two rows of a curated table share a key with different values; an analyst must choose."""

    def __init__(self, file: str, conflicts: list[str]) -> None:
        self.file = file
        self.conflicts = conflicts
        shown = "\n".join(f"  - {c}" for c in conflicts[:10])
        more = f"\n  … and {len(conflicts) - 10} more" if len(conflicts) > 10 else ""
        super().__init__(
            f"{file}: {len(conflicts)} conflicting duplicate key(s) in a curated table "
            f"(keep one row per key, or make the key differ):\n{shown}{more}"
        )


def _fmt_key(key: tuple[str, ...], values: tuple[object, ...]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in zip(key, values, strict=True))


def _notices(
    dataset: str, file: str, rows: list[int], check: str, values: list[str], reasons: list[str]
) -> pl.DataFrame:
    n = len(rows)
    return pl.DataFrame(
        {
            "dataset": [dataset] * n,
            "file": [file] * n,
            "row": rows,
            "column": ["(row)"] * n,
            "check": [check] * n,
            "value": values,
            "reason": reasons,
        },
        schema=QUARANTINE_SCHEMA,
    )


def collapse_duplicates(
    df: pl.DataFrame, *, dataset: str, file: str, skip_rows: pl.Series | None = None
) -> pl.DataFrame:
    """Quarantine rows for the duplicates of ``df`` (with ``_row``) under its dataset's rule.

    ``skip_rows`` are line numbers already quarantined for another reason (left alone). Raises
    :class:`DuplicateKeyError` for conflicting keys of a curated dataset. The caller drops the
    returned rows like any other quarantined row.
    """
    rule = KEY_RULES.get(dataset)
    if rule is None or df.height < 2:
        return empty_quarantine()
    frame = df if skip_rows is None else df.filter(~pl.col(ROW_COL).is_in(skip_rows.implode()))
    values = [c for c in frame.columns if c != ROW_COL]
    out = [empty_quarantine()]

    # 1. exact duplicates: keep the first copy
    first = pl.col(ROW_COL).min().over(values)
    exact = frame.with_columns(first.alias("_first")).filter(pl.col(ROW_COL) != pl.col("_first"))
    if exact.height:
        rows, kept = exact[ROW_COL].to_list(), exact["_first"].to_list()
        out.append(
            _notices(
                dataset,
                file,
                rows,
                "exact_duplicate",
                [f"same as row {k}" for k in kept],
                [
                    f"{file} row {r}: exact duplicate of row {k} collapsed (row {k} kept)"
                    for r, k in zip(rows, kept, strict=True)
                ],
            )
        )
        frame = frame.filter(~pl.col(ROW_COL).is_in(exact[ROW_COL].implode()))
        log.warning("%s: %d exact duplicate row(s) collapsed", file, exact.height)

    # 2. conflicting duplicates of the key
    key = [k for k in rule.key if k in frame.columns]
    keyed = frame.filter(pl.all_horizontal(pl.col(k).is_not_null() for k in key))
    dup = keyed.filter(pl.struct(key).is_duplicated()).sort(ROW_COL)
    if not dup.height:
        return pl.concat(out)
    if rule.policy == "curated":
        conflicts = []
        for group in dup.partition_by(key, maintain_order=True):
            rows = group[ROW_COL].to_list()
            differing = [c for c in values if c not in key and group[c].n_unique() > 1]
            kv = tuple(group.row(0, named=True)[k] for k in key)
            conflicts.append(
                f"rows {' and '.join(str(r) for r in rows)} share key {_fmt_key(tuple(key), kv)} "
                f"but differ in {', '.join(differing) or 'nothing'}"
            )
        raise DuplicateKeyError(file, conflicts)
    last = pl.col(ROW_COL).max().over(key)
    superseded = dup.with_columns(last.alias("_last")).filter(pl.col(ROW_COL) != pl.col("_last"))
    rows, winners = superseded[ROW_COL].to_list(), superseded["_last"].to_list()
    log.warning("%s: %d row(s) superseded by a later row with the same key", file, len(rows))
    keys = [tuple(r[k] for k in key) for r in superseded.iter_rows(named=True)]
    out.append(
        _notices(
            dataset,
            file,
            rows,
            "duplicate_key",
            [_fmt_key(tuple(key), kv) for kv in keys],
            [
                f"{file} row {r}: duplicate key {_fmt_key(tuple(key), kv)}, superseded by row "
                f"{w} (rule: the last row per key in file order wins)"
                for r, w, kv in zip(rows, winners, keys, strict=True)
            ],
        )
    )
    return pl.concat(out)
