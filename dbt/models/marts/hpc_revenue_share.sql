-- Share of revenue from HPC / AI (colocation + GPU cloud) per miner per fiscal quarter.
-- Bases (docs/filings.md): each quarter carries the basis of its figures (as_reported / restated /
-- mixed); a miner's series basis is its latest quarter's. Quarters off that basis are flagged,
-- never given an implied zero HPC share, and no quarter-over-quarter change crosses a basis.
with figures as (
    select * from {{ ref('int_segment_revenue_reconciled') }}
),

quarters as (
    select
        ticker,
        period_end,
        min(fiscal_period) as fiscal_period,
        any_value(revenue_usd) filter (where segment = 'total') as total_revenue_usd,
        any_value(revenue_usd) filter (
            where segment = 'bitcoin_mining_self' and not is_discontinued_operations
        ) as bitcoin_mining_self_usd,
        any_value(revenue_usd) filter (
            where segment = 'hosted_mining' and not is_discontinued_operations
        ) as hosted_mining_usd,
        any_value(revenue_usd) filter (
            where segment = 'hpc_hosting_colocation' and not is_discontinued_operations
        ) as hpc_hosting_colocation_usd,
        any_value(revenue_usd) filter (
            where segment = 'ai_cloud_services' and not is_discontinued_operations
        ) as ai_cloud_services_usd,
        any_value(revenue_usd) filter (
            where segment = 'other' and not is_discontinued_operations
        ) as other_usd,
        sum(revenue_usd) filter (
            where segment != 'total' and not is_discontinued_operations
        ) as segments_sum_usd,
        sum(revenue_usd) filter (where is_discontinued_operations) as discontinued_operations_usd,
        count(*) filter (
            where segment != 'total' and not is_discontinued_operations
        ) as n_segments_reported,
        any_value(sources) filter (where segment = 'total') as total_revenue_sources,
        any_value(sources) filter (
            where segment = 'bitcoin_mining_self'
        ) as bitcoin_mining_self_sources,
        any_value(sources) filter (where segment = 'hosted_mining') as hosted_mining_sources,
        any_value(sources) filter (
            where segment = 'hpc_hosting_colocation'
        ) as hpc_hosting_colocation_sources,
        any_value(sources) filter (
            where segment = 'ai_cloud_services'
        ) as ai_cloud_services_sources,
        any_value(sources) filter (where segment = 'other') as other_sources,
        case
            when count(distinct basis) = 1 then any_value(basis) else 'mixed'
        end as basis,
        bool_or(sources_disagree) as has_source_conflict,
        coalesce(
            list(segment order by segment) filter (where sources_disagree), []
        ) as conflicting_segments
    from figures
    group by ticker, period_end
),

based as (
    select
        *,
        last(basis order by period_end) over (
            partition by ticker
            order by period_end
            rows between unbounded preceding and unbounded following
        ) as series_basis
    from quarters
),

shares as (
    select
        *,
        basis != series_basis as is_off_series_basis,
        coalesce(
            total_revenue_usd is not null
            and n_segments_reported > 0
            and abs(segments_sum_usd - total_revenue_usd) <= 0.01 * abs(total_revenue_usd),
            false
        ) as is_complete
    from based
),

with_share as (
    select
        *,
        case
            when hpc_hosting_colocation_usd is not null or ai_cloud_services_usd is not null
                then coalesce(hpc_hosting_colocation_usd, 0) + coalesce(ai_cloud_services_usd, 0)
            -- a complete split without an HPC line means no HPC revenue that quarter, unless the
            -- split is on an older basis that a later filing re-presents (it may hide HPC)
            when is_complete and not is_off_series_basis then 0
        end as hpc_revenue_usd
    from shares
),

final as (
    select
        *,
        case
            when total_revenue_usd > 0 then hpc_revenue_usd / total_revenue_usd
        end as hpc_share,
        year(period_end) || 'Q' || quarter(period_end) as calendar_quarter,
        lag(period_end) over (partition by ticker order by period_end) as previous_period_end,
        lag(basis) over (partition by ticker order by period_end) as previous_basis
    from with_share
),

with_change as (
    select
        *,
        case
            when
                datediff('day', previous_period_end, period_end) between 80 and 100
                and basis = previous_basis
                then hpc_share - lag(hpc_share) over (partition by ticker order by period_end)
        end as hpc_share_qoq_change,
        case
            when is_off_series_basis
                then
                    'figures ' || basis || ', the miner''s series is ' || series_basis
                    || ': not comparable with its other quarters'
            when previous_basis is not null and basis != previous_basis
                then
                    'basis changes from ' || previous_basis || ' to ' || basis
                    || ': no quarter-over-quarter change computed'
        end as basis_note
    from final
)

select
    ticker,
    fiscal_period,
    period_end,
    calendar_quarter,
    total_revenue_usd,
    bitcoin_mining_self_usd,
    hosted_mining_usd,
    hpc_hosting_colocation_usd,
    ai_cloud_services_usd,
    other_usd,
    segments_sum_usd,
    discontinued_operations_usd,
    n_segments_reported,
    hpc_revenue_usd,
    hpc_share,
    hpc_share_qoq_change,
    is_complete,
    basis,
    series_basis,
    is_off_series_basis,
    basis_note,
    has_source_conflict,
    conflicting_segments,
    total_revenue_sources,
    bitcoin_mining_self_sources,
    hosted_mining_sources,
    hpc_hosting_colocation_sources,
    ai_cloud_services_sources,
    other_sources
from with_change
