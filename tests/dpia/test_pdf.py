"""The DPIA PDF, read back as text: the template's steps in order, the risks, the sign-off and every camera."""

from dataclasses import dataclass
from datetime import UTC, datetime

from dpia.models import Dpia, DpiaRisk
from dpia.pdf import DpiaDocument, dpia_pdf
from dpia.types import DpiaStatus, RiskEffect
from tests.pdf import pdf_text


@dataclass
class Row:
    """A camera as the annex shows it."""

    asset_id: str
    name: str
    kind: str
    status: str
    location_text: str
    town: str
    longitude: float | None
    latitude: float | None


def document(annex: list[Row]) -> DpiaDocument:
    dpia = Dpia(system_id=1, version=3, status=DpiaStatus.SIGNED_OFF, need="Cameras watch public streets.",
                processing="Recorded 24/7, kept 31 days.", evidence="412 violent crimes in 2025 within 100 m.",
                consultation="Town council and police consulted in May.", necessity="No less intrusive means.",
                measures_approved_by="Head of Community Safety", residual_risk_approved_by="Service Director",
                dpo_name="Pat Data", dpo_advice="Proceed with privacy masking.", dpo_advice_accepted=True,
                reviewer="CCTV manager", signed_off_by="dpo", signed_off_at=datetime(2026, 7, 1, 9, 30, tzinfo=UTC))
    risks = [DpiaRisk(dpia_id=1, description="Collateral intrusion into homes", likelihood=3, severity=2,
                      measures="Privacy masks on windows", effect=RiskEffect.REDUCED, residual_likelihood=1,
                      residual_severity=2, measure_approved=True)]
    return DpiaDocument(dpia=dpia, system_name="High Wycombe town centre", service_area="Community Safety",
                        risks=risks, annex=annex, generated_at=datetime(2026, 7, 1, 12, 0, tzinfo=UTC))


def test_the_steps_come_in_the_templates_order_with_the_text_typed(tmp_path) -> None:
    text = pdf_text(dpia_pdf(document([])), tmp_path)
    headings = ["Step 1: Identify the need for a DPIA", "Step 2: Describe the processing", "Evidence of a pressing",
                "Step 3: Consultation process", "Step 4: Assess necessity and proportionality",
                "Step 5: Identify and assess risks", "Step 6: Identify measures to reduce risk",
                "Step 7: Sign off and outcomes", "Annex: camera locations (0)"]
    places = [text.index(h) for h in headings]
    assert places == sorted(places)
    for typed in ("Cameras watch public streets.", "412 violent crimes", "No less intrusive means.",
                  "Proceed with privacy masking.", "Service Director"):
        assert typed in text
    assert "Version 3, signed off" in text
    assert "01 Jul 2026 10:30" in text  # 09:30 UTC shown in British Summer Time


def test_a_risk_shows_its_rating_before_and_after_its_measures(tmp_path) -> None:
    text = pdf_text(dpia_pdf(document([])), tmp_path)
    risk_line = next(line for line in text.splitlines() if "Collateral intrusion" in line)
    assert "Probable" in risk_line and "Significant" in risk_line and "High" in risk_line  # 3 × 2 = 6
    measure_line = next(line for line in text.splitlines() if "Privacy masks" in line)
    assert "Reduced" in measure_line and "Low" in measure_line and "Yes" in measure_line  # 1 × 2 = 2


def test_every_camera_of_the_annex_is_printed_with_its_place(tmp_path) -> None:
    annex = [Row(f"CS-{i:03d}", f"Camera {i}", "public_space_fixed", "operational", f"{i} High Street",
                 "High Wycombe", -0.75 + i / 1000, 51.63) for i in range(1, 61)]  # over a page long
    text = pdf_text(dpia_pdf(document(annex)), tmp_path)
    assert "Annex: camera locations (60)" in text
    for i in range(1, 61):
        assert f"CS-{i:03d}" in text
    assert "51.63000, -0.74900" in text


def test_the_same_inputs_give_the_same_bytes() -> None:
    assert dpia_pdf(document([])) == dpia_pdf(document([]))
