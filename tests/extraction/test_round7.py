"""Round 7 contract mechanisms (``extraction/contracts.py``), each on sentences written for
these tests (made-up figures, own words).

Every test here fails with the switch it names turned off (``contracts.SWITCHES``); the
``switched_off`` fixture checks that.
"""

from functools import partial

from .own_words import facts_of

_facts = partial(facts_of, doc_id="r7")


def _contracts(facts):
    return sorted(
        (
            (f.counterparty, f.mw, f.contract_value_usd, f.term_years, f.status, f.scope)
            for f in facts
            if f.fact_type == "hpc_contract"
        ),
        key=str,
    )


def test_an_expansion_word_in_the_preamble_is_not_an_option(resolver, switched_off):
    # "toward expanding its footprint, X signed a $Y deal": the deal itself, not an upside
    text = (
        "As part of a push toward expanding its cloud footprint in Europe, Microsoft has signed "
        "a $4.2 billion, six-year agreement with Hut 8 for GPU hosting capacity."
    )

    def body():
        got = _contracts(_facts(text, resolver))
        assert [(c[0], c[2], c[3], c[4]) for c in got] == [("Microsoft", 4.2e9, 6, "definitive")]

    switched_off("preamble_cue", body)


def test_a_running_total_is_its_own_fact(resolver, switched_off):
    # the new lease keeps its own MW; "brings ... to" states the total over the tenant's leases
    text = (
        "TeraWulf signed a new 90 MW lease with Fluidstack, which brings the Lake Mariner "
        "campus to 290 MW under contract, securing about $5.1 billion of revenue over 10 years."
    )

    def body():
        got = _contracts(_facts(text, resolver))
        assert ("Fluidstack", 90, None, None, "definitive", None) in got
        assert ("Fluidstack", 290, 5.1e9, 10, None, "total") in got

    switched_off("running_total", body)


def test_options_bringing_a_total_stay_an_upside(resolver):
    # "extension options bringing the total to $X" is the option's value, not a running total
    facts = _facts(
        "Riot Platforms signed a ten-year lease with Cerebras for 40 MW worth $500 million, "
        "with three extension options bringing the total to $1.4 billion.",
        resolver,
    )
    got = [c[:5] for c in _contracts(facts)]
    assert ("Cerebras", None, 1.4e9, None, "option") in got
    assert [c[4] for c in got if c[4] != "option"] == ["definitive"]  # no running total


def test_a_trailing_possibility_to_extend_leaves_the_base_deal(resolver, switched_off):
    # the value stated before "with the possibility to extend" is the base deal's; the term
    # of each extension is not its term
    text = (
        "Bitdeer a signé un contrat de colocation de 12 ans avec Nebius pour 80 MW. "
        "Bitdeer prévoit environ 2 milliards de dollars de revenus sur la durée initiale, "
        "avec la possibilité de prolonger le contrat deux fois pour cinq ans."
    )

    def body():
        got = _contracts(_facts(text, resolver, lang="fr"))
        assert [c for c in got if c[4] == "option"] == []
        assert ("Nebius", 80, 2e9, 12, "definitive", None) in got

    switched_off("trailing_option", body)


def test_a_followup_sentence_sizes_the_contract_before_its_expansion(resolver, switched_off):
    # "will deliver 120 MW to the tenant, with the possibility of extending to 180 MW gross":
    # the first figure is the contract's; the gross figure stays a site
    text = (
        "Cipher Mining a signé un contrat de dix ans avec Fluidstack d'environ 2 milliards "
        "de dollars. Cipher Mining fournira 120 mégawatts de puissance de calcul à Fluidstack, "
        "avec la possibilité d'étendre cette capacité à 180 MW bruts sur le site."
    )

    def body():
        facts = _facts(text, resolver, lang="fr")
        got = _contracts(facts)
        assert [(c[0], c[1], c[2]) for c in got] == [("Fluidstack", 120, 2e9)]
        assert [f.mw for f in facts if f.fact_type == "site"] == [180]

    switched_off("followup_mw", body)


def test_brings_all_capacity_under_contract_is_a_running_total(resolver, switched_off):
    text = (
        "The new 60 MW lease at the Ohio campus brings all 240 MW under contract with "
        "CoreWeave, worth some $4 billion over 12 years."
    )

    def body():
        got = _contracts(_facts(text, resolver))
        assert ("CoreWeave", 240, 4e9, 12, None, "total") in got
        assert [c[1] for c in got if c[5] != "total"] == [60]

    switched_off("running_total", body)


def test_a_campus_designed_to_support_is_a_site_not_the_deal(resolver, switched_off):
    # the MW the campus can hold, said of the place, is a site, not the contract's capacity
    text = (
        "IREN signed a $3.1 billion, four-year AI cloud contract with Microsoft. Under the "
        "deal, IREN will install the servers at its Sweetwater facility, which is designed "
        "to support up to 1,400 megawatts of compute."
    )

    def body():
        facts = _facts(text, resolver)
        assert [c[1] for c in _contracts(facts)] == [None]
        assert [f.mw for f in facts if f.fact_type == "site"] == [1400]

    switched_off("campus_size", body)


def test_a_yearly_revenue_naming_the_same_miner_completes_the_contract(resolver, switched_off):
    text = (
        "Microsoft has signed a $6 billion, five-year GPU cloud agreement with IREN. "
        "The servers will be installed in phases through 2027. Dell will supply the racks. "
        "Shares rose in early trading. With the Microsoft deal alone expected to bring in "
        "about $1.2 billion in annualized revenue, IREN's move away from mining keeps paying "
        "off."
    )

    def body():
        got = [
            (f.counterparty, f.annual_revenue_usd)
            for f in _facts(text, resolver)
            if f.fact_type == "hpc_contract"
        ]
        assert got == [("Microsoft", 1.2e9)]

    switched_off("own_name_annual", body)


def test_a_first_right_of_refusal_is_an_option(resolver):
    facts = _facts(
        "Applied Digital signed a 15-year lease with a hyperscaler for 150 MW. The lease "
        "grants the tenant a first right of refusal on another 450 MW at the campus.",
        resolver,
    )
    assert (None, 450, None, None, "option", None) in _contracts(facts)


def test_the_value_if_options_are_exercised_after_a_contract(resolver, switched_off):
    # a follow-up sentence without a contract word of its own states the deal's upside
    text = (
        "Hut 8 signed a 12-year lease with Anthropic worth about $2.5 billion. Should all "
        "three renewal periods be exercised, the total could climb to roughly $6.1 billion."
    )

    def body():
        got = _contracts(_facts(text, resolver))
        assert ("Anthropic", None, 6.1e9, None, "option") in [c[:5] for c in got]

    switched_off("upside_followup", body)


_COMBINED = (
    "Microsoft signed a $4.0 billion, five-year AI cloud contract with IREN. IREN also agreed "
    "to buy GPUs from Dell for about $2.5 billion. The combined $6.5 billion commitment turns "
    "about 120 MW of critical IT capacity at Childress into contracted GPU hosting for "
    "Microsoft."
)


def test_a_combined_sum_is_not_a_contract_value(resolver, switched_off):
    # $6.5 billion = the contract plus the purchase: not this deal's value, nor a total
    def body():
        got = _contracts(_facts(_COMBINED, resolver))
        assert [(c[0], c[1], c[2], c[3]) for c in got] == [("Microsoft", 120, 4e9, 5)]

    switched_off("sum_value", body)


def test_one_deal_told_in_pieces_is_one_fact(resolver, switched_off):
    def body():
        got = _contracts(_facts(_COMBINED, resolver))
        assert len(got) == 1

    switched_off("frame_merge", body)


def test_a_total_over_one_tenants_leases_keeps_its_value(resolver):
    # $7 billion = $5 billion + $2 billion of two leases with the same tenant: a real total
    facts = _facts(
        "Applied Digital signed a 250 MW lease with CoreWeave worth $5 billion. It later "
        "signed a 100 MW lease with CoreWeave worth $2 billion. In total, the CoreWeave "
        "leases now represent $7 billion of contracted revenue.",
        resolver,
    )
    assert 7e9 in [c[2] for c in _contracts(facts)]


def test_the_option_recalled_for_an_added_lease_is_that_lease(resolver, switched_off):
    text = (
        "Galaxy has leased an additional 90 MW at Helios to CoreWeave, Applied Digital said. "
        "It builds on a 200 MW lease signed in May. When it signed that first lease, "
        "CoreWeave kept the option to secure the additional 90 MW."
    )

    def body():
        got = _contracts(_facts(text, resolver))
        assert [c for c in got if c[4] == "option"] == []

    switched_off("exercised_option", body)


def test_an_option_for_another_equal_block_stays(resolver):
    facts = _facts(
        "Riot Platforms signed a 10-year lease with AMD for 25 MW of critical IT load. AMD "
        "holds an option to lease another 25 MW at the Rockdale site.",
        resolver,
    )
    assert ("AMD", 25, None, None, "option") in [c[:5] for c in _contracts(facts)]


def test_a_total_the_company_holds_is_not_the_new_deal(resolver, switched_off):
    text = (
        "Applied Digital signed a new lease with CoreWeave for an additional 80 megawatts at "
        "its campus. With the new CoreWeave deal, Applied Digital has about $6 billion in "
        "prospective lease revenue over a 15-year period."
    )

    def body():
        got = _contracts(_facts(text, resolver))
        assert ("CoreWeave", 80, None, None, "definitive", None) in got
        assert ("CoreWeave", None, 6e9, 15, None, "total") in got

    switched_off("holding_total", body)


def test_a_running_total_told_twice_is_one_fact(resolver, switched_off):
    text = (
        "The new 50 MW lease with CoreWeave brings the campus to 250 MW under contract, worth "
        "$4 billion. Applied Digital said on a call that rents keep rising in the region. "
        "With the new CoreWeave deal, Applied Digital now has about $4 billion in contracted "
        "lease revenue over 15 years."
    )

    def body():
        got = [c for c in _contracts(_facts(text, resolver)) if c[5] == "total"]
        assert got == [("CoreWeave", 250, 4e9, 15, None, "total")]

    switched_off("frame_merge", body)


def test_a_sum_of_two_contract_values_stays_a_value(resolver):
    # $4.5 billion = $3.2 billion + $1.3 billion of two contracts: a figure of the deals
    facts = _facts(
        "Core Scientific signed a 12-year contract with CoreWeave for 150 MW worth $3.2 "
        "billion. A second 12-year contract covers 60 MW worth $1.3 billion. Together the "
        "contracts give 210 MW and $4.5 billion over 12 years.",
        resolver,
    )
    assert 4.5e9 in [c[2] for c in _contracts(facts)]


def test_the_only_critical_it_figure_sizes_a_deal_told_without_mw(resolver, switched_off):
    text = (
        "Microsoft signed a $2.4 billion, five-year AI cloud contract with IREN. "
        "The GPUs will run in phases through 2027. "
        "Shares of the miner rose sharply in early trading. "
        "IREN is building liquid-cooled halls at Sweetwater able to take 90 MW of critical IT "
        "load."
    )

    def body():
        facts = _facts(text, resolver)
        assert [(c[0], c[1]) for c in _contracts(facts)] == [("Microsoft", 90)]
        assert not [f for f in facts if f.fact_type == "site" and f.mw == 90]

    switched_off("site_mw_to_deal", body)


def test_an_amount_followed_by_the_options_it_assumes_is_the_upside(resolver, switched_off):
    text = (
        "Hut 8 signed a 15-year lease with Fluidstack for 245 MW of IT capacity. The lease "
        "represents approximately $6.1 billion of contracted revenue over the base term, and "
        "up to $15.3 billion if all renewal options are exercised."
    )

    def body():
        got = [c[:5] for c in _contracts(_facts(text, resolver))]
        assert ("Fluidstack", 245, 6.1e9, 15, "definitive") in got
        assert (None, None, 15.3e9, None, "option") in got

    switched_off("cue_after", body)


def test_an_option_after_the_value_with_a_comma_is_not_the_values(resolver):
    # "valued at $1.0 billion, with an option for a further 100 MW": the option is the MW's
    got = [
        c[:5]
        for c in _contracts(
            _facts(
                "Riot Platforms signed a 10-year agreement with AMD valued at about $0.9 "
                "billion, with an option for a further 100 MW.",
                resolver,
            )
        )
    ]
    assert ("AMD", None, 0.9e9, 10, "definitive") in got


def test_a_new_predicate_ends_the_option_cue(resolver, switched_off):
    # "... two renewal options and is valued at $3 billion": the value is the deal's
    text = (
        "Cipher Mining signed a lease with Fluidstack. The lease carries an initial term of "
        "10 years with two five-year renewal options and is valued at approximately "
        "$2.6 billion."
    )

    def body():
        got = [c[:4] for c in _contracts(_facts(text, resolver))]
        assert got == [(None, None, 2.6e9, 10)]

    switched_off("preamble_cue", body)


def test_a_yearly_running_total_is_annual_revenue(resolver):
    facts = _facts(
        "IREN has secured a five-year AI cloud contract worth about $2.8 billion with "
        "Microsoft, bringing total contracted annualized revenue to $3.1 billion.",
        resolver,
    )
    deals = [f for f in facts if f.fact_type == "hpc_contract"]
    assert 3.1e9 not in [f.contract_value_usd for f in deals]
    assert 3.1e9 in [f.annual_revenue_usd for f in deals]


def test_extensions_that_could_lift_the_total_are_the_upside(resolver, switched_off):
    text = (
        "TeraWulf has signed two 10-year colocation agreements with Fluidstack for 180 MW of "
        "critical IT load, representing about $3.2 billion of contracted revenue. Two "
        "five-year extensions could lift the total to about $7.9 billion."
    )

    def body():
        got = [c[:5] for c in _contracts(_facts(text, resolver))]
        assert ("Fluidstack", None, 7.9e9, None, "option") in got

    switched_off("upside_followup", body)


def test_a_followup_raising_the_total_is_a_total(resolver, switched_off):
    text = (
        "Cipher Mining has signed a 15-year lease with Amazon Web Services for 250 MW, worth "
        "about $4.6 billion. The deal lifts Cipher's total contracted lease payments to "
        "roughly $7.4 billion."
    )

    def body():
        got = _contracts(_facts(text, resolver))
        assert (None, None, 7.4e9, None, None, "total") in got

    switched_off("running_total", body)


def test_an_exercised_option_is_continued_like_a_deal(resolver, switched_off):
    text = (
        "Applied Digital announced that CoreWeave exercised its option for an additional "
        "120 MW at Polaris Forge 1. The new lease is expected to generate about $3.2 billion "
        "over 15 years."
    )

    def body():
        got = [c[:4] for c in _contracts(_facts(text, resolver))]
        assert got == [("CoreWeave", 120, 3.2e9, 15)]

    switched_off("exercised_is_deal", body)


def test_a_campus_that_could_scale_is_a_site_not_an_option(resolver, switched_off):
    text = (
        "Hut 8 signed a lease with Fluidstack for 210 MW at River Bend, a campus that could "
        "scale to 900 MW."
    )

    def body():
        facts = _facts(text, resolver)
        assert [c[1] for c in _contracts(facts)] == [210]
        assert [f.mw for f in facts if f.fact_type == "site"] == [900]

    switched_off("campus_size", body)
