"""Round 6 mechanisms, each on sentences written for these tests (made-up figures, own words).

Every test here fails without the mechanism it names (checked by reverting each one).
"""

from functools import partial

from .own_words import facts_of

_facts = partial(facts_of, doc_id="r6")


def _of(facts, fact_type: str):
    return [f for f in facts if f.fact_type == fact_type]


def test_a_debt_offering_is_a_financing(resolver):
    # "private debt offering" / "debt facility" name a financing without "notes" or "loan"
    facts = _facts(
        "Cipher Mining reported the successful completion of a $900 million private debt "
        "offering by one of its subsidiaries to fund its Ohio campus.",
        resolver,
    )
    assert [(f.amount_usd, f.status) for f in _of(facts, "financing")] == [(900e6, "completed")]
    assert not _of(facts, "hpc_contract")


def test_a_debt_facility_agreement_is_not_a_lease(resolver):
    facts = _facts(
        "Bitdeer concluded an agreement for a private debt facility of up to $250 million "
        "with Macquarie to support its data center project in Ohio.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "financing")] == [250e6]
    assert not _of(facts, "hpc_contract")


def test_a_first_draw_is_not_the_facility_size(resolver):
    # the facility's size is the fact; the first draw from it is not a second financing
    facts = _facts(
        "Applied Digital received initial funding of $75 million from a $2.0 billion "
        "perpetual preferred equity financing facility with Macquarie Asset Management.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "financing")] == [2.0e9]


def test_a_tranche_sentence_completes_the_facility(resolver):
    # "the first tranche of the loan is $40 million": no new financing, and the rate and
    # duration stated with it belong to the facility
    facts = _facts(
        "Bitfarms entered into a credit facility of up to $200 million with Macquarie. "
        "The first tranche of the loan is $40 million, with the rest tied to milestones. "
        "The maturity of the facility is three years from closing. "
        "The loan bears interest at 9% per year, with interest on the first draw of "
        "$40 million paid in kind.",
        resolver,
    )
    fin = _of(facts, "financing")
    assert [(f.amount_usd, f.interest_rate_pct, f.term_years) for f in fin] == [(200e6, 9.0, 3)]


def test_purchasers_option_is_neither_a_contract_nor_the_offering(resolver):
    facts = _facts(
        "Riot Platforms priced $700 million of 0% convertible senior notes. The notes may "
        "grow by another $100 million if the purchasers' option is fully exercised.",
        resolver,
    )
    assert not _of(facts, "hpc_contract")
    assert [f.amount_usd for f in _of(facts, "financing")] == [700e6]


def test_a_deal_amount_before_backstopped_is_not_the_guarantee(resolver):
    # "a $2 billion hosting deal backstopped by Google": $2 billion is the deal's size
    facts = _facts(
        "TeraWulf raised its notes offering one day after unveiling a $2 billion AI hosting "
        "deal backstopped by Google. Google will backstop $900 million of Fluidstack's "
        "lease obligations.",
        resolver,
    )
    backstops = [f for f in _of(facts, "financing") if f.status == "backstop"]
    assert [(f.counterparty, f.amount_usd) for f in backstops] == [("Google", 900e6)]


def test_hard_wrapped_prose_is_read_as_sentences(resolver):
    # a text wrapped at ~70 characters: the two capacities of the bought wind farm are one
    # sentence, so they are sites, not the purchase's single MW
    text = (
        "HIVE Digital Technologies, a listed miner with data centers in three\n"
        "countries, has completed its acquisition of a solar park located in\n"
        "Alberta, close to its existing hall in the south of the province.\n"
        "The facility has an interconnection capacity of 180 megawatts\n"
        "and a nameplate solar capacity of 95 megawatts for the new hall.\n"
        "The company said the park would feed a new data center built next\n"
        "to the substation, and that more of its older machines would move\n"
        "there over the coming quarters as the build-out goes forward.\n"
        "Analysts expect the new hall to lower the cost of each mined coin\n"
        "by a wide margin once it runs at full load later in the year ahead.\n"
    )
    facts = _facts(text, resolver)
    acq = _of(facts, "acquisition")
    assert [(f.status, f.mw) for f in acq] == [("completed", None)]
    assert sorted(f.mw for f in facts if f.fact_type in ("site", "power_capacity")) == [95, 180]


def test_a_model_number_is_not_a_gpu_count(resolver):
    facts = _facts(
        "IREN's cloud business tripled after a large order for NVIDIA H200 GPUs.", resolver
    )
    assert all(f.gpu_count is None for f in _of(facts, "gpu_purchase"))


def test_a_conversion_premium_after_the_percent_is_not_a_coupon(resolver):
    facts = _facts(
        "Core Scientific priced $600 million of convertible notes, which carry a 30.5% "
        "conversion premium over the last sale price.",
        resolver,
    )
    assert [(f.amount_usd, f.interest_rate_pct) for f in _of(facts, "financing")] == [(600e6, None)]


def test_a_figure_under_the_original_agreement_is_superseded(resolver):
    # the old figure is neither a capacity of the rules nor a new site of the role model
    facts = _facts(
        "Under the original agreement, Core Scientific leased 20 acres of land and had access "
        "to 210 megawatts (MW) of power. The approval raises the Company's access to power "
        "at the Denton site to 330 MW.",
        resolver,
    )
    assert sorted(f.mw for f in facts if f.fact_type in ("site", "power_capacity")) == [330]


def test_a_french_capacity_at_a_place_is_not_a_superseded_figure(resolver):
    # "de 450 MW à Lake Mariner": "à" leads to a place, not to a new figure
    facts = _facts(
        "Avec une capacité de 450 MW à Lake Mariner, qui pourrait passer à 700 MW, TeraWulf "
        "grandit. La société aura bientôt un nouveau site de 300 MW à Cayuga.",
        resolver,
        lang="fr",
    )
    mws = sorted(f.mw for f in facts if f.fact_type in ("site", "power_capacity"))
    assert mws == [300, 450, 700]


def test_rejected_figures_are_reported_to_the_role_pass(resolver):
    # extract_facts adds these to the figures the role model may not turn into new sites
    from dagster_project.extraction.rules import candidate_facts

    rejected: list[float] = []
    candidate_facts(
        "Under the original agreement, the company had access to 210 MW of power. Power at "
        "the site was increased from 400 MW to 520 MW.",
        "r6",
        "en",
        resolver,
        mw_rejected=rejected,
    )
    assert sorted(rejected) == [210, 400]


def test_an_english_sentence_in_a_french_text_is_read_as_english(resolver):
    # a quoted English post inside a French article: "~$2.5 billion" is 2.5 billion, not 2
    facts = _facts(
        "Hut 8 a signé des accords de dix ans avec Fluidstack pour son campus de Louisiane. "
        "Hut 8 Signs 150 MW AI Hosting Agreements with Fluidstack. The agreements represent "
        "~$2.5 billion in contracted revenue over the initial 10-year terms.",
        resolver,
        lang="fr",
    )
    assert [f.contract_value_usd for f in _of(facts, "hpc_contract")] == [2.5e9]


def test_a_value_stated_only_as_could_is_an_option(resolver):
    # the sentence states only the upside: an option fact, not a bare value that the
    # minimum-evidence rule would drop
    facts = _facts(
        "Hut 8 a signé deux contrats de colocation avec Fluidstack. Ces contrats pourraient "
        "générer jusqu'à 6,2 milliards de dollars, selon la société.",
        resolver,
        lang="fr",
    )
    options = [f for f in _of(facts, "hpc_contract") if f.status == "option"]
    assert [f.contract_value_usd for f in options] == [6.2e9]


def test_only_the_amount_named_additional_is_set_aside(resolver):
    # before: any "additional" in the sentence cleared every amount, the base size included
    facts = _facts(
        "Bitdeer plans to raise $650 million through private convertible senior notes due "
        "2030, with an additional $90 million in possible follow-on sales. The unsecured, "
        "interest-free notes will fund its Ohio build.",
        resolver,
    )
    fin = _of(facts, "financing")
    assert [(f.amount_usd, f.interest_rate_pct, f.status) for f in fin] == [
        (650e6, 0.0, "proposed")
    ]


def test_net_proceeds_and_a_total_with_the_option_are_not_the_size(resolver):
    facts = _facts(
        "Bitfarms priced $400 million of convertible notes. Initial purchasers may buy an "
        "additional $60 million of notes, raising the priced offering to nearly $460 million. The "
        "company expects about $388.2 million in net proceeds from the notes.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "financing")] == [400e6]


def test_a_non_breaking_hyphen_reads_as_a_hyphen(resolver):
    facts = _facts(
        "Cipher Mining signed a 12\u2011year lease with Fluidstack for 90 MW of critical IT "
        "load, worth $1.6 billion, and sold $500 million of zero\u2011coupon convertible notes.",
        resolver,
    )
    assert [f.term_years for f in _of(facts, "hpc_contract")] == [12]
    assert [f.interest_rate_pct for f in _of(facts, "financing")] == [0.0]


def test_a_cash_position_is_not_a_financing_size(resolver):
    facts = _facts(
        "Cash was $1.2bn as of Dec 31, 2025; financing included $700m of zero-coupon "
        "convertible notes.",
        resolver,
    )
    assert [(f.amount_usd, f.interest_rate_pct) for f in _of(facts, "financing")] == [(700e6, 0.0)]


def test_a_campus_expansion_potential_is_a_site_size(resolver):
    facts = _facts(
        "Applied Digital signed a 15-year lease for 150 MW of critical IT load at its Texas "
        "campus, worth $3.0 billion. Campus Expansion Potential Up to 900 MW (750 MW option).",
        resolver,
    )
    sites = [f.mw for f in facts if f.fact_type in ("site", "power_capacity")]
    options = [f.mw for f in _of(facts, "hpc_contract") if f.status == "option"]
    assert (sites, options) == ([900], [750])


def test_a_contract_named_beside_a_gpu_purchase_is_its_own_fact(resolver):
    facts = _facts(
        "IREN announced a $900 million purchase agreement with Dell for NVIDIA Blackwell "
        "systems to support a four-year, $2.1 billion AI cloud contract.",
        resolver,
    )
    assert [f.amount_usd for f in _of(facts, "gpu_purchase")] == [900e6]
    contracts = _of(facts, "hpc_contract")
    assert [(f.contract_value_usd, f.term_years) for f in contracts] == [(2.1e9, 4)]


def test_a_rival_is_not_the_counterparty(resolver):
    facts = _facts(
        "Bitdeer won a 15-year, $1.2 billion hosting contract for 80 MW in Ohio, beating "
        "Microsoft for the site.",
        resolver,
    )
    assert [f.counterparty for f in _of(facts, "hpc_contract")] == [None]


def test_the_bound_of_a_range_of_years_is_not_a_term(resolver):
    facts = _facts(
        "Riot signed a lease with CoreWeave for 60 MW worth $900 million; such halls take "
        "two to four years to build elsewhere.",
        resolver,
    )
    assert [(f.counterparty, f.term_years) for f in _of(facts, "hpc_contract")] == [
        ("CoreWeave", None)
    ]
