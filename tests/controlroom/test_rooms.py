"""The default control room and the configurable category list."""

import pytest
from sqlmodel import Session, select

from cctv.controlroom.models import ControlRoom, IncidentCategory
from cctv.controlroom.rooms import (
    CategoryError,
    RoomNotFound,
    add_category,
    ensure_defaults,
    get_room,
    list_categories,
    rename_category,
    reorder_categories,
    restore_category,
    retire_category,
    room_by_code,
)
from cctv.controlroom.types import DEFAULT_CATEGORIES


def codes(session: Session, *, active_only: bool = True) -> list[str]:
    return [c.code for c in list_categories(session, active_only=active_only)]


def test_defaults_are_the_wycombe_room_and_the_uk_categories_in_order(session: Session) -> None:
    room = ensure_defaults(session)
    session.commit()
    assert (room.code, room.name) == ("WY", "Wycombe")
    assert room.monitored_hours()[4] == ("08:00", "04:00")  # Friday into Saturday morning
    assert room.monitored_hours()[0] == ("08:00", "23:00")
    categories = list_categories(session)
    assert [(c.code, c.label) for c in categories] == list(DEFAULT_CATEGORIES)
    assert len(categories) == 17
    assert categories[0].label == "Violence" and categories[-1].label == "Other"
    assert room_by_code(session).id == room_by_code(session, "WY").id == get_room(session, room.id).id == room.id


def test_ensure_defaults_is_idempotent_and_leaves_an_administrators_changes(session: Session) -> None:
    ensure_defaults(session)
    rename_category(session, "asb", "ASB")
    retire_category(session, "fire")
    session.delete(session.exec(select(IncidentCategory).where(IncidentCategory.code == "robbery")).one())
    session.commit()
    again = ensure_defaults(session)
    session.commit()
    assert len(session.exec(select(ControlRoom)).all()) == 1 and again.code == "WY"
    everything = {c.code: c for c in list_categories(session, active_only=False)}
    assert len(everything) == 17
    assert everything["asb"].label == "ASB"  # not renamed back
    assert everything["fire"].active is False  # not brought back
    assert codes(session, active_only=False)[-1] == "robbery"  # the missing default comes back, at the end


def test_unknown_rooms_are_reported(session: Session) -> None:
    with pytest.raises(RoomNotFound):
        room_by_code(session)
    with pytest.raises(RoomNotFound):
        get_room(session, 42)


def test_add_rename_retire_restore(session: Session) -> None:
    ensure_defaults(session)
    hate = add_category(session, "  Hate   crime / incident ")
    assert (hate.code, hate.label, hate.active) == ("hate_crime_incident", "Hate crime / incident", True)
    assert codes(session)[-1] == "hate_crime_incident"  # added at the end
    with pytest.raises(CategoryError, match="already a category"):
        add_category(session, "violence", code="violence_2")  # the same label in other letters
    with pytest.raises(CategoryError, match="already used"):
        add_category(session, "Vandalism", code="criminal_damage")
    with pytest.raises(CategoryError, match="name"):
        add_category(session, "   ")
    with pytest.raises(CategoryError, match="already a category"):
        rename_category(session, "hate_crime_incident", "Theft")
    rename_category(session, "hate_crime_incident", "Hate incident")
    assert rename_category(session, "theft", "THEFT").label == "THEFT"  # its own label in other case is fine
    retire_category(session, "hate_crime_incident")
    assert "hate_crime_incident" not in codes(session)
    assert "hate_crime_incident" in codes(session, active_only=False)
    restore_category(session, "hate_crime_incident")
    assert "hate_crime_incident" in codes(session)
    with pytest.raises(CategoryError, match="no category"):
        retire_category(session, "nope")


def test_reorder_puts_the_named_first(session: Session) -> None:
    ensure_defaults(session)
    reorder_categories(session, ["shoplifting", "asb", "shoplifting"])
    session.commit()
    order = codes(session)
    assert order[:4] == ["shoplifting", "asb", "violence", "sexual_offence"]
    assert len(order) == 17
    with pytest.raises(CategoryError, match="Unknown"):
        reorder_categories(session, ["asb", "nope"])
