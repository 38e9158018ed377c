"""PNG charts and Markdown previews rendered from a DuckDB connection to the warehouse.

Uses matplotlib's object API (``Figure`` + Agg canvas), never ``pyplot``: no global state, no GUI
backend, safe inside a Dagster step. A missing table gives an image saying so, not an error.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import duckdb
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, PercentFormatter

from dagster_project.warehouse import table_exists


def _png(fig: Figure) -> bytes:
    FigureCanvasAgg(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


def _message_png(title: str, message: str) -> bytes:
    fig = Figure(figsize=(8, 3))
    ax = fig.add_subplot()
    ax.axis("off")
    ax.set_title(title)
    ax.text(0.5, 0.5, message, ha="center", va="center", wrap=True, fontsize=11)
    return _png(fig)


def warm_up() -> None:
    """Render a tiny figure once: loads the Agg backend, fonts and font cache, so that a
    caller can pay for them while it waits on something else (the dbt asset waits on dbt)."""
    _message_png("warm-up", "0123456789 $k%")


def _usd_k(value: float, _pos: int) -> str:
    return f"${value / 1e3:,.0f}k"


# A chart stays readable (and quick to draw: legend layout and rendering grow with every line)
# with at most this many miners; a larger universe shows the ones with the highest last value.
MAX_SERIES = 15


def _largest_series(
    by_ticker: dict[str, list[tuple]], column: int, limit: int = MAX_SERIES
) -> tuple[dict[str, list[tuple]], str]:
    """At most ``limit`` tickers, those with the highest last value of ``column``, and a
    suffix for the title saying how many were left out (empty when none)."""
    if len(by_ticker) <= limit:
        return by_ticker, ""
    ranked = sorted(by_ticker, key=lambda t: (-(by_ticker[t][-1][column] or 0.0), t))[:limit]
    return {t: by_ticker[t] for t in ranked}, f" — top {limit} of {len(by_ticker)} miners"


def render_economics_chart(con: duckdb.DuckDBPyConnection) -> bytes:
    """Mining vs HPC margin per MW-year by month, and BTC price vs break-even, as PNG bytes.

    Top: mining gross margin per MW-year for each miner with a stated fleet efficiency, and the HPC
    margin per gross MW-year (dashed) of each miner. Bottom: monthly BTC price and each miner's
    break-even BTC price (margin vs margin). Months before any miner has a J/TH are left out.
    """
    title = "Mining vs HPC per MW-year (marts.per_mw_economics)"
    if not table_exists(con, "marts.per_mw_economics"):
        return _message_png(title, "marts.per_mw_economics is missing: run the pipeline first.")
    rows = con.execute(
        """
        select ticker, month_start, mining_margin_usd_per_mw_year,
               hpc_margin_usd_per_mw_year_gross, breakeven_btc_price_margin_usd, btc_price_usd
        from marts.per_mw_economics
        where mining_margin_usd_per_mw_year is not null
        order by ticker, month_start
        """
    ).fetchall()
    if not rows:
        return _message_png(title, "No miner has a stated fleet efficiency yet: nothing to plot.")
    by_ticker: dict[str, list[tuple]] = {}
    for row in rows:
        by_ticker.setdefault(row[0], []).append(row)
    first = min(r[1] for r in rows)
    by_ticker, shown = _largest_series(by_ticker, 2)
    title += shown
    prices = (
        con.execute(
            "select month_start, btc_price_usd from intermediate.int_economics_hashprice_monthly "
            "where month_start >= ? order by 1",
            [first],
        ).fetchall()
        if table_exists(con, "intermediate.int_economics_hashprice_monthly")
        else sorted({(r[1], r[5]) for r in rows})
    )

    fig = Figure(figsize=(11, 8))
    top, bottom = fig.subplots(2, 1, sharex=True)
    for i, (ticker, series) in enumerate(sorted(by_ticker.items())):
        color = f"C{i % 10}"
        months = [r[1] for r in series]
        top.plot(months, [r[2] for r in series], color=color, label=f"{ticker} mining")
        top.plot(months, [r[3] for r in series], color=color, linestyle="--", linewidth=1)
        bottom.plot(months, [r[4] for r in series], color=color, linewidth=1, label=ticker)
    top.axhline(0, color="grey", linewidth=0.5)
    top.set_ylabel("USD per MW-year (gross)")
    top.yaxis.set_major_formatter(FuncFormatter(_usd_k))
    top.set_title("Mining gross margin (solid) vs HPC margin (dashed) per MW-year")
    top.legend(ncol=4, fontsize=8, loc="upper left")
    bottom.plot(
        [p[0] for p in prices],
        [p[1] for p in prices],
        color="black",
        linewidth=2.5,
        label="BTC price",
    )
    bottom.set_ylabel("USD per BTC")
    bottom.yaxis.set_major_formatter(FuncFormatter(_usd_k))
    bottom.set_title("BTC price (black) vs break-even BTC price where mining = HPC margin")
    bottom.legend(ncol=5, fontsize=8, loc="upper left")
    fig.suptitle(title)
    return _png(fig)


def render_hpc_share_chart(con: duckdb.DuckDBPyConnection) -> bytes:
    """Share of revenue from HPC/AI by miner and fiscal quarter (marts.hpc_revenue_share), PNG."""
    title = "HPC share of revenue by quarter (marts.hpc_revenue_share)"
    if not table_exists(con, "marts.hpc_revenue_share"):
        return _message_png(title, "marts.hpc_revenue_share is missing in this warehouse.")
    rows = con.execute(
        "select ticker, period_end, hpc_share from marts.hpc_revenue_share "
        "where hpc_share is not null order by ticker, period_end"
    ).fetchall()
    if not rows:
        return _message_png(title, "marts.hpc_revenue_share has no quarter with an HPC share.")
    by_ticker: dict[str, list[tuple]] = {}
    for row in rows:
        by_ticker.setdefault(row[0], []).append(row)
    by_ticker, shown = _largest_series(by_ticker, 2)
    title += shown
    fig = Figure(figsize=(11, 5))
    ax = fig.add_subplot()
    for i, (ticker, series) in enumerate(sorted(by_ticker.items())):
        ax.plot(
            [r[1] for r in series],
            [r[2] for r in series],
            marker="o",
            markersize=3,
            color=f"C{i % 10}",
            linestyle="-" if i < 10 else "--",
            label=ticker,
        )
    ax.set_ylim(0, 1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel("HPC / AI revenue ÷ total revenue")
    ax.set_xlabel("fiscal quarter end")
    ax.legend(ncol=5, fontsize=8, loc="upper left")
    ax.set_title(title)
    return _png(fig)


def render_scenarios_chart(con: duckdb.DuckDBPyConnection) -> bytes:
    """Break-even BTC price per miner under each scenario (marts.mining_vs_hpc_scenarios), PNG.

    One group of bars per miner with a stated fleet efficiency, one bar per scenario: the BTC
    price at which mining pays as much per MW-year as HPC. The dashed line is today's BTC price
    (scenario ``btc_flat``); a bar above it means HPC pays more at today's price.
    """
    title = "BTC price at which mining = HPC margin, by scenario (marts.mining_vs_hpc_scenarios)"
    if not table_exists(con, "marts.mining_vs_hpc_scenarios"):
        return _message_png(title, "marts.mining_vs_hpc_scenarios is missing in this warehouse.")
    rows = con.execute(
        """
        select ticker, scenario, sort_order, breakeven_btc_price_margin_usd, btc_price_usd
        from marts.mining_vs_hpc_scenarios
        where breakeven_btc_price_margin_usd is not null
        order by ticker, sort_order, scenario
        """
    ).fetchall()
    if not rows:
        return _message_png(title, "No miner has a break-even BTC price (no stated fleet J/TH).")
    tickers = sorted({r[0] for r in rows})
    scenarios = [s for _, s in sorted({(r[2], r[1]) for r in rows})]
    value = {(r[0], r[1]): r[3] for r in rows}
    today = next((r[4] for r in rows if r[1] == "btc_flat"), None)
    if len(tickers) > MAX_SERIES:
        # One bar per miner and scenario: 1,300 miners took 6 s to draw. Keep the miners with
        # the highest break-even at today's price (first scenario if there is no btc_flat).
        first = "btc_flat" if "btc_flat" in scenarios else scenarios[0]
        ranked = sorted(tickers, key=lambda t: (-(value.get((t, first)) or 0.0), t))
        title += f" — top {MAX_SERIES} of {len(tickers)} miners"
        tickers = sorted(ranked[:MAX_SERIES])
    fig = Figure(figsize=(11, 5))
    ax = fig.add_subplot()
    width = 0.8 / max(len(scenarios), 1)
    for j, scenario in enumerate(scenarios):
        xs = [i + j * width for i in range(len(tickers))]
        ax.bar(
            xs,
            [value.get((t, scenario), 0) or 0 for t in tickers],
            width=width,
            color=f"C{j % 10}",
            label=scenario,
        )
    if today:
        ax.axhline(today, color="black", linestyle="--", linewidth=1, label="BTC price today")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(tickers))], tickers)
    ax.yaxis.set_major_formatter(FuncFormatter(_usd_k))
    ax.set_ylabel("break-even BTC price (USD)")
    ax.legend(ncol=4, fontsize=8, loc="upper right")
    ax.set_title(title)
    return _png(fig)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.4g}"
    else:
        text = str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join("---" for _ in columns) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def preview_markdown(
    con: duckdb.DuckDBPyConnection,
    table: str,
    limit: int = 10,
    columns: Sequence[str] | None = None,
) -> str:
    """First ``limit`` rows of ``schema.table`` (optionally some columns) as a Markdown table."""
    if not table_exists(con, table):
        return f"_{table} does not exist in this warehouse._"
    if columns is not None:
        known = {r[0] for r in con.execute(f"describe {table}").fetchall()}
        unknown = [c for c in columns if c not in known]
        if unknown:
            raise ValueError(f"{table} has no column(s) {unknown}")
        select = ", ".join(f'"{c}"' for c in columns)
    else:
        select = "*"
    cur = con.execute(f"select {select} from {table} limit ?", [int(limit)])
    names = [d[0] for d in cur.description]
    return markdown_table(names, cur.fetchall())
