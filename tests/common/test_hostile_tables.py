"""Uploaded tables (cameras, sites) that would exhaust the reader are refused with a clear TableError."""

import pytest

from common import tabular
from common.tabular import TableError, json_depth, read_table


def test_deeply_nested_geojson_is_refused_not_a_recursion_error() -> None:
    deep = '{"type": "FeatureCollection", "features": ' + "[" * 100_000 + "]" * 100_000 + "}"
    with pytest.raises(TableError, match="nest deeper"):
        read_table("sites.geojson", deep)


def test_json_depth_skips_brackets_in_strings() -> None:
    assert json_depth('{"a": "[[[[{{{{\\"]]"}') == 1
    assert json_depth('{"a": [[1], {"b": []}]}') == 4


def test_a_csv_past_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 3)
    with pytest.raises(TableError, match="more than 3 rows"):
        read_table("cameras.csv", "asset_id\n1\n2\n3\n4\n")
    assert len(read_table("cameras.csv", "asset_id\n1\n2\n3\n").rows) == 3


def test_a_geojson_past_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tabular, "MAX_ROWS", 1)
    feature = '{"type": "Feature", "properties": {}, "geometry": null}'
    with pytest.raises(TableError, match="more than 1 features"):
        read_table("x.geojson", '{"type": "FeatureCollection", "features": [' + feature + ", " + feature + "]}")
