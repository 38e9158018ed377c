"""Document-level assembly on releases written for these tests (made-up figures, own words)."""

from dagster_project.extraction.rules import extract_facts

from .test_bad_input import StoredDocument

RELEASE = """DALLAS, Aug. 29, 2025 (GLOBE NEWSWIRE) -- Applied Digital Corporation (Nasdaq: APLD) \
("Applied Digital" or the "Company") today announced a new lease with CoreWeave for 150 MW of \
critical IT load at its Polaris Forge 1 campus.

The Company expects to deliver the capacity in 2026. Management thanked the team.

Founded in 2021, the Company builds data centers. Its history is long and its staff grows.

Revenue this quarter was strong and the board met twice. Nothing else happened this week.

The lease has a term of 15 years, with two five-year renewal options, and is expected to \
generate approximately $5 billion in total contract value, or roughly $333 million in annual \
revenue.

Separately, Hut 8 was mentioned by analysts as a peer.

The Company also closed a $40MM USD equipment loan at 9.5% interest."""


def _doc(text: str, doc_id: str = "r") -> StoredDocument:
    return StoredDocument(doc_id, None, "test", text.encode("utf-8"), "text/plain")


def test_one_lease_with_slots_from_far_sentences(resolver):
    facts = extract_facts(_doc(RELEASE), resolver=resolver)
    leases = [f for f in facts if f.fact_type == "hpc_contract"]
    assert len(leases) == 1
    (lease,) = leases
    assert (lease.company, lease.counterparty, lease.mw, lease.mw_basis) == (
        "APLD",
        "CoreWeave",
        150.0,
        "critical_it",
    )
    assert (lease.term_years, lease.contract_value_usd) == (15.0, 5e9)
    assert lease.annual_revenue_usd == 333e6
    assert lease.evidence == RELEASE[lease.span_start : lease.span_end]


def test_the_company_is_the_issuer_after_another_miner_is_named(resolver):
    facts = extract_facts(_doc(RELEASE), resolver=resolver)
    (loan,) = [f for f in facts if f.fact_type == "financing"]
    assert (loan.company, loan.amount_usd, loan.interest_rate_pct) == ("APLD", 40e6, 9.5)


def test_backstop_is_a_financing_fact_of_the_guarantor_not_an_acquisition(resolver):
    text = (
        "NEW YORK, Sept. 25, 2025 /PRNewswire/ -- Cipher Mining Inc. (Nasdaq: CIFR) signed a "
        "10-year colocation agreement with Fluidstack for 168 MW of critical IT load worth "
        "about $3 billion.\n\nGoogle will backstop $1.4 billion of Fluidstack's lease "
        "obligations and receive warrants to acquire about 24 million shares of Cipher."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    assert [f.fact_type for f in facts] == ["hpc_contract", "financing"]
    assert (facts[0].company, facts[0].counterparty, facts[0].mw) == ("CIFR", "Fluidstack", 168.0)
    backstop = facts[1]
    assert (backstop.company, backstop.counterparty, backstop.status) == (
        "CIFR",
        "Google",
        "backstop",
    )
    assert backstop.amount_usd == 1.4e9


def test_restated_deal_with_same_counterparty_is_one_fact(resolver):
    text = (
        "IREN signed a five-year GPU cloud contract with Microsoft worth $9.7bn.\n\n"
        "Other news filled the quarter. Weather was mild. Mining revenue rose.\n\n"
        "Under the contract with Microsoft, IREN will deploy the capacity at Childress."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    contracts = [f for f in facts if f.fact_type == "hpc_contract"]
    assert len(contracts) == 1
    assert (contracts[0].term_years, contracts[0].contract_value_usd) == (5.0, 9.7e9)


def test_article_on_several_miners_follows_the_last_miner_named(resolver):
    text = (
        "Miners kept pivoting this year, from IREN to others.\n\nCore Scientific said it runs "
        "590 MW of HPC capacity. Riot Platforms, for its part, is studying its Corsicana "
        "site.\n\nIt signed a 10-year lease with an unnamed hyperscaler for 112 MW."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    (lease,) = [f for f in facts if f.fact_type == "hpc_contract"]
    assert lease.company == "RIOT"


def test_write_up_about_one_miner_keeps_its_subject(resolver):
    text = (
        "Bitfarms completes a deal.\n\nBitfarms bought the rival for $125 million, months "
        "after Riot Platforms made an offer for Bitfarms.\n\nThe company now manages 623 MW "
        "of energy capacity."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    (capacity,) = [f for f in facts if f.fact_type == "power_capacity"]
    assert capacity.company == "BITF"


OPTIONS = """AUSTIN, Texas, March 3, 2026 (GLOBE NEWSWIRE) -- Riot Platforms, Inc. (Nasdaq: RIOT) \
signed a 12-year lease with AMD for 40 MW of critical IT load, with options to expand to 300 MW.

The initial 12-year term is expected to generate about $500 million, while three five-year \
extension options could lift the total contract value to approximately $1.6 billion."""


def test_option_figures_are_separate_and_the_base_deal_keeps_its_own(resolver):
    facts = extract_facts(_doc(OPTIONS), resolver=resolver)
    leases = [f for f in facts if f.fact_type == "hpc_contract"]
    base = [f for f in leases if f.status == "definitive"]
    assert [(f.counterparty, f.mw, f.term_years, f.contract_value_usd) for f in base] == [
        ("AMD", 40.0, 12.0, 500e6)
    ]
    options = sorted(
        ((f.mw, f.contract_value_usd, f.term_years) for f in leases if f.status == "option"),
        key=str,
    )
    # the extra MW and the value with extensions are two upsides; the option's five-year
    # extension term is not the base term
    assert options == [(300.0, None, None), (None, 1.6e9, None)]


CLAUSES = """TeraWulf Inc. signed a lease with Fluidstack for 120 MW of critical IT load at a new \
campus. A lender committed about $700 million to Fluidstack's project financing, and the lease \
term is 20 years, which could be shortened at the tenant's discretion."""


def test_coordinated_clauses_of_two_types_keep_their_own_figures(resolver):
    facts = extract_facts(_doc(CLAUSES), resolver=resolver)
    (lease,) = [f for f in facts if f.fact_type == "hpc_contract"]
    assert (lease.counterparty, lease.mw, lease.term_years) == ("Fluidstack", 120.0, 20.0)
    (loan,) = [f for f in facts if f.fact_type == "financing"]
    assert (loan.amount_usd, loan.term_years) == (700e6, None)


LATER_SLOTS = """IREN a annoncé un contrat de services cloud avec Microsoft d'une valeur d'environ \
4,2 milliards de dollars. Ce campus de 600 MW pourra soutenir 150 MW de charge critique TI. \
Les livraisons de GPU pour Microsoft s'étaleront sur une durée de cinq ans."""


def test_contract_completed_by_a_critical_it_figure_and_a_term_sentence(resolver):
    facts = extract_facts(_doc(LATER_SLOTS), resolver=resolver)
    (deal,) = [f for f in facts if f.fact_type == "hpc_contract"]
    assert (deal.counterparty, deal.contract_value_usd) == ("Microsoft", 4.2e9)
    assert (deal.mw, deal.mw_basis, deal.term_years) == (150.0, "critical_it", 5.0)
    assert [f.mw for f in facts if f.fact_type in ("site", "power_capacity")] == [600.0]


def test_a_headline_beside_the_text_names_the_issuer_of_an_exhibit(resolver):
    from dataclasses import dataclass

    @dataclass
    class Titled:
        doc_id: str
        content: bytes
        content_type: str
        title: str

    body = "The Company is building a 90 MW facility at its Harwood site. It has no tenant yet."
    doc = Titled("x", body.encode(), "text/plain", "Exhibit 99.1 of Applied Digital Corporation")
    facts = extract_facts(doc, resolver=resolver)
    assert [(f.company, f.fact_type, f.mw) for f in facts] == [("APLD", "site", 90.0)]
    untitled = extract_facts(_doc(body), resolver=resolver)
    assert [f.company for f in untitled] == [None]


def test_capacity_stated_beside_an_acquisition_is_not_the_asset(resolver):
    text = (
        "CleanSpark Inc. completed the acquisition of a mining site in Wyoming and secured "
        "60 megawatts (MW) of power contracts. The company is closer to its 500 MW capacity goal."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    (deal,) = [f for f in facts if f.fact_type == "acquisition"]
    assert (deal.mw, deal.status) == (None, "completed")
    assert sorted(f.mw for f in facts if f.fact_type == "power_capacity") == [60.0, 500.0]


def test_earnings_next_to_a_contract_are_not_its_value(resolver):
    text = (
        "Bit Digital signed a colocation agreement with CoreWeave for 16 MW. The Company "
        "expects run-rate colocation EBITDA for the business to reach approximately $9MM."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    (deal,) = [f for f in facts if f.fact_type == "hpc_contract"]
    assert (deal.mw, deal.contract_value_usd, deal.annual_revenue_usd) == (16.0, None, None)


def test_the_purchased_site_sized_in_the_next_sentence(resolver):
    text = (
        "CleanSpark Inc. has completed the acquisition of a mining site in Georgia. The new "
        "site, with a 25 MW capacity, will add hashrate next year. The deal was finalised "
        "in cash."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    assert [(f.fact_type, f.mw, f.status) for f in facts] == [("acquisition", 25.0, "completed")]


def test_two_contracts_listed_in_one_sentence_are_two_facts(resolver):
    text = (
        "Core Scientific, Inc. said its new hosting agreements include a 150 MW contract with "
        "CoreWeave, expected to yield $2.1 billion, and a 40 MW contract with another tenant "
        "worth $600 million, both running for 10 years."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    deals = sorted(
        (f.mw, f.contract_value_usd, f.term_years, f.counterparty)
        for f in facts
        if f.fact_type == "hpc_contract"
    )
    assert deals == [(40.0, 600e6, 10.0, None), (150.0, 2.1e9, 10.0, "CoreWeave")]


NOTES = """Bit Digital, Inc. priced an upsized $120 million offering of 3.50% convertible senior \
notes, up from the original $90 million amount. The initial conversion price is $5.10 per \
share. Net proceeds are about $116.2 million, or $133.6 million if the underwriters exercise \
their option in full, and the company intends to use the proceeds to buy additional ether. \
The notes may be redeemed at 100% of the principal amount plus accrued interest."""


def test_a_notes_release_is_one_financing_fact(resolver):
    facts = extract_facts(_doc(NOTES), resolver=resolver)
    assert [
        (f.fact_type, f.amount_usd, f.interest_rate_pct, f.conversion_price_usd, f.status)
        for f in facts
    ] == [("financing", 120e6, 3.5, 5.1, "priced")]


CREDIT = """Hut 8 Corp. amended its credit facility with Coinbase, extending the maturity by one \
year and raising the borrowing capacity to $90 million. Borrowings will bear interest at 8.25% \
per year. MARA Holdings, Inc. priced $700 million of zero-coupon convertible notes and will \
allocate $120 million to repurchase existing notes."""


def test_credit_line_rate_in_its_own_sentence_and_a_zero_coupon_issue(resolver):
    facts = extract_facts(_doc(CREDIT), resolver=resolver)
    got = [(f.company, f.amount_usd, f.interest_rate_pct, f.term_years) for f in facts]
    assert got == [("HUT", 90e6, 8.25, None), ("MARA", 700e6, 0.0, None)]


def test_tenant_named_after_leased_to_and_notes_status(resolver):
    text = (
        "Applied Digital Corporation prices $1.5 billion of 7.25% senior secured notes. "
        "Proceeds will fund 150 MW of critical IT load at its Harwood campus, leased to Oracle."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    got = {(f.fact_type, f.counterparty, f.mw, f.amount_usd, f.status) for f in facts}
    assert got == {
        ("financing", None, None, 1.5e9, "priced"),
        ("hpc_contract", "Oracle", 150.0, None, None),
    }


def test_the_deal_word_at_the_amount_types_a_mixed_sentence(resolver):
    text = (
        "The financing comes as Cipher Mining secured a $2.5B AI hosting deal with "
        "Fluidstack. Bitfarms Ltd. has secured a loan agreement valued at $200 million with "
        "Macquarie Group to build its data centers."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    got = [(f.company, f.fact_type, f.counterparty) for f in facts]
    assert got == [("CIFR", "hpc_contract", "Fluidstack"), ("BITF", "financing", "Macquarie")]


def test_expansion_upside_after_a_contract_is_an_option(resolver):
    text = (
        "Riot Platforms, Inc. signed a lease with AMD for 30 MW of critical IT capacity. "
        "The deal has the potential for additional expansion of up to a total of 150 MW."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    got = [(f.fact_type, f.counterparty, f.mw, f.status) for f in facts]
    assert got == [
        ("hpc_contract", "AMD", 30.0, "definitive"),
        ("hpc_contract", "AMD", 150.0, "option"),
    ]


def test_an_acquisition_of_several_sized_assets_gives_site_facts(resolver):
    text = (
        "Hut 8 Corp. will complete the acquisition of a 30 MW facility in Timmins and a "
        "90 MW facility in Sudbury for $48 million. Bitdeer Technologies Group entered a "
        "20-year lease agreement to secure 300 MW of additional power from a utility."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    got = sorted((f.company, f.fact_type, f.mw) for f in facts)
    assert got == [
        ("BTDR", "power_capacity", 300.0),
        ("HUT", "acquisition", None),
        ("HUT", "site", 30.0),
        ("HUT", "site", 90.0),
    ]


def test_a_lone_amount_beside_a_deal_word_is_not_a_fact(resolver):
    text = (
        "Cipher Mining Inc. shares rose. Peers raised over $800 million in convertible debt "
        "this month. The company's hosting contracts now total $2.4 billion."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    assert [(f.fact_type, f.amount_usd, f.contract_value_usd, f.scope) for f in facts] == [
        ("hpc_contract", None, 2.4e9, "total")
    ]


def test_rights_of_first_offer_and_exclusivity_are_options(resolver):
    text = (
        "TeraWulf Inc. signed a lease with Fluidstack for 100 MW of critical IT load. "
        "Fluidstack also obtained 45-day exclusivity on the next building, adding a potential "
        "120 MW of critical IT load. Its pipeline totals 900 MW, of which 300 MW is under "
        "exclusivity."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    got = sorted((f.fact_type, f.mw, f.status) for f in facts)
    assert got == [
        ("hpc_contract", 100.0, "definitive"),
        ("hpc_contract", 120.0, "option"),
        ("power_capacity", 300.0, None),
        ("power_capacity", 900.0, None),
    ]
    fr = (
        "Hut 8 Corp. a signé un bail avec Fluidstack portant sur 245 MW. Les phases suivantes "
        "incluent un droit de première offre pour jusqu'à 1 000 mégawatts supplémentaires."
    )
    facts = extract_facts(_doc(fr), resolver=resolver)
    assert sorted((f.mw, f.status) for f in facts if f.fact_type == "hpc_contract") == [
        (245.0, "definitive"),
        (1000.0, "option"),
    ]


def test_totals_over_contracts_and_their_value_in_the_next_sentence(resolver):
    text = (
        "Core Scientific, Inc. announced June updates, including hosting contracts totaling "
        "180 megawatts (MW). The agreements are projected to generate over $2.9 billion over "
        "12 years. In 2023 the firm signed a series of 10-year contracts to provide 300 "
        "megawatts of hosting capacity to CoreWeave. These deals are expected to generate "
        "more than $5 billion in revenue."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    got = sorted(
        (f.mw, f.contract_value_usd, f.term_years, f.counterparty)
        for f in facts
        if f.fact_type == "hpc_contract"
    )
    assert got == [(180.0, 2.9e9, 12.0, None), (300.0, 5e9, 10.0, "CoreWeave")]


def test_a_site_size_inside_a_contract_sentence_is_a_site_fact(resolver):
    text = (
        "IREN Limited a annoncé un contrat avec Microsoft d'une valeur de 9,7 milliards de "
        "dollars, déployé sur son campus de 750 mégawatts à Childress. L'accord donne accès à "
        "des installations conçues pour une capacité de 600 mégawatts."
    )
    facts = extract_facts(_doc(text), resolver=resolver)
    got = sorted((f.fact_type, f.mw, f.contract_value_usd) for f in facts)
    assert got == [
        ("hpc_contract", None, 9.7e9),
        ("site", 600.0, None),
        ("site", 750.0, None),
    ]
