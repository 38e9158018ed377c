-- HPC/AI contracts announced by miners, one row per de-duplicated event, priced in
-- int_hpc_contract_events (annual value stated, else total ÷ term; USD per MW per year on the MW
-- basis the documents give).
select
    event_id,
    ticker,
    counterparty,
    announced_date,
    mw,
    mw_basis,
    term_years,
    contract_value_usd,
    annual_value_usd,
    annual_value_basis,
    usd_per_mw_year,
    status,
    n_documents,
    documents,
    sources,
    is_analyst_corrected,
    is_analyst_confirmed,
    evidence
from {{ ref('int_hpc_contract_events') }}
