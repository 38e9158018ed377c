"""The alias scan finds exactly what the plain alternation of every name finds."""

from __future__ import annotations

import random

from dagster_project.extraction.corpus import load_corpus
from dagster_project.extraction.entities import (
    COUNTERPARTIES,
    _AliasScan,
    _longest_first,
    load_aliases,
)
from dagster_project.extraction.text import document_text
from dagster_project.settings import REPO_ROOT

RAW = REPO_ROOT / "data" / "raw"


def _plain(scan: _AliasScan, text: str) -> list[tuple[int, int, int]]:
    out = []
    for m in scan.full.finditer(text):
        group = next(k for k, v in m.groupdict().items() if v is not None)
        out.append((int(group[1:]), m.start(), m.end()))
    return out


def test_scan_equals_the_full_alternation_on_the_corpus_and_edge_cases():
    aliases = load_aliases(RAW / "reference" / "miners.csv")
    miners = _AliasScan(_longest_first([(t, n) for t, ns in aliases.items() for n in ns]))
    cps = _AliasScan(_longest_first([(c, n) for c, ns in COUNTERPARTIES.items() for n in ns]))
    texts = [document_text(d.content, d.content_type)[0] for d in load_corpus(RAW / "press")]
    names = [n for _, n in miners.names] + [n for _, n in cps.names]
    rng = random.Random(7)
    glue = [" ", ", ", "'s ", "-", "(", ") ", "\n", "x", "_", ".", "  "]
    for _ in range(300):  # names glued to letters, digits, punctuation, case changed
        parts = []
        for _ in range(6):
            name = rng.choice(names)
            name = rng.choice([name, name.upper(), name.lower(), name.replace(" ", "\n")])
            parts += [name, rng.choice(glue)]
        texts.append("".join(parts))
    assert len(texts) > 300
    found = 0
    for text in texts:
        for scan in (miners, cps):
            expected = _plain(scan, text)
            assert scan.finditer(text) == expected, text[:200]
            found += len(expected)
    assert found > 500


def test_first_word_starts_find_the_same_names_in_a_large_made_up_universe():
    """90 made-up names (fixed seed) sharing first words, a name led by the Kelvin sign and
    one whose first word ``fold`` is not exact for (scanned whole): the anchored scan finds
    exactly what the full alternation finds."""
    rng = random.Random(11)
    made_up = [
        (
            f"T{i:03d}",
            rng.choice(["Volt", "Grid", "Hash"]) + f"{i % 30} " + rng.choice(["Mining", "AI"]),
        )
        for i in range(90)
    ] + [("ØST", "Østfold Hashing"), ("KEL", "\u212aelvin Compute"), ("GRD", "Grid")]
    scan = _AliasScan(_longest_first(made_up))
    whole = {scan.names[i][1] for i in scan._scan_whole}
    assert whole == {"Østfold Hashing"}  # "ø" is not a letter fold is exact for; "\u212a" is
    names = [n for _, n in made_up]
    found = 0
    for _ in range(300):
        text = " ".join(
            rng.choice([rng.choice(names), rng.choice(names).lower(), "grid", "x1 Mining"])
            + rng.choice([" ", ", ", "-", "x", "\n", "_"])
            for _ in range(8)
        ).replace("Grid1 ", rng.choice(["Grid1 ", "Grid1\n", "GRID1  "]))
        expected = _plain(scan, text)
        assert scan.finditer(text) == expected, text
        found += len(expected)
    assert found > 500
