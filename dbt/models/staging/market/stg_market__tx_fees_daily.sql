{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='fee_date',
        full_refresh=daily_full_refresh(),
    )
}}

select
    cast(date as date) as fee_date,
    transaction_fees_btc as fees_btc,
    source
from {{ source('raw', 'tx_fees_daily') }}
{% if is_incremental() %}
    where cast(date as date) >= {{ incremental_start('fee_date') }}
{% endif %}
