{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='price_date',
        full_refresh=daily_full_refresh(),
    )
}}

select
    cast(date as date) as price_date,
    open as open_usd,
    high as high_usd,
    low as low_usd,
    close as close_usd,
    volume_usd,
    source
from {{ source('raw', 'btc_price_daily') }}
{% if is_incremental() %}
    where cast(date as date) >= {{ incremental_start('price_date') }}
{% endif %}
