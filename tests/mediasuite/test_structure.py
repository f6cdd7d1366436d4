"""Apps depend on the core only: no app imports another, and the core names no app.

The apps are the project's own packages in INSTALLED_APPS other than `mediasuite`
(so a new app is checked as soon as it is installed). Cross-app features go
through the core registries (docs/ARCHITECTURE.md), and this test is what
keeps it that way: it reads the source (`ast`, templates as text), it does
not import it.
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from ..conftest import ROOT

CORE = "mediasuite"
TEMPLATE_TAG = re.compile(r"""{%\s*(include|extends)\s+["']([^"']+)["']""")
URL_TAG = re.compile(r"""{%\s*url\s+["']([^"']+)["']""")


def project_apps() -> list[str]:
    """Top-level packages of this repository that INSTALLED_APPS lists, the core aside."""
    names = {config.name.split(".")[0] for config in apps.get_app_configs()
             if Path(config.path).resolve().parent == ROOT}
    return sorted(names - {CORE})


def imported_packages(path: Path) -> set[str]:
    """Top-level packages a module imports (absolute imports; relative ones stay in its package)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def foreign_imports(package: str, forbidden: set[str]) -> list[str]:
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for name in sorted(imported_packages(path) & (forbidden - {package})):
            wrong.append(f"{path.relative_to(ROOT)} imports {name}")
    return wrong


def core_templates() -> list[Path]:
    """Templates of the shared layout: templates/ outside the apps' folders, and the core's own."""
    app_dirs = {ROOT / "templates" / name for name in project_apps()}
    files = [path for path in (ROOT / "templates").rglob("*.html")
             if not any(path.is_relative_to(folder) for folder in app_dirs)]
    return sorted(files + list((ROOT / CORE / "templates").rglob("*.html")))


def app_of_template(name: str) -> str | None:
    top = name.split("/")[0]
    return top if top in project_apps() else None


def url_owners() -> dict[str, str]:
    """URL name -> top-level package of the view it names."""
    owners = {}

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                callback = getattr(pattern.callback, "cls", None) or pattern.callback
                owners.setdefault(pattern.name, callback.__module__.split(".")[0])

    walk(get_resolver().url_patterns)
    return owners


def test_the_apps_are_found():
    assert {"channels_app", "recorder", "seedbox", "trailers"} <= set(project_apps())


def test_no_app_imports_another_app():
    installed = set(project_apps())
    wrong = [line for app in installed for line in foreign_imports(app, installed)]
    assert not wrong, "apps depend on the core only:\n" + "\n".join(wrong)


def test_the_core_imports_no_app():
    wrong = foreign_imports(CORE, set(project_apps()))
    assert not wrong, "the core plugs apps in through its registries:\n" + "\n".join(wrong)


def test_templates_use_no_other_apps_template():
    wrong = []
    for path in core_templates():
        for _tag, name in TEMPLATE_TAG.findall(path.read_text(encoding="utf-8")):
            if app_of_template(name):
                wrong.append(f"{path.relative_to(ROOT)} uses {name}")
    for app in project_apps():
        for path in (ROOT / "templates" / app).rglob("*.html"):
            for _tag, name in TEMPLATE_TAG.findall(path.read_text(encoding="utf-8")):
                if app_of_template(name) not in (None, app):
                    wrong.append(f"{path.relative_to(ROOT)} uses {name}")
    assert not wrong, "\n".join(wrong)


def test_core_templates_link_to_no_app_page():
    owners = url_owners()
    installed = set(project_apps())
    wrong = [f"{path.relative_to(ROOT)} links to {name} ({owners[name]})"
             for path in core_templates() for name in URL_TAG.findall(path.read_text(encoding="utf-8"))
             if owners.get(name) in installed]
    assert not wrong, "the layout's links to app pages come from the layout registry:\n" + "\n".join(wrong)
