"""Round 8b site-precision passes (``extraction/sites.py``), on sentences written for these
tests (made-up figures, own words). Each test fails with its switch in ``sites.py`` turned
off (``ASIDE_ALL``, ``COMBINED_ENTITY``, ``ACQUISITION_MW_DUP``), except the ones marked as
guarding the precision of a pass."""

from functools import partial

import pytest

from dagster_project.extraction import sites

from .own_words import facts_of

_facts = partial(facts_of, doc_id="s8b")


def _capacity(facts):
    return sorted(f.mw for f in facts if f.fact_type in ("site", "power_capacity"))


def test_range_bounds_are_read_as_bounds():
    s = "The four plants it bought vary in size from 12 MW to 25 MW, for 70 MW in all."
    assert sites.range_bounds(s) == [12.0, 25.0]
    assert sites.range_bounds("The farm in Ohio has 40 MW of power.") == []


def test_bounds_of_a_size_range_are_not_sites(resolver):
    facts = _facts(
        "Hut 8 said it will buy six small mining farms in Kentucky for $20 million in cash.\n\n"
        "The newly purchased sites range in size from 5 MW to 12 MW, for a total of 45 MW. "
        "The deal also moves the power contracts to Hut 8.",
        resolver,
    )
    sizes = sorted(f.mw for f in facts if f.fact_type == "site")
    assert 12.0 not in sizes and 5.0 not in sizes


def test_a_figure_named_twice_is_kept_when_one_mention_is_not_a_bound():
    # precision guard: "the 30 MW plant" is a size even though 30 also bounds the range
    f = sites.Fact(
        doc_id="x",
        company="BITF",
        fact_type="site",
        mw=30.0,
        evidence="Its plants range in size from 10 MW to 30 MW, and the 30 MW plant opens first.",
    )
    assert not sites._not_a_size(f, "en")


def test_capacity_of_a_proposed_combination_is_not_the_subjects(resolver):
    facts = _facts(
        "Riot Platforms proposed to buy Hut 8 for $700 million in cash and stock. "
        "The combined company would run about 1.4 GW of power capacity, rising to 2 GW by "
        "the end of next year.",
        resolver,
    )
    assert _capacity(facts) == []


def test_the_acquired_sites_size_said_again_is_not_a_second_site(resolver):
    facts = _facts(
        "Cipher Mining closed the purchase of a 150 MW West Texas site for $40 million in "
        "cash. The transaction includes 150 MW of grid capacity and a new substation.",
        resolver,
    )
    bought = [f for f in facts if f.fact_type == "acquisition"]
    assert [f.mw for f in bought] == [150.0]
    assert _capacity(facts) == []


@pytest.mark.parametrize(
    "sentence,deal,expected",
    [
        ("The deal includes 150 MW of capacity.", "Cipher bought a site.", True),
        ("Its Ohio campus has 150 MW of power.", "Cipher bought a site.", False),
        ("Cipher bought a 150 MW site.", "Cipher bought a 150 MW site.", True),
    ],
)
def test_which_sentences_restate_the_deal(sentence, deal, expected):
    assert sites._dup_of_deal(sentence, deal) is expected
