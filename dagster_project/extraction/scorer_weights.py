"""Weights of the learned fact scorer (written by ``python -m
dagster_project.extraction.fit_scorer --write``; do not edit by hand).

Fitted on dev_fit: 62 documents, 198 candidates (16 wrong);
lambda 0.3, threshold by 5-fold CV over documents (seed 20261130): CV F1 0.8856.
"""

WEIGHTS: dict[str, float] = {
    "type_hpc_contract": -0.448041,
    "type_financing": -0.320333,
    "type_acquisition": -0.536252,
    "type_gpu_purchase": 2.197165,
    "type_capex_per_mw": 3.916604,
    "type_power_capacity": 1.444965,
    "numbers": 0.198537,
    "counterparty": 1.161394,
    "status": 0.114925,
    "option": -0.817813,
    "total": 4.435312,
    "company_inferred": -2.534138,
    "company_none": 0.0,
    "headline": -0.521226,
    "sentence_log": -0.543091,
    "merges_log": 0.363271,
    "carried": 2.959017,
    "side_type": 2.836595,
    "miners_in_sentence": -0.580169,
    "same_type_log": 1.018176,
    "doc_facts_log": -0.166553,
    "release": 1.367845,
    "rule_confidence": -3.332202,
}
BIAS = 5.080603
THRESHOLD = 0.0
