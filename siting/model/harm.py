"""Harm-weight profiles: how much each crime category counts in the siting model (DESIGN §4).

`high-harm` (the default) counts each high-harm crime once; `cchi` weighs by Cambridge Crime Harm Index days; a
planner may supply a table of their own, including a force's finer categories ("Violence with injury", "Rape" …).
Categories match case-insensitively and ignoring extra spaces. A category the profile does not know weighs 0 and is
reported (`unknown`), so a typo in a table or a new police.uk category cannot pass silently.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import numpy as np
from numpy.typing import NDArray

# The 14 categories police.uk publishes in street-level files.
POLICE_UK_CATEGORIES: tuple[str, ...] = (
    "Anti-social behaviour",
    "Bicycle theft",
    "Burglary",
    "Criminal damage and arson",
    "Drugs",
    "Other crime",
    "Other theft",
    "Possession of weapons",
    "Public order",
    "Robbery",
    "Shoplifting",
    "Theft from the person",
    "Vehicle crime",
    "Violence and sexual offences",
)
HIGH_HARM_CATEGORIES: tuple[str, ...] = (
    "Violence and sexual offences",
    "Burglary",
    "Robbery",
    "Possession of weapons",
)
CCHI_DAYS: dict[str, float] = {
    "Violence and sexual offences": 200,
    "Robbery": 365,
    "Possession of weapons": 274,
    "Burglary": 230,
    "Criminal damage and arson": 10,
    "Other crime": 10,
    "Public order": 7.5,
    "Vehicle crime": 5,
    "Drugs": 4,
    "Theft from the person": 2,
    "Other theft": 2,
    "Bicycle theft": 2,
    "Shoplifting": 1,
    "Anti-social behaviour": 0,
}


class HarmProfileError(ValueError):
    """A harm table that cannot be used."""


def category_key(category: str) -> str:
    """The form categories are matched in: case-folded, single-spaced."""
    return " ".join(category.split()).casefold()


@dataclass(frozen=True)
class HarmProfile:
    """A named table of category → weight (weights ≥ 0); `label` is the unit used in explanations."""

    name: str
    weights: Mapping[str, float]
    label: str = "harm"
    _by_key: Mapping[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_key: dict[str, float] = {}
        for category, raw in self.weights.items():
            weight = float(raw)
            if not math.isfinite(weight) or weight < 0:
                raise HarmProfileError(f"weight for {category!r} must be a number ≥ 0, not {raw!r}")
            key = category_key(category)
            if key in by_key and by_key[key] != weight:
                raise HarmProfileError(f"category {category!r} is given twice with different weights")
            by_key[key] = weight
        object.__setattr__(self, "weights", MappingProxyType(dict(self.weights)))
        object.__setattr__(self, "_by_key", MappingProxyType(by_key))

    def __hash__(self) -> int:
        # The weights live in a read-only mapping, which is not hashable itself; hash its items.
        return hash((self.name, self.label, tuple(sorted(self._by_key.items()))))

    @property
    def counts_crimes(self) -> bool:
        """True when every weight is 0 or 1, so a score is a number of crimes (explanations say "crimes")."""
        return all(w in (0.0, 1.0) for w in self._by_key.values())

    def knows(self, category: str) -> bool:
        """Whether the category is in the table (even with weight 0)."""
        return category_key(category) in self._by_key

    def weight(self, category: str) -> float:
        """The category's weight; 0 for a category the table does not know (see `unknown`)."""
        return self._by_key.get(category_key(category), 0.0)

    def weights_for(self, categories: Iterable[str]) -> NDArray[np.float64]:
        """Weights for a sequence of categories, as a float array (e.g. one per category code)."""
        return np.array([self.weight(c) for c in categories], dtype=np.float64)

    def unknown(self, categories: Iterable[str]) -> list[str]:
        """The distinct categories the table does not know, sorted, to report beside a result."""
        return sorted({c for c in categories if not self.knows(c)})

    def to_dict(self) -> dict[str, object]:
        """A JSON-ready description, saved with every model run so it can be reproduced."""
        return {"name": self.name, "label": self.label, "weights": dict(self.weights)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> HarmProfile:
        """The inverse of `to_dict`."""
        weights = data.get("weights")
        if not isinstance(weights, Mapping):
            raise HarmProfileError("a saved profile needs a 'weights' table")
        return cls(str(data.get("name", "custom")), dict(weights), str(data.get("label", "harm")))


HIGH_HARM = HarmProfile(
    "high-harm",
    {c: (1.0 if c in HIGH_HARM_CATEGORIES else 0.0) for c in POLICE_UK_CATEGORIES},
    label="high-harm crimes",
)
CCHI = HarmProfile("cchi", dict(CCHI_DAYS), label="crime-harm days (CCHI)")
PROFILES: dict[str, HarmProfile] = {p.name: p for p in (HIGH_HARM, CCHI)}


def get_profile(profile: str | HarmProfile | Mapping[str, float]) -> HarmProfile:
    """A profile by name ("high-harm", "cchi"), a HarmProfile itself, or a plain category → weight dict."""
    if isinstance(profile, HarmProfile):
        return profile
    if isinstance(profile, str):
        try:
            return PROFILES[profile.strip().lower()]
        except KeyError:
            raise HarmProfileError(f"unknown harm profile {profile!r}: use one of {', '.join(PROFILES)}") from None
    return HarmProfile("custom", dict(profile))


def profile_from_csv(source: str | Path, *, name: str | None = None) -> HarmProfile:
    """A user table from a CSV file path or CSV text: two columns, category then weight; a header row is optional.

    Blank lines and lines starting with "#" are skipped; a missing weight, or one that is not a number ≥ 0, names
    the line. A path is a `Path`, or a string without commas or newlines.
    """
    if isinstance(source, Path) or ("\n" not in source and "," not in source):
        path = Path(source)
        text, name = path.read_text(encoding="utf-8-sig"), name or path.stem
    else:
        text = source.lstrip("\ufeff")
    weights: dict[str, float] = {}
    reader = csv.reader(io.StringIO(text))
    for row in reader:
        line_no = reader.line_num
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].startswith("#"):
            continue
        if len(cells) < 2 or not cells[1]:
            raise HarmProfileError(f"line {line_no}: expected 'category,weight'")
        try:
            weight = float(cells[1])
        except ValueError:
            if line_no == 1:
                continue  # a header such as "category,weight"
            raise HarmProfileError(f"line {line_no}: weight {cells[1]!r} is not a number") from None
        if category_key(cells[0]) in {category_key(k) for k in weights}:
            raise HarmProfileError(f"line {line_no}: category {cells[0]!r} is given twice")
        weights[cells[0]] = weight
    if not weights:
        raise HarmProfileError("the harm table has no rows")
    try:
        return HarmProfile(name or "custom", weights)
    except HarmProfileError as exc:
        raise HarmProfileError(f"harm table: {exc}") from None
