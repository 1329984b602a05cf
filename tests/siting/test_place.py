"""Where a site is: its street from police.uk location labels and its LSOA, worked out by hand (issue 14)."""

import numpy as np

from siting.model.best import best_sites
from siting.model.hotspots import harm_surface, labelled_peaks
from siting.model.inputs import CrimeSet, Site
from siting.model.place import NOT_STREETS, is_street, lsoa_district, site_label, street_line
from siting.model.scoring import score_sites
from tests.siting.helpers import SITE_E, SITE_N, VIOLENCE, crimes_at


def labelled(points, labels, lsoas) -> CrimeSet:
    crimes = crimes_at(points)
    return crimes.with_locations(labels).with_lsoas([c for c, _ in lsoas], [n for _, n in lsoas])


A = ("E01017836", "Wycombe 012A")
B = ("E01017840", "Wycombe 014C")


def test_street_line_names_the_one_or_two_streets_holding_most_crimes():
    # High Street 4, Castle Street 2 (half of 4: named), Frogmoor 1 (less than half: not named).
    assert street_line([("On or near High Street", 4), ("On or near Castle Street", 2),
                        ("On or near Frogmoor", 1)]) == "High Street / Castle Street"
    assert street_line([("On or near High Street", 5), ("On or near Castle Street", 2)]) == "High Street"
    # A generic place holds most crimes but is not a street: the street is still named.
    assert street_line([("On or near Supermarket", 9), ("On or near Parking Area", 5),
                        ("On or near Queen Victoria Road", 1)]) == "Queen Victoria Road"
    # Only generic places: the top one, "near".
    assert street_line([("On or near Supermarket", 3), ("On or near Parking Area", 5)]) == "near Parking Area"
    assert street_line([("No Location", 4)]) == "" and street_line([]) == ""
    # Ties go to alphabetical order, so the name never changes between runs.
    tied = [("On or near Oxford Road", 2), ("On or near Easton Street", 2)]
    assert street_line(tied) == "Easton Street / Oxford Road"


def test_the_non_street_labels_are_listed_once():
    for name in ("Supermarket", "Parking Area", "Petrol Station", "Nightclub", "Hospital", "Police Station"):
        assert name in NOT_STREETS and not is_street(f"On or near {name}")
    assert is_street("On or near Police Station Lane") and is_street("On or near Hospital Road")
    assert lsoa_district("Dacorum 012A") == "Dacorum" and lsoa_district("Welwyn Hatfield 001B") == "Welwyn Hatfield"


def test_site_label_is_name_and_place_without_repeating_the_name():
    assert str(site_label("7", "Frogmoor", "High Street", *A)) == \
        "Frogmoor — High Street, LSOA Wycombe 012A (E01017836)"
    assert site_label("H1", "High Street", "High Street", *A).place == "LSOA Wycombe 012A (E01017836)"
    assert site_label("H1", "", "", "", "").name == "H1" and site_label("H1", "", "", "", "").place == ""


def test_a_scored_site_carries_its_street_and_lsoa():
    # Within 100 m of the site: 3 on High Street (LSOA A), 2 on Castle Street (B), 1 at the supermarket (B);
    # 300 m away: 5 on Oxford Road (A), outside the radius, so it names nothing.
    near = [(SITE_E + 10, SITE_N)] * 3 + [(SITE_E, SITE_N + 20)] * 2 + [(SITE_E - 30, SITE_N)]
    far = [(SITE_E + 300, SITE_N)] * 5
    crimes = labelled(near + far, ["On or near High Street"] * 3 + ["On or near Castle Street"] * 2
                      + ["On or near Supermarket"] + ["On or near Oxford Road"] * 5, [A] * 3 + [B] * 3 + [A] * 5)
    run = score_sites(crimes, [Site.at("7", SITE_E, SITE_N, name="Town centre")])
    result = run.result("7")
    # Streets: High Street 3, Castle Street 2 ≥ 3 / 2: both. LSOA: A 3 vs B 3 → tie, the lower code (A).
    assert result.street == "High Street / Castle Street"
    assert (result.lsoa_code, result.lsoa_name) == A
    assert str(result.label()) == "Town centre — High Street / Castle Street, LSOA Wycombe 012A (E01017836)"
    assert result.to_dict()["street"] == "High Street / Castle Street"


def test_a_site_with_only_generic_labels_is_near_the_top_one():
    crimes = labelled([(SITE_E, SITE_N)] * 2 + [(SITE_E + 5, SITE_N)] * 3,
                      ["On or near Supermarket"] * 2 + ["On or near Petrol Station"] * 3, [B] * 5)
    result = score_sites(crimes, [Site.at("1", SITE_E, SITE_N)]).result("1")
    assert result.street == "near Petrol Station" and result.lsoa_code == B[0]
    assert result.label().name == "near Petrol Station"


def test_crimes_without_labels_leave_the_place_empty():
    result = score_sites(crimes_at([(SITE_E, SITE_N)]), [Site.at("1", SITE_E, SITE_N, name="Frogmoor")]).result("1")
    assert (result.street, result.lsoa_code) == ("", "") and str(result.label()) == "Frogmoor"


def test_hotspot_peaks_are_named_by_their_street_and_keep_their_ids():
    def peak_names(second_lsoa):
        crimes = labelled([(SITE_E, SITE_N)] * 6 + [(SITE_E + 2000, SITE_N)] * 3,
                          ["On or near High Street"] * 9, [A] * 6 + [second_lsoa] * 3)
        return labelled_peaks(crimes, harm_surface(crimes).peaks(2))

    # Two peaks on a "High Street" in two districts: told apart by the district of their LSOA.
    named = peak_names(("E01023456", "Dacorum 012A"))
    assert [s.site_id for s, _ in named] == ["H1", "H2"]
    assert [s.name for s, _ in named] == ["High Street, Wycombe", "High Street, Dacorum"]
    assert named[0][1].place == "LSOA Wycombe 012A (E01017836)"
    # ... in one district: by their ids too.
    assert [s.name for s, _ in peak_names(B)] == ["High Street, Wycombe (H1)", "High Street, Wycombe (H2)"]
    # A peak with no labelled crime keeps "Hotspot N".
    bare = crimes_at([(SITE_E, SITE_N)] * 3)
    assert [s.name for s, _ in labelled_peaks(bare, harm_surface(bare).peaks(1))] == ["Hotspot 1"]


def test_best_names_its_choice():
    crimes = labelled([(SITE_E, SITE_N)] * 3, ["On or near Castle Street"] * 3, [A] * 3)
    choice = best_sites(crimes, [Site.at("12", SITE_E, SITE_N), Site.at("13", SITE_E + 900, SITE_N)], k=1)
    assert choice.greedy.site_ids == ("12",)
    assert str(choice.label("12")) == "Castle Street — LSOA Wycombe 012A (E01017836)"
    assert "greedy choice: Castle Street)" in choice.explanation()


def test_lsoas_survive_subset_and_concat():
    crimes = labelled([(SITE_E, SITE_N), (SITE_E + 1, SITE_N)], ["On or near A", "On or near B"], [A, B])
    assert crimes.subset(np.array([False, True])).lsoa_pairs() == [B]
    joined = crimes.concat(crimes_at([(SITE_E, SITE_N)], category=VIOLENCE))
    assert joined.lsoa_pairs() == [A, B, ("", "")]


def test_the_pdf_names_each_site_by_its_street_and_lsoa(tmp_path):
    from datetime import datetime

    from siting.report.pdf import site_report_pdf
    from tests.pdf import pdf_text

    crimes = labelled([(SITE_E + 10, SITE_N)] * 3 + [(SITE_E + 1000, SITE_N)] * 2,
                      ["On or near Castle Street"] * 3 + ["On or near Supermarket"] * 2, [A] * 3 + [B] * 2)
    sites = [Site.at("41", SITE_E, SITE_N, name="Castle Street"), Site.at("42", SITE_E + 1000, SITE_N)]
    run = score_sites(crimes, sites)
    pdf = site_report_pdf(run, crimes=crimes, cameras_bng=None, sites=sites, title="Bid", top_n=2,
                          generated_at=datetime(2026, 1, 15, 10, 30))
    text = " ".join(pdf_text(pdf, tmp_path).split())
    # Each site's heading is its name, and its place follows; never a database id.
    assert "Rank 1: Castle Street LSOA Wycombe 012A (E01017836). Marginal harm 3" in text
    assert "Rank 2: near Supermarket LSOA Wycombe 014C (E01017840). Marginal harm 2" in text
    assert "(site 41)" not in text and "(site 42)" not in text
    # The ranking table carries the place under each name.
    assert "LSOA Wycombe 014C" in text.split("Rank 1:")[0]
