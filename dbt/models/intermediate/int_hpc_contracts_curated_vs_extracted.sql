-- Curated HPC contracts (int_economics_hpc_contracts) beside the facts extracted from press
-- releases (marts.hpc_contracts): one row per matched pair or unmatched side.
-- Matching rule (docs in the .yml):
--   candidates = same ticker, same normalised counterparty, compatible status family and
--   announced dates within var hpc_contract_match_window_days (45) or a date missing on one side;
--   curated aggregate rows ("all contracts") never match (they overlap per-deal rows);
--   each side keeps its best candidate (fewest disagreeing sizes, most agreeing sizes, same exact
--   status, nearest date) and a pair is kept when both sides choose each other (two rounds).
-- Disagreement: relative difference > var hpc_contract_disagreement_pct (2 %) of the larger value,
--   or both sides state a different MW basis / status; a value missing on one side is not one.
{%- set pct = var('hpc_contract_disagreement_pct', 2) %}
{#- Each side's preference among its candidates (used in both matching rounds). -#}
{%- set mutual_ranks -%}
row_number() over (
            partition by contract_id
            order by
                n_size_disagreeing asc, n_size_agreeing desc, same_status desc,
                days_apart asc nulls last, event_id asc
        ) as rank_for_curated,
        row_number() over (
            partition by event_id
            order by
                n_size_disagreeing asc, n_size_agreeing desc, same_status desc,
                days_apart asc nulls last, contract_id asc
        ) as rank_for_extracted
{%- endset %}

with curated as (
    select
        contract_id,
        ticker,
        counterparty,
        announced_date,
        status,
        contract_kind,
        is_aggregate,
        critical_it_mw,
        gross_mw,
        term_years,
        contract_value_usd,
        coalesce(annual_revenue_stated_usd, contract_value_usd / nullif(term_years, 0))
            as annual_value_usd,
        source_urls
    from {{ ref('int_economics_hpc_contracts') }}
),

extracted as (
    select
        event_id,
        ticker,
        counterparty,
        announced_date,
        status,
        mw,
        mw_basis,
        term_years,
        contract_value_usd,
        annual_value_usd,
        usd_per_mw_year,
        array_to_string(sources, ' | ') as sources
    from {{ ref('int_hpc_contract_events') }}
),

-- One normalisation for both sides: lower case, parenthesised notes and legal suffixes dropped,
-- punctuation collapsed; a missing or "unnamed" counterparty is 'unnamed'.
keys as (
    select
        'curated' as side,
        contract_id as side_id,
        counterparty,
        status
    from curated
    union all
    select
        'extracted' as side,
        event_id as side_id,
        counterparty,
        status
    from extracted
),

normalised as (
    select
        side,
        side_id,
        case
            when counterparty is null or counterparty ilike '%unnamed%' then 'unnamed'
            else
                trim(
                    regexp_replace(
                        regexp_replace(
                            regexp_replace(lower(counterparty), '\([^)]*\)', ' ', 'g'),
                            '\b(inc|ltd|llc|corp|corporation|limited|plc)\b', ' ', 'g'
                        ),
                        '[^a-z0-9]+', ' ', 'g'
                    )
                )
        end as counterparty_key,
        case when status = 'letter_of_intent' then 'loi' else status end as status_key,
        -- null status (not stated) is compatible with every family
        case
            when status in ('definitive', 'option_exercised') then 'firm'
            when status in ('loi', 'letter_of_intent') then 'loi'
            when status is not null then status
        end as status_family
    from keys
),

curated_keyed as (
    select
        c.*,
        n.counterparty_key,
        n.status_key,
        n.status_family
    from curated as c
    inner join normalised as n on n.side = 'curated' and c.contract_id = n.side_id
),

extracted_keyed as (
    select
        e.*,
        n.counterparty_key,
        n.status_key,
        n.status_family
    from extracted as e
    inner join normalised as n on n.side = 'extracted' and e.event_id = n.side_id
),

candidates as (
    select
        c.contract_id,
        e.event_id,
        -- curated MW on the basis the extracted fact states, when the curated row has it
        case
            when e.mw_basis = 'gross' and c.gross_mw is not null then c.gross_mw
            else coalesce(c.critical_it_mw, c.gross_mw)
        end as curated_mw,
        abs(date_diff('day', c.announced_date, e.announced_date)) as days_apart,
        coalesce(c.status_key = e.status_key, false) as same_status
    from curated_keyed as c
    inner join extracted_keyed as e
        on
            c.ticker = e.ticker
            and c.counterparty_key = e.counterparty_key
            and (
                c.status_family = e.status_family
                or c.status_family is null
                or e.status_family is null
            )
            and (
                c.announced_date is null
                or e.announced_date is null
                or abs(date_diff('day', c.announced_date, e.announced_date))
                <= {{ var('hpc_contract_match_window_days', 45) }}
            )
    where not c.is_aggregate
),

-- per size field: 1 = agrees, 0 = not comparable (missing on a side), -1 = disagrees
candidate_sizes as (
    select
        k.*,
        [
            case
                when k.curated_mw is null or e.mw is null then 0
                when
                    abs(k.curated_mw - e.mw) <= {{ pct }} / 100.0 * greatest(k.curated_mw, e.mw)
                    then 1
                else -1
            end,
            case
                when c.contract_value_usd is null or e.contract_value_usd is null then 0
                when
                    abs(c.contract_value_usd - e.contract_value_usd)
                    <= {{ pct }} / 100.0 * greatest(c.contract_value_usd, e.contract_value_usd)
                    then 1
                else -1
            end,
            case
                when c.term_years is null or e.term_years is null then 0
                when c.term_years = e.term_years then 1
                else -1
            end
        ] as size_votes
    from candidates as k
    inner join curated as c on k.contract_id = c.contract_id
    inner join extracted as e on k.event_id = e.event_id
),

scored as (
    select
        contract_id,
        event_id,
        days_apart,
        len(list_filter(size_votes, lambda v: v = -1)) as n_size_disagreeing,
        len(list_filter(size_votes, lambda v: v = 1)) as n_size_agreeing,
        same_status
    from candidate_sizes
),

ranked_1 as (
    select
        *,
        {{ mutual_ranks }}
    from scored
),

pairs_1 as (
    select
        contract_id,
        event_id
    from ranked_1
    where rank_for_curated = 1 and rank_for_extracted = 1
),

-- second round: sides whose first choice was taken by a better pair
ranked_2 as (
    select
        *,
        {{ mutual_ranks }}
    from scored
    where
        contract_id not in (select p.contract_id from pairs_1 as p)
        and event_id not in (select p.event_id from pairs_1 as p)
),

pairs as (
    select
        contract_id,
        event_id
    from pairs_1
    union all
    select
        contract_id,
        event_id
    from ranked_2
    where rank_for_curated = 1 and rank_for_extracted = 1
),

sides as (
    select
        p.contract_id,
        p.event_id
    from pairs as p
    union all
    select
        c.contract_id,
        null as event_id
    from curated as c
    where c.contract_id not in (select p.contract_id from pairs as p)
    union all
    select
        null as contract_id,
        e.event_id
    from extracted as e
    where e.event_id not in (select p.event_id from pairs as p)
),

side_by_side as (
    select
        s.contract_id as curated_contract_id,
        s.event_id as extracted_event_id,
        case
            when s.contract_id is not null and s.event_id is not null then 'matched'
            when s.contract_id is not null then 'curated_only'
            else 'extracted_only'
        end as match_status,
        coalesce(c.ticker, e.ticker) as ticker,
        coalesce(c.counterparty_key, e.counterparty_key) as counterparty_key,
        c.counterparty as curated_counterparty,
        e.counterparty as extracted_counterparty,
        c.status as curated_status,
        e.status as extracted_status,
        c.status_key as curated_status_key,
        e.status_key as extracted_status_key,
        c.announced_date as curated_announced_date,
        e.announced_date as extracted_announced_date,
        abs(date_diff('day', c.announced_date, e.announced_date)) as announced_days_apart,
        c.is_aggregate as curated_is_aggregate,
        c.contract_kind as curated_contract_kind,
        case
            when e.mw_basis = 'gross' and c.gross_mw is not null then c.gross_mw
            else coalesce(c.critical_it_mw, c.gross_mw)
        end as curated_mw,
        e.mw as extracted_mw,
        case
            when e.mw_basis = 'gross' and c.gross_mw is not null then 'gross'
            when c.critical_it_mw is not null then 'critical_it'
            when c.gross_mw is not null then 'gross'
        end as curated_mw_basis,
        e.mw_basis as extracted_mw_basis,
        c.term_years as curated_term_years,
        e.term_years as extracted_term_years,
        c.contract_value_usd as curated_contract_value_usd,
        e.contract_value_usd as extracted_contract_value_usd,
        c.annual_value_usd as curated_annual_value_usd,
        e.annual_value_usd as extracted_annual_value_usd,
        e.usd_per_mw_year as extracted_usd_per_mw_year,
        c.source_urls as curated_sources,
        e.sources as extracted_sources
    from sides as s
    left join curated_keyed as c on s.contract_id = c.contract_id
    left join extracted_keyed as e on s.event_id = e.event_id
),

with_rates as (
    select
        *,
        curated_annual_value_usd / nullif(curated_mw, 0) as curated_usd_per_mw_year
    from side_by_side
),

flags as (
    select
        *,
        coalesce(
            abs(curated_mw - extracted_mw)
            > {{ pct }} / 100.0 * greatest(curated_mw, extracted_mw),
            false
        ) as mw_disagrees,
        coalesce(
            abs(curated_term_years - extracted_term_years)
            > {{ pct }} / 100.0 * greatest(curated_term_years, extracted_term_years),
            false
        ) as term_years_disagrees,
        coalesce(
            abs(curated_contract_value_usd - extracted_contract_value_usd)
            > {{ pct }} / 100.0
            * greatest(curated_contract_value_usd, extracted_contract_value_usd),
            false
        ) as contract_value_usd_disagrees,
        coalesce(
            abs(curated_annual_value_usd - extracted_annual_value_usd)
            > {{ pct }} / 100.0 * greatest(curated_annual_value_usd, extracted_annual_value_usd),
            false
        ) as annual_value_usd_disagrees,
        coalesce(
            abs(curated_usd_per_mw_year - extracted_usd_per_mw_year)
            > {{ pct }} / 100.0 * greatest(curated_usd_per_mw_year, extracted_usd_per_mw_year),
            false
        ) as usd_per_mw_year_disagrees,
        coalesce(curated_mw_basis != extracted_mw_basis, false) as mw_basis_disagrees,
        coalesce(curated_status_key != extracted_status_key, false) as status_disagrees
    from with_rates
)

select
    md5(
        concat_ws('|', coalesce(curated_contract_id, '-'), coalesce(extracted_event_id, '-'))
    ) as pair_id,
    match_status,
    ticker,
    counterparty_key,
    curated_contract_id,
    extracted_event_id,
    curated_counterparty,
    extracted_counterparty,
    curated_status,
    extracted_status,
    curated_announced_date,
    extracted_announced_date,
    announced_days_apart,
    curated_is_aggregate,
    curated_contract_kind,
    curated_mw,
    extracted_mw,
    curated_mw_basis,
    extracted_mw_basis,
    curated_term_years,
    extracted_term_years,
    curated_contract_value_usd,
    extracted_contract_value_usd,
    curated_annual_value_usd,
    extracted_annual_value_usd,
    curated_usd_per_mw_year,
    extracted_usd_per_mw_year,
    mw_disagrees,
    mw_basis_disagrees,
    term_years_disagrees,
    contract_value_usd_disagrees,
    annual_value_usd_disagrees,
    usd_per_mw_year_disagrees,
    status_disagrees,
    mw_disagrees or mw_basis_disagrees or term_years_disagrees or contract_value_usd_disagrees
    or annual_value_usd_disagrees or usd_per_mw_year_disagrees
    or status_disagrees as has_disagreement,
    list_filter(
        [
            case when mw_disagrees then 'mw' end,
            case when mw_basis_disagrees then 'mw_basis' end,
            case when term_years_disagrees then 'term_years' end,
            case when contract_value_usd_disagrees then 'contract_value_usd' end,
            case when annual_value_usd_disagrees then 'annual_value_usd' end,
            case when usd_per_mw_year_disagrees then 'usd_per_mw_year' end,
            case when status_disagrees then 'status' end
        ],
        lambda f: f is not null
    ) as disagreeing_fields,
    curated_sources,
    extracted_sources
from flags
