"""Round 4 mechanisms, each on sentences written for these tests (made-up figures, own words).

Every test here fails without the mechanism it names (checked by reverting each one), except
``test_backing_a_bid_is_not_a_backstop``, which guards the precision of the backstop rule.
"""

from functools import partial

from .own_words import facts_of

_facts = partial(facts_of, doc_id="r4")


def _of(facts, fact_type: str):
    return [f for f in facts if f.fact_type == fact_type]


def test_an_architecture_name_stands_for_gpu_hardware(resolver):
    # "Blackwell systems" are GPUs: buying them is a GPU purchase, not a takeover
    facts = _facts(
        "Cipher Mining agreed to buy NVIDIA Blackwell systems from Supermicro for about "
        "$420 million to equip its Texas data hall.",
        resolver,
    )
    assert not _of(facts, "acquisition")
    assert [(f.company, f.amount_usd) for f in _of(facts, "gpu_purchase")] == [("CIFR", 420e6)]


def test_two_deals_of_different_types_in_contrasted_clauses(resolver):
    # the cloud contract and the equipment deal are cut at "tandis que" and each keeps its
    # own amount; "l'acquisition de systèmes NVIDIA GB300" is a GPU purchase
    facts = _facts(
        "TeraWulf a présenté deux accords. La première est un contrat d'hébergement de sept "
        "ans et 2,1 milliards de dollars avec Nebius, tandis que la seconde est un accord de "
        "900 millions de dollars avec Lenovo pour l'acquisition de systèmes NVIDIA GB300.",
        resolver,
    )
    contracts = _of(facts, "hpc_contract")
    assert [(f.contract_value_usd, f.term_years) for f in contracts] == [(2.1e9, 7)]
    gpus = _of(facts, "gpu_purchase")
    assert [(f.amount_usd, f.gpu_model) for f in gpus] == [(900e6, "GB300")]
    assert not _of(facts, "acquisition")


def test_backing_a_tenants_lease_obligations_is_a_backstop(resolver):
    facts = _facts(
        "Hut 8 signed a 12-year lease with Fluidstack for 150 MW of critical IT load worth "
        "$3.1 billion. Google has agreed to back $900 million of Fluidstack's lease "
        "obligations.",
        resolver,
    )
    backstops = [f for f in _of(facts, "financing") if f.status == "backstop"]
    assert [(f.counterparty, f.amount_usd) for f in backstops] == [("Google", 900e6)]
    assert [(f.mw, f.contract_value_usd) for f in _of(facts, "hpc_contract")] == [(150, 3.1e9)]


def test_backing_a_bid_is_not_a_backstop(resolver):
    # "back" without anyone's obligations is not a guarantee
    facts = _facts(
        "Riot backed its $950 million offer for Bitfarms with cash on hand.",
        resolver,
    )
    assert not [f for f in facts if f.status == "backstop"]


def test_an_agreement_to_acquire_is_a_signed_purchase(resolver):
    # no price: the purchase stands on its status, which "signed an agreement to acquire" gives
    facts = _facts(
        "Hut 8 said it has signed an agreement to acquire 300 acres of land in Ector County, "
        "Texas, for a future data center campus.",
        resolver,
    )
    assert [(f.company, f.status) for f in _of(facts, "acquisition")] == [("HUT", "definitive")]
