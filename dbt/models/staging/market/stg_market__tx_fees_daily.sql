select
    cast(date as date) as fee_date,
    transaction_fees_btc as fees_btc,
    source
from {{ source('raw', 'tx_fees_daily') }}
