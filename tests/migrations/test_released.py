"""Released migrations are frozen: each one that has landed on main keeps the text it landed with.

A database migrated with a migration's old text stays at that revision with the old schema, so editing a
released migration changes nothing for the databases already migrated and leaves them unlike head (0005 was
edited twice after it landed; 0006 repairs that). cctv/migrations/released.txt holds the SHA-256 of every
released migration file. When a new migration is released (merged to main), add its line there:
`cd cctv/migrations/versions && sha256sum 0007_….py >> ../released.txt`.
"""

import hashlib
from pathlib import Path

from alembic.script import ScriptDirectory

from cctv.migrate import MIGRATIONS, alembic_config

RELEASED = MIGRATIONS / "released.txt"
VERSIONS = MIGRATIONS / "versions"
NEW_MIGRATION = ("is a released migration and must not change: databases migrated with its old text would keep "
                 "the old schema. Restore it (git checkout main -- cctv/migrations/versions/{name}) and write a new "
                 "migration for the change instead")


def released() -> dict[str, str]:
    """The released migration files and the SHA-256 each was released with."""
    hashes = {}
    for line in RELEASED.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            digest, name = line.split(maxsplit=1)
            hashes[name.lstrip("*")] = digest
    return hashes


def sha256(path: Path) -> str:
    """The file's SHA-256, with Windows line endings read as Unix ones (as a checkout with autocrlf gives it)."""
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def revisions_from_base() -> list[str]:
    """The file name of every migration, oldest first."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [Path(script.path).name for script in reversed(list(scripts.walk_revisions()))]


def test_released_migrations_are_unchanged() -> None:
    changed = [name for name, digest in released().items() if (VERSIONS / name).exists()
               and sha256(VERSIONS / name) != digest]
    assert not changed, "\n".join(f"{name} {NEW_MIGRATION.format(name=name)}" for name in changed)


def test_released_migrations_are_all_still_there() -> None:
    gone = [name for name in released() if not (VERSIONS / name).exists()]
    assert not gone, f"released migrations removed or renamed: {gone}; put them back, unchanged"


def test_the_released_migrations_are_the_oldest() -> None:
    """Only the newest migrations may be unreleased: one left off the list below a released one was forgotten."""
    chain = revisions_from_base()
    listed = set(released())
    assert chain[:len(listed)] == [name for name in chain if name in listed], (
        f"released.txt lists {sorted(listed)}, but the oldest migrations are {chain[:len(listed)]}: "
        "add each released migration's line")
