-- Installed hash rate and stated fleet efficiency per miner and date (reference/fleet.csv).
-- J/TH is only ever the figure a source stated; nothing is derived from MW ÷ EH/s here.
select
    ticker,
    as_of_date,
    installed_hashrate_eh,
    fleet_efficiency_j_per_th,
    mining_mw,
    source_url,
    source_date,
    note,
    source_kind,
    accession,
    figure_kind,
    estimate_by,
    source_note
from {{ source('raw_reference', 'fleet') }}
