-- Quarters flagged complete must have segments summing to the total within 1 %.
select
    ticker,
    period_end,
    total_revenue_usd,
    segments_sum_usd
from {{ ref('hpc_revenue_share') }}
where
    is_complete
    and abs(segments_sum_usd - total_revenue_usd) > 0.01 * abs(total_revenue_usd)
