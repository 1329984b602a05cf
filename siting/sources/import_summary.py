"""What an import did, in figures and plain sentences: for the CLI's closing summary and the upload page.

The importer decides, per row, whether it lies outside the area and whether the database already holds it (by
`dedup_key`); this class only counts, so it needs no database and is easy to test.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from siting.model.inputs import month_date, month_index, month_label
from siting.sources.police import CrimeRecord, PoliceFileError


@dataclass
class ImportSummary:
    """Running counts of an import. Rows outside the area or already stored are counted but not added."""

    files: list[str] = field(default_factory=list)
    rows: int = 0  # rows read (good ones; problems are listed separately)
    added: int = 0
    duplicates: int = 0
    outside_area: int = 0
    unplaced: int = 0  # rows without a location, not stored because the import had an area (it cannot place them)
    without_location: int = 0  # of the rows added
    by_month_category: Counter[tuple[date, str]] = field(default_factory=Counter)  # rows added
    problems: list[PoliceFileError] = field(default_factory=list)
    # Months already holding data elsewhere (the database, after an import): not missing, though this import
    # added nothing for them.
    present_months: set[date] = field(default_factory=set)

    def add(self, record: CrimeRecord, *, outside: bool = False, duplicate: bool = False) -> None:
        """Count one record; `outside` (of the area) wins over `duplicate` since such rows are never stored."""
        self.rows += 1
        if outside:
            self.outside_area += 1
        elif duplicate:
            self.duplicates += 1
        else:
            self.added += 1
            self.without_location += record.longitude is None
            self.by_month_category[(record.month, record.category)] += 1

    def by_month(self) -> dict[date, int]:
        """Rows added per month, in month order."""
        totals: Counter[date] = Counter()
        for (month, _), count in self.by_month_category.items():
            totals[month] += count
        return dict(sorted(totals.items()))

    def by_category(self) -> dict[str, int]:
        """Rows added per category, most first."""
        totals: Counter[str] = Counter()
        for (_, category), count in self.by_month_category.items():
            totals[category] += count
        return dict(totals.most_common())

    def missing_months(self, first: date | None = None, last: date | None = None,
                       present: set[date] | None = None) -> list[date]:
        """Months between `first` and `last` (default: the first and last month seen in this import, `present` or
        `present_months`) with no rows in any of them (`present`: e.g. the months already in the database)."""
        seen = set(self.by_month()) | (present or set()) | self.present_months
        if not seen and (first is None or last is None):
            return []
        start = month_index(first or min(seen))
        end = month_index(last or max(seen))
        return [month_date(m) for m in range(start, end + 1) if month_date(m) not in seen]

    def lines(self, window: tuple[date, date] | None = None) -> list[str]:
        """The summary as short sentences, e.g. for the end of `cctv crimes import`."""
        out = [f"{self.rows:,} rows read from {len(self.files)} file{'s' if len(self.files) != 1 else ''}: "
               f"{self.added:,} added, {self.duplicates:,} already imported (skipped), "
               f"{self.outside_area:,} outside the area"
               + (f", {self.unplaced:,} without a location (not stored: the area cannot place them)."
                  if self.unplaced else ".")]
        if self.added:
            share = self.without_location / self.added
            out.append(f"{self.without_location:,} added rows ({share:.1%}) have no location and cannot be mapped.")
            months = self.by_month()
            out.append("Per month: " + ", ".join(f"{month_label(m)} {n:,}" for m, n in months.items()) + ".")
            out.append("Per category: " + ", ".join(f"{c} {n:,}" for c, n in self.by_category().items()) + ".")
        missing = self.missing_months(*(window or (None, None)))
        if missing:
            out.append("Months with no data: " + ", ".join(month_label(m) for m in missing) + ".")
        if self.problems:
            out.append(f"{len(self.problems)} malformed row{'s' if len(self.problems) != 1 else ''} skipped, first: "
                       f"{self.problems[0]}")
        return out
