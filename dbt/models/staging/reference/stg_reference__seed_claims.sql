-- Headline claims of the source article (data/raw/reference/seed_claims.csv): our paraphrase and
-- the article's number; our_metric names how marts.seed_claims computes our figure for it.
select
    claim_id,
    topic,
    claim,
    article_value,
    unit,
    tolerance,
    our_metric,
    our_value,
    our_source_url,
    as_of_date,
    source_url,
    note,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'seed_claims') }}
