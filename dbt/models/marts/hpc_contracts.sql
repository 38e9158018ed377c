-- HPC/AI contracts announced by miners, one row per de-duplicated event, with annual value
-- (stated, else total ÷ term) and USD per MW per year on the MW basis the documents give.
with events as (
    select * from {{ ref('int_hpc_contract_events') }}
)

select
    event_id,
    ticker,
    counterparty,
    announced_date,
    mw,
    mw_basis,
    term_years,
    contract_value_usd,
    coalesce(stated_annual_revenue_usd, contract_value_usd / nullif(term_years, 0))
        as annual_value_usd,
    case
        when stated_annual_revenue_usd is not null then 'stated'
        when contract_value_usd is not null and term_years is not null then 'value / term'
    end as annual_value_basis,
    coalesce(stated_annual_revenue_usd, contract_value_usd / nullif(term_years, 0))
    / nullif(mw, 0) as usd_per_mw_year,
    status,
    n_documents,
    documents,
    sources,
    is_analyst_corrected,
    is_analyst_confirmed,
    evidence
from events
