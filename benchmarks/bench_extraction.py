"""Throughput of the press extractor on one core: documents/second and peak memory.

Two document sets, both only for timing (never used as data):

* SYNTHETIC: ~5 KB English/French texts assembled by code with a fixed seed from template
  sentences with random (made-up) figures; every sentence carries a fact (worst case).
* corpus: the repo's own-words press corpus (``data/raw/press``), bodies shuffled with a fixed
  seed and joined into 5-15 KB documents (real sentence mix, most without a fact).

Run: ``python benchmarks/bench_extraction.py [--docs 400] [--corpus-docs 200]``.

``--compare REV`` times another commit's extractor side by side with the working tree's: the
package at REV is exported with ``git archive`` into a temporary directory (never committed)
and both versions run the same documents in alternating subprocesses, ``--rounds`` times each;
the medians and their ratio are printed (the VM's speed drifts, so only the ratio travels).
Each subprocess counts its own CPU time (``time.process_time``), so load from other processes
on a shared machine does not enter the comparison.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

from dagster_project.extraction.entities import Resolver, load_aliases
from dagster_project.extraction.rules import extract_facts
from dagster_project.extraction.text import document_text

PRESS_DIR = Path(__file__).resolve().parents[1] / "data" / "raw" / "press"

EN = [
    "{co} signed a {t}-year lease with {cp} for {mw} MW of critical IT capacity worth about "
    "${v} billion.",
    "The company had {mw} MW of energy capacity under management at quarter end.",
    "{co} priced ${v} billion of {r}% convertible senior notes due 2031 with a conversion "
    "price of ${p} per share.",
    "{co} agreed to purchase {n} NVIDIA B200 GPUs for approximately ${m} million.",
    "A mining site costs between $300,000 and $500,000 per megawatt to build.",
    "Revenue for the quarter was ${m} million and the board thanked employees for their work.",
    "Construction of the {mw} MW building at the Texas campus continues on schedule.",
]
FR = [
    "{co} a signé un bail de {t} ans avec {cp} portant sur {mw} MW pour environ {v} "
    "milliards de dollars.",
    "La société a finalisé une émission de {m} millions de dollars d'obligations à {r} %.",
    "Le portefeuille atteint {mw} mégawatts de capacité.",
]
COMPANIES = ["Core Scientific", "IREN", "Hut 8", "Cipher Mining", "TeraWulf", "Acme Power"]
PARTNERS = ["CoreWeave", "Fluidstack", "Microsoft", "Amazon Web Services"]


@dataclass
class Doc:
    doc_id: str
    content: bytes
    content_type: str = "text/plain"


def make_docs(n: int, size: int = 5000, seed: int = 20240624) -> list[Doc]:
    """``n`` synthetic documents of about ``size`` bytes (fixed seed)."""
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        pool = FR if i % 4 == 0 else EN
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(
                rng.choice(pool).format(
                    co=rng.choice(COMPANIES),
                    cp=rng.choice(PARTNERS),
                    t=rng.randint(5, 20),
                    mw=rng.randint(10, 900),
                    v=rng.randint(1, 9),
                    r=rng.randint(0, 9),
                    p=rng.randint(5, 40),
                    n=rng.randint(100, 5000),
                    m=rng.randint(5, 900),
                )  # fmt: skip
            )
        docs.append(Doc(f"synthetic-{i:04d}", "\n\n".join(parts).encode("utf-8")))
    return docs


def corpus_docs(n: int, seed: int = 20240624, press_dir: Path = PRESS_DIR) -> list[Doc]:
    """``n`` documents of 5-15 KB made of the corpus bodies in shuffled order (fixed seed)."""
    bodies = []
    for path in sorted(press_dir.iterdir()):
        if path.suffix.lower() in (".txt", ".html", ".htm"):
            ctype = "text/html" if path.suffix.lower() != ".txt" else "text/plain"
            bodies.append(document_text(path.read_bytes(), ctype)[0])
    if not bodies:
        raise ValueError(f"{press_dir}: no corpus documents (*.txt, *.html)")
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        target = rng.randint(5000, 15000)
        parts: list[str] = []
        while sum(len(p.encode("utf-8")) + 2 for p in parts) < target:
            parts.append(rng.choice(bodies))
        docs.append(Doc(f"corpus-mix-{i:04d}", "\n\n".join(parts).encode("utf-8")))
    return docs


def run(label: str, docs: list[Doc], resolver: Resolver) -> None:
    """Time one pass over ``docs`` and measure memory on a separate pass over 50 of them."""
    extract_facts(docs[0], resolver=resolver)  # warm regex caches
    # timing pass without tracemalloc (it slows allocation-heavy code several-fold)
    t0 = time.perf_counter()
    n_facts = sum(len(extract_facts(d, resolver=resolver)) for d in docs)
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    for d in docs[:50]:
        extract_facts(d, resolver=resolver)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    avg_kb = sum(len(d.content) for d in docs) / len(docs) / 1024
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{label}: {len(docs)} documents, avg {avg_kb:.1f} KB, facts: {n_facts}")
    print(f"  throughput: {len(docs) / elapsed:.0f} docs/s on one core ({elapsed:.2f} s)")
    print(f"  peak traced memory during extraction: {peak / 1e6:.2f} MB; max RSS {rss_mb:.0f} MB")


REPO = Path(__file__).resolve().parents[1]


def worker(which: str, n: int) -> None:
    """Time one pass over one set with whichever ``dagster_project`` is on the path (JSON)."""
    resolver = Resolver(load_aliases(None))
    docs = make_docs(n) if which == "synthetic" else corpus_docs(n)
    extract_facts(docs[0], resolver=resolver)
    # CPU time of this process: on a shared VM other processes' load stretches wall time
    # (and did so unevenly between the two versions), not the work done here
    t0 = time.process_time()
    n_facts = sum(len(extract_facts(d, resolver=resolver)) for d in docs)
    elapsed = time.process_time() - t0
    origin = sys.modules[extract_facts.__module__].__file__
    print(json.dumps({"docs_per_s": len(docs) / elapsed, "facts": n_facts, "module": origin}))


def _export(rev: str, dest: Path) -> None:
    """``dagster_project/`` as of ``rev`` into ``dest`` (git archive, read-only use)."""
    tar = dest / "old.tar"
    subprocess.run(
        ["git", "-C", str(REPO), "archive", "-o", str(tar), rev, "dagster_project"], check=True
    )
    with tarfile.open(tar) as tf:
        tf.extractall(dest, filter="data")


def _time(path: Path, which: str, n: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(path)}
    cmd = [sys.executable, __file__, "--worker", which, "--docs", str(n)]
    out = subprocess.run(cmd, env=env, cwd=path, check=True, capture_output=True, text=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not str(result["module"]).startswith(str(path)):
        raise RuntimeError(f"timed {result['module']}, expected the copy under {path}")
    return result


def compare(rev: str, sets: list[tuple[str, int]], rounds: int) -> None:
    """Median docs/s of ``rev`` and of the working tree, alternating, and their ratio."""
    with tempfile.TemporaryDirectory(prefix="bench-extraction-") as tmp:
        old = Path(tmp)
        _export(rev, old)
        for which, n in sets:
            runs: dict[str, list[float]] = {"old": [], "new": []}
            facts: dict[str, int] = {}
            for _ in range(rounds):
                for label, path in (("old", old), ("new", REPO)):
                    r = _time(path, which, n)
                    runs[label].append(r["docs_per_s"])
                    facts[label] = r["facts"]
            mo, mn = statistics.median(runs["old"]), statistics.median(runs["new"])
            print(f"{which}: {n} documents, {rounds} alternating rounds each")
            for label, med in (("old " + rev, mo), ("new (working tree)", mn)):
                key = label.split()[0]
                lo, hi = min(runs[key]), max(runs[key])
                print(
                    f"  {label:<22} median {med:6.0f} docs/s (range {lo:.0f}-{hi:.0f}), "
                    f"facts {facts[key]}"
                )
            print(f"  ratio new/old: {mn / mo:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400, help="synthetic documents")
    ap.add_argument("--corpus-docs", type=int, default=200, help="0 skips the corpus mix")
    ap.add_argument("--compare", metavar="REV", help="time REV's extractor side by side")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--worker", choices=("synthetic", "corpus"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.docs)
        return
    if args.compare:
        sets = [("synthetic", args.docs)]
        if args.corpus_docs:
            sets.append(("corpus", args.corpus_docs))
        compare(args.compare, sets, args.rounds)
        return
    resolver = Resolver(load_aliases(None))
    run("synthetic (worst case)", make_docs(args.docs), resolver)
    if args.corpus_docs:
        run("corpus mix 5-15 KB", corpus_docs(args.corpus_docs), resolver)


if __name__ == "__main__":
    main()
