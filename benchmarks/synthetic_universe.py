"""SYNTHETIC universe generator for the scale benchmark (bench_scale.py). Nothing here is data.

Writes, into an output folder outside the repository (default
``/tmp/minerpivot-scale/<factor>x/``), the raw inputs the offline pipeline reads, made up by
code with a fixed seed and labelled synthetic everywhere:

- ``snapshot/market/*.csv`` shaped like ``$MINERPIVOT_SNAPSHOT_DIR/market`` (same file names and
  headers, read from the real snapshot at generation time),
- ``raw/reference/*.csv``, ``raw/filings/*.csv``, ``raw/press/*.txt`` + ``overrides.csv`` shaped
  like ``data/raw`` (headers read from the repository's files at generation time, so a column
  another change adds is followed: unknown columns get the most common value of the real column,
  a closed vocabulary stays valid),
- ``context/`` (empty: the French article is third-party text and is not copied),
- ``SYNTHETIC.md`` saying so.

Tickers are ``SY`` + three letters (``SYAAA`` …; the contracts require ``^[A-Z]{2,5}$``), names
``<made-up word> Synthetic Mining``, every source URL ``https://synthetic.invalid/…`` (the reserved
``.invalid`` top-level domain; the contracts require http(s) URLs).

Scale factor 1 ≈ today's universe (13 companies, ~50 sites, ~20 contracts, ~500 press documents);
factor 100 ≈ 1,300 companies, 5,000 sites, 2,000 contracts, 50,000 press documents. Every factor
has 10 years of daily market data, so the growth between factors is the universe's.
``--append-days N`` adds N new days to the market feeds of an existing output (the nightly run).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import string
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
REAL_SNAPSHOT = REPO.parent / "shared" / "data"
REAL_RAW = REPO / "data" / "raw"
SEED = 20261130
YEARS = 10
LAST_DAY = dt.date(2026, 1, 16)
FIRST_DAY = LAST_DAY - dt.timedelta(days=365 * YEARS)
URL = "https://synthetic.invalid/minerpivot-scale"
MARKET_FILES = {
    "btc": "btc_usd_daily_cccagg.csv",
    "difficulty": "btc_difficulty_hashrate_4d_blockchaincom.csv",
    "hashrate": "btc_hashrate_daily_bitcoinvisuals.csv",
    "fees": "btc_tx_fees_daily_blockchaincom.csv",
    "reward": "btc_block_reward_daily_bitcoinvisuals.csv",
    "yahoo": "miner_stocks_daily_yahoo_2023_2024q1.csv",
    "spooky": "miner_stocks_daily_spookylabs_2023_2025q1.csv",
}
REFERENCE = (
    "miners",
    "sites",
    "power_capacity",
    "fleet",
    "hpc_contracts_curated",
    "assumptions",
    "analyst_aggregates",
)
HALVINGS = (
    (dt.date(2016, 7, 9), 12.5),
    (dt.date(2020, 5, 11), 6.25),
    (dt.date(2024, 4, 20), 3.125),
)


def header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def typical_values(path: Path) -> dict[str, str]:
    """Most common non-empty value per column of a real file (fills columns we do not know)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = {}
    for col in header(path):
        counts = Counter(r[col] for r in rows if r.get(col))
        out[col] = counts.most_common(1)[0][0] if counts else ""
    return out


def write_csv(path: Path, real: Path, rows: Iterable[dict], *, append: bool = False) -> int:
    """Rows in the real file's column order; columns the generator does not know are filled
    with the real column's most common value, columns it knows but the file lacks are dropped."""
    cols = header(real)
    fill = typical_values(real) if real.stat().st_size < 5_000_000 else {}
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("a" if append else "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        if not append:
            w.writerow(cols)
        for row in rows:
            w.writerow([_fmt(row[c]) if c in row else fill.get(c, "") for c in cols])
            n += 1
    return n


def _fmt(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(round(v, 6)) if math.isfinite(v) else ""
    return str(v)


def tickers(n: int) -> list[str]:
    letters = string.ascii_uppercase
    return ["SY" + letters[i // 676] + letters[(i // 26) % 26] + letters[i % 26] for i in range(n)]


_SYLLABLES = [c + v for c in "bdfgklmnprstvz" for v in "aeiou"]


def company_name(i: int) -> str:
    """A made-up, unique ten-letter word + "Synthetic Mining" (e.g. "Babebadabe Synthetic
    Mining"): press extraction recognises companies by their longest name word, which must
    differ between companies as real names do."""
    word = "".join(_SYLLABLES[(i // 70**k) % 70] for k in range(2))
    word += "".join(_SYLLABLES[(i * 7 + k * 13) % 70] for k in range(3))
    return f"{word.capitalize()} Synthetic Mining"


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


def subsidy(day: dt.date) -> float:
    value = 25.0
    for start, after in HALVINGS:
        if day >= start:
            value = after
    return value


# ---------------------------------------------------------------------------------- market


def _ar1(rng: np.random.Generator, n: int, scale: float, phi: float = 0.97) -> np.ndarray:
    """Mean-reverting noise of stationary standard deviation ``scale``."""
    shocks = rng.normal(0.0, scale * math.sqrt(1 - phi**2), n)
    out = np.empty(n)
    level = 0.0
    for i in range(n):
        level = phi * level + shocks[i]
        out[i] = level
    return out


def _market_rows(rng: np.random.Generator, span: list[dt.date], n_tickers: int):
    """Daily BTC, network and equity series over ``span`` (random walks, seeded)."""
    # Log-linear trends over the whole synthetic decade (BTC 400 → 95,000 USD, hash rate
    # 1 → 1,000 EH/s) plus mean-reverting noise, so hashprice stays in the plausible range the
    # dbt tests enforce; an appended day continues the same curves.
    n = len(span)
    t = np.array([(d - FIRST_DAY).days / (LAST_DAY - FIRST_DAY).days for d in span])
    btc = np.exp(np.log(400.0) + t * np.log(95_000 / 400.0) + _ar1(rng, n, 0.12))
    hash_hs = np.exp(np.log(1e18) + t * np.log(1_000.0) + _ar1(rng, n, 0.08))
    fees = np.abs(rng.normal(30, 10, n)) + 1
    btc_rows = []
    for i, day in enumerate(span):
        close = float(btc[i])
        op = float(btc[i - 1]) if i else close
        btc_rows.append(
            {
                "date": day,
                "time_unix": int(
                    dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp()
                ),
                "open": op,
                "high": max(op, close) * 1.01,
                "low": min(op, close) * 0.99,
                "close": close,
                "volume_usd": float(rng.uniform(1e8, 5e9)),
            }
        )
    hashrate = [{"date": d, "hash_rate_hs": float(hash_hs[i])} for i, d in enumerate(span)]
    reward = [
        {"date": d, "block_reward_btc": 144 * subsidy(d), "block_reward_usd": None} for d in span
    ]
    fee_rows = [
        {"date": d, "transaction_fees_btc": float(fees[i]), "market_price_usd": float(btc[i])}
        for i, d in enumerate(span)
    ]
    difficulty = [
        {
            "date": d,
            # difficulty ≈ hash rate × 600 s ÷ 2^32 (one block every ten minutes)
            "difficulty_7d_avg": float(hash_hs[i] * 600 / 2**32),
            "hash_rate_ths_7d_avg": float(hash_hs[i] / 1e12),
            "market_price_usd_7d_avg": float(btc[i]),
        }
        for i, d in enumerate(span)
        if (d - LAST_DAY).days % 4 == 0
    ]
    return btc_rows, hashrate, reward, fee_rows, difficulty


def _equity_rows(rng: np.random.Generator, names: list[str], span: list[dt.date], with_ts: bool):
    trading = [d for d in span if d.weekday() < 5]
    for t in names:
        px = float(rng.uniform(1, 60)) * np.exp(np.cumsum(rng.normal(0, 0.04, len(trading))))
        vol = rng.uniform(1e4, 5e6, len(trading))
        for i, d in enumerate(trading):
            close = float(px[i])
            row = {
                "ticker": t,
                "date": d,
                "open": close * 0.995,
                "high": close * 1.02,
                "low": close * 0.98,
                "close": close,
                "adj_close": close,
                "volume": float(round(vol[i])),
            }
            if with_ts:
                row["timestamp_utc"] = f"{d} 05:00:00+00:00"
            yield row


def write_market(out: Path, factor: int, snapshot: Path, *, first: dt.date, last: dt.date) -> None:
    rng = np.random.default_rng([SEED, factor, first.toordinal()])
    span = days(first, last)
    market, real = out / "snapshot" / "market", snapshot / "market"
    append = first != FIRST_DAY
    btc, hashrate, reward, fees, difficulty = _market_rows(rng, span, 13 * factor)
    for key, rows in (
        ("btc", btc),
        ("hashrate", hashrate),
        ("reward", reward),
        ("fees", fees),
        ("difficulty", difficulty),
    ):
        write_csv(market / MARKET_FILES[key], real / MARKET_FILES[key], rows, append=append)
    names = tickers(13 * factor)
    # Yahoo (preferred) to 70 % of the span on a full build; the secondary file covers all days.
    yahoo_end = LAST_DAY - dt.timedelta(days=365 * YEARS * 3 // 10)
    yahoo_span = [d for d in span if d <= yahoo_end]
    write_csv(
        market / MARKET_FILES["yahoo"],
        real / MARKET_FILES["yahoo"],
        _equity_rows(np.random.default_rng([SEED, factor, 1]), names, yahoo_span, False),
        append=append,
    )
    write_csv(
        market / MARKET_FILES["spooky"],
        real / MARKET_FILES["spooky"],
        _equity_rows(
            np.random.default_rng([SEED, factor, 2, first.toordinal()]), names, span, True
        ),
        append=append,
    )


# ------------------------------------------------------------------------------- reference


def _pick(rng: np.random.Generator, values: list[str]) -> str:
    return values[int(rng.integers(len(values)))]


def _date_between(rng: np.random.Generator, first: dt.date, last: dt.date) -> dt.date:
    return first + dt.timedelta(days=int(rng.integers((last - first).days + 1)))


# Per-company MW are small on purpose: the marts test plausibility on industry totals (energized
# MW of all companies <= 100 GW) and on HPC share of capacity (<= 1), and 1,300 synthetic
# companies must pass both, with contracted MW (curated and press-extracted) below capacity.


def write_reference(out: Path, factor: int, raw: Path) -> dict[str, int]:
    rng = np.random.default_rng([SEED, factor, 3])
    names = tickers(13 * factor)
    ref, real = out / "raw" / "reference", raw / "reference"
    counts: dict[str, int] = {}
    # Sites and capacity are dated in 2023, contracts and press from 2024: a company's
    # capacity is known before its first contract (the marts test HPC share <= 1).
    early, mid, late = dt.date(2023, 1, 1), dt.date(2023, 12, 31), dt.date(2025, 12, 31)

    def src(kind: str, i: object) -> str:
        return f"{URL}/{kind}/{i}"

    miners = [
        {
            "ticker": t,
            "name": company_name(i),
            "former_names": "",
            "sec_cik": "",
            "filer_type": "domestic",
            "fiscal_year_end": "12-31",
            "exchange": "SYNTHETIC",
            "hq_country": "Synthetic",
            "aliases": f"{company_name(i)}|{t}",
            "cik_source": "",
            "source_url": src("miners", t),
            "as_of_date": late,
            "note": "SYNTHETIC benchmark row (benchmarks/synthetic_universe.py)",
        }
        for i, t in enumerate(names)
    ]
    statuses = ["energized", "under_construction", "planned", "contracted"]
    uses = ["mining", "hpc", "mixed"]
    sites = []
    for i in range(50 * factor):
        gross = float(rng.uniform(5, 25))
        sites.append(
            {
                "ticker": names[i % len(names)],
                "site": f"Synthetic Site {i + 1:05d}",
                "location": "Synthetic County, Nowhere",
                "gross_mw": gross,
                "critical_it_mw": gross * 0.7 if i % 3 == 0 else None,
                "status": _pick(rng, statuses),
                "primary_use": _pick(rng, uses),
                "hpc_tenant": f"Synthetic Tenant {i % 40:02d}" if i % 3 == 0 else "",
                "as_of_date": _date_between(rng, early, mid),
                "source_url": src("sites", i),
                "note": "SYNTHETIC",
            }
        )
    capacity = []
    for i in range(50 * factor):
        energized = float(rng.uniform(40, 70))
        capacity.append(
            {
                "ticker": names[i % len(names)],
                "as_of_date": _date_between(rng, early, mid),
                "energized_mw": energized,
                "under_construction_mw": energized * 0.3,
                "pipeline_mw": energized * 1.5,
                "total_secured_mw": energized * 2.8,
                "hpc_designated_mw": energized * 0.4 if i % 2 else None,
                "mw_basis": "gross",
                "source_url": src("power_capacity", i),
                "source_date": late,
                "note": "SYNTHETIC",
            }
        )
    fleet = [
        {
            "ticker": names[i % len(names)],
            "as_of_date": _date_between(rng, early, late),
            "installed_hashrate_eh": float(rng.uniform(0.5, 3)),
            "fleet_efficiency_j_per_th": float(rng.uniform(15, 35)),
            "mining_mw": float(rng.uniform(20, 60)),
            "source_url": src("fleet", i),
            "source_date": late,
            "note": "SYNTHETIC",
        }
        for i in range(27 * factor)
    ]
    real_status = sorted(
        {v for v in _column(real / "hpc_contracts_curated.csv", "status") if v} or {"definitive"}
    )
    contracts = []
    for i in range(20 * factor):
        mw = float(rng.uniform(2, 8))
        term = float(rng.integers(3, 16))
        value = mw * term * float(rng.uniform(1.0e6, 1.6e6))
        day = _date_between(rng, dt.date(2024, 1, 1), late)
        contracts.append(
            {
                "ticker": names[i % len(names)],
                "counterparty": f"Synthetic Tenant {i % 40:02d}",
                "announced_date": day,
                "critical_it_mw": mw,
                "gross_mw": None,
                "term_years": term,
                "contract_value_usd": value,
                "annual_revenue_usd": None,
                "status": _pick(rng, real_status),
                "source_url": src("contracts", i),
                "source_date": day,
                "as_of_date": day,
                "note": "SYNTHETIC",
            }
        )
    # Assumptions are looked up by name in SQL: same names and units as the real file, values
    # drawn around the real base (a benchmark needs plausible magnitudes, not figures).
    assumptions = []
    for row in _rows(real / "assumptions.csv"):
        base = float(row["base"]) if row["base"] else None
        jitter = float(rng.uniform(0.9, 1.1))
        b = base * jitter if base is not None else None
        assumptions.append(
            {
                "name": row["name"],
                "unit": row["unit"],
                "low": b * 0.8 if b is not None and row["low"] else None,
                "base": b,
                "high": b * 1.2 if b is not None and row["high"] else None,
                "description": "SYNTHETIC value for the scale benchmark",
                "source_url": src("assumptions", row["name"]),
                "as_of_date": late,
                "note": "SYNTHETIC",
            }
        )
    aggregates = [
        {
            "scope": f"SYN{factor}",
            "analyst": "Synthetic Analyst",
            "as_of_date": late,
            "power_mw": 400.0 * 13 * factor,
            "hpc_suitable_mw": None,
            "pipeline_mw": 200.0 * 13 * factor,
            "n_miners": 13 * factor,
            "source_url": src("aggregates", factor),
            "source_date": late,
            "note": "SYNTHETIC",
        }
    ]
    # Headline claims checked against the roll-ups (marts.seed_claims): a few per run, their
    # size does not grow with the universe.
    claims = [
        {
            "claim_id": f"synthetic_{metric}",
            "topic": "SYNTHETIC",
            "claim": "SYNTHETIC benchmark claim",
            "article_value": float(rng.uniform(1_000, 5_000)) if unit == "MW" else 0.5,
            "unit": unit,
            "tolerance": 0.2,
            "our_metric": metric,
            "our_value": None,
            "our_source_url": "",
            "as_of_date": late,
            "source_url": src("claims", metric),
            "note": "SYNTHETIC",
        }
        for metric, unit in (
            ("rollup_energized_mw", "MW"),
            ("rollup_hpc_mw", "MW"),
            ("rollup_pipeline_mw", "MW"),
            ("rollup_hpc_share", "share"),
        )
    ]
    for name, rows in (
        ("miners", miners),
        ("sites", sites),
        ("power_capacity", capacity),
        ("fleet", fleet),
        ("hpc_contracts_curated", contracts),
        ("assumptions", assumptions),
        ("analyst_aggregates", aggregates),
        ("seed_claims", claims),
    ):
        counts[name] = write_csv(ref / f"{name}.csv", real / f"{name}.csv", rows)
    return counts


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _column(path: Path, col: str) -> list[str]:
    return [r.get(col, "") for r in _rows(path)]


def write_filings(out: Path, factor: int, raw: Path) -> int:
    """Quarterly revenue per company (8 quarters): total plus segments that add up to it."""
    rng = np.random.default_rng([SEED, factor, 4])
    real = raw / "filings"
    segments = ("bitcoin_mining_self", "hosted_mining", "hpc_hosting_colocation")
    quarter_ends = [(2024, 3, 31), (2024, 6, 30), (2024, 9, 30), (2024, 12, 31)]
    quarter_ends += [(2025, 3, 31), (2025, 6, 30), (2025, 9, 30), (2025, 12, 31)]

    def rows() -> Iterable[dict]:
        for t in tickers(13 * factor):
            for q, (y, m, d) in enumerate(quarter_ends):
                end = dt.date(y, m, d)
                parts = rng.uniform(1e6, 8e7, len(segments)) * (1 + q * 0.05)
                base = {
                    "ticker": t,
                    "fiscal_period": f"FY{y}Q{q % 4 + 1}",
                    "period_end": end,
                    "source_url": f"{URL}/filings/{t}/{y}Q{q % 4 + 1}",
                    "source_date": end + dt.timedelta(days=40),
                    "as_of_date": end + dt.timedelta(days=40),
                    "note": "SYNTHETIC",
                }
                yield {**base, "segment": "total", "revenue_usd": float(parts.sum())}
                for seg, value in zip(segments, parts, strict=True):
                    yield {**base, "segment": seg, "revenue_usd": float(value)}

    n = write_csv(
        out / "raw" / "filings" / "reported_segment_revenue.csv",
        real / "reported_segment_revenue.csv",
        rows(),
    )
    # Only read when EDGAR responses were landed (never in the benchmark): header only.
    write_csv(
        out / "raw" / "filings" / "segment_member_map.csv", real / "segment_member_map.csv", []
    )
    return n


PRESS_TEMPLATES: tuple[Callable[[str, str, dict], str], ...] = (
    lambda name, t, v: (
        f"{name} (Nasdaq: {t}) announced a {v['term']}-year HPC colocation agreement with "
        f"{v['tenant']} for {v['mw']} MW of critical IT load at its {v['site']} campus, with "
        f"about ${v['value']} million of contracted revenue over the initial term."
    ),
    lambda name, t, v: (
        f"{name} reported {v['mw']} MW of energized capacity and a further {v['mw2']} MW under "
        f"construction at {v['site']}, as of the end of the quarter."
    ),
    lambda name, t, v: (
        f"{name} said its fleet reached {v['eh']} EH/s of installed hash rate at an average "
        f"efficiency of {v['jth']} J/TH."
    ),
    lambda name, t, v: (
        f"{name} closed a ${v['value']} million offering of convertible senior notes due "
        f"{v['year']} to fund the build-out of {v['site']}."
    ),
)


def write_press(out: Path, factor: int, raw: Path) -> int:
    """Own-words SYNTHETIC releases in the corpus format (front matter + text)."""
    rng = np.random.default_rng([SEED, factor, 5])
    press = out / "raw" / "press"
    press.mkdir(parents=True, exist_ok=True)
    names = tickers(13 * factor)
    n_docs = 500 * factor
    for i in range(n_docs):
        t = names[i % len(names)]
        name = company_name(i % len(names))
        day = _date_between(rng, dt.date(2024, 1, 1), dt.date(2025, 12, 31))
        v = {
            "term": int(rng.integers(3, 16)),
            "tenant": f"Synthetic Tenant {i % 40:02d}",
            # small enough that the contracted MW of a company stays below its capacity
            "mw": int(rng.integers(1, 5)),
            "mw2": int(rng.integers(20, 400)),
            "site": f"Synthetic Site {i % (50 * factor) + 1:05d}",
            # contract value = MW × years × 0.8–1.6 M USD per MW-year (plausible range)
            "value": 0,
            "eh": round(float(rng.uniform(1, 50)), 1),
            "jth": round(float(rng.uniform(15, 35)), 1),
            "year": int(rng.integers(2028, 2032)),
        }
        # The extractor states one fact twice when one sentence repeats an MW figure (same
        # fact_id twice: the unique test fails), so the two figures always differ.
        v["mw2"] = v["mw2"] if v["mw2"] != v["mw"] else v["mw"] + 1
        v["value"] = int(v["mw"] * v["term"] * float(rng.uniform(0.8, 1.6)))
        body = PRESS_TEMPLATES[i % len(PRESS_TEMPLATES)](name, t, v)
        (press / f"syn_{i + 1:06d}_{t.lower()}_{day}.txt").write_text(
            "---\n"
            f"title: SYNTHETIC release {i + 1} for {t}\n"
            f"source_url: {URL}/press/{i + 1}\n"
            f"date: {day}\n"
            "language: en\n"
            "split: dev\n"
            "---\n"
            f"{body}\n\nSYNTHETIC document made by benchmarks/synthetic_universe.py.\n",
            encoding="utf-8",
        )
    write_csv(press / "overrides.csv", raw / "press" / "overrides.csv", [])
    return n_docs


def generate(
    factor: int, out: Path, *, snapshot: Path = REAL_SNAPSHOT, raw: Path = REAL_RAW
) -> dict[str, int]:
    """Write the whole synthetic input set for ``factor``; returns row/document counts."""
    if out.resolve().is_relative_to(REPO):
        raise SystemExit(f"refusing to write synthetic data inside the repository: {out}")
    out.mkdir(parents=True, exist_ok=True)
    (out / "context").mkdir(exist_ok=True)
    first = FIRST_DAY
    write_market(out, factor, snapshot, first=first, last=LAST_DAY)
    counts = write_reference(out, factor, raw)
    counts["reported_segment_revenue"] = write_filings(out, factor, raw)
    counts["press_documents"] = write_press(out, factor, raw)
    counts["market_days"] = (LAST_DAY - first).days + 1
    counts["equity_rows"] = (
        sum(1 for _ in (out / "snapshot/market" / MARKET_FILES["spooky"]).open()) - 1
    )
    (out / "SYNTHETIC.md").write_text(
        f"# SYNTHETIC data — scale factor {factor}x\n\n"
        "Made by `benchmarks/synthetic_universe.py` (numpy seed "
        f"{SEED}) for `make bench-scale`. Tickers SY…, companies '<made-up word> Synthetic "
        "Mining', every "
        f"source URL under {URL}. No figure here describes a real company or market. "
        "Delete freely.\n\n" + "\n".join(f"- {k}: {v}" for k, v in counts.items()) + "\n",
        encoding="utf-8",
    )
    return counts


def append_days(factor: int, out: Path, n: int, *, snapshot: Path = REAL_SNAPSHOT) -> dt.date:
    """Append ``n`` new days after the last day already in ``out``'s BTC file (nightly run)."""
    btc = out / "snapshot" / "market" / MARKET_FILES["btc"]
    with btc.open(encoding="utf-8") as fh:
        last = max(dt.date.fromisoformat(line.split(",", 1)[0]) for line in list(fh)[1:])
    first = last + dt.timedelta(days=1)
    write_market(out, factor, snapshot, first=first, last=last + dt.timedelta(days=n))
    return last + dt.timedelta(days=n)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("factor", type=int, help="scale factor: 1, 10, 100 …")
    ap.add_argument("--out", type=Path, default=None, help="default /tmp/minerpivot-scale/<f>x")
    ap.add_argument("--append-days", type=int, default=0, help="add N days to an existing output")
    args = ap.parse_args(argv)
    out = args.out or Path(f"/tmp/minerpivot-scale/{args.factor}x")
    if args.append_days:
        print(f"appended up to {append_days(args.factor, out, args.append_days)} in {out}")
    else:
        print(generate(args.factor, out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
