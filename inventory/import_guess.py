"""Matching a camera list's columns by what they hold, for the fields its header names did not give.

Real lists name columns their own way (`cam_number`, `X`/`Y`, `Lat_WGS84`), so after the names (see
`inventory.importing.TARGETS`) each unmapped column is judged by its words and its values:
- an id: a header that says camera/asset and id/no/number/ref, whatever the order or separators;
- coordinates: numbers within Great Britain's longitudes (-9 to 2.5) and latitudes (49 to 61), with decimals;
- eastings and northings: whole-metre numbers within the National Grid (0-700,000 east, 0-1,300,000 north);
- a status: a column whose few different values are all status words (Live, Dead, Working, Faulty, ...).
Nothing is guessed for a field the user mapped (or unmapped) themselves.
"""

from typing import TYPE_CHECKING

from inventory.types import CameraStatus

if TYPE_CHECKING:
    from inventory.importing import SourceTable

ID_SUBJECTS = {"cam", "camera", "cctv", "asset"}
ID_WORDS = {"id", "no", "num", "number", "ref", "reference", "code"}
STATUS_WORDS = {s.value.replace("_", " ") for s in CameraStatus} | {
    "live", "dead", "working", "not working", "faulty", "broken", "offline", "online", "removed", "active",
    "inactive", "ok", "in service", "out of service", "decommissioned", "planned", "proposed"}
SAMPLE = 500  # rows looked at: enough to judge a column, quick for any list


def _numbers(values: list[str]) -> list[float] | None:
    """Every non-blank value as a number, or None when any is not one (or none is given)."""
    numbers = []
    for value in values:
        try:
            numbers.append(float(value))
        except ValueError:
            return None
    return numbers or None


def guess_by_content(table: "SourceTable", mapping: dict[str, str], *, skip: set[str]) -> dict[str, str]:
    """Fields (not in `mapping` nor `skip`) matched to columns not yet used, by their header words and values."""
    from inventory.importing import header_words

    found: dict[str, str] = {}
    free = [h for h in table.headers if h not in mapping.values()]
    columns = {h: [v.get(h, "").strip() for _, v in table.records[:SAMPLE]] for h in free}
    filled = {h: [v for v in values if v] for h, values in columns.items()}

    def want(target: str) -> bool:
        return target not in mapping and target not in skip and target not in found

    def take(target: str, header: str) -> None:
        found[target] = header
        free.remove(header)

    if want("asset_id"):
        for header in free:
            words = set(header_words(header).split())
            if words & ID_SUBJECTS and words & ID_WORDS:
                take("asset_id", header)
                break
    has_point = not ({"longitude", "latitude", "easting", "northing"} & (set(mapping) | skip))
    if has_point and want("longitude") and want("latitude"):
        lon = next((h for h in free if _within(filled[h], -9, 2.5, decimals=True)), None)
        lat = next((h for h in free if h != lon and _within(filled[h], 49, 61, decimals=True)), None)
        if lon and lat:
            take("longitude", lon)
            take("latitude", lat)
    if has_point and "longitude" not in found and want("easting") and want("northing"):
        grid = [h for h in free if _within(filled[h], 1000, 1_300_000)]
        east = next((h for h in grid if _within(filled[h], 1000, 700_000)), None)
        north = next((h for h in grid if h != east), None)
        if east and north:
            take("easting", east)
            take("northing", north)
    if want("status"):
        for header in free:
            different = {header_words(v) for v in filled[header]}
            if different and len(different) <= 10 and different <= STATUS_WORDS:
                take("status", header)
                break
    return found


def _within(values: list[str], low: float, high: float, *, decimals: bool = False) -> bool:
    """Every value a number in [low, high]; with `decimals`, some with a fractional part (degrees, not counts)."""
    numbers = _numbers(values)
    if numbers is None or not all(low <= n <= high for n in numbers):
        return False
    return not decimals or any(n != int(n) for n in numbers)
