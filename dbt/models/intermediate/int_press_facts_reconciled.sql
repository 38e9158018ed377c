-- Extracted facts with the analysts' overrides applied: a correction replaces a field, a
-- rejection keeps the row but marks it (so it stays auditable), and the original extracted
-- values stay beside the corrected ones.
with facts as (
    select * from {{ ref('stg_press__facts') }}
),

overrides as (
    select * from {{ ref('stg_press__overrides') }}
),

corrections as (
    select
        fact_id,
        max(value) filter (where field = 'company') as company,
        max(value) filter (where field = 'counterparty') as counterparty,
        max(value) filter (where field = 'mw') as mw,
        max(value) filter (where field = 'mw_basis') as mw_basis,
        max(value) filter (where field = 'contract_value_usd') as contract_value_usd,
        max(value) filter (where field = 'annual_revenue_usd') as annual_revenue_usd,
        max(value) filter (where field = 'term_years') as term_years,
        max(value) filter (where field = 'status') as status,
        max(value) filter (where field = 'amount_usd') as amount_usd
    from overrides
    where action = 'correct'
    group by fact_id
),

decisions as (
    select
        fact_id,
        bool_or(action = 'reject') as is_rejected,
        bool_or(action = 'confirm') as is_confirmed,
        bool_or(action = 'correct') as is_corrected,
        string_agg(
            action || coalesce(' ' || field || '=' || value, '') || ' by ' || analyst
            || ' on ' || cast(decided_on as varchar) || ': ' || reason,
            ' | ' order by decided_on, action, field
        ) as override_audit
    from overrides
    group by fact_id
)

select
    f.fact_id,
    f.doc_id,
    f.doc_date,
    f.doc_source,
    f.fact_type,
    coalesce(c.company, f.company) as company,
    coalesce(c.counterparty, f.counterparty) as counterparty,
    coalesce(cast(c.mw as double), f.mw) as mw,
    coalesce(c.mw_basis, f.mw_basis) as mw_basis,
    coalesce(cast(c.contract_value_usd as double), f.contract_value_usd) as contract_value_usd,
    coalesce(cast(c.annual_revenue_usd as double), f.annual_revenue_usd) as annual_revenue_usd,
    coalesce(cast(c.term_years as double), f.term_years) as term_years,
    coalesce(c.status, f.status) as status,
    coalesce(cast(c.amount_usd as double), f.amount_usd) as amount_usd,
    f.gpu_count,
    f.gpu_model,
    f.amount_usd_low,
    f.amount_usd_high,
    f.interest_rate_pct,
    f.conversion_price_usd,
    f.scope,
    f.evidence,
    f.confidence,
    f.mw as extracted_mw,
    f.contract_value_usd as extracted_contract_value_usd,
    f.status as extracted_status,
    coalesce(d.is_rejected, false) as is_rejected,
    coalesce(d.is_confirmed, false) as is_confirmed,
    coalesce(d.is_corrected, false) as is_corrected,
    d.override_audit
from facts as f
left join corrections as c on f.fact_id = c.fact_id
left join decisions as d on f.fact_id = d.fact_id
