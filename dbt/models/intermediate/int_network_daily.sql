{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='day',
        full_refresh=daily_full_refresh(),
    )
}}

-- One row per UTC day with the network inputs of hashprice and where each came from.
-- Difficulty: blockchain.com samples (7-day averages every ~4 days) are linearly interpolated
-- between the samples around a day; after the last sample the last value is carried forward.
-- Hash rate: the daily bitcoinvisuals estimate wins when present (observed); otherwise the
-- blockchain.com 7-day average, interpolated like difficulty.
-- Subsidy per block comes from the halving schedule (seed), so every day has one; blocks found
-- come from the daily subsidy issued ÷ subsidy per block, or 144 when unknown.
-- Nightly (incremental): the days from the last observed difficulty sample minus the lookback
-- are recomputed (the days after that sample were carried forward and change with the next one).
with bounds as (
    select
        {%- if is_incremental() %}
            greatest(
                cast('{{ var("hashprice_start_date") }}' as date),
                {{ incremental_start('day', "difficulty_status = 'observed'") }}
            ) as first_day,
        {%- else %}
            cast('{{ var("hashprice_start_date") }}' as date) as first_day,
        {%- endif %}
        max(price_date) as last_day
    from {{ ref('stg_market__btc_price_daily') }}
),

days as (
    select cast(unnest(generate_series(first_day, last_day, interval 1 day)) as date) as day
    from bounds
),

samples as (
    select
        sample_date,
        difficulty,
        hash_rate_ehs
    from {{ ref('stg_market__network_difficulty') }}
),

bracketed as (
    select
        d.day,
        p.sample_date as prev_date,
        p.difficulty as prev_difficulty,
        p.hash_rate_ehs as prev_hash_rate_ehs,
        n.sample_date as next_date,
        n.difficulty as next_difficulty,
        n.hash_rate_ehs as next_hash_rate_ehs
    from days as d
    asof left join samples as p on d.day >= p.sample_date
    asof left join samples as n on d.day <= n.sample_date
),

interpolated as (
    select
        day,
        case
            when prev_date = day then 'observed'
            when prev_date is not null and next_date is not null then 'interpolated'
            when prev_date is not null then 'carried_forward'
            else 'missing'
        end as difficulty_status,
        case
            when prev_date is null then null
            when next_date is null or next_date = prev_date then prev_difficulty
            else
                prev_difficulty + (next_difficulty - prev_difficulty)
                * datediff('day', prev_date, day) / datediff('day', prev_date, next_date)
        end as difficulty,
        case
            when prev_date is null then null
            when next_date is null or next_date = prev_date then prev_hash_rate_ehs
            else
                prev_hash_rate_ehs + (next_hash_rate_ehs - prev_hash_rate_ehs)
                * datediff('day', prev_date, day) / datediff('day', prev_date, next_date)
        end as sampled_hash_rate_ehs
    from bracketed
),

subsidy as (
    select
        d.day,
        h.subsidy_after_btc as subsidy_per_block_btc
    from days as d
    asof left join {{ ref('halvings') }} as h on d.day >= h.halving_date
)

select
    i.day,
    i.difficulty,
    i.difficulty_status,
    coalesce(hr.hash_rate_ehs, i.sampled_hash_rate_ehs) as hash_rate_ehs,
    case
        when hr.hash_rate_ehs is not null then 'observed'
        when i.sampled_hash_rate_ehs is not null then i.difficulty_status
        else 'missing'
    end as hash_rate_status,
    case
        when hr.hash_rate_ehs is not null then hr.source
        when i.sampled_hash_rate_ehs is not null then 'blockchain.com 7-day average'
    end as hash_rate_source,
    s.subsidy_per_block_btc,
    r.subsidy_btc as subsidy_issued_btc,
    r.subsidy_btc / s.subsidy_per_block_btc as blocks_found,
    coalesce(r.subsidy_btc / s.subsidy_per_block_btc, 144) as blocks_for_fees,
    f.fees_btc as fees_day_btc,
    f.fees_btc / coalesce(r.subsidy_btc / s.subsidy_per_block_btc, 144) as fees_per_block_btc,
    case
        when f.fees_btc is not null then 'observed' else 'missing'
    end as fees_status
from interpolated as i
inner join subsidy as s on i.day = s.day
left join {{ ref('stg_market__network_hashrate_daily') }} as hr on i.day = hr.hashrate_date
left join {{ ref('stg_market__block_reward_daily') }} as r on i.day = r.reward_date
left join {{ ref('stg_market__tx_fees_daily') }} as f on i.day = f.fee_date
