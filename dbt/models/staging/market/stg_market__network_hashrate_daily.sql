{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='hashrate_date',
        full_refresh=daily_full_refresh(),
    )
}}

select
    cast(date as date) as hashrate_date,
    hash_rate_hs / 1e18 as hash_rate_ehs,
    source
from {{ source('raw', 'network_hashrate_daily') }}
{% if is_incremental() %}
    where cast(date as date) >= {{ incremental_start('hashrate_date') }}
{% endif %}
