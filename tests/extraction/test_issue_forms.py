"""Number forms and datelines of real releases (issue 11), on sentences written for the test."""

import pytest

from dagster_project.extraction import numbers as nb
from dagster_project.extraction.issuer import find_issuer


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("a loan of ~US$10 million", 10e6),
        ("a $40MM USD credit line", 40e6),
        ("revenue of $43.9m", 43.9e6),
        ("a $9.7bn contract", 9.7e9),
        ("un contrat de $9,7 mlds", 9.7e9),
    ],
)
def test_money_forms(text, value):
    lang = "fr" if "contrat" in text else "en"
    assert nb.find_money(text, lang)[0].value == pytest.approx(value)


def test_cad_before_dollar_sign_is_not_usd():
    (cad, usd) = nb.find_money("CAD $62,750,000 (approximately USD $46 million)", "en")
    assert (cad.currency, usd.currency, usd.value) == ("CAD", "USD", 46e6)


def test_range_with_one_scale_and_per_mw():
    (q,) = nb.find_money("a build cost of $8-10 million per MW", "en")
    assert (q.low, q.high, q.per) == (8e6, 10e6, "mw")


def test_mw_forms_and_both_figures_of_a_change():
    assert [q.value for q in nb.find_mw("a 1-gigawatt campus", "en")] == [1000.0]
    assert [q.value for q in nb.find_mw("Approximately 500 Megawatts of power", "en")] == [500.0]
    assert [q.value for q in nb.find_mw("raised from 600MW to 750MW", "en")] == [600.0, 750.0]
    assert [q.value for q in nb.find_terms("a five-year lease", "en")] == [5.0]


def test_annual_revenue_is_per_year():
    (q,) = nb.find_money("about $67 million in annual revenue", "en")
    assert q.per == "year"


@pytest.mark.parametrize(
    ("text", "ticker", "how"),
    [
        ("DALLAS, Aug. 29, 2025 (GLOBE NEWSWIRE) -- Applied Digital Corporation said", "APLD",
         "dateline"),
        ("NEW YORK, Nov. 3, 2025 /PRNewswire/ -- IREN Limited signed", "IREN", "dateline"),
        ("Vancouver, BC--(Newsfile Corp. - March 17, 2025) - Bitfarms Ltd. closed", "BITF",
         "dateline"),
        ("Cipher Mining said on May 2, 2025 that Riot Platforms did", "CIFR", "opening"),
    ],
)  # fmt: skip
def test_issuer(text, ticker, how, resolver):
    issuer = find_issuer(text, "", resolver)
    assert (issuer.ticker, issuer.how) == (ticker, how)
