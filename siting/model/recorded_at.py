"""Places where crimes are recorded rather than committed: police.uk location labels a camera cannot help with.

police.uk publishes each crime at an anonymous snap point with a label ("On or near High Street"). A few labels
name a building where crimes are *recorded*: a hospital, where assaults are reported as victims are treated; a
police station or custody suite, where offences come to light as suspects are booked in; a prison. Such a snap
point can hold nearly all of a site's harm (on the Hertfordshire 2025 files: 561 crimes "On or near Hospital",
556 "On or near Police Station", 138 "On or near Prison"), and a public-space camera there would watch a car
park, not the street where the crime happened. The model flags a site whose harm is mostly (by default half or
more, `ModelParams.recorded_at_share`) at such labels, and keeps it out of the recommendations unless asked.

The labels are matched exactly (ignoring case and spaces), because police.uk's generic labels are fixed
strings while street names merely contain the words: Hertfordshire has "On or near Crown Court", "On or near
Roman Court" and 300 more residential courts, and "On or near Police Station Lane" and "On or near Hospital
Road", all streets a camera could watch. No court, magistrates' or custody label is among police.uk's generic
ones in these files, so none is listed: add one here when a force's files show it.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

RECORDED_AT_LABELS: tuple[str, ...] = (
    "On or near Hospital",
    "On or near Police Station",
    "On or near Prison",
)

_KEYS = frozenset(" ".join(label.lower().split()) for label in RECORDED_AT_LABELS)
_LAST_WORDS = sorted({key.split()[-1] for key in _KEYS})  # "hospital", "prison", "station"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def is_recorded_at(label: str) -> bool:
    """Whether a police.uk location label marks a place where crimes are recorded rather than committed."""
    return " ".join(label.lower().split()) in _KEYS


def recorded_at_codes(locations: Sequence[str]) -> NDArray[np.bool_]:
    """For each distinct label (a `CrimeSet.locations` entry), whether it is a recorded-at place."""
    codes = np.zeros(len(locations), dtype=bool)
    # A county holds thousands of labels: a search of them all at once for each key's last word (in ASCII lower
    # case, which keeps every character's position) finds the few that could match, and only those are tested.
    text = "\n".join(locations).translate(_ASCII_LOWER)
    ends = np.cumsum(np.fromiter(map(len, locations), dtype=np.int64, count=len(locations)) + 1)
    found = []
    for word in _LAST_WORDS:
        at = text.find(word)
        while at >= 0:
            found.append(at)
            at = text.find(word, at + 1)
    for i in set(np.searchsorted(ends, found, side="right").tolist()):
        codes[i] = is_recorded_at(locations[i])
    return codes


def short_name(label: str) -> str:
    """"On or near Hospital" → "Hospital": the place, for sentences."""
    return label[len("On or near "):] if label.lower().startswith("on or near ") else label
