"""The camera CSV export never writes a cell a spreadsheet would run as a formula (common.csv_cells)."""

import csv
import io

from inventory.exporting import EXPORT_COLUMNS, to_csv
from inventory.models import Camera
from inventory.types import CameraKind


def test_the_camera_export_quotes_formulas() -> None:
    camera = Camera(asset_id="CS-9", name="=HYPERLINK(\"http://evil\",\"x\")", kind=CameraKind.PUBLIC_SPACE_FIXED,
                    service_area_id=1, town="@SUM(1+1)", notes="-2+3", longitude=-0.7493, latitude=51.6295)
    [row] = list(csv.DictReader(io.StringIO(to_csv([camera]))))
    assert row["name"] == "'=HYPERLINK(\"http://evil\",\"x\")"
    assert row["town"] == "'@SUM(1+1)"
    assert row["notes"] == "'-2+3"
    assert row["longitude"] == "-0.7493"  # a real negative number stays a number
    assert list(row) == list(EXPORT_COLUMNS)
