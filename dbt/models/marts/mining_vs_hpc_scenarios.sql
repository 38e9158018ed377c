-- The per-MW economics of per_mw_economics under named scenarios (seed scenarios), per miner.
-- "Today" = the latest day of marts.hashprice_daily (is_subsidy_only flags a day without fee data:
-- its hashprice counts the subsidy only, understating revenue by the fee share); the
-- seed scales its BTC price and network hash rate (BTC earned per PH/s ÷ hash-rate multiplier) and
-- picks the assumption level for power and for every other input. Fleet efficiency and contract
-- rates are the miner's latest (per_mw_economics, latest month). Formulas: docs/economics.md.
with today as (
    select
        day as hashprice_day,
        btc_price_usd,
        hashprice_btc_per_ph_day,
        is_subsidy_only
    from {{ ref('hashprice_daily') }}
    qualify row_number() over (order by day desc) = 1
),

miners as (
    select
        ticker,
        fleet_efficiency_j_per_th,
        efficiency_status,
        hpc_contract_usd_per_mw_year_critical_it
    from {{ ref('per_mw_economics') }}
    where is_latest_month
),

scenarios as (
    select * from {{ ref('scenarios') }}
),

assumptions as (
    select * from {{ ref('int_assumption_levels') }}
),

inputs as (
    select
        s.scenario,
        s.sort_order,
        s.description as scenario_description,
        m.ticker,
        t.hashprice_day,
        t.is_subsidy_only,
        s.btc_price_multiplier,
        s.network_hashrate_multiplier,
        s.power_price_level,
        s.hpc_assumption_level,
        t.btc_price_usd * s.btc_price_multiplier as btc_price_usd,
        t.hashprice_btc_per_ph_day / s.network_hashrate_multiplier as hashprice_btc_per_ph_day,
        m.fleet_efficiency_j_per_th,
        m.efficiency_status,
        1000 / m.fleet_efficiency_j_per_th as ph_per_mw,
        p.power_price_usd_per_mwh,
        a.pool_fee_pct,
        a.gross_to_critical_it_ratio,
        a.hpc_opex_share,
        a.capex_mining_usd_per_mw,
        a.capex_hpc_new_build_usd_per_mw_critical_it,
        coalesce(
            m.hpc_contract_usd_per_mw_year_critical_it, a.hpc_lease_usd_per_mw_year_critical_it
        ) as hpc_revenue_usd_per_mw_year_critical_it,
        case
            when m.hpc_contract_usd_per_mw_year_critical_it is not null then 'contracts'
            else 'assumption'
        end as hpc_revenue_basis
    from scenarios as s
    cross join today as t
    cross join miners as m
    inner join assumptions as p on s.power_price_level = p.assumption_level
    inner join assumptions as a on s.hpc_assumption_level = a.assumption_level
),

economics as (
    select
        *,
        hashprice_btc_per_ph_day * btc_price_usd as hashprice_usd_per_ph_day,
        hashprice_btc_per_ph_day * ph_per_mw * 365 * (1 - pool_fee_pct / 100)
            as btc_per_mw_year,
        fleet_efficiency_j_per_th * power_price_usd_per_mwh * 24 / 1000 * ph_per_mw * 365
            as power_cost_usd_per_mw_year,
        hpc_revenue_usd_per_mw_year_critical_it / gross_to_critical_it_ratio
            as hpc_revenue_usd_per_mw_year_gross,
        hpc_revenue_usd_per_mw_year_critical_it / gross_to_critical_it_ratio
        * (1 - hpc_opex_share) as hpc_margin_usd_per_mw_year_gross
    from inputs
),

margins as (
    select
        *,
        btc_per_mw_year * btc_price_usd as mining_revenue_usd_per_mw_year,
        btc_per_mw_year * btc_price_usd - power_cost_usd_per_mw_year
            as mining_margin_usd_per_mw_year,
        (hpc_margin_usd_per_mw_year_gross + power_cost_usd_per_mw_year)
        / btc_per_mw_year as breakeven_btc_price_margin_usd,
        hpc_revenue_usd_per_mw_year_gross / btc_per_mw_year as breakeven_btc_price_revenue_usd
    from economics
)

select
    scenario,
    sort_order,
    scenario_description,
    ticker,
    hashprice_day,
    is_subsidy_only,
    btc_price_multiplier,
    network_hashrate_multiplier,
    power_price_level,
    hpc_assumption_level,
    btc_price_usd,
    hashprice_btc_per_ph_day,
    hashprice_usd_per_ph_day,
    fleet_efficiency_j_per_th,
    efficiency_status,
    ph_per_mw,
    power_price_usd_per_mwh,
    mining_revenue_usd_per_mw_year,
    btc_per_mw_year,
    power_cost_usd_per_mw_year,
    mining_margin_usd_per_mw_year,
    hpc_revenue_basis,
    hpc_revenue_usd_per_mw_year_critical_it,
    hpc_revenue_usd_per_mw_year_gross,
    hpc_margin_usd_per_mw_year_gross,
    hpc_margin_usd_per_mw_year_gross - mining_margin_usd_per_mw_year
        as hpc_minus_mining_margin_usd_per_mw_year,
    hpc_margin_usd_per_mw_year_gross > mining_margin_usd_per_mw_year as pivot_pays,
    breakeven_btc_price_margin_usd,
    breakeven_btc_price_revenue_usd,
    breakeven_btc_price_margin_usd / btc_price_usd - 1 as btc_move_to_breakeven_pct,
    case
        when mining_margin_usd_per_mw_year > 0
            then capex_mining_usd_per_mw / mining_margin_usd_per_mw_year
    end as mining_payback_years,
    capex_hpc_new_build_usd_per_mw_critical_it
    / (hpc_revenue_usd_per_mw_year_critical_it * (1 - hpc_opex_share)) as hpc_payback_years
from margins
