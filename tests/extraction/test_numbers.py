"""Number parsing table tests (English and French examples from the issue)."""

import pytest

from dagster_project.extraction import numbers as nb


@pytest.mark.parametrize(
    ("text", "lang", "value", "low", "high", "per"),
    [
        ("$3.5 billion", "en", 3.5e9, None, None, None),
        ("3,5 milliards de dollars", "fr", 3.5e9, None, None, None),
        ("290 millions de dollars par an", "fr", 290e6, None, None, "year"),
        ("$16.395 per share", "en", 16.395, None, None, "share"),
        ("16,395 $ par action", "fr", 16.395, None, None, "share"),
        ("between $300,000 and $500,000 per megawatt", "en", 500000, 300000, 500000, "mw"),
        ("entre 300 000 et 500 000 dollars par mégawatt", "fr", 500000, 300000, 500000, "mw"),
        ("$3 million to $5 million per megawatt", "en", 5e6, 3e6, 5e6, "mw"),
        ("approximately $9 billion", "en", 9e9, None, None, None),
        ("25,8 millions de dollars", "fr", 25.8e6, None, None, None),
        ("$1,000 principal amount", "en", 1000, None, None, None),
    ],
)
def test_money(text, lang, value, low, high, per):
    (q,) = nb.find_money(text, lang)
    assert q.value == pytest.approx(value)
    assert q.low == (pytest.approx(low) if low is not None else None)
    assert q.high == (pytest.approx(high) if high is not None else None)
    assert q.per == per
    assert q.currency == "USD"


def test_money_qualifiers_and_currency():
    (up,) = nb.find_money("up to $10 million per megawatt", "en")
    assert (up.qualifier, up.value) == ("up_to", 10e6)
    (fr_up,) = nb.find_money("jusqu'à 10 millions de dollars par mégawatt", "fr")
    assert (fr_up.qualifier, fr_up.value, fr_up.per) == ("up_to", 10e6, "mw")
    (approx,) = nb.find_money("environ 5,5 milliards de dollars", "fr")
    assert (approx.qualifier, approx.value) == ("approx", 5.5e9)
    (cad,) = nb.find_money("for CAD 62.8 million", "en")
    assert (cad.currency, cad.value) == ("CAD", 62.8e6)


@pytest.mark.parametrize(
    ("text", "lang", "mw"),
    [
        ("400 megawatts", "en", 400),
        ("5 gigawatts", "en", 5000),
        ("400 mégawatts", "fr", 400),
        ("3,6 gigawatts", "fr", 3600),
        ("1.3 GW", "en", 1300),
        ("1,020 MW", "en", 1020),
        ("10 800 MW", "fr", 10800),
    ],
)
def test_mw(text, lang, mw):
    (q,) = nb.find_mw(text, lang)
    assert q.value == pytest.approx(mw)


def test_mw_basis():
    crit, gross = nb.find_mw("168 MW of critical IT load (244 MW gross)", "en")
    assert (crit.value, crit.basis) == (168, "critical_it")
    assert (gross.value, gross.basis) == (244, "gross")
    (plain,) = nb.find_mw("a 300 MW site", "en")
    assert plain.basis is None


@pytest.mark.parametrize(
    ("text", "lang", "value"),
    [("8 %", "fr", 8.0), ("7,750 %", "fr", 7.75), ("1.375%", "en", 1.375), ("0.00%", "en", 0.0)],
)
def test_percent(text, lang, value):
    (q,) = nb.find_percent(text, lang)
    assert q.value == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "lang", "years"),
    [("a 12-year lease", "en", 12), ("pendant 12 ans", "fr", 12), ("five-year notes", "en", 5),
     ("une obligation de cinq ans", "fr", 5), ("15 years", "en", 15)],
)  # fmt: skip
def test_terms(text, lang, years):
    (q,) = nb.find_terms(text, lang)
    assert q.value == years


def test_gpu_counts_models_and_dates():
    assert nb.find_gpu_counts("816 GPU Nvidia H 100", "fr")[0].value == 816
    assert nb.find_gpu_counts("2 400 GPU NVIDIA", "fr")[0].value == 2400
    assert nb.find_gpu_models("1 300 B200 et 1 100 B300, H 100") == ["B200", "B300", "H100"]
    assert nb.find_date("on July 7, 2025") == "2025-07-07"
    assert nb.find_date("le 3 novembre 2025") == "2025-11-03"


def test_parse_number_language_grouping():
    assert nb.parse_number("16,395", "en") == 16395
    assert nb.parse_number("16,395", "fr") == pytest.approx(16.395)
    with pytest.raises(ValueError, match="not a number"):
        nb.parse_number("   ", "en")


def test_the_money_gates_never_hide_an_amount(monkeypatch):
    """``_suffix_possible`` and ``_range_end_possible`` only skip scans that cannot match."""
    import random

    from dagster_project.extraction import numbers as nb

    rng = random.Random(5)
    pieces = [
        "3", "16,5", "1.2", "400", " ", "  ", "\n", "$", "€", "US$", "M$", "M €", "de", "billion",
        "millions", "milliards", "mds", "k", "bn", "mm", "USD", "CAD", "EUR", "dollars",
        "de dollars", "about", "worth", "(", ")", ",", ".", "per MW", "x", "é", "between",
        "from", "and", "to", "entre", "et", "à", "-",
    ]  # fmt: skip
    texts = [
        "".join(rng.choice(pieces) + rng.choice(["", " "]) for _ in range(12)) for _ in range(3000)
    ]
    texts += ["worth 5 milliards de $ in total", "a 3 billion $ deal", "7 M€ and $4 million"]
    texts += ["between 300 000 and 500 000 dollars", "from 3 to $5 million", "entre 2 et 4 M$"]
    gated = [(t, lang, nb.find_money(t, lang)) for t in texts for lang in ("en", "fr")]
    monkeypatch.setattr(nb, "_suffix_possible", lambda text: True)
    monkeypatch.setattr(nb, "_range_end_possible", lambda text, lo, start: True)
    assert all(nb.find_money(t, lang) == want for t, lang, want in gated)
    assert sum(bool(want) for _, _, want in gated) > 1000
