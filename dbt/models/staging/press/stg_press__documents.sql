select
    doc_id,
    doc_date,
    source,
    accession_number,
    content_type,
    language,
    origin,
    octet_length(content) as content_bytes
from {{ source('raw_press', 'press_documents') }}
