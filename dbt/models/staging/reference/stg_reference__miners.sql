-- One row per tracked miner; aliases split into a list for matching press text.
select
    ticker,
    name as company_name,
    former_names,
    sec_cik,
    cast(sec_cik as bigint) as cik,
    filer_type,
    fiscal_year_end,
    cast(split_part(fiscal_year_end, '-', 1) as integer) as fiscal_year_end_month,
    exchange,
    hq_country,
    list_filter(
        list_transform(string_split(coalesce(aliases, ''), '|'), lambda a: trim(a)),
        lambda a: a != ''
    ) as aliases,
    cik_source,
    source_url,
    as_of_date,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'miners') }}
