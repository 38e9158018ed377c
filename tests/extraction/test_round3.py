"""Round 3 mechanisms, each on sentences written for these tests (made-up figures, own words).

Every test here fails without the mechanism it names (checked by reverting each one).
"""

from functools import partial

import pytest

from dagster_project.extraction import numbers as nb
from dagster_project.extraction.rules import sentences

from .own_words import facts_of

_facts = partial(facts_of, doc_id="r3")


def _of(facts, fact_type: str):
    return [f for f in facts if f.fact_type == fact_type]


def test_price_per_megawatt_hour_is_not_a_cost_per_mw(resolver):
    assert [q.per for q in nb.find_money("a fee of $4 per MWh for six years", "en")] == [None]
    assert [q.per for q in nb.find_money("at $2 per megawatt-hour", "en")] == [None]
    assert [q.per for q in nb.find_money("about $7 million per MW to build", "en")] == ["mw"]
    facts = _facts(
        "Bitfarms bought the Kestrel site for $41 million in cash and a fee of $4 per MWh "
        "for the first six years.",
        resolver,
    )
    assert not _of(facts, "capex_per_mw")
    assert [(f.amount_usd, f.status) for f in _of(facts, "acquisition")] == [(41e6, None)]


def test_a_deal_beside_compute_words_is_a_contract(resolver):
    facts = _facts(
        "TeraWulf has landed a $2.4 billion, seven-year deal with Nebius for AI cloud capacity "
        "at its Lake Mariner campus.\n\nThe deal marks a turn for the company toward compute.",
        resolver,
    )
    (lease,) = _of(facts, "hpc_contract")
    assert (lease.company, lease.counterparty, lease.contract_value_usd, lease.term_years) == (
        "WULF",
        "Nebius",
        2.4e9,
        7.0,
    )
    # a "deal" with neither a party nor an amount is not a contract
    assert not _facts("The deal marks a turn toward AI cloud capacity for Bitdeer.", resolver)


def test_gpu_hardware_agreement_with_a_vendor_is_a_purchase(resolver):
    facts = _facts(
        "Bit Digital will secure GPU hardware through a $1.2 billion agreement with Dell "
        "Technologies.",
        resolver,
    )
    assert not _of(facts, "hpc_contract")
    ((purchase),) = _of(facts, "gpu_purchase")
    assert (purchase.counterparty, purchase.amount_usd) == ("Dell", 1.2e9)


def test_gpu_acquisition_is_not_a_takeover_and_notes_keep_their_amount(resolver):
    facts = _facts(
        "Backed by $2.3 billion in cash and recent raises, including $700 million from "
        "zero-coupon convertible notes and $90 million set aside for GPU acquisition, "
        "CleanSpark is funded.",
        resolver,
    )
    assert not _of(facts, "acquisition")
    ((notes),) = _of(facts, "financing")
    assert (notes.company, notes.amount_usd, notes.interest_rate_pct) == ("CLSK", 7e8, 0.0)


def test_recurring_revenue_of_several_tenants_is_not_a_contract_value(resolver):
    facts = _facts(
        "Multi-year agreements with Poolside, Nebius and Fluidstack have lifted IREN's AI "
        "cloud annualised recurring revenue above $600 million.",
        resolver,
    )
    assert not _of(facts, "hpc_contract")


def test_annual_revenue_stated_later_completes_the_only_contract(resolver):
    text = (
        "Cipher Mining has signed a $4.1 billion, 12-year lease with Nebius for AI cloud "
        "capacity.\n\nThe shares rose in early trading. Analysts called the move bold. "
        "Bitcoin prices were flat.\n\nAccording to the company, the new capacity will "
        "generate about $340 million in annualized revenue once fully delivered."
    )
    (lease,) = _of(_facts(text, resolver), "hpc_contract")
    assert (lease.contract_value_usd, lease.term_years, lease.annual_revenue_usd) == (
        pytest.approx(4.1e9),
        12.0,
        pytest.approx(340e6),
    )


def test_a_restatement_joins_the_deal_it_restates_not_the_nearer_one(resolver):
    text = (
        "Cipher Mining has reached a 15-year lease worth $4.4 billion with Amazon.\n\n"
        "The agreement covers 250 MW of capacity.\n\n"
        "Cipher also signed an HPC hosting agreement for 40 MW in Ohio.\n\n"
        "Under the $4.4 billion, 15-year agreement with Amazon Web Services, rent starts in "
        "2027."
    )
    leases = _of(_facts(text, resolver), "hpc_contract")
    assert sorted((f.mw, f.contract_value_usd) for f in leases) == [(40.0, None), (250.0, 4.4e9)]


def test_two_kinds_of_option_are_two_facts_even_sentences_apart(resolver):
    text = (
        "HIVE Digital signs Salt Creek lease\n"
        "- The lease covers 180 MW at the Salt Creek campus and could reach $9.1 billion if all "
        "renewal options are exercised.\n"
        "- Nebius holds a right of first offer for up to 600 MW more at Salt Creek.\n"
    )
    facts = _facts(text, resolver)
    options = sorted(
        ((f.company, f.mw or 0.0, round(f.contract_value_usd or 0.0)))
        for f in _of(facts, "hpc_contract")
        if f.status == "option"
    )
    assert options == [("HIVE", 0.0, 9_100_000_000), ("HIVE", 600.0, 0)]


def test_backstop_without_an_amount_names_its_guarantor(resolver):
    facts = _facts(
        "Hut 8 signed a lease with Nebius for 90 MW of critical IT at Vega.\n\n"
        "Google is providing a financial backstop for the lease payments over the base term.",
        resolver,
    )
    backstops = [(f.counterparty, f.amount_usd) for f in _of(facts, "financing")]
    assert backstops == [("Google", None)]
    assert [(f.mw, f.counterparty) for f in _of(facts, "hpc_contract")] == [(90.0, "Nebius")]


def test_a_connection_agreement_with_a_utility_is_not_a_contract(resolver):
    facts = _facts(
        "Riot also announced a 900 MW project in Oklahoma and signed a direct connection "
        "agreement with a utility company.",
        resolver,
    )
    assert not _of(facts, "hpc_contract")


def test_hard_wrapped_fragments_are_one_sentence(resolver):
    body = (
        "Bitdeer said it has options for a further extension of the contract to host 95MW "
        "of additional machines for HPC work, the company said on Friday in Singapore while "
        "it kept its guidance for the year unchanged and pointed to more demand from clients."
    )
    text = body.replace(" ", "\n")
    assert len(sentences(text)) == 1
    (option,) = _of(_facts(text, resolver), "hpc_contract")
    assert (option.company, option.mw, option.status) == ("BTDR", 95.0, "option")
    # ordinary line breaks (headline, body) still end sentences
    assert len(sentences("A headline without a stop\nThe body begins here.")) == 2


def test_price_per_mw_of_a_purchase_is_not_a_build_cost(resolver):
    facts = _facts(
        "MARA said it will acquire four mining facilities in Ohio for $18 million, or about "
        "$240,000 per megawatt.",
        resolver,
    )
    assert not _of(facts, "capex_per_mw")
    assert [(f.amount_usd, f.status) for f in _of(facts, "acquisition")] == [(18e6, "definitive")]
    # a build cost beside a purchase is still a cost per MW
    built = _facts(
        "MARA will acquire the Kiowa site and expects construction costs of $6 million per MW.",
        resolver,
    )
    assert [f.amount_usd for f in _of(built, "capex_per_mw")] == [6e6]


def test_previous_facility_size_is_superseded(resolver):
    facts = _facts(
        "Hut 8 signed an amended credit facility with Galaxy, an amendment of its previous "
        "$30 million credit facility, now sized at $45 million.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "financing")] == [45e6]


def test_capacity_added_each_year_is_a_pace_not_a_capacity(resolver):
    facts = _facts(
        "TeraWulf now has 410 MW of contracted critical IT load in operation and aims to add "
        "150 MW to 300 MW of new contracted capacity annually.",
        resolver,
    )
    assert sorted(f.mw for f in facts) == [410.0]


def test_a_capacity_on_another_basis_in_brackets_is_not_a_second_site(resolver):
    facts = _facts(
        "Under the agreements, Cipher will deliver 120 MW of critical IT load (representing "
        "~160 MW of gross capacity) at its Barber Lake data center campus.",
        resolver,
    )
    assert sorted(f.mw for f in facts if f.fact_type in ("site", "power_capacity")) == [120.0]


def test_bounds_of_a_size_range_are_not_sites(resolver):
    facts = _facts(
        "CleanSpark will buy five sites in Ohio. The five sites total 60 MW and range in size "
        "from 8 MW to 16 MW.",
        resolver,
    )
    assert sorted(f.mw for f in facts if f.fact_type in ("site", "power_capacity")) == [60.0]


def test_a_figure_of_the_lease_itself_is_kept_without_a_party(resolver):
    text = (
        "Bitdeer signs Orion lease\n"
        "- The lease covers 90 MW of IT capacity at the Orion campus and could reach $2.2 "
        "billion if all renewal options are exercised.\n"
    )
    leases = _of(_facts(text, resolver), "hpc_contract")
    base = [(f.company, f.mw) for f in leases if f.status != "option"]
    assert base == [("BTDR", 90.0)]
    # a bare figure beside a contract word without any reference to the lease stays out
    assert not _of(_facts("Bitdeer contracts: 75 MW were counted.", resolver), "hpc_contract")


def test_a_bid_by_another_miner_is_the_bidders_event(resolver):
    text = (
        "HIVE Digital closes its Quebec purchase\n"
        "HIVE Digital completed the acquisition of the Quebec site for $30 million.\n\n"
        "The deal comes as HIVE fended off a takeover attempt by Bitdeer, which made a "
        "$640 million offer for the company last spring."
    )
    acqs = {
        (f.company, f.amount_usd, f.counterparty)
        for f in _of(_facts(text, resolver), "acquisition")
    }
    assert ("BTDR", 640e6, "HIVE") in acqs
    assert not any(c == "HIVE" and a == 640e6 for c, a, _ in acqs)


def test_optionality_of_a_campus_is_not_an_option_contract(resolver):
    facts = _facts(
        "Applied Digital expands Polaris Forge 3\n"
        "The initial 150 MW is split between two buildings, while future expansion could see "
        "the full 900 MW campus built out if the optionality is exercised.",
        resolver,
    )
    assert not _of(facts, "hpc_contract")
    assert 900.0 in {f.mw for f in facts if f.fact_type in ("site", "power_capacity")}


def test_contracted_critical_it_for_a_tenant_is_a_contract_total(resolver):
    facts = _facts(
        "With this addition, the total contracted critical IT load for Nebius at the Vega "
        "campus of Hut 8 increases to approximately 290 MW.",
        resolver,
    )
    assert [(f.fact_type, f.counterparty, f.mw, f.scope) for f in facts] == [
        ("hpc_contract", "Nebius", 290.0, "total")
    ]


def test_plans_to_offer_notes_is_a_proposed_financing(resolver):
    facts = _facts(
        "In a separate announcement, Cipher Mining disclosed plans to offer $250 million in "
        "convertible senior notes due 2032 to qualified institutional buyers.",
        resolver,
    )
    assert [(f.amount_usd, f.status) for f in _of(facts, "financing")] == [(250e6, "proposed")]


def test_a_total_leased_across_campuses_and_clients_is_company_capacity(resolver):
    facts = _facts(
        "This new lease brings Applied Digital's total leased capacity across its North Dakota "
        "facilities to 700 MW, spread across two global hyperscaler clients.",
        resolver,
    )
    assert [(f.fact_type, f.mw) for f in facts] == [("power_capacity", 700.0)]


def test_a_backstop_raised_to_a_new_total_is_sized_by_its_increment(resolver):
    text = (
        "TeraWulf said Google has increased its financial backstop to approximately $2.9 "
        "billion.\n\nGoogle will provide an incremental backstop of $1.1 billion to support "
        "project debt."
    )
    backstops = [(f.counterparty, f.amount_usd) for f in _of(_facts(text, resolver), "financing")]
    assert backstops == [("Google", 1.1e9)]


def test_a_contract_backed_by_a_guarantee_is_two_facts(resolver):
    facts = _facts(
        "Bitdeer has secured a $2.6 billion, 12-year hosting agreement with Nebius, backed by a "
        "$900 million financial guarantee from Google.",
        resolver,
    )
    ((lease),) = _of(facts, "hpc_contract")
    assert (lease.counterparty, lease.contract_value_usd, lease.term_years) == (
        "Nebius",
        pytest.approx(2.6e9),
        12.0,
    )
    ((backstop),) = _of(facts, "financing")
    assert (backstop.counterparty, backstop.amount_usd, backstop.status) == (
        "Google",
        900e6,
        "backstop",
    )


def test_a_backstop_told_twice_is_one_fact(resolver):
    text = (
        "Hut 8 signed a 15-year lease with Nebius for 120 MW, backed by a $700 million "
        "financial guarantee.\n\nHut 8 also priced $300 million of 2.5% convertible notes.\n\n"
        "Google's backstop makes the project easier to finance."
    )
    financings = {
        (f.status, f.counterparty, f.amount_usd) for f in _of(_facts(text, resolver), "financing")
    }
    assert ("backstop", "Google", 700e6) in financings
    assert len([f for f in financings if f[0] == "backstop"]) == 1
    # the tenant named with "with" is not the guarantor
    alone = _facts("The lease with Nebius is backed by a $500 million guarantee.", resolver)
    assert [(f.counterparty, f.amount_usd) for f in _of(alone, "financing")] == [(None, 500e6)]


def test_unit_abbreviation_in_brackets_keeps_the_basis():
    found = nb.find_mw("it will deliver 150 megawatts (MW) of critical IT load at the site", "en")
    assert [(q.value, q.basis) for q in found] == [(150.0, "critical_it")]
