"""Write the economics charts and a short HTML summary to a directory."""

from __future__ import annotations

import datetime as dt
import html
import os
from pathlib import Path

import duckdb

from dagster_project.reports.charts import (
    render_economics_chart,
    render_hpc_share_chart,
    table_exists,
)
from dagster_project.settings import REPO_ROOT

# The README question: which miners earn more per MW from HPC than from mining at today's
# hashprice, and at what BTC price does that flip? (docs/economics.md explains every column.)
FLIP_QUERY = """
select
    ticker,
    fleet_efficiency_j_per_th as j_per_th,
    hpc_revenue_basis,
    round(mining_margin_usd_per_mw_year) as mining_margin_per_mw_year,
    round(hpc_margin_usd_per_mw_year_gross) as hpc_margin_per_mw_year,
    pivot_pays as hpc_earns_more,
    round(btc_price_usd) as btc_price_today,
    round(breakeven_btc_price_margin_usd) as flip_btc_price
from marts.mining_vs_hpc_scenarios
where scenario = 'btc_flat'
order by breakeven_btc_price_margin_usd desc nulls last, ticker
""".strip()


def reports_dir() -> Path:
    """``$MINERPIVOT_REPORTS_DIR`` if set, else ``<repo>/data/reports``."""
    raw = os.environ.get("MINERPIVOT_REPORTS_DIR")
    return Path(raw).expanduser().resolve() if raw else REPO_ROOT / "data" / "reports"


def _html_table(columns: list[str], rows: list[tuple]) -> str:
    def cell(v: object) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            return f"{v:,.0f}" if abs(v) >= 100 else f"{v:.3g}"
        return html.escape(str(v))

    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{cell(v)}</td>" for v in r) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _query(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[str], list[tuple]]:
    cur = con.execute(sql)
    return [d[0] for d in cur.description], cur.fetchall()


def write_report(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    """Render both charts and ``index.html`` into ``out_dir``; returns the files written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    charts = {
        "economics.png": render_economics_chart(con),
        "hpc_share.png": render_hpc_share_chart(con),
    }
    written = []
    for name, data in charts.items():
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)

    sections = []
    if table_exists(con, "marts.mining_vs_hpc_scenarios"):
        cols, rows = _query(con, FLIP_QUERY)
        day = con.execute("select max(hashprice_day) from marts.mining_vs_hpc_scenarios").fetchone()
        sections.append(
            f"<h2>HPC vs mining per MW at today's hashprice ({html.escape(str(day[0]))})</h2>"
            "<p>Margin per gross MW-year; flip_btc_price is the BTC price at which mining margin "
            "equals HPC margin. Miners without a stated fleet J/TH have no mining figures.</p>"
            + _html_table(cols, rows)
            + f"<pre>{html.escape(FLIP_QUERY)}</pre>"
        )
        cols, rows = _query(
            con,
            "select scenario, count(*) filter (where pivot_pays) as miners_where_hpc_pays, "
            "count(pivot_pays) as miners_compared, round(median(breakeven_btc_price_margin_usd)) "
            "as median_flip_btc_price, round(avg(btc_price_usd)) as btc_price "
            "from marts.mining_vs_hpc_scenarios group by scenario, sort_order order by sort_order",
        )
        sections.append("<h2>Scenarios</h2>" + _html_table(cols, rows))
    else:
        sections.append("<p>marts.mining_vs_hpc_scenarios is missing: run the pipeline.</p>")
    if table_exists(con, "marts.miner_power_capacity"):
        cols, rows = _query(
            con,
            "select ticker as scope, as_of_date, energized_mw, analyst_power_mw, "
            "hpc_contracted_mw_gross, analyst_hpc_suitable_mw, "
            "coalesce(under_construction_mw, 0) + coalesce(planned_mw, 0) as pipeline_mw, "
            "analyst_pipeline_mw, comparison_note from marts.miner_power_capacity "
            "where row_type = 'industry_rollup' order by as_of_date",
        )
        sections.append("<h2>Industry roll-up vs analyst aggregates</h2>" + _html_table(cols, rows))

    page = (
        "<!doctype html><html><head><meta charset='utf-8'><title>minerpivot economics</title>"
        "<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}"
        "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;"
        "padding:3px 6px;text-align:right}pre{background:#f4f4f4;padding:8px}</style></head><body>"
        "<h1>minerpivot: mining vs HPC economics</h1>"
        f"<p>Generated {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC from the published warehouse."
        " Formulas and choices: docs/economics.md.</p>"
        + "".join(sections)
        + "<h2>Charts</h2><img src='economics.png' width='100%'><img src='hpc_share.png' "
        "width='100%'></body></html>"
    )
    index = out_dir / "index.html"
    index.write_text(page, encoding="utf-8")
    written.append(index)
    return written
