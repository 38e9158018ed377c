"""The literal gate in front of the extraction regexes never changes what they find."""

from __future__ import annotations

import random
import re

import pytest

from dagster_project.extraction.text import Gated

PATTERNS = [
    r"\b(?:lease|colocation|hosting)\s+agreement",
    r"\bcontrat\s+de\s+(?:location|bail)\b",
    r"(?:\d+)\s*(?:MW|megawatts?|mégawatts?)",
    r"up to|jusqu'à",
    r"\bGPUs?\b",
    # five literals: checked through the shared Aho-Corasick scan of every gate's literals
    r"\bacquir|\bmerger\b|\btakeover\b|\bfusion\b|rachat",
]
WORDS = [
    "lease", "LEASE", "agreement", "Agreement", "hosting", "colocation", "contrat", "de", "bail",
    "location", "200", "MW", "megawatts", "MÉGAWATTS", "up", "to", "jusqu'à", "GPU", "GPUs",
    "İ", "ı", "ſ", "K", "the", "signed", "a", "12-year", "acquired", "ACQUIRES", "merger",
    "mergers", "takeover", "fusion", "rachats", "Rachat", "ACQUİR",
]  # fmt: skip


@pytest.mark.parametrize("source", PATTERNS)
def test_gated_search_equals_plain_regex_on_random_text(source):
    pattern = re.compile(source, re.IGNORECASE)
    gated = Gated(pattern)
    rng = random.Random(20261127)  # fixed seed: synthetic test strings
    for _ in range(2000):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 12)))
        plain = pattern.search(text)
        got = gated.search(text)
        assert (got is None) == (plain is None), text
        if plain is not None:
            assert got.span() == plain.span()
        assert [m.span() for m in gated.finditer(text)] == [
            m.span() for m in pattern.finditer(text)
        ]


def test_gate_skips_text_without_required_words():
    gated = Gated(re.compile(r"\blease\s+agreement", re.IGNORECASE))
    assert gated.literals  # a gate was derived from the pattern
    assert not gated.possible("Quarterly results with no deal at all.")
    assert gated.search("A twelve-year LEASE  Agreement was signed.") is not None


def test_pattern_without_literals_always_runs():
    gated = Gated(re.compile(r"\d+"))
    assert gated.possible("no digits here") is True
    assert gated.search("abc 42").group() == "42"


def test_dateline_year_pattern_equals_its_plain_form():
    """``issuer._YEAR`` is the class-led form of the plain lookbehind pattern."""
    import random
    import re

    from dagster_project.extraction import issuer

    plain = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)(?=\s*[(/)\-\u2013\u2014])")
    rng = random.Random(3)
    pieces = [
        "1",
        "2",
        "9",
        "0",
        "19",
        "20",
        "2025",
        "1999",
        " ",
        "(",
        "-",
        "/",
        ")",
        "x",
        "\u2013",
    ]
    texts = ["".join(rng.choice(pieces) for _ in range(60)) for _ in range(3000)]
    texts.append("DALLAS, Aug. 29, 2025 (GLOBE NEWSWIRE) -- 12025 - 2019/")
    spans = [[m.span() for m in rx.finditer(t)] for t in texts for rx in (issuer._YEAR, plain)]
    assert spans[0::2] == spans[1::2]
    assert sum(map(len, spans[1::2])) > 1000


def test_every_extraction_trigger_finds_what_its_plain_pattern_finds():
    """Each gated trigger of the extractor (class-led form, literal gate, last-answer memo)
    against its plain ``re.I`` pattern, on the sentences of the own-words corpus."""
    from dagster_project.extraction import numbers, rules
    from dagster_project.extraction.corpus import load_corpus
    from dagster_project.extraction.text import document_text
    from dagster_project.settings import REPO_ROOT

    gates = [g for m in (rules, numbers) for g in vars(m).values() if isinstance(g, Gated)]
    gates += [g for rules_of_type in rules.STATUS_RULES.values() for _, g in rules_of_type]
    assert len(gates) > 40
    texts = [
        document_text(d.content, d.content_type)[0]
        for d in load_corpus(REPO_ROOT / "data" / "raw" / "press")
    ]
    sentences = [t[s.start : s.end] for t in texts for s in rules.sentences(t)]
    assert len(sentences) > 100
    for g in gates:
        for s in sentences:
            plain = g.pattern.search(s)
            got = g.search(s)
            assert (got and got.span()) == (plain and plain.span()), (g.pattern.pattern, s)
            assert g.search(s) is got  # asked again: the same answer


def test_shared_literal_scan_sees_a_gate_made_after_it_ran():
    """A gate created after the shared automaton was built (and after a text was scanned)
    still finds its own literals in that very text: the table is rebuilt, the kept answer
    dropped."""
    first = Gated(re.compile(r"lease|colocation|hosting|tenancy", re.I))
    text = "The Zorbix quuxfield tenancy was signed."
    assert first._ids is not None  # four literals: the shared scan serves this gate
    assert first.search(text) is not None
    late = Gated(re.compile(r"zorbix|quuxfield|blorpt|snarfle", re.I))
    assert late.search(text).group(0) == "Zorbix"
    assert late.search("nothing of the kind") is None
    assert not late.possible("no such words here")


def test_gpu_model_gate_finds_what_its_pattern_finds():
    """``numbers.GPU_MODEL`` (searched in every sentence) is gated by the models' literals;
    on random soups of model codes, near misses and digits it matches as the plain regex."""
    from dagster_project.extraction.numbers import GPU_MODEL

    plain = GPU_MODEL.pattern
    words = ["H100", "H 100", "h100", "GB200", "B200", "B300x", "MI300X", "L40S", "A100",
             "100", "200", "H", "GB", "XH100", "units", "NVIDIA", "-", "(", "1,100"]  # fmt: skip
    rng = random.Random(20261130)  # fixed seed: synthetic test strings
    hits = 0
    for _ in range(2000):
        text = rng.choice(["", " "]).join(rng.choice(words) for _ in range(rng.randint(1, 8)))
        got = [m.span() for m in GPU_MODEL.finditer(text)]
        assert got == [m.span() for m in plain.finditer(text)], text
        assert (GPU_MODEL.search(text) is None) == (plain.search(text) is None), text
        hits += bool(got)
    assert 200 < hits < 1900
