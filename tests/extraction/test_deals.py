"""Round 7b acquisition and financing mechanisms (``extraction/deals.py``), each on sentences
written for these tests (made-up figures, own words).

Every test here fails with its switch in ``deals.SWITCHES`` turned off (checked one by one).
"""

from functools import partial

from dagster_project.extraction import deals

from .own_words import facts_of

_facts = partial(facts_of, doc_id="d7")


def _of(facts, fact_type: str):
    return [f for f in facts if f.fact_type == fact_type]


def test_a_purchase_of_counted_facilities_is_an_acquisition(resolver):
    # purchase_objects: plural or counted assets after a purchase verb
    facts = _facts(
        "Riot Platforms agreed to purchase three hosting facilities in Oklahoma from a "
        "private owner for $61.2 million.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "acquisition")] == [61.2e6]


def test_a_french_purchase_of_land_is_an_acquisition(resolver):
    facts = _facts(
        "Le mineur Hut 8 a signé un accord pour acheter des terrains de 40 acres au Texas "
        "pour 7,4 millions de dollars afin d'y construire un centre de calcul.",
        resolver,
        lang="fr",
    )
    assert [f.amount_usd for f in _of(facts, "acquisition")] == [7.4e6]


def test_acquiring_a_bitcoin_mining_rival_is_a_takeover(resolver):
    # miner_target: "acquire bitcoin" excludes buying coins, not "acquire Bitcoin mining rival"
    facts = _facts(
        "Cipher Mining announced a proposal to acquire Bitcoin mining rival TeraWulf for "
        "$3.10 per share, an equity value of $1.4 billion.",
        resolver,
    )
    acq = _of(facts, "acquisition")
    assert [(f.company, f.amount_usd) for f in acq] == [("CIFR", 1.4e9)]


def test_planning_to_raise_is_a_proposed_financing(resolver):
    # proposed_words (English): "planning to raise"
    facts = _facts(
        "Bitdeer is planning to raise $275 million through a private sale of convertible "
        "senior notes due 2031.",
        resolver,
    )
    assert [(f.amount_usd, f.status) for f in _of(facts, "financing")] == [(275e6, "proposed")]


def test_a_french_intended_offering_is_proposed(resolver):
    # proposed_words (French): "son intention d'offrir" names the status, so the lone
    # amount passes the minimum-evidence rule
    facts = _facts(
        "CleanSpark a annoncé son intention d'offrir 420 millions de dollars de billets "
        "convertibles de premier rang arrivant à échéance en 2032.",
        resolver,
        lang="fr",
    )
    assert [(f.amount_usd, f.status) for f in _of(facts, "financing")] == [(420e6, "proposed")]


def test_french_initial_purchasers_option_is_not_a_takeover(resolver):
    facts = _facts(
        "MARA propose une offre de 500 millions de dollars d'obligations convertibles. "
        "Les acquéreurs initiaux auront une option de 13 jours pour acquérir jusqu'à "
        "75 millions de dollars supplémentaires d'obligations.",
        resolver,
        lang="fr",
    )
    assert not _of(facts, "acquisition")


def test_assets_sized_together_give_the_purchase_its_mw(resolver):
    # asset_mw: "the two sites have a combined capacity of 140 MW" sizes the purchase, and
    # the figure is not a site of its own
    facts = _facts(
        "Hut 8 agreed to acquire two mining sites in Kansas for $96.5 million. "
        "The two sites have a combined capacity of 140 MW and will lift the company's "
        "total to 1,020 MW.",
        resolver,
    )
    assert [(f.amount_usd, f.mw) for f in _of(facts, "acquisition")] == [(96.5e6, 140)]
    assert 140 not in [f.mw for f in facts if f.fact_type in ("site", "power_capacity")]


def test_a_deal_total_with_assumed_debt_is_priced_at_its_equity(resolver):
    # equity_part: $210 million = $160 million of equity + $50 million of debt
    facts = _facts(
        "Core Scientific entered into a definitive merger agreement to acquire a hosting "
        "company in a deal valued at about $210 million, made of $160 million in equity "
        "value and $50 million of assumed debt.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "acquisition")] == [160e6]


def test_a_valued_transaction_after_a_takeover_is_its_price(resolver):
    # valued_deal: the second sentence has no takeover verb the rules know
    facts = _facts(
        "Bitfarms entered a definitive merger agreement with Greenidge. "
        "Bitfarms will absorb its rival in a transaction valued at roughly $88 million.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "acquisition")] == [88e6]


def test_a_loan_made_to_another_company_is_not_a_financing(resolver):
    # granted_loan
    facts = _facts(
        "IREN has provided Sunline Energy with a $7 million bridge loan bearing interest at "
        "12% ahead of the closing.",
        resolver,
    )
    assert not _of(facts, "financing")


def test_a_termination_fee_does_not_terminate_a_purchase(resolver):
    # terminated_words: "terminating X's role" and "termination fee" are not the deal's status
    facts = _facts(
        "MARA closed the purchase of a 200 MW site in Ohio for $77 million, terminating "
        "the previous operator's management contract.",
        resolver,
    )
    assert [f.status for f in _of(facts, "acquisition")] == ["completed"]


def test_two_prices_in_one_sentence_are_two_purchases(resolver):
    # listed_prices
    facts = _facts(
        "TeraWulf agreed to buy 12 acres of land in Kentucky for $2.4 million and 95 acres "
        "in Ohio for $6.1 million to build data centres.",
        resolver,
    )
    assert sorted(f.amount_usd for f in _of(facts, "acquisition")) == [2.4e6, 6.1e6]


def test_an_outside_investor_group_buying_a_company_is_not_the_miner(resolver):
    # third_party_buyer: the miner is the subject of the text but not of this takeover
    facts = _facts(
        "Core Scientific shares rose on Monday. "
        "Separately, an investor group including two pension funds agreed to acquire a "
        "data centre operator for $12 billion.",
        resolver,
    )
    assert not _of(facts, "acquisition")


def test_a_capacity_after_capacity_words_is_not_the_bought_asset(resolver):
    # capacity_before
    facts = _facts(
        "Bitfarms called the acquisition a major step and expects expansion capacity up to "
        "2.1 GW over several years.",
        resolver,
    )
    assert not [f for f in _of(facts, "acquisition") if f.mw == 2100]


def test_an_asset_retirement_obligation_is_not_a_bond(resolver):
    # non_debt_obligation
    facts = _facts(
        "HIVE a conclu un accord pour annuler une obligation de mise hors service d'actifs "
        "de 4,2 millions de dollars liée à son site en Suède.",
        resolver,
        lang="fr",
    )
    assert not _of(facts, "financing")


def test_every_switch_is_on_by_default():
    assert all(deals.SWITCHES.values())


def test_the_purchase_sized_is_the_one_stated_before(resolver):
    # asset_mw: two purchases without MW; the sizing sentence follows the first one
    facts = _facts(
        "CleanSpark will acquire five mining facilities in Georgia for $31.5 million. "
        "The five sites total 70 MW and range in size from 8 MW to 20 MW. "
        "In May, CleanSpark purchased all of a rival's outstanding stock in a deal valued "
        "at $120 million.",
        resolver,
    )
    acq = sorted((f.amount_usd, f.mw) for f in _of(facts, "acquisition"))
    assert acq == [(31.5e6, 70), (120e6, None)]


def test_an_amended_facility_replaces_the_previous_amount(resolver):
    # amended_facility: the amendment is signed (status), the old size is not a second fact
    facts = _facts(
        "Hut 8 said the new agreement is an amendment and restatement of its previous "
        "$40 million credit facility, raising it to $90 million. "
        "Last year, Hut 8 obtained a $40 million credit facility from Coinbase.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "financing")] == [90e6]


def test_an_additional_amount_is_not_the_purchase_price(resolver):
    # additional_price: an option to buy more for "an additional $X" is no price
    facts = _facts(
        "MARA agreed to acquire a 51% stake in a French cloud company. "
        "The agreement also gives MARA an option to raise its stake to 70% with an "
        "additional $93 million investment.",
        resolver,
    )
    assert 93e6 not in [f.amount_usd for f in _of(facts, "acquisition")]


def test_a_financing_backed_by_a_named_guarantor_is_its_backstop(resolver):
    # backstop_financing: no amount, but the guarantor and its backstop are the fact
    facts = _facts(
        "The ten-year notes financing is supported by a Google backstop, Cipher Mining said.",
        resolver,
    )
    assert [(f.counterparty, f.status) for f in _of(facts, "financing")] == [("Google", "backstop")]


def test_a_lone_financing_amount_stated_twice_is_kept(resolver):
    # restated_amount: no party, status or second number, but headline and body agree
    text = (
        "Bitdeer to raise $320 million through senior notes\n\n"
        "Bitdeer said the $320 million senior notes will fund its Ohio data centre build."
    )
    facts = _facts(text, resolver)
    assert [f.amount_usd for f in _of(facts, "financing")] == [320e6]


def test_a_lone_financing_amount_stated_once_is_still_dropped(resolver):
    facts = _facts(
        "Bitdeer said the $320 million senior notes will fund its Ohio data centre build.",
        resolver,
    )
    assert not _of(facts, "financing")


def test_valued_deal_reads_every_form_its_pattern_has():
    """The pre-check is the pattern's own literal gate: "valorisée à" (no "valu" in it) is a
    valued transaction as the pattern says; a sentence with no such form is not."""
    assert deals.valued_deal(
        "Le groupe a repris son concurrent dans une transaction valorisée à 40 M$."
    )
    assert deals.valued_deal("It bought the rival in a deal valued at $175 million.")
    assert not deals.valued_deal("The transaction closed in March for $175 million.")
