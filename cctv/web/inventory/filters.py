"""Reading the camera list's filters from a query string (shared by the list, map, exports and API)."""

from collections.abc import Mapping

from flask import current_app

from cctv.web.inputs import int_or_none
from inventory.cameras import CameraFilter
from inventory.lifecycle import configured_life_years
from inventory.types import CameraKind, CameraStatus


def _enum_or_none(enum: type, value: str | None):
    try:
        return enum(value) if value else None
    except ValueError:
        return None


MAX_AGE_YEARS = 200  # "older than N years" past this is no camera, and N years before today must be a real date


def parse_filter(args: Mapping[str, str]) -> CameraFilter:
    """Filters from ?service_area=&kind=&status=&town=&q=&min_age=&eol=; unknown values mean 'any'."""
    eol = args.get("eol")
    return CameraFilter(
        service_area_id=int_or_none(args.get("service_area")),
        kind=_enum_or_none(CameraKind, args.get("kind")),
        status=_enum_or_none(CameraStatus, args.get("status")),
        town=args.get("town") or None,
        q=(args.get("q") or "").strip() or None,
        min_age_years=int_or_none(args.get("min_age"), 0, MAX_AGE_YEARS),
        end_of_life={"yes": True, "no": False}.get(eol or ""),
    )


def filter_args(filt: CameraFilter) -> dict[str, str]:
    """The query string that gives this filter back (for pager, map and export links)."""
    args = {
        "service_area": filt.service_area_id, "kind": filt.kind, "status": filt.status, "town": filt.town,
        "q": filt.q, "min_age": filt.min_age_years,
        "eol": {True: "yes", False: "no"}.get(filt.end_of_life) if filt.end_of_life is not None else None,
    }
    return {k: str(v) for k, v in args.items() if v not in (None, "")}



def life_years() -> dict[CameraKind, int]:
    """The expected life of each kind under the council's settings: what "past end of life" means."""
    return configured_life_years(current_app.config)

