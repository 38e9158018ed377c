-- Difficulty samples (7-day averages every ~4 days). Consecutive samples that move by more
-- than 30 % are flagged, not removed: real retargets rarely do, so a jump is worth a look.
with samples as (
    select
        cast(date as date) as sample_date,
        difficulty,
        hash_rate_ths,
        source
    from {{ source('raw', 'network_difficulty') }}
)

select
    sample_date,
    difficulty,
    hash_rate_ths / 1e6 as hash_rate_ehs,
    source,
    difficulty / lag(difficulty) over (order by sample_date) - 1 as change_vs_previous_sample,
    coalesce(
        abs(difficulty / lag(difficulty) over (order by sample_date) - 1) > 0.30, false
    ) as is_jump_over_30pct
from samples
