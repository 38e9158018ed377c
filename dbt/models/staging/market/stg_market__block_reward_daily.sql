select
    cast(date as date) as reward_date,
    block_reward_btc as subsidy_btc,
    source
from {{ source('raw', 'block_reward_daily') }}
