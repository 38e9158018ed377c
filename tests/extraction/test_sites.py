"""Round 6b site/capacity passes (``extraction/sites.py``), on sentences written for these
tests (made-up figures, own words). Each test fails with its mechanism switched off (checked
by flipping the switch in ``sites.py``), except
``test_capacity_delivered_under_the_lease_stays_the_contracts``, which guards the precision of
the sized-site exception."""

from functools import partial

from dagster_project.extraction import sites

from .own_words import facts_of

_facts = partial(facts_of, doc_id="s6")


def _sizes(facts, fact_type: str = "site"):
    return sorted((f.company, f.mw) for f in facts if f.fact_type == fact_type)


def test_a_pace_is_not_made_a_site_by_the_role_model(resolver):
    # the rules read "300 MW to 600 MW ... annually" as a pace; the role model's new-site pass
    # must not bring the 600 MW back as a site
    facts = _facts(
        "Cipher Mining signed a 12-year lease with Fluidstack for 150 MW of critical IT load "
        "at its Ohio campus. The company plans to add 300 MW to 600 MW of contracted IT load "
        "annually over the next few years.",
        resolver,
    )
    assert _sizes(facts) == []
    assert _sizes(facts, "hpc_contract") == [("CIFR", 150.0)]


def test_set_aside_figures():
    assert sites.set_aside("It aims to add 250 MW to 500 MW of IT load annually.", "en", 500)
    assert sites.set_aside("Capacity grew from 600 MW to 750 MW this year.", "en", 600)
    assert not sites.set_aside("Capacity grew from 600 MW to 750 MW this year.", "en", 750)
    assert not sites.set_aside("The plant has 90 MW of power.", "en", 90)


def test_a_facility_sized_like_the_lease_is_still_a_site(resolver):
    # "a second 150 MW facility": the building's own size, kept beside the 150 MW contract
    facts = _facts(
        "IREN signed a five-year cloud contract with Microsoft worth $9.1 billion for 150 MW. "
        "The first 100 MW facility opens in June, and a second 150 MW facility follows next "
        "year.",
        resolver,
    )
    assert _sizes(facts) == [("IREN", 100.0), ("IREN", 150.0)]


def test_what_a_campus_was_designed_to_host_is_a_site(resolver):
    facts = _facts(
        "TeraWulf signed a ten-year lease with Core42 for 150 MW of critical IT load worth "
        "$2.5 billion. The campus was designed to host 150 MW of critical IT load.",
        resolver,
    )
    assert _sizes(facts) == [("WULF", 150.0)]


def test_capacity_delivered_under_the_lease_stays_the_contracts(resolver):
    # the same MW stated as what the lease delivers is not a site of its own
    facts = _facts(
        "Hut 8 signed a 15-year lease with Fluidstack for 120 MW worth $3.0 billion. Under "
        "the lease, Hut 8 will deliver 120 MW of capacity in two phases next year.",
        resolver,
    )
    assert _sizes(facts) == []
    assert _sizes(facts, "power_capacity") == []


def test_sized_site_wordings():
    assert sites.sized_site("its 18-megawatt Washington state facility", 18)
    assert sites.sized_site("the full expansion of the 1-gigawatt (GW) campus", 1000)
    assert sites.sized_site("a 100-megawatt data center site in Wyoming", 100)
    assert sites.sized_site("built to handle up to 200 megawatts of critical IT load", 200)
    assert not sites.sized_site("Initial delivery of 25 MW over two phases", 25)
    assert not sites.sized_site("to deliver 300 MW of power capacity in two phases", 300)


def test_the_site_a_deal_is_placed_at_keeps_its_size(resolver):
    # "at its 80-megawatt Tydal campus" sizes the campus, not the cloud contract
    facts = _facts(
        "Bitdeer signed a five-year, $1.2 billion AI cloud contract with Nebius to deploy GPUs "
        "at its 80-megawatt Tydal campus.",
        resolver,
    )
    assert _sizes(facts) == [("BTDR", 80.0)]
    assert _sizes(facts, "hpc_contract") == [("BTDR", None)]


def test_a_campus_built_for_critical_it_is_not_the_contracts_capacity(resolver):
    built = _facts(
        "Core Scientific signed a 12-year lease with CoreWeave worth $3.1 billion. The Denton "
        "campus is being built to handle up to 250 MW of critical IT load.",
        resolver,
    )
    assert [(f.mw, f.mw_basis) for f in built if f.fact_type == "site"] == [(250.0, "critical_it")]
    # without the site wording the lone critical-IT figure still sizes the contract (round 2)
    plain = _facts(
        "Core Scientific signed a 12-year lease with CoreWeave worth $3.1 billion. The Denton "
        "campus will support 250 MW of critical IT load.",
        resolver,
    )
    assert _sizes(plain, "hpc_contract") == [("CORZ", 250.0)]
    assert _sizes(plain) == []
