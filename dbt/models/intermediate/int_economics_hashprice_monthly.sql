-- Monthly averages of the daily hashprice mart (USD and BTC per PH/s per day) and BTC price.
-- The last month may be partial: n_days says how many days the averages cover.
-- Float averages are taken in day order: a floating-point sum depends on the order of its terms,
-- and the order rows reach an aggregate is not fixed, so an unordered avg could differ in its
-- last bits between two builds (it did: tests/reliability/test_determinism.py).
select
    cast(date_trunc('month', day) as date) as month_start,
    max(day) as last_day,
    count(*) as n_days,
    count(*) = day(last_day(max(day))) as is_complete_month,
    avg(btc_price_usd order by day) as btc_price_usd,
    avg(hashprice_usd_per_ph_day order by day) as hashprice_usd_per_ph_day,
    avg(hashprice_btc_per_ph_day order by day) as hashprice_btc_per_ph_day,
    bool_or(is_subsidy_only) as has_subsidy_only_days
from {{ ref('hashprice_daily') }}
group by 1
