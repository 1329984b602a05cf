"""Harm-weight profiles exactly as DESIGN §4, and user tables."""

from pathlib import Path

import pytest

from siting.model.harm import (
    CCHI,
    HIGH_HARM,
    POLICE_UK_CATEGORIES,
    HarmProfile,
    HarmProfileError,
    get_profile,
    profile_from_csv,
)
from siting.model.run import ModelParams


def test_high_harm_weighs_the_four_high_harm_categories_once() -> None:
    ones = {c for c in POLICE_UK_CATEGORIES if HIGH_HARM.weight(c) == 1}
    assert ones == {"Violence and sexual offences", "Burglary", "Robbery", "Possession of weapons"}
    assert all(HIGH_HARM.weight(c) == 0 for c in set(POLICE_UK_CATEGORIES) - ones)
    assert all(HIGH_HARM.knows(c) for c in POLICE_UK_CATEGORIES)
    assert HIGH_HARM.counts_crimes and get_profile("high-harm") is HIGH_HARM


def test_cchi_days_as_listed() -> None:
    expected = {"Violence and sexual offences": 200, "Robbery": 365, "Possession of weapons": 274, "Burglary": 230,
                "Criminal damage and arson": 10, "Other crime": 10, "Public order": 7.5, "Vehicle crime": 5,
                "Drugs": 4, "Theft from the person": 2, "Other theft": 2, "Bicycle theft": 2, "Shoplifting": 1,
                "Anti-social behaviour": 0}
    assert {c: CCHI.weight(c) for c in POLICE_UK_CATEGORIES} == expected
    assert not CCHI.counts_crimes and get_profile("CCHI") is CCHI


def test_categories_match_case_insensitively_and_unknown_ones_weigh_zero_but_are_reported() -> None:
    assert HIGH_HARM.weight("  violence AND sexual   offences ") == 1
    assert HIGH_HARM.weight("Violence with injury") == 0
    assert HIGH_HARM.unknown(["Burglary", "Violence with injury", "Rape", "Rape"]) == ["Rape", "Violence with injury"]
    assert HIGH_HARM.weights_for(["Burglary", "Drugs", "GBH"]).tolist() == [1, 0, 0]


def test_a_user_table_with_finer_force_categories(tmp_path: Path) -> None:
    text = "category,weight\nViolence with injury,1\nRape,1\nGBH,1\nCommon assault,0.5\n\n# a comment\nDrugs,\n"
    with pytest.raises(HarmProfileError, match="line 8: expected"):
        profile_from_csv(text)
    path = tmp_path / "force-weights.csv"
    path.write_text(text.replace("Drugs,\n", "Drugs,0\n"))
    profile = profile_from_csv(path)
    assert profile.name == "force-weights"
    assert profile.weight("violence with injury") == 1 and profile.weight("RAPE") == 1
    assert profile.weight("Common assault") == 0.5 and profile.knows("Drugs") and not profile.counts_crimes
    assert profile.unknown(["Burglary"]) == ["Burglary"]
    assert get_profile({"Rape": 2}).weight("rape") == 2


@pytest.mark.parametrize(("text", "message"), [
    ("Rape,-1\n", "≥ 0"),
    ("Rape,inf\n", "≥ 0"),
    ("Rape,1\nrape,2\n", "twice"),
    ("category,weight\nRape,lots\n", "line 2: weight 'lots' is not a number"),
    ("category,weight\n", "no rows"),
])
def test_bad_user_tables_are_refused(text: str, message: str) -> None:
    with pytest.raises(HarmProfileError, match=message):
        profile_from_csv(text)


def test_profiles_round_trip_for_saving() -> None:
    for profile in (HIGH_HARM, CCHI, HarmProfile("mine", {"Rape": 3}, label="points")):
        assert HarmProfile.from_dict(profile.to_dict()) == profile
        assert hash(HarmProfile.from_dict(profile.to_dict())) == hash(profile)
    assert len({ModelParams(), ModelParams(profile="high-harm"), ModelParams(profile="cchi")}) == 2
    with pytest.raises(HarmProfileError, match="unknown harm profile"):
        get_profile("severity")
