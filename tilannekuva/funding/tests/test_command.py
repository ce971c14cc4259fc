"""`tilannekuva funding parameters`: every level and year with its indicators, base price and unverified items."""

from io import StringIO

from django.core.management import call_command


def test_parameters_lists_the_21_indicators_the_base_prices_and_the_unverified_items():
    out = StringIO()
    call_command("funding", "parameters", stdout=out)
    text = out.getvalue()
    for year, price, cite in (
        (2023, "18.89", "VNA 1393/2022 1 §"),
        (2024, "19.31", "VNA 1243/2023 1 §"),
        (2025, "19.97", "VNA 870/2024 1 §"),
    ):
        block = text.split(f"hyte-municipalities-{year}.yaml:", 1)[1].split("yaml:", 1)[0]
        assert f"21 indicators (15 process, 6 outcome), base price {price} €/asukas ({cite})" in block
        assert block.count(" process 0.0333 ") == 15 and block.count(" outcome 0.0833 ") == 6
        assert "Koulussa pitkät liikuntavälitunnit" in block and "Sotkanet 3219" in block
        assert "13 items unverified" in block and "Sotkanet id not verified" not in block
        assert "6 × O1a, O1b, O2, O3, O4, O5: direction inferred" in block
    county = text.split("hyte-counties-2026.yaml:", 1)[1].split("yaml:", 1)[0]
    assert "11 indicators (6 process, 5 outcome), base price unknown" in county
    assert "VM/2025/131" in county
