{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='day',
        full_refresh=daily_full_refresh(),
    )
}}

-- Hashprice per day (formulas and units: docs/hashprice.md).
-- Expected blocks per PH/s per day = 1e15 × 86400 ÷ (difficulty × 2^32).
-- Hashprice (BTC/PH/day) = expected blocks per PH/day × (subsidy + fees per block).
-- Realized hashprice = (subsidy issued + fees that day) ÷ network hash rate in PH/s.
with network as (
    select * from {{ ref('int_network_daily') }}
    {%- if is_incremental() %}
        where day >= {{ incremental_start('day', "difficulty_status = 'observed'") }}
    {%- endif %}
),

price as (
    select
        price_date,
        close_usd
    from {{ ref('stg_market__btc_price_daily') }}
)

select
    n.day,
    p.close_usd as btc_price_usd,
    n.difficulty,
    n.hash_rate_ehs,
    n.subsidy_per_block_btc,
    n.fees_per_block_btc,
    1e15 * 86400 / (n.difficulty * pow(2, 32)) as expected_blocks_per_ph_day,
    1e15 * 86400 / (n.difficulty * pow(2, 32))
    * (n.subsidy_per_block_btc + coalesce(n.fees_per_block_btc, 0)) as hashprice_btc_per_ph_day,
    1e15 * 86400 / (n.difficulty * pow(2, 32))
    * (n.subsidy_per_block_btc + coalesce(n.fees_per_block_btc, 0))
    * p.close_usd as hashprice_usd_per_ph_day,
    (n.subsidy_issued_btc + n.fees_day_btc) * p.close_usd
    / (n.hash_rate_ehs * 1000) as realized_hashprice_usd_per_ph_day,
    n.fees_per_block_btc is null as is_subsidy_only,
    n.difficulty_status,
    n.hash_rate_status,
    n.hash_rate_source,
    n.fees_status,
    case when p.close_usd is null then 'missing' else 'observed' end as price_status
from network as n
left join price as p on n.day = p.price_date
