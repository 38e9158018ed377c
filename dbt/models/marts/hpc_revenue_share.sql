-- Share of revenue from HPC / AI (colocation + GPU cloud) per miner per fiscal quarter.
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
        bool_or(sources_disagree) as has_source_conflict,
        coalesce(
            list(segment order by segment) filter (where sources_disagree), []
        ) as conflicting_segments
    from figures
    group by ticker, period_end
),

shares as (
    select
        *,
        coalesce(
            total_revenue_usd is not null
            and n_segments_reported > 0
            and abs(segments_sum_usd - total_revenue_usd) <= 0.01 * abs(total_revenue_usd),
            false
        ) as is_complete
    from quarters
),

with_share as (
    select
        *,
        case
            when hpc_hosting_colocation_usd is not null or ai_cloud_services_usd is not null
                then coalesce(hpc_hosting_colocation_usd, 0) + coalesce(ai_cloud_services_usd, 0)
            -- a complete split without an HPC line means no HPC revenue that quarter
            when is_complete then 0
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
        lag(period_end) over (partition by ticker order by period_end) as previous_period_end
    from with_share
),

with_change as (
    select
        *,
        case
            when datediff('day', previous_period_end, period_end) between 80 and 100
                then hpc_share - lag(hpc_share) over (partition by ticker order by period_end)
        end as hpc_share_qoq_change
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
    has_source_conflict,
    conflicting_segments,
    total_revenue_sources,
    bitcoin_mining_self_sources,
    hosted_mining_sources,
    hpc_hosting_colocation_sources,
    ai_cloud_services_sources,
    other_sources
from with_change
