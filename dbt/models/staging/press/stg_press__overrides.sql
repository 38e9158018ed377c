select
    fact_id,
    action,
    field,
    value,
    reason,
    analyst,
    decided_on
from {{ source('raw_press', 'press_overrides') }}
