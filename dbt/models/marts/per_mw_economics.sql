-- Mining vs HPC economics per MW, per tracked miner and month (formulas: docs/economics.md).
-- Mining (per MW of miners, gross = grid power drawn by the fleet):
--   PH/s per MW = 1000 / J/TH; revenue per MW-year = hashprice × PH/s per MW × 365 × (1 − pool fee)
--   hashcost (USD/PH/day) = J/TH × USD/MWh × 24 / 1000
--   power cost per MW-year = hashcost × PH/s per MW × 365
-- HPC (per MW critical IT, converted to gross with gross_to_critical_it_ratio):
--   revenue = MW-weighted colocation contract rate as of the month, else the cited lease assumption
--   (firm curated deals plus press-extracted ones no curated deal matches:
--   int_economics_hpc_contracts_combined)
--   margin = revenue × (1 − hpc_opex_share) (power passed through to the tenant)
-- Break-even BTC price: mining margin per gross MW-year equals HPC margin per gross MW-year;
--   mining margin is BTC earned × price − power cost, so price = (HPC margin + power) ÷ BTC earned.
-- HPC revenue share: latest fiscal quarter ended by the month (marts.hpc_revenue_share).
-- Every economic input comes from int_assumption_levels at var economics_assumption_level.
with months as (
    select * from {{ ref('int_economics_hashprice_monthly') }}
),

fleet as (
    select * from {{ ref('int_fleet_efficiency_monthly') }}
),

assumptions as (
    select * from {{ ref('int_assumption_levels') }}
    where assumption_level = '{{ var("economics_assumption_level", "base") }}'
),

all_contracts as (
    select * from {{ ref('int_economics_hpc_contracts_combined') }}
),

contracts as (
    select * from all_contracts
    where
        contract_kind = 'colocation'
        and not is_aggregate
        and status in ('definitive', 'option_exercised')
        and usd_per_mw_year_critical_it is not null
),

contract_rate as (
    select
        f.ticker,
        f.month_start,
        count(c.contract_id) as n_hpc_contracts_priced,
        count(c.contract_id) filter (
            where c.contract_source = 'extracted'
        ) as n_hpc_contracts_priced_extracted_only,
        -- float sums in a fixed order (contract_id) so two builds agree to the last bit
        sum(c.critical_it_mw_effective order by c.contract_id)
            as hpc_contracts_priced_mw_critical_it,
        sum(c.annual_contract_value_usd order by c.contract_id)
        / sum(c.critical_it_mw_effective order by c.contract_id)
            as hpc_contract_usd_per_mw_year_critical_it
    from fleet as f
    inner join months as m on f.month_start = m.month_start
    inner join contracts as c on f.ticker = c.ticker and c.as_of_date <= m.last_day
    group by f.ticker, f.month_start
),

-- press-extracted contracts no curated deal matches, and curated deals whose press facts disagree
contract_checks as (
    select
        f.ticker,
        f.month_start,
        count(*) filter (where c.contract_source = 'extracted') as n_contracts_extracted_only,
        bool_or(c.has_disagreement) as has_contract_disagreement
    from fleet as f
    inner join months as m on f.month_start = m.month_start
    inner join all_contracts as c on f.ticker = c.ticker and c.as_of_date <= m.last_day
    group by f.ticker, f.month_start
),

revenue_share as (
    select
        ticker,
        period_end,
        fiscal_period,
        hpc_share
    from {{ ref('hpc_revenue_share') }}
    where hpc_share is not null
),

inputs as (
    select
        f.ticker,
        f.month_start,
        m.last_day,
        m.n_days,
        m.is_complete_month,
        m.btc_price_usd,
        m.hashprice_usd_per_ph_day,
        m.hashprice_btc_per_ph_day,
        m.has_subsidy_only_days,
        f.fleet_efficiency_j_per_th,
        f.efficiency_status,
        f.efficiency_as_of_date,
        f.efficiency_source_url,
        a.assumption_level,
        a.power_price_usd_per_mwh,
        a.pool_fee_pct,
        a.gross_to_critical_it_ratio,
        a.hpc_opex_share,
        a.capex_mining_usd_per_mw,
        a.capex_hpc_new_build_usd_per_mw_critical_it,
        a.capex_hpc_retrofit_usd_per_mw,
        r.n_hpc_contracts_priced,
        r.n_hpc_contracts_priced_extracted_only,
        coalesce(k.n_contracts_extracted_only, 0) as n_contracts_extracted_only,
        coalesce(k.has_contract_disagreement, false) as has_contract_disagreement,
        r.hpc_contracts_priced_mw_critical_it,
        r.hpc_contract_usd_per_mw_year_critical_it,
        coalesce(
            r.hpc_contract_usd_per_mw_year_critical_it, a.hpc_lease_usd_per_mw_year_critical_it
        ) as hpc_revenue_usd_per_mw_year_critical_it,
        case
            when r.hpc_contract_usd_per_mw_year_critical_it is not null then 'contracts'
            else 'assumption'
        end as hpc_revenue_basis,
        1000 / f.fleet_efficiency_j_per_th as ph_per_mw,
        1 - a.pool_fee_pct / 100 as pool_fee_keep_share,
        q.hpc_share as hpc_revenue_share,
        q.fiscal_period as hpc_revenue_share_fiscal_period,
        q.period_end as hpc_revenue_share_period_end
    from fleet as f
    inner join months as m on f.month_start = m.month_start
    cross join assumptions as a
    left join contract_rate as r on f.ticker = r.ticker and f.month_start = r.month_start
    left join contract_checks as k on f.ticker = k.ticker and f.month_start = k.month_start
    asof left join revenue_share as q on f.ticker = q.ticker and m.last_day >= q.period_end
),

mining as (
    select
        *,
        hashprice_usd_per_ph_day * ph_per_mw * 365 * pool_fee_keep_share
            as mining_revenue_usd_per_mw_year,
        hashprice_btc_per_ph_day * ph_per_mw * 365 * pool_fee_keep_share as btc_per_mw_year,
        fleet_efficiency_j_per_th * power_price_usd_per_mwh * 24 / 1000 as hashcost_usd_per_ph_day,
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
        mining_revenue_usd_per_mw_year - power_cost_usd_per_mw_year
            as mining_margin_usd_per_mw_year
    from mining
)

select
    ticker,
    month_start,
    last_day,
    n_days,
    is_complete_month,
    btc_price_usd,
    hashprice_usd_per_ph_day,
    hashprice_btc_per_ph_day,
    has_subsidy_only_days,
    fleet_efficiency_j_per_th,
    efficiency_status,
    efficiency_as_of_date,
    efficiency_source_url,
    ph_per_mw,
    pool_fee_pct,
    power_price_usd_per_mwh,
    mining_revenue_usd_per_mw_year,
    btc_per_mw_year,
    hashcost_usd_per_ph_day,
    power_cost_usd_per_mw_year,
    mining_margin_usd_per_mw_year,
    hpc_revenue_basis,
    n_hpc_contracts_priced,
    n_hpc_contracts_priced_extracted_only,
    n_contracts_extracted_only,
    has_contract_disagreement,
    hpc_contracts_priced_mw_critical_it,
    hpc_contract_usd_per_mw_year_critical_it,
    hpc_revenue_usd_per_mw_year_critical_it,
    gross_to_critical_it_ratio,
    hpc_revenue_usd_per_mw_year_gross,
    hpc_opex_share,
    hpc_margin_usd_per_mw_year_gross,
    hpc_margin_usd_per_mw_year_gross - mining_margin_usd_per_mw_year
        as hpc_minus_mining_margin_usd_per_mw_year,
    hpc_margin_usd_per_mw_year_gross > mining_margin_usd_per_mw_year as hpc_beats_mining,
    capex_mining_usd_per_mw,
    capex_hpc_new_build_usd_per_mw_critical_it,
    capex_hpc_new_build_usd_per_mw_critical_it / gross_to_critical_it_ratio
        as capex_hpc_new_build_usd_per_mw_gross,
    capex_hpc_retrofit_usd_per_mw as capex_hpc_retrofit_usd_per_mw_lower_bound,
    case
        when mining_margin_usd_per_mw_year > 0
            then capex_mining_usd_per_mw / mining_margin_usd_per_mw_year
    end as mining_payback_years,
    capex_hpc_new_build_usd_per_mw_critical_it
    / (hpc_revenue_usd_per_mw_year_critical_it * (1 - hpc_opex_share)) as hpc_payback_years,
    (hpc_margin_usd_per_mw_year_gross + power_cost_usd_per_mw_year)
    / btc_per_mw_year as breakeven_btc_price_margin_usd,
    hpc_revenue_usd_per_mw_year_gross / btc_per_mw_year as breakeven_btc_price_revenue_usd,
    hpc_revenue_share,
    hpc_revenue_share_fiscal_period,
    hpc_revenue_share_period_end,
    assumption_level,
    month_start = max(month_start) over () as is_latest_month
from margins
