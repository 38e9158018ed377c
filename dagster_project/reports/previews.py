"""Mart previews for the Dagster UI: the latest period of each miner, with the key columns.

A plain first-N-rows preview of a mart shows the oldest rows of one miner; an engineer checking
a build wants the newest figure of every miner. Each mart names its period column, its entity
column and the few columns that say what it holds.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from dagster_project.reports.charts import markdown_table, table_exists


@dataclass(frozen=True)
class PreviewSpec:
    period: str
    entity: str | None
    columns: tuple[str, ...]
    where: str = "true"


PREVIEWS: dict[str, PreviewSpec] = {
    "btc_price_daily": PreviewSpec(
        "price_date", None, ("price_date", "close_usd", "daily_return", "sma_30d_usd", "source")
    ),
    "hashprice_daily": PreviewSpec(
        "day",
        None,
        (
            "day",
            "btc_price_usd",
            "network_hash_rate_ehs",
            "subsidy_per_block_btc",
            "fees_per_block_btc",
            "hashprice_usd_per_ph_day",
        ),
    ),
    "miner_equities_daily": PreviewSpec(
        "trade_date", "ticker", ("ticker", "trade_date", "close_usd", "daily_return", "source")
    ),
    "hpc_contracts": PreviewSpec(
        "announced_date",
        "ticker",
        (
            "ticker",
            "counterparty",
            "announced_date",
            "mw",
            "mw_basis",
            "term_years",
            "contract_value_usd",
            "usd_per_mw_year",
            "status",
        ),
    ),
    "hpc_revenue_share": PreviewSpec(
        "period_end",
        "ticker",
        (
            "ticker",
            "fiscal_period",
            "total_revenue_usd",
            "hpc_revenue_usd",
            "hpc_share",
            "hpc_share_qoq_change",
            "is_complete",
        ),
    ),
    "miner_power_capacity": PreviewSpec(
        "as_of_date",
        "ticker",
        (
            "ticker",
            "as_of_date",
            "energized_mw",
            "under_construction_mw",
            "planned_mw",
            "hpc_contracted_mw_critical_it",
            "hpc_share_of_capacity",
        ),
        where="row_type = 'miner'",
    ),
    "per_mw_economics": PreviewSpec(
        "month_start",
        "ticker",
        (
            "ticker",
            "month_start",
            "fleet_efficiency_j_per_th",
            "mining_margin_usd_per_mw_year",
            "hpc_margin_usd_per_mw_year_gross",
            "hpc_beats_mining",
            "breakeven_btc_price_margin_usd",
        ),
    ),
    "mining_vs_hpc_scenarios": PreviewSpec(
        "sort_order",
        "ticker",
        (
            "ticker",
            "scenario",
            "mining_margin_usd_per_mw_year",
            "hpc_margin_usd_per_mw_year_gross",
            "pivot_pays",
            "breakeven_btc_price_margin_usd",
        ),
        where="scenario = 'btc_flat'",
    ),
}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [r[0] for r in con.execute(f"describe marts.{table}").fetchall()]


def latest_preview(con: duckdb.DuckDBPyConnection, mart: str, limit: int = 20) -> str:
    """Markdown: the latest row per entity of ``marts.<mart>`` (or the last rows), key columns."""
    if not table_exists(con, f"marts.{mart}"):
        return f"_marts.{mart} does not exist in this warehouse._"
    known = _columns(con, mart)
    spec = PREVIEWS.get(mart)
    if spec is None:
        cur = con.execute(f"select * from marts.{mart} limit ?", [limit])
        return markdown_table([d[0] for d in cur.description], cur.fetchall())
    cols = [c for c in spec.columns if c in known]
    select = ", ".join(f'"{c}"' for c in cols)
    if spec.entity and spec.entity in known:
        sql = f"""
            select {select} from marts.{mart}
            where {spec.where}
            qualify row_number() over (
                partition by "{spec.entity}" order by "{spec.period}" desc nulls last
            ) = 1
            order by "{spec.entity}" limit ?
        """
    else:
        sql = f"""
            select {select} from marts.{mart} where {spec.where}
            order by "{spec.period}" desc limit 5
        """
    params = [limit] if spec.entity and spec.entity in known else []
    cur = con.execute(sql, params)
    return markdown_table([d[0] for d in cur.description], cur.fetchall())
