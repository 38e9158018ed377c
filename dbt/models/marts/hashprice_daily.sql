{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='day',
        full_refresh=daily_full_refresh(),
    )
}}

-- Daily hashprice for analysts: USD and BTC per PH/s per day, with the inputs and a flag per
-- input saying whether it was observed, interpolated, carried forward or missing.
select
    day,
    btc_price_usd,
    hash_rate_ehs as network_hash_rate_ehs,
    difficulty,
    subsidy_per_block_btc,
    fees_per_block_btc,
    hashprice_usd_per_ph_day,
    hashprice_btc_per_ph_day,
    realized_hashprice_usd_per_ph_day,
    is_subsidy_only,
    price_status,
    difficulty_status,
    hash_rate_status,
    hash_rate_source,
    fees_status
from {{ ref('int_hashprice_daily') }}
where
    btc_price_usd is not null and difficulty is not null
    {%- if is_incremental() %}
        and day >= {{ incremental_start('day', "difficulty_status = 'observed'") }}
    {%- endif %}
