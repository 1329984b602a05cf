"""The web layer's layout holds: each page's view is `cctv/web/<area>/<module>.py` and renders only templates from
`cctv/web/<area>/templates/<area>/<module>/`, so a newcomer goes from a URL to its view and template in one step."""

import re
from pathlib import Path

from flask import Flask

WEB = Path(__file__).resolve().parents[2] / "cctv" / "web"
RENDERED = re.compile(r"render_template\(\s*[\"']([^\"']+)[\"']")


def view_modules() -> list[Path]:
    return sorted(p for p in WEB.glob("*/*.py") if p.name != "__init__.py")


def test_no_view_module_at_the_top_of_the_web_package() -> None:
    for path in WEB.glob("*.py"):
        assert "Blueprint(" not in path.read_text(), f"{path.name}: a view module belongs in cctv/web/<area>/"


def test_each_module_renders_only_its_own_templates() -> None:
    for path in view_modules():
        area, module = path.parent.name, path.stem
        for name in RENDERED.findall(path.read_text()):
            if name == "error.html":
                continue
            assert name.startswith(f"{area}/{module}/"), f"{path.relative_to(WEB)} renders {name}"
            assert (path.parent / "templates" / name).is_file(), f"{name} is not in {area}/templates"


def test_every_route_is_served_from_an_area_package(app: Flask) -> None:
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        module = app.view_functions[rule.endpoint].__module__
        assert re.fullmatch(r"cctv\.web\.[a-z]+\.[a-z_]+", module), f"{rule.rule} is served from {module}"
