"""Every table's CSV for 2025Q3 on the known history (tests/outcomes/pack_history.py): header and rows by hand,
numbers as the pack holds them (percentages to one place, rates to four, money to the penny, London times)."""

import csv
import io

import pytest
from sqlmodel import Session

from cctv.outcomes.csvs import TABLES, csv_filename, table_csv, table_rows
from cctv.outcomes.pack import AdvisoryPack
from cctv.outcomes.periods import Filters, parse_period
from cctv.outcomes.summary import advisory_pack
from tests.outcomes.pack_history import NOW, TODAY, build_pack_history

Q3 = parse_period("2025Q3")


@pytest.fixture
def pack(session: Session) -> AdvisoryPack:
    build_pack_history(session)
    return advisory_pack(session, Q3, Filters(), today=TODAY, now=NOW)


def read(name: str, pack: AdvisoryPack) -> list[list[str]]:
    """The CSV read back by a CSV reader: header first."""
    return list(csv.reader(io.StringIO(table_csv(name, pack))))


def test_every_table_is_named_and_read_back_as_written(pack: AdvisoryPack) -> None:
    assert list(TABLES) == [
        "totals", "categories", "towns", "service_areas", "months", "arrests", "cameras", "idle_cameras", "hours",
        "deployments", "investment", "awards", "maintenance_priorities", "maintenance_cameras",
        "compliance_systems", "dpia_gaps", "open_actions"]
    for name in TABLES:
        header, rows = table_rows(name, pack)
        assert read(name, pack) == [header, *rows]
        assert all(len(row) == len(header) for row in rows), name
        assert "AY-COV" not in table_csv(name, pack)  # covert cameras never appear
    assert table_csv("months", pack).endswith("\r\n")
    with pytest.raises(KeyError, match="no table called 'nope'"):
        table_csv("nope", pack)
    assert csv_filename("service_areas", pack) == "advisory-2025Q3-service-areas.csv"


def test_totals_and_breakdowns(pack: AdvisoryPack) -> None:
    assert read("totals", pack) == [
        ["Measure", "Q3 2025", "Q2 2025", "Change", "Change %"],
        ["Incidents", "6", "2", "4", "200.0"],
        ["Arrests", "6", "1", "5", "500.0"],
        ["Incidents with an arrest", "3", "1", "2", "200.0"],
        ["Evidence produced", "4", "0", "4", ""],
        ["Evidence later used (charge, prosecution, caution)", "2", "0", "2", ""],
        ["Incidents inside monitored hours", "4", "1", "3", "300.0"],
        ["Incidents outside monitored hours", "2", "1", "1", "100.0"],
    ]
    assert read("categories", pack) == [["Category", "Incidents", "Arrests"], ["Violence", "3", "3"],
                                        ["Theft", "2", "3"], ["Anti-social behaviour", "1", "0"]]
    assert read("towns", pack) == [["Town", "Incidents", "Arrests"], ["High Wycombe", "4", "6"],
                                   ["Aylesbury", "3", "3"], ["(no camera)", "1", "0"]]
    assert read("service_areas", pack) == [["Service area", "Incidents", "Arrests"],
                                           ["Community Safety", "4", "6"], ["Parking", "2", "1"],
                                           ["(no camera)", "1", "0"]]
    assert read("months", pack) == [["Month", "Incidents", "Arrests"], ["Jul 2025", "4", "3"],
                                    ["Aug 2025", "1", "0"], ["Sep 2025", "1", "3"]]


def test_cameras_idle_cameras_and_the_hours_grid(pack: AdvisoryPack) -> None:
    rows = read("cameras", pack)
    assert rows[0][:7] == ["Asset", "Name", "Kind", "Status", "Town", "Service area", "Incidents"]
    # 3 / 1510 = 0.00199 and 2 / 1510 = 0.00132 per monitored hour.
    assert rows[1] == ["HW-1", "Camera HW-1", "public_space_fixed", "operational", "High Wycombe",
                       "Community Safety", "3", "3", "2", "1", "1510.0", "0.0020", "0.0020", "0.0013"]
    assert [(r[0], r[6], r[7], r[8], r[9]) for r in rows[1:]] == [
        ("HW-1", "3", "3", "2", "1"), ("AY-P1", "2", "1", "2", "1"), ("HW-2", "1", "3", "0", "0"),
        ("AY-1", "1", "2", "2", "1"), ("AY-2", "0", "0", "0", "0"), ("AY-P2", "0", "0", "0", "0"),
        ("HW-NEW", "0", "0", "0", "0")]
    assert read("idle_cameras", pack) == [
        ["Asset", "Name", "Kind", "Town", "Service area", "Installed", "Last incident"],
        ["AY-2", "Camera AY-2", "public_space_fixed", "Aylesbury", "Community Safety", "2018-04-01", ""]]
    hours = read("hours", pack)
    assert hours[0] == ["Weekday", "Hour", "Monitored", "Incidents", "Arrests"]
    assert len(hours) == 1 + 168 and hours[1] == ["Monday", "00:00", "no", "0", "0"]
    busy = [r for r in hours[1:] if r[3] != "0"]
    assert busy == [["Tuesday", "00:00", "no", "1", "2"], ["Tuesday", "11:00", "yes", "1", "0"],
                    ["Tuesday", "23:00", "no", "1", "3"], ["Friday", "23:00", "yes", "1", "0"],
                    ["Saturday", "02:00", "yes", "1", "1"], ["Sunday", "15:00", "yes", "1", "0"]]


def test_deployments_and_investment(pack: AdvisoryPack) -> None:
    deployments = read("deployments", pack)
    assert deployments[0][:8] == ["Asset", "Camera", "Location", "Town", "From", "To", "Reason",
                                  "Incidents before"]
    # Moved at 12:00Z on 1 August: 13:00 in London. Still there, so no "after".
    assert deployments[1:] == [["HW-2", "Camera HW-2", "Frogmoor", "High Wycombe", "2025-08-01 13:00", "current",
                                "Rising ASB", "1", "0", "1", "3", "", "", "", "1", "3", "0", "0"]]
    assert read("investment", pack) == [
        ["Group", "Source", "Awards", "Amount (GBP)"],
        ["Council", "NCIL", "1", "1000.00"],
        ["Council", "Capital programme", "0", "0.00"],
        ["Council", "Council budget", "0", "0.00"],
        ["External", "Section 106", "1", "3000.00"],
        ["External", "External / private", "0", "0.00"],
        ["Council", "Council total", "1", "1000.00"],
        ["External", "External total", "1", "3000.00"],
        ["All", "Total", "2", "4000.00"],
    ]
    assert read("awards", pack)[1:] == [
        ["NCIL-1", "NCIL", "Council", "2025-07-01", "1000.00", "1", "NCIL-1 award"],
        ["S106-1", "Section 106", "External", "2025-09-30", "3000.00", "0", "S106-1 award"]]


def test_maintenance_and_compliance(pack: AdvisoryPack) -> None:
    assert read("maintenance_priorities", pack) == [
        ["Priority", "Faults opened", "Still open", "Due", "Fixed within SLA", "Within SLA %"],
        ["Critical", "0", "0", "0", "0", ""],  # the covert camera's critical fault is left out
        ["High", "1", "0", "1", "1", "100.0"],
        ["Medium", "1", "0", "1", "0", "0.0"],
        ["Low", "0", "0", "0", "0", ""],
        ["All", "2", "0", "2", "1", "50.0"],
    ]
    cameras = read("maintenance_cameras", pack)
    assert cameras[0] == ["Asset", "Name", "Town", "Service area", "Faults", "Downtime hours", "Availability %"]
    assert cameras[1:] == [
        ["AY-1", "Camera AY-1", "Aylesbury", "Community Safety", "0", "0.0", "100.0"],
        ["AY-2", "Camera AY-2", "Aylesbury", "Community Safety", "0", "0.0", "100.0"],
        ["AY-P1", "Camera AY-P1", "Aylesbury", "Parking", "1", "96.0", "95.7"],  # 2112 / 2208
        ["AY-P2", "Camera AY-P2", "Aylesbury", "Parking", "0", "0.0", "100.0"],
        ["HW-1", "Camera HW-1", "High Wycombe", "Community Safety", "1", "10.0", "99.5"],  # 2198 / 2208
        ["HW-2", "Camera HW-2", "High Wycombe", "Community Safety", "0", "0.0", "100.0"],
        ["HW-NEW", "Camera HW-NEW", "High Wycombe", "Community Safety", "0", "0.0", "100.0"],
    ]
    assert read("compliance_systems", pack) == [
        ["System", "Service area", "Cameras", "DPIA version", "Signed off", "Next review due", "Open reviews",
         "State"],
        ["Car parks", "Parking", "2", "", "", "", "1", "No DPIA"],
        ["Town centre", "Community Safety", "3", "1", "2025-01-10", "2026-01-10", "0", "Current"],
    ]
    assert read("dpia_gaps", pack) == [["Asset", "Name", "Town", "System"],
                                       ["AY-2", "Camera AY-2", "Aylesbury", ""],
                                       ["AY-P1", "Camera AY-P1", "Aylesbury", "Car parks"],
                                       ["AY-P2", "Camera AY-P2", "Aylesbury", "Car parks"],
                                       ["HW-NEW", "Camera HW-NEW", "High Wycombe", ""]]
    assert read("open_actions", pack) == [["Principle", "Action", "Owner", "Due", "Overdue"]]
