-- Named, cited economic assumptions with low/base/high (data/raw/reference/assumptions.csv).
select
    name as assumption_name,
    unit,
    low as low_value,
    base as base_value,
    high as high_value,
    description,
    source_url,
    as_of_date,
    note,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'assumptions') }}
