"""The inventory API's query strings and answers, beside the inventory models it takes as bodies (CameraCreate,
CameraUpdate, FaultCreate) and answers with (CameraRead, FaultRead)."""

from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from cctv.web.api.parsing import LENIENT
from cctv.web.inputs import DB_INT_MAX
from cctv.web.inventory.filters import parse_filter
from inventory.cameras import CameraFilter
from inventory.models import CameraRead, FaultRead
from inventory.types import CameraKind, CameraStatus

# ?page= and ?per_page= as the list pages read them: unreadable is the default, out of range is the nearest bound.
Page = Annotated[int, LENIENT, AfterValidator(lambda page: min(max(page, 1), DB_INT_MAX)),  # OFFSET must fit SQL
                 Field(json_schema_extra={"minimum": 1})]
PerPage = Annotated[int, LENIENT, AfterValidator(lambda n: min(max(n, 1), 1000)),
                    Field(json_schema_extra={"minimum": 1, "maximum": 1000})]


class CameraQuery(BaseModel):
    """The camera list's filters, as the list page reads them: a value that cannot be read means 'any'."""

    service_area: Annotated[int | None, LENIENT] = Field(None, description="A service area's id")
    kind: Annotated[CameraKind | None, LENIENT] = None
    status: Annotated[CameraStatus | None, LENIENT] = None
    town: Annotated[str | None, LENIENT] = None
    q: Annotated[str | None, LENIENT] = Field(None, description="Text in the asset id, name, location or notes")
    min_age: Annotated[int | None, LENIENT] = Field(None, description="Installed at least this many years ago")
    eol: Annotated[Literal["yes", "no"] | None, LENIENT] = Field(
        None, description="Past its expected life, its own or its kind's (yes), or not (no)")
    page: Page = 1
    per_page: PerPage = 100

    def filter(self) -> CameraFilter:
        """The filter these parameters mean, read by the list page's own parse_filter."""
        given = self.model_dump(mode="json", exclude_none=True, exclude={"page", "per_page"})
        return parse_filter({name: str(value) for name, value in given.items()})


class CameraPage(BaseModel):
    """One page of cameras."""

    items: list[CameraRead]
    total: int
    page: int
    per_page: int
    pages: int


class ServiceAreaRead(BaseModel):
    """A service area."""

    id: int
    code: str
    name: str
    description: str


class ServiceAreaList(BaseModel):
    """The council's service areas, by name."""

    items: list[ServiceAreaRead]


class FaultQuery(BaseModel):
    """Which faults to list."""

    open: Annotated[bool, LENIENT] = Field(False, description="Only the faults not yet fixed (1 or true)")


class FaultList(BaseModel):
    """Faults, newest first."""

    items: list[FaultRead]
