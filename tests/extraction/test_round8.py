"""Round 8 contract-precision mechanisms (``extraction/contracts.py``), each on sentences
written for these tests (made-up figures, own words).

Every test here fails with the switch it names turned off (``contracts.SWITCHES``).
"""

from functools import partial

from dagster_project.extraction import contracts

from .own_words import facts_of

_facts = partial(facts_of, doc_id="r8")


def _types(facts, ftype):
    return [f for f in facts if f.fact_type == ftype]


def test_the_miners_own_lease_of_a_data_center_is_a_site(resolver, switched_off):
    # the miner rents space from a landlord: its MW are a site, no tenant's contract
    text = (
        "Bitfarms said it has signed a definitive lease agreement with a data center in "
        "Ohio that will give it up to 85 MW by the end of next year."
    )

    def body():
        facts = _facts(text, resolver)
        assert _types(facts, "hpc_contract") == []
        assert [f.mw for f in facts if f.fact_type in ("site", "power_capacity")] == [85]

    switched_off("own_lease", body)


def test_a_letter_of_intent_to_lease_more_space_is_not_a_contract(resolver, switched_off):
    text = "Bitfarms also signed a letter of intent to lease a further 12 MW in the same town."

    def body():
        assert _types(_facts(text, resolver), "hpc_contract") == []

    switched_off("own_lease", body)


def test_a_french_land_lease_is_not_a_hosting_contract(resolver, switched_off):
    text = (
        "Bitfarms a conclu un accord avec son fournisseur d'électricité pour récupérer un "
        "dépôt de 4,2 millions de dollars lié à la location de terres au Paraguay."
    )

    def body():
        assert _types(_facts(text, resolver, lang="fr"), "hpc_contract") == []

    switched_off("own_lease", body)


def test_a_tenant_lease_is_kept(resolver):
    # the guard must not touch a lease where the miner is the landlord
    text = (
        "Hut 8 signed a 12-year lease agreement with Fluidstack for 90 MW of critical IT "
        "load, worth about $2.1 billion."
    )
    facts = _types(_facts(text, resolver), "hpc_contract")
    got = [(f.counterparty, f.mw, f.term_years) for f in facts]
    assert got == [("Fluidstack", 90, 12)]


def test_an_equipment_supply_agreement_is_a_purchase(resolver, switched_off):
    text = (
        "Bitfarms will turn its 14 MW Quebec building into a GPU centre, backed by a $96 million "
        "binding agreement with a global provider supplying critical IT equipment and parts."
    )

    def body():
        facts = _facts(text, resolver)
        assert _types(facts, "hpc_contract") == []
        assert [f.amount_usd for f in _types(facts, "gpu_purchase")] == [96e6]

    switched_off("equipment_supply", body)


def test_a_headline_floor_of_the_upside_value_is_not_another_deal(resolver, switched_off):
    # the heading rounds the body's upside value down ("could top $6 billion" then "$6.4
    # billion"): one upside fact, at the body's figure
    text = (
        "A lease that could top $6 billion in all\n\n"
        "TeraWulf signed a 10-year lease with Fluidstack for 150 MW of critical IT load, worth "
        "about $2.9 billion. Two five-year renewal options would lift the total contract value "
        "to about $6.4 billion."
    )

    def body():
        facts = _types(_facts(text, resolver), "hpc_contract")
        values = sorted(f.contract_value_usd for f in facts if f.contract_value_usd)
        assert values == [2.9e9, 6.4e9]

    switched_off("rounded_upside", body)


def test_revenue_per_mw_a_year_is_not_a_build_cost(resolver, switched_off):
    text = (
        "The deal implies headline revenue of about $1.6 million per MW per year for Hut 8, "
        "a yardstick other miners now quote to AI tenants."
    )

    def body():
        assert _types(_facts(text, resolver), "capex_per_mw") == []

    switched_off("yearly_rate_per_mw", body)


def test_the_contract_pre_checks_read_every_form_of_their_patterns():
    """Each pre-check is its pattern's own literal gate, so forms a hand-written word list
    missed still reach the pattern: an upper-case supplier sentence, a French running total."""

    assert contracts.equipment_supply(
        "THE COMPANY SIGNED WITH A VENDOR PROVIDING NETWORK EQUIPMENT FOR THE HALL."
    )
    s = "Le bail de 150 MW signé avec Fluidstack, portant le campus à 400 MW sous contrat."
    assert contracts.running_total_start(s, s.index("150")) is not None
    assert contracts.running_total_start("A 150 MW lease signed with Fluidstack.", 2) is None
