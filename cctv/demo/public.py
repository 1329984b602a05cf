"""The demo's public page: the notice, the town-centre and car-park systems published (the deployables and the rest
left for the DPO to choose), and a sign beside the first public-space cameras of each town. Illustrative only."""

from sqlmodel import Session, col, select

from cctv.transparency.models import PublicNoticeBase, PublishedSystemBase, SignBase
from cctv.transparency.publication import publish_system, save_notice
from cctv.transparency.signage import save_sign
from inventory.models import Camera, CameraSystem
from inventory.scope import CameraScope
from inventory.types import CameraKind

ACTOR = "demo"
WORDING = ("CCTV in operation. Images are recorded for the prevention and detection of crime and public safety. "
           "Operated by Buckinghamshire Council. Contact: cctv@buckinghamshire.example, 01296 000000.")


def create_demo_public(session: Session) -> None:
    """Publish the notice, the town-centre and car-park systems, and one sign per town (see the module's notes)."""
    save_notice(session, PublicNoticeBase(
        operator="Buckinghamshire Council community safety CCTV", data_controller="Buckinghamshire Council",
        contact_point="cctv@buckinghamshire.example, 01296 000000, or write to the CCTV manager, The Gateway, "
                      "Aylesbury (illustrative demo contact)",
        introduction="The council's public-space CCTV cameras, why each is there, and who to ask (illustrative "
                     "demo data)."), actor=ACTOR)
    systems = session.exec(select(CameraSystem).where(
        col(CameraSystem.name).like("%town-centre CCTV") | (CameraSystem.name == "Council car parks CCTV")))
    for system in systems:
        publish_system(session, system.id or 0, PublishedSystemBase(
            purpose="Preventing and detecting crime and keeping people safe in public places",
            dpia_summary="The cameras watch streets, squares and car parks only; private windows and gardens are "
                         "masked. Footage is kept 31 days unless the police ask for it."), actor=ACTOR)
    firsts: dict[str, Camera] = {}
    for camera in session.exec(select(Camera).where(Camera.kind == CameraKind.PUBLIC_SPACE_FIXED)
                               .order_by(col(Camera.asset_id))):
        firsts.setdefault(camera.town, camera)
    for town, camera in sorted(firsts.items()):
        save_sign(session, CameraScope.everything(), SignBase(
            place=f"{camera.location_text} (demo sign)", town=town, latitude=camera.latitude,
            longitude=camera.longitude, wording=WORDING), [camera.asset_id])
