"""The imports a council has made, and taking one back: its crimes and its record, audited.

A wrong year, another force's file, or crimes imported before the council's area was set: the planner lists the
imports and deletes one, and every crime it added goes with it. The crimes go in one Core DELETE (a year is
hundreds of thousands of rows, too many to audit one by one); the import's record is deleted through the ORM, so
the audit trail keeps what it was (who imported which files when, and how many crimes it added).
"""

from sqlalchemy import delete
from sqlmodel import Session, col, select

from siting.store.columns import refresh_packs
from siting.store.tables import Crime, CrimeImport


def list_imports(session: Session, limit: int = 100) -> list[CrimeImport]:
    """The latest imports first."""
    return list(session.exec(select(CrimeImport).order_by(col(CrimeImport.id).desc()).limit(limit)).all())


def delete_import(session: Session, import_id: int) -> int | None:
    """Delete an import and every crime it added; how many crimes went (None when there is no such import).
    Does not commit."""
    record = session.get(CrimeImport, import_id)
    if record is None:
        return None
    removed = session.connection().execute(delete(Crime).where(col(Crime.import_id) == import_id)).rowcount
    refresh_packs(session.connection())  # the months it touched, packed again for the model (siting.store.columns)
    session.delete(record)
    session.flush()
    return int(removed or 0)
