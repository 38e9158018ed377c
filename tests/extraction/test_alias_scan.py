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


def test_both_candidate_paths_find_the_same_names():
    """Up to _SUBSTRING_MAX words the candidates come from substring tests, beyond it from
    the text's tokens; either way the matches are those of the full alternation."""
    from dagster_project.extraction import entities

    rng = random.Random(11)
    made_up = [
        (
            f"T{i:03d}",
            f"{rng.choice(['Volt', 'Grid', 'Hash'])}{i} {rng.choice(['Mining', 'Power', 'AI'])}",
        )
        for i in range(90)
    ]
    small = _AliasScan(_longest_first(made_up[:20]))
    large = _AliasScan(_longest_first(made_up))
    assert len(large.names) > entities._SUBSTRING_MAX and not small._exact_tokens
    assert large._folded_tokens or large._exact_tokens
    names = [n for _, n in made_up]
    for _ in range(200):
        text = " ".join(
            rng.choice([rng.choice(names), rng.choice(names).lower(), "grid", "x1 Mining"])
            + rng.choice([" ", ", ", "-", "x"])
            for _ in range(8)
        )
        for scan in (small, large):
            assert scan.finditer(text) == _plain(scan, text), text
