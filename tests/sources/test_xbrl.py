"""XBRL instance / inline-XBRL parsing and member -> segment mapping (fixtures are synthetic)."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from dagster_project.sources.segment_mapping import (
    DEFAULT_MAPPING_PATH,
    SegmentMappingError,
    load_segment_mapping,
)
from dagster_project.sources.xbrl import (
    XbrlFormatError,
    parse_inline_xbrl,
    parse_xbrl_instance,
    segment_revenue,
)

FIX = Path(__file__).resolve().parents[1] / "fixtures" / "edgar"
REV = "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax"


def _read(name: str) -> bytes:
    return (FIX / name).read_bytes()


def _one(df: pl.DataFrame, **eq: object) -> dict:
    sub = df
    for col, val in eq.items():
        sub = sub.filter(pl.col(col).is_null() if val is None else pl.col(col) == val)
    assert sub.height == 1, f"expected one row for {eq}, got {sub.height}"
    return sub.row(0, named=True)


# ---------------------------------------------------------------------------------- instance


@pytest.fixture(scope="module")
def instance() -> pl.DataFrame:
    return parse_xbrl_instance(_read("core-20250331_htm.xml"), source="core-20250331_htm.xml")


def test_instance_schema_and_types(instance: pl.DataFrame) -> None:
    assert instance.schema["value"] == pl.Float64
    assert instance.schema["period_start"] == pl.Date
    assert instance.schema["dimensions"] == pl.List(
        pl.Struct({"axis": pl.String, "member": pl.String, "typed": pl.Boolean})
    )


def test_instance_duration_instant_and_units(instance: pl.DataFrame) -> None:
    total = _one(instance, fact_id="f-1")
    assert total["concept"] == REV
    assert total["value"] == 80_000_000.0
    assert (total["period_start"], total["period_end"]) == (date(2025, 1, 1), date(2025, 3, 31))
    assert total["unit"] == "iso4217:USD"
    assert total["dimensions"] == [] and total["dimension_key"] == ""
    cash = _one(instance, fact_id="f-20")
    assert cash["is_instant"] and cash["period_start"] is None
    assert cash["period_end"] == date(2025, 3, 31) and cash["value"] == -1_500_000.0
    assert _one(instance, fact_id="f-21")["unit"] == "xbrli:shares"
    assert _one(instance, fact_id="f-22")["unit"] == "USD/shares"
    doc_type = _one(instance, concept="dei:DocumentType")
    assert doc_type["value"] is None and doc_type["value_text"] == "10-Q"
    # a CIK-looking non-numeric fact without decimals is not turned into a number
    assert _one(instance, concept="dei:EntityCentralIndexKey")["value"] is None
    assert _one(instance, fact_id="f-25")["value"] is None  # xsi:nil


def test_instance_members_stripped_and_multi_typed_scenario(instance: pl.DataFrame) -> None:
    hosted = _one(instance, fact_id="f-11")
    assert hosted["dimension_key"] == (
        "srt:ProductOrServiceAxis=core:DigitalAssetHostedMiningServiceMember"
    )
    two = _one(instance, fact_id="f-14")
    assert two["dimension_key"] == (
        "srt:ProductOrServiceAxis=core:DigitalAssetSelfMiningServiceMember;"
        "us-gaap:RelatedPartyTransactionsByRelatedPartyAxis=us-gaap:NonrelatedPartyMember"
    )
    typed = _one(instance, fact_id="f-15")
    assert typed["dimensions"] == [
        {"axis": "core:ContractIdentifierAxis", "member": "K-42", "typed": True}
    ]
    scenario = _one(instance, fact_id="f-16")
    assert scenario["dimensions"][0]["member"] == "core:ColocationServiceMember"


def test_instance_missing_unit_kept_null_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        df = parse_xbrl_instance(_read("core-20250331_htm.xml"), source="inst.xml")
    undefined = _one(df, fact_id="f-23")
    no_ref = _one(df, fact_id="f-24")
    assert undefined["unit"] is None and undefined["value"] == 40_000_000.0
    assert no_ref["unit"] is None and no_ref["value"] == 2_000_000.0
    assert "undefined unit 'usdX'" in caplog.text
    assert "has no unitRef" in caplog.text


def test_instance_default_namespace_and_odd_prefixes() -> None:
    df = parse_xbrl_instance(_read("instance_default_ns.xml"))
    seg = _one(df, context_id="D1")
    # prefixes are canonicalised by namespace URI: gaap -> us-gaap, s -> srt, cur -> iso4217
    assert seg["concept"] == REV
    assert seg["unit"] == "iso4217:USD"
    assert seg["dimension_key"] == "srt:ProductOrServiceAxis=iren:AICloudServicesMember"


def test_instance_refuses_external_entities() -> None:
    with pytest.raises(XbrlFormatError, match="xxe_instance.xml: refused unsafe XML"):
        parse_xbrl_instance(_read("xxe_instance.xml"), source="xxe_instance.xml")


def test_instance_errors_name_the_document() -> None:
    with pytest.raises(XbrlFormatError, match=r"bad\.xml: not well-formed XML"):
        parse_xbrl_instance(b"<xbrli:xbrl", source="bad.xml")
    bad_ctx = _read("instance_default_ns.xml").replace(b'contextRef="D0"', b'contextRef="D9"')
    with pytest.raises(XbrlFormatError, match="undefined context 'D9'"):
        parse_xbrl_instance(bad_ctx, source="x.xml")
    with pytest.raises(XbrlFormatError, match="expected xbrli:xbrl"):
        parse_xbrl_instance(b"<html/>", source="x.xml")


# ---------------------------------------------------------------------------------- inline


@pytest.fixture(scope="module")
def inline() -> pl.DataFrame:
    return parse_inline_xbrl(_read("core-20250331.htm"), source="core-20250331.htm")


def test_inline_scale_sign_and_formats(inline: pl.DataFrame) -> None:
    assert _one(inline, fact_id="f-1")["value"] == 80_000_000.0  # num-dot-decimal x 10^3
    assert _one(inline, fact_id="f-2")["value"] == 55_000_000.0  # old numdotdecimal spelling
    assert _one(inline, fact_id="f-3")["value"] == 12_000_500.0  # num-comma-decimal
    assert _one(inline, fact_id="f-5")["value"] == -1_204_000.0  # sign="-"
    assert _one(inline, fact_id="f-6")["value"] == 0.0  # fixed-zero "—"
    assert _one(inline, fact_id="f-7")["value"] == 3.0  # num-word-en
    assert _one(inline, concept="dei:DocumentType")["value_text"] == "10-Q"  # ix:hidden


def test_inline_unknown_format_is_null_and_warned(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        df = parse_inline_xbrl(_read("core-20250331.htm"), source="core.htm")
    odd = _one(df, fact_id="f-8")
    assert odd["value"] is None and odd["value_text"] == "1~000"
    assert "unsupported ix format 'ixt:num-unknown-format'" in caplog.text


def test_inline_duplicate_display_deduplicated(inline: pl.DataFrame) -> None:
    totals = inline.filter((pl.col("concept") == REV) & (pl.col("dimension_key") == ""))
    assert totals.height == 1


def test_inline_html_fallback_lowercase_attributes() -> None:
    df = parse_inline_xbrl(_read("ixbrl_html_lowercase.htm"), source="lower.htm")
    row = _one(df, concept=REV)
    assert row["value"] == pytest.approx(75_300_000.0)
    assert row["unit"] == "iso4217:USD"
    assert row["context_id"] == "C_1"
    assert row["period_end"] == date(2025, 12, 31)
    assert row["dimension_key"] == "srt:ProductOrServiceAxis=iren:BitcoinMiningRevenueMember"


def test_inline_rejects_document_without_ixbrl() -> None:
    with pytest.raises(XbrlFormatError, match="plain.htm: no inline XBRL"):
        parse_inline_xbrl(b"<html><body><p>hello</p></body></html>", source="plain.htm")


# ---------------------------------------------------------------------------------- mapping


def test_repo_mapping_file_loads_and_maps() -> None:
    mapping = load_segment_mapping()
    assert mapping.version >= 1
    assert (
        mapping.lookup("CORZ", "srt:ProductOrServiceAxis", "core:ColocationServiceMember")
        == "hpc_hosting_colocation"
    )
    assert mapping.lookup("corz", "srt:ProductOrServiceAxis", "core:NotAThing") is None
    # generic row: any prefix, only on the product/service axis
    assert (
        mapping.lookup("WULF", "srt:ProductOrServiceAxis", "wulf:HostingServicesMember")
        == "hosted_mining"
    )
    geo = "srt:StatementGeographicalAxis"
    assert mapping.lookup("WULF", geo, "x:HostingServicesMember") is None
    assert DEFAULT_MAPPING_PATH.name == "segment_member_map.csv"


def test_mapping_versions_and_precedence(tmp_path: Path) -> None:
    path = tmp_path / "map.csv"
    path.write_text(
        "version,ticker,axis,member,canonical_segment,note\n"
        "1,*,*,*:HostingServicesMember,hosted_mining,generic\n"
        "1,ABC,*,abc:CloudMember,ai_cloud_services,seen in x\n"
        "2,ABC,*,abc:CloudMember,hpc_hosting_colocation,reclassified in y\n"
        "2,ABC,*,abc:HostingServicesMember,hpc_hosting_colocation,ticker row beats generic\n"
        "3,ABC,*,abc:CloudMember,,retired\n"
    )
    v1 = load_segment_mapping(path, version=1)
    v2 = load_segment_mapping(path, version=2)
    latest = load_segment_mapping(path)
    assert v1.lookup("ABC", "a:Axis", "abc:CloudMember") == "ai_cloud_services"
    assert v2.lookup("ABC", "a:Axis", "abc:CloudMember") == "hpc_hosting_colocation"
    assert latest.version == 3 and latest.lookup("ABC", "a:Axis", "abc:CloudMember") is None
    assert v2.lookup("ABC", "a:Axis", "abc:HostingServicesMember") == "hpc_hosting_colocation"
    assert v2.lookup("XYZ", "a:Axis", "xyz:HostingServicesMember") == "hosted_mining"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("version,ticker,axis,member,note\n", "missing column"),
        ("version,ticker,axis,member,canonical_segment,note\nx,A,*,a:M,other,n\n", "map.csv:2"),
        (
            "version,ticker,axis,member,canonical_segment,note\n1,A,*,a:M,mining,n\n",
            "field 'canonical_segment' is 'mining'",
        ),
        ("version,ticker,axis,member,canonical_segment,note\n1,A,*,M,other,n\n", "QName"),
        ("version,ticker,axis,member,canonical_segment,note\n1,A,*,a:M,other,\n", "'note'"),
    ],
)
def test_mapping_errors_name_file_row_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "map.csv"
    path.write_text(body)
    with pytest.raises(SegmentMappingError, match=message):
        load_segment_mapping(path)


# ---------------------------------------------------------------------------------- segments


def test_segment_revenue_from_instance_with_unmapped_logged(
    instance: pl.DataFrame, caplog: pytest.LogCaptureFixture
) -> None:
    mapping = load_segment_mapping()
    with caplog.at_level(logging.WARNING):
        seg, unmapped = segment_revenue(instance, mapping, "CORZ", accession="0001839341-25-000010")
    q1 = seg.filter(pl.col("period_end") == date(2025, 3, 31))
    by_segment = dict(zip(q1["segment"], q1["revenue_usd"], strict=True))
    assert by_segment == {
        "total": 80_000_000.0,  # preferred concept over us-gaap:Revenues (82M)
        "bitcoin_mining_self": 55_000_000.0,  # two-member context (50M) ignored
        "hosted_mining": 12_000_000.0,
        "hpc_hosting_colocation": 10_000_000.0,
    }
    assert _one(q1, segment="total")["concept"] == REV
    assert set(seg["source"]) == {"0001839341-25-000010"}
    prior = seg.filter(pl.col("period_end") == date(2024, 3, 31))
    assert dict(zip(prior["segment"], prior["revenue_usd"], strict=True)) == {
        "total": 70_000_000.0,  # only us-gaap:Revenues reported (nil duplicate ignored)
        "hpc_hosting_colocation": 5_000_000.0,  # member in <scenario>
    }
    # unmapped product member reported; geographic member (other axis) and typed are not
    assert unmapped == ["srt:ProductOrServiceAxis=core:NewWidgetServiceMember"]
    assert "core:NewWidgetServiceMember" in caplog.text
    assert seg.schema["revenue_usd"] == pl.Float64 and seg.schema["period_end"] == pl.Date


def test_segment_revenue_from_inline_matches_instance(inline: pl.DataFrame) -> None:
    seg, unmapped = segment_revenue(inline, load_segment_mapping(), "CORZ", accession="a")
    got = dict(zip(seg["segment"], seg["revenue_usd"], strict=True))
    assert got == {
        "total": 80_000_000.0,
        "bitcoin_mining_self": 55_000_000.0,
        "hosted_mining": 12_000_500.0,
        "hpc_hosting_colocation": 10_000_000.0,
    }
    assert unmapped == []


def test_segment_revenue_other_company_members_not_mapped_for_corz() -> None:
    df = parse_xbrl_instance(_read("instance_default_ns.xml"))
    iren, _ = segment_revenue(df, load_segment_mapping(), "IREN")
    assert set(iren["segment"]) == {"total", "ai_cloud_services"}
    corz, unmapped = segment_revenue(df, load_segment_mapping(), "CORZ")
    assert set(corz["segment"]) == {"total"}
    assert unmapped == ["srt:ProductOrServiceAxis=iren:AICloudServicesMember"]
