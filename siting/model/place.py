"""Where a site is, in words a planner recognises: its street and its LSOA, and the one way every output names it.

police.uk publishes each crime at an anonymous snap point labelled "On or near High Street". A site's **street**
is taken from the labels of the crimes within its radius: the label holding most of them, and the second one too
when it holds at least `SECOND_STREET_SHARE` as many (a site at a junction: "High Street / Castle Street"). Some
labels are not streets but police.uk's generic places ("On or near Supermarket"); they are listed once, here, in
`NOT_STREETS`, and never name a street. A site whose crimes carry only such labels is "near Supermarket" (the one
holding most). Ties go to the label first in alphabetical order, so a site is always named the same way.

A site's **ward and town** come from the council's own data where it has them (`siting.store.localities`: the
camera register's towns and wards, and whether it lies in the council's area), as its `locality`.

A site's **LSOA** is the one holding most of its crimes (ties: the lowest code). Its name ("Dacorum 012A") is the
district followed by a number: the district part is the town or district hint a reader wants.

`site_label` is the one function deciding a site's display name and place line; the CLI, the pages and the PDF
all call it (through `SiteResult.label()`), so a site reads the same everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

NO_LOCATION = "No Location"  # police.uk's label for a crime it could not place

# police.uk's generic snap-point labels that name a kind of place, not a street (seen in the Hertfordshire 2025
# files, and the rest of police.uk's fixed list). Compared after "On or near ", ignoring case and spaces.
NOT_STREETS: tuple[str, ...] = (
    "Airport/Airfield",
    "Bus/Coach Station",
    "Conference/Exhibition Centre",
    "Further/Higher Educational Building",
    "Hospital",
    "Nightclub",
    "Park/Open Space",
    "Parking Area",
    "Pedestrian Subway",
    "Petrol Station",
    "Police Station",
    "Prison",
    "Shopping Area",
    "Sports/Recreation Area",
    "Supermarket",
    "Theatre/Concert Hall",
    "Theme/Adventure Park",
)
SECOND_STREET_SHARE = 0.5  # a second street is named when it holds at least half as many crimes as the first

_PREFIX = "on or near "
_NOT_STREET_KEYS = frozenset(" ".join(name.lower().split()) for name in NOT_STREETS)
_LSOA_NUMBER = re.compile(r"\s+\d{3}[A-Z]$")


def place_name(label: str) -> str:
    """"On or near High Street" → "High Street"; "" for no label or police.uk's "No Location"."""
    text = " ".join(label.split())
    if text.lower() == NO_LOCATION.lower():
        return ""
    return text[len(_PREFIX):] if text.lower().startswith(_PREFIX) else text


def is_street(label: str) -> bool:
    """Whether a location label names a street (not a generic place such as "On or near Supermarket")."""
    name = place_name(label)
    return bool(name) and name.lower() not in _NOT_STREET_KEYS


def street_line(counts: Iterable[tuple[str, int | float]]) -> str:
    """A site's street from (location label, crimes) pairs: "High Street", "High Street / Castle Street", or
    "near Supermarket" when no label is a street; "" when there is no label at all."""
    totals: dict[str, float] = {}
    for label, count in counts:
        name = place_name(label)
        if name and count > 0:
            totals[name] = totals.get(name, 0) + count
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    streets = [(name, count) for name, count in ordered if name.lower() not in _NOT_STREET_KEYS]
    if not streets:
        return f"near {ordered[0][0]}" if ordered else ""
    names = [streets[0][0]]
    if len(streets) > 1 and streets[1][1] >= SECOND_STREET_SHARE * streets[0][1]:
        names.append(streets[1][0])
    return " / ".join(names)


def top_lsoa(counts: Iterable[tuple[tuple[str, str], int | float]]) -> tuple[str, str]:
    """The (code, name) of the LSOA holding most crimes, from ((code, name), crimes) pairs; ties: lowest code."""
    best = min(((-count, code, name) for (code, name), count in counts if code and count > 0), default=None)
    return ("", "") if best is None else (best[1], best[2])


def lsoa_district(lsoa_name: str) -> str:
    """"Dacorum 012A" → "Dacorum": the district part of an LSOA name."""
    return _LSOA_NUMBER.sub("", lsoa_name.strip())


@dataclass(frozen=True)
class SiteLabel:
    """How a site is named everywhere: a display name and a place line (street, LSOA) that may be empty."""

    name: str
    place: str

    def __str__(self) -> str:
        return f"{self.name} — {self.place}" if self.place else self.name


def site_label(site_id: str, name: str, street: str, lsoa_code: str, lsoa_name: str, locality: str = "") -> SiteLabel:
    """The display name (the site's own name, else its street, else its id) and the place line
    ("High Street / Castle Street, Chaulden ward, Hemel Hempstead, LSOA Dacorum 012A (E01023456)"), leaving out
    whatever the name already says. `locality` is the ward and town (`siting.store.localities`), "" when unknown."""
    display = name or street or site_id
    parts = []
    if street and not display.lower().startswith(street.lower()):
        parts.append(street)
    if locality:
        parts.append(locality)
    if lsoa_code:
        parts.append(f"LSOA {lsoa_name} ({lsoa_code})" if lsoa_name else f"LSOA {lsoa_code}")
    return SiteLabel(display, ", ".join(parts))
