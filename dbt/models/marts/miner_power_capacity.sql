-- Power capacity per miner and as-of date (row_type 'miner') plus industry roll-ups beside the
-- published analyst aggregates (row_type 'industry_rollup'). Choices (docs/economics.md):
--   energized/under construction/planned = the larger of the company-level figure and the sum of
--   single sites (both are partial, lower-bound views); total = max(total secured, their sum);
--   HPC share of capacity = HPC contracted gross MW ÷ total capacity.
-- A roll-up takes, per miner, its latest row dated up to var capacity_rollup_window_days after the
-- analyst's date (quarter-end figures are published a few weeks after the quarter).
with capacity_asof as (
    select * from {{ ref('int_capacity_asof') }}
),

miners as (
    select ticker from {{ ref('stg_reference__miners') }}
),

miner_rows as (
    select
        *,
        greatest(reported_energized_mw, sites_energized_mw) as energized_mw,
        greatest(reported_under_construction_mw, sites_under_construction_mw)
            as under_construction_mw,
        greatest(reported_pipeline_mw, sites_planned_mw) as planned_mw
    from capacity_asof
),

miner_totals as (
    select
        *,
        nullif(
            greatest(
                coalesce(reported_total_secured_mw, 0),
                coalesce(energized_mw, 0) + coalesce(under_construction_mw, 0)
                + coalesce(planned_mw, 0) + coalesce(sites_contracted_mw, 0)
            ),
            0
        ) as total_capacity_mw
    from miner_rows
),

aggregates as (
    select
        scope,
        as_of_date,
        power_mw,
        hpc_suitable_mw,
        pipeline_mw,
        n_miners,
        source_url
    from {{ ref('stg_reference__analyst_aggregates') }}
    where
        scope in ('ALL14', 'ALL_COVERAGE')
        and as_of_date is not null
        and coalesce(power_mw, hpc_suitable_mw, pipeline_mw) is not null
    union all
    select
        'ALL_TRACKED' as scope,
        max(as_of_date) as as_of_date,
        null as power_mw,
        null as hpc_suitable_mw,
        null as pipeline_mw,
        null as n_miners,
        null as source_url
    from capacity_asof
),

rollup_members as (
    select
        a.scope,
        a.as_of_date as rollup_date,
        t.*
    from aggregates as a
    inner join miner_totals as t
        on t.as_of_date <= a.as_of_date + to_days({{ var('capacity_rollup_window_days', 45) }})
    qualify row_number() over (
        partition by a.scope, a.as_of_date, t.ticker order by t.as_of_date desc
    ) = 1
),

rollup_sums as (
    select
        scope,
        rollup_date,
        -- float sums in ticker order, so two builds agree to the last bit
        sum(energized_mw order by ticker) as energized_mw,
        sum(under_construction_mw order by ticker) as under_construction_mw,
        sum(planned_mw order by ticker) as planned_mw,
        sum(total_capacity_mw order by ticker) as total_capacity_mw,
        sum(hpc_contracted_mw_critical_it order by ticker) as hpc_contracted_mw_critical_it,
        sum(hpc_contracted_mw_gross order by ticker) as hpc_contracted_mw_gross,
        sum(reported_hpc_designated_mw order by ticker) as reported_hpc_designated_mw,
        sum(
            greatest(hpc_contracted_mw_gross, reported_hpc_designated_mw) order by ticker
        ) as hpc_mw_ours,
        sum(n_sites) as n_sites,
        count(energized_mw) as n_miners_with_energized_mw,
        list_sort(list(ticker) filter (where energized_mw is not null)) as tickers_with_energized,
        max(as_of_date) as latest_fact_date
    from rollup_members
    group by scope, rollup_date
),

rollups as (
    select
        'industry_rollup' as row_type,
        r.scope as ticker,
        r.rollup_date as as_of_date,
        r.energized_mw,
        r.under_construction_mw,
        r.planned_mw,
        r.total_capacity_mw,
        r.hpc_contracted_mw_critical_it,
        r.hpc_contracted_mw_gross,
        r.reported_hpc_designated_mw,
        r.hpc_contracted_mw_gross / r.total_capacity_mw as hpc_share_of_capacity,
        r.n_sites,
        r.n_miners_with_energized_mw,
        a.n_miners as analyst_n_miners,
        a.power_mw as analyst_power_mw,
        a.hpc_suitable_mw as analyst_hpc_suitable_mw,
        a.pipeline_mw as analyst_pipeline_mw,
        r.energized_mw - a.power_mw as energized_minus_analyst_mw,
        r.hpc_mw_ours - a.hpc_suitable_mw as hpc_minus_analyst_mw,
        coalesce(r.under_construction_mw, 0) + coalesce(r.planned_mw, 0)
        - a.pipeline_mw as pipeline_minus_analyst_mw,
        concat(
            'Ours: ', r.n_miners_with_energized_mw, ' of ', (select count(*) from miners),
            ' tracked miners state an energized MW by ', cast(r.latest_fact_date as varchar),
            ' (', array_to_string(r.tickers_with_energized, ', '), '); ',
            'company figures often cover one state or campus, so ours is a lower bound. ',
            'HPC = contracted or company-designated MW (gross), ',
            'theirs = MW judged usable for HPC. ',
            'Pipeline = under construction + planned. Analyst universe and figures are as quoted ',
            '(rounded, second-hand); it includes miners we do not track.'
        ) as comparison_note,
        coalesce(a.source_url, 'int_capacity_asof') as sources
    from rollup_sums as r
    left join aggregates as a on r.scope = a.scope and r.rollup_date = a.as_of_date
)

select
    'miner' as row_type,
    ticker,
    as_of_date,
    energized_mw,
    under_construction_mw,
    planned_mw,
    total_capacity_mw,
    hpc_contracted_mw_critical_it,
    hpc_contracted_mw_gross,
    reported_hpc_designated_mw,
    hpc_contracted_mw_gross / total_capacity_mw as hpc_share_of_capacity,
    n_sites,
    null as n_miners_with_energized_mw,
    null as analyst_n_miners,
    null as analyst_power_mw,
    null as analyst_hpc_suitable_mw,
    null as analyst_pipeline_mw,
    null as energized_minus_analyst_mw,
    null as hpc_minus_analyst_mw,
    null as pipeline_minus_analyst_mw,
    null as comparison_note,
    sources,
    reported_energized_mw,
    reported_under_construction_mw,
    reported_pipeline_mw,
    reported_total_secured_mw,
    reported_has_lower_bound,
    sites_energized_mw,
    sites_under_construction_mw,
    sites_planned_mw,
    sites_contracted_mw,
    n_hpc_contracts,
    n_hpc_contracts_extracted_only,
    has_contract_disagreement,
    hpc_mw_basis_converted
from miner_totals
union all by name
select
    *,
    null as reported_energized_mw,
    null as reported_under_construction_mw,
    null as reported_pipeline_mw,
    null as reported_total_secured_mw,
    null as reported_has_lower_bound,
    null as sites_energized_mw,
    null as sites_under_construction_mw,
    null as sites_planned_mw,
    null as sites_contracted_mw,
    null as n_hpc_contracts,
    null as n_hpc_contracts_extracted_only,
    null as has_contract_disagreement,
    null as hpc_mw_basis_converted
from rollups
