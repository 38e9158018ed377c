-- The same deal announced in several documents becomes one event. Facts are grouped by
-- company, normalised counterparty, status, and the deal's size (MW, else total value to the
-- nearest $100M); a fact stating neither stays an event of its own. Rejected facts are left out.
-- Each event is priced here: annual value (stated, else total ÷ term) and USD per MW per year on
-- the MW basis the documents give.
with contracts as (
    select
        *,
        lower(trim(coalesce(counterparty, 'unnamed'))) as counterparty_key,
        coalesce(status, 'unspecified') as status_key,
        coalesce(
            'mw:' || cast(round(mw) as varchar),
            'usd:' || cast(round(contract_value_usd / 1e8) as varchar),
            'fact:' || fact_id
        ) as size_key
    from {{ ref('int_press_facts_reconciled') }}
    where fact_type = 'hpc_contract' and not is_rejected and company is not null
),

events as (
    select
        md5(company || '|' || counterparty_key || '|' || status_key || '|' || size_key)
            as event_id,
        company as ticker,
        any_value(counterparty order by counterparty is null, doc_date, fact_id) as counterparty,
        min(doc_date) as announced_date,
        max(mw) as mw,
        any_value(mw_basis order by mw_basis is null, doc_date, fact_id) as mw_basis,
        max(term_years) as term_years,
        max(contract_value_usd) as contract_value_usd,
        max(annual_revenue_usd) as stated_annual_revenue_usd,
        any_value(status order by status is null, doc_date, fact_id) as status,
        count(*) as n_facts,
        count(distinct doc_id) as n_documents,
        list(distinct doc_id order by doc_id) as documents,
        list(distinct doc_source order by doc_source) as sources,
        list(fact_id order by fact_id) as fact_ids,
        bool_or(is_corrected) as is_analyst_corrected,
        bool_or(is_confirmed) as is_analyst_confirmed,
        any_value(evidence order by confidence desc, fact_id asc) as evidence
    from contracts
    group by company, counterparty_key, status_key, size_key
)

select
    *,
    coalesce(stated_annual_revenue_usd, contract_value_usd / nullif(term_years, 0))
        as annual_value_usd,
    case
        when stated_annual_revenue_usd is not null then 'stated'
        when contract_value_usd is not null and term_years is not null then 'value / term'
    end as annual_value_basis,
    coalesce(stated_annual_revenue_usd, contract_value_usd / nullif(term_years, 0))
    / nullif(mw, 0) as usd_per_mw_year
from events
