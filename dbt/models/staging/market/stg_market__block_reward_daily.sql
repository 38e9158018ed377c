{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='reward_date',
        full_refresh=daily_full_refresh(),
    )
}}

select
    cast(date as date) as reward_date,
    block_reward_btc as subsidy_btc,
    source
from {{ source('raw', 'block_reward_daily') }}
{% if is_incremental() %}
    where cast(date as date) >= {{ incremental_start('reward_date') }}
{% endif %}
