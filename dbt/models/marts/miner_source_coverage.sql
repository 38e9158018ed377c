-- What we hold per miner and how well it is sourced (issue 15): revenue quarters from 2023Q1 to
-- the latest quarter any miner reports, sites, dated capacity rows, contracts, fleet J/TH, and the
-- share of the miner's mart-feeding curated rows that cite a primary source (SEC filing or company
-- release). Row ticker 'ALL' sums every curated mart-feeding row (incl. assumptions, aggregates).
with miners as (
    select ticker from {{ ref('stg_reference__miners') }}
),

shares as (
    select * from {{ ref('hpc_revenue_share') }}
    where period_end >= date '2023-03-31'
),

window_end as (
    select max(period_end) as latest_period_end from shares
),

revenue as (
    select
        ticker,
        count(*) filter (where total_revenue_usd is not null) as n_quarters_with_total,
        count(*) filter (where hpc_share is not null) as n_quarters_with_hpc_share,
        min(period_end) as first_period_end,
        max(period_end) as last_period_end,
        list(calendar_quarter order by period_end) filter (
            where total_revenue_usd is not null
        ) as quarters_with_total
    from shares
    group by ticker
),

provenance as (
    select * from {{ ref('int_curated_provenance') }}
    where feeds_marts
),

by_miner as (
    select
        ticker,
        count(*) filter (where table_name = 'sites') as n_site_rows,
        count(*) filter (where table_name = 'power_capacity') as n_capacity_rows,
        count(*) filter (where table_name = 'hpc_contracts_curated') as n_contract_rows,
        count(*) as n_rows,
        count(*) filter (where source_kind = 'sec_filing') as n_sec_filing,
        count(*) filter (where source_kind = 'company_release') as n_company_release,
        count(*) filter (where source_kind = 'secondary') as n_secondary
    from provenance
    group by ticker
),

fleet as (
    select
        ticker,
        arg_max(fleet_efficiency_j_per_th, as_of_date) as latest_fleet_j_per_th,
        max(as_of_date) as latest_fleet_j_per_th_date
    from {{ ref('stg_reference__fleet') }}
    where
        fleet_efficiency_j_per_th is not null
        and as_of_date is not null
        and (figure_kind = 'stated' or estimate_by ilike '%company%')
    group by ticker
),

expected as (
    -- calendar quarters from 2023Q1 to the latest quarter held for any miner
    select
        (
            (year(latest_period_end) - 2023) * 4 + quarter(latest_period_end)
        ) as n_quarters_expected
    from window_end
),

per_miner as (
    select
        m.ticker,
        coalesce(r.n_quarters_with_total, 0) as n_quarters_with_total,
        e.n_quarters_expected,
        e.n_quarters_expected - coalesce(r.n_quarters_with_total, 0) as n_quarters_missing,
        coalesce(r.n_quarters_with_hpc_share, 0) as n_quarters_with_hpc_share,
        r.first_period_end,
        r.last_period_end,
        r.quarters_with_total,
        coalesce(b.n_site_rows, 0) as n_site_rows,
        coalesce(b.n_capacity_rows, 0) as n_capacity_rows,
        coalesce(b.n_contract_rows, 0) as n_contract_rows,
        f.latest_fleet_j_per_th,
        f.latest_fleet_j_per_th_date,
        coalesce(b.n_rows, 0) as n_rows,
        coalesce(b.n_sec_filing, 0) as n_sec_filing,
        coalesce(b.n_company_release, 0) as n_company_release,
        coalesce(b.n_secondary, 0) as n_secondary
    from miners as m
    cross join expected as e
    left join revenue as r on m.ticker = r.ticker
    left join by_miner as b on m.ticker = b.ticker
    left join fleet as f on m.ticker = f.ticker
),

overall_counts as (
    select
        count(*) as n_rows,
        count(*) filter (where source_kind = 'sec_filing') as n_sec_filing,
        count(*) filter (where source_kind = 'company_release') as n_company_release,
        count(*) filter (where source_kind = 'secondary') as n_secondary
    from provenance
),

overall as (
    select
        'ALL' as ticker,
        sum(pm.n_quarters_with_total) as n_quarters_with_total,
        sum(pm.n_quarters_expected) as n_quarters_expected,
        sum(pm.n_quarters_missing) as n_quarters_missing,
        sum(pm.n_quarters_with_hpc_share) as n_quarters_with_hpc_share,
        min(pm.first_period_end) as first_period_end,
        max(pm.last_period_end) as last_period_end,
        null as quarters_with_total,
        sum(pm.n_site_rows) as n_site_rows,
        sum(pm.n_capacity_rows) as n_capacity_rows,
        sum(pm.n_contract_rows) as n_contract_rows,
        null as latest_fleet_j_per_th,
        null as latest_fleet_j_per_th_date,
        any_value(oc.n_rows) as n_rows,
        any_value(oc.n_sec_filing) as n_sec_filing,
        any_value(oc.n_company_release) as n_company_release,
        any_value(oc.n_secondary) as n_secondary
    from per_miner as pm
    cross join overall_counts as oc
),

unioned as (
    select * from per_miner
    union all by name
    select * from overall
)

select
    *,
    case
        when n_rows > 0 then (n_sec_filing + n_company_release) / n_rows
    end as primary_share
from unioned
