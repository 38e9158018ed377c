"""Throughput of the press extractor on one core: documents/second and peak memory.

Documents are SYNTHETIC: ~5 KB English/French texts assembled by code with a fixed seed from
template sentences with random (made-up) figures. They exist only to time the extractor and
are never used as data. Run: ``python benchmarks/bench_extraction.py [--docs 400]``.
"""

from __future__ import annotations

import argparse
import random
import resource
import time
import tracemalloc
from dataclasses import dataclass

from dagster_project.extraction.entities import Resolver, load_aliases
from dagster_project.extraction.rules import extract_facts

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=400)
    args = ap.parse_args()
    docs = make_docs(args.docs)
    resolver = Resolver(load_aliases(None))
    extract_facts(docs[0], resolver=resolver)  # warm regex caches
    # timing pass without tracemalloc (it slows allocation-heavy code several-fold)
    t0 = time.perf_counter()
    n_facts = sum(len(extract_facts(d, resolver=resolver)) for d in docs)
    elapsed = time.perf_counter() - t0
    # separate memory pass over a slice of the same documents
    tracemalloc.start()
    for d in docs[:50]:
        extract_facts(d, resolver=resolver)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    avg_kb = sum(len(d.content) for d in docs) / len(docs) / 1024
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"documents: {len(docs)} synthetic, avg {avg_kb:.1f} KB, facts: {n_facts}")
    print(f"throughput: {len(docs) / elapsed:.0f} docs/s on one core ({elapsed:.2f} s)")
    print(f"peak traced memory during extraction: {peak / 1e6:.1f} MB; max RSS {rss_mb:.0f} MB")


if __name__ == "__main__":
    main()
