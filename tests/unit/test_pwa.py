"""The PWA's server side: precache list, service worker source, cache headers, head, manifest."""

from __future__ import annotations

import json
import re
import shutil
import struct

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.responses import HTMLResponse, PlainTextResponse
from starlette.routing import Route

from khs_crm.api import pwa
from khs_crm.api.envelope import install_error_handlers
from khs_crm.offline.pwa import (
    APP_MODULE,
    FIELD_MODULES,
    FIRST_PAINT_MODULES,
    SW_URL,
    client_config,
    config_json,
    head_components,
    workflow_table,
)
from khs_crm.services.jobs.workflow import allowed_moves

ASSETS = pwa.ROOT / "assets"


@pytest.fixture
def build(tmp_path):
    """A small stand-in for .web/build/client after a production build."""
    files = {
        "index.html": "<html>office</html>",
        "field.html": "<html>field twin</html>",
        "field/index.html": "<html>field</html>",
        "field/job/index.html": "<html>job</html>",
        "404.html": "missing",
        "__spa-fallback.html": "spa",
        "assets/entry.client-AbC123.js": "console.log(1)",
        "assets/entry.client-AbC123.js.gz": "gz",
        "khs_store.js": "// store",
        "icons/icon-192.png": "png",
        "sw.js": "// the raw template, copied from assets/",
    }
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_precache_lists_pages_by_directory_url_then_static_files(build):
    urls = [url for url, _ in pwa.precache_entries(build)]
    assert urls == [
        "/field/",
        "/field/job/",
        "/",
        "/assets/entry.client-AbC123.js",
        "/icons/icon-192.png",
        "/khs_store.js",
    ]


def test_service_worker_source_carries_the_build_list_and_a_version_that_follows_it(build):
    source = pwa.service_worker_source(build)
    precache = json.loads(source.split("const PRECACHE = ")[1].split(";")[0])
    assert "/assets/entry.client-AbC123.js" in precache
    version = source.split('const VERSION = "')[1].split('"')[0]
    assert len(version) == 16 and "__KHS" not in source
    (build / "khs_store.js").write_text("// store, changed")
    pwa._cache.clear()
    changed = pwa.service_worker_source(build)
    assert changed.split('const VERSION = "')[1].split('"')[0] != version


# `import ... from "./x.js"`, `export ... from "./x.js"` and `import "./x.js"` (static), and
# `import("./x.js")` (dynamic: loaded only when the code asks, as the field app is).
_STATIC_IMPORT = re.compile(r'^\s*(?:(?:import|export)\b[^;"]*?\bfrom\s+|import\s+)"([^"]+)"', re.M)
_DYNAMIC_IMPORT = re.compile(
    r'^(?!\s*(?://|/?\*)).*?\bimport\("([^"]+)"\)', re.M
)  # not in comments


def module_graph(entry: str, dynamic: bool = True) -> dict[str, list[str]]:
    """Each module the entry reaches (by URL) and the URLs it imports, read from assets/;
    with ``dynamic=False`` only what loads with the page (static imports)."""
    graph: dict[str, list[str]] = {}
    todo = [entry]
    while todo:
        url = todo.pop()
        if url in graph:
            continue
        source = (ASSETS / url.lstrip("/")).read_text(encoding="utf-8")
        specifiers = _STATIC_IMPORT.findall(source)
        if dynamic:
            specifiers += _DYNAMIC_IMPORT.findall(source)
        # A bare name ("idb") needs an import map; a module of our own is "./name.js".
        assert all(s.startswith("./") for s in specifiers), (url, specifiers)
        graph[url] = ["/" + s.removeprefix("./") for s in specifiers]
        todo.extend(graph[url])
    return graph


def test_every_page_loads_one_module_and_only_field_pages_load_the_field_app():
    scripts = [str(c) for c in head_components() if c.tag == "script"]
    assert [s for s in scripts if "src:" in s] == [
        f'jsx("script",{{src:"{APP_MODULE}",type:"module"}},)'
    ]
    # What the sign-in and office pages load: the service worker glue and sign-out.
    assert set(module_graph(APP_MODULE, dynamic=False)) == {
        "/khs_page.js",
        "/khs_device.js",
        "/khs_db.js",
        "/khs_i18n.js",
    }
    # On a field page the entry imports the field app, which brings the rest.
    graph = module_graph(APP_MODULE)
    assert set(graph) == {
        "/khs_page.js",
        "/khs_app.js",
        "/khs_start.js",
        "/khs_edits.js",
        "/khs_photos.js",
        "/khs_device.js",
        "/khs_db.js",
        "/khs_store.js",
        "/khs_sync.js",
        "/khs_views.js",
        "/khs_views_jobs.js",
        "/khs_views_job_page.js",
        "/khs_views_change_order.js",
        "/khs_views_sync.js",
        "/khs_views_clock.js",
        "/khs_i18n.js",
        "/khs_vitals.js",
        "/khs_signing.js",
        "/khs_clock.js",
        "/khs_change_order.js",
        "/khs_first_paint.js",
    }
    assert "/khs_app.js" in graph["/khs_page.js"] and "/khs_db.js" in graph["/khs_store.js"]
    source = (ASSETS / "khs_page.js").read_text(encoding="utf-8")
    assert "location.pathname" in source and "/field" in source


def test_the_first_paint_modules_are_what_the_entry_and_the_first_paint_import():
    # khs_crm/first_paint.py preloads exactly these on the Today page: a module missing here
    # would be fetched one import level later, one more on the list before the paint.
    reached = set(module_graph(APP_MODULE, dynamic=False)) | set(
        module_graph("/khs_first_paint.js", dynamic=False)
    )
    assert set(FIRST_PAINT_MODULES) == reached
    assert set(FIELD_MODULES) == set(module_graph(APP_MODULE)) - {APP_MODULE}


def test_the_service_worker_precaches_every_module_the_app_imports(build):
    # Reflex copies assets/ to the root of the build: a cold start offline finds each module.
    for path in ASSETS.glob("*.js"):
        shutil.copy(path, build / path.name)
    precache = set(
        json.loads(pwa.service_worker_source(build).split("const PRECACHE = ")[1].split(";")[0])
    )
    assert set(module_graph(APP_MODULE)) <= precache


def test_the_service_worker_precaches_every_language_catalog(build):
    # A language switch works offline: each catalog is in the cache with the app.
    shutil.copytree(ASSETS / "i18n", build / "i18n", dirs_exist_ok=True)
    precache = set(
        json.loads(pwa.service_worker_source(build).split("const PRECACHE = ")[1].split(";")[0])
    )
    assert {"/i18n/es.json"} <= precache


def test_service_worker_route_headers_and_404_without_a_build(build, tmp_path, monkeypatch):
    api = FastAPI()
    install_error_handlers(api)
    api.include_router(pwa.router, prefix="/api")
    client = TestClient(api)
    monkeypatch.setattr(pwa, "build_dir", lambda: build)
    response = client.get("/api/pwa/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["service-worker-allowed"] == "/"
    monkeypatch.setattr(pwa, "build_dir", lambda: tmp_path / "nothing-built")
    assert client.get("/api/pwa/sw.js").status_code == 404


def test_cache_headers_immutable_for_hashed_assets_no_cache_for_the_rest():
    def page(request):
        return HTMLResponse("<html></html>")

    def text(request):
        return PlainTextResponse("x", headers={"Cache-Control": "private"})

    api = FastAPI()
    for path in ("/assets/app-1a2b.js", "/field/", "/khs_store.js", "/api/jobs", "/_event"):
        api.router.routes.append(Route(path, text if path.startswith(("/api", "/_")) else page))
    pwa.install_cache_headers(api)
    client = TestClient(api)
    assert client.get("/assets/app-1a2b.js").headers["cache-control"] == pwa.IMMUTABLE
    assert client.get("/field/").headers["cache-control"] == "no-cache"
    assert client.get("/khs_store.js").headers["cache-control"] == "no-cache"
    assert client.get("/api/jobs").headers["cache-control"] == "private"
    assert client.get("/_event").headers["cache-control"] == "private"
    assert "cache-control" not in client.get("/assets/missing.js").headers


def test_the_browser_gets_the_workflow_table_from_the_python_one():
    table = workflow_table()
    for status, moves in table.items():
        assert moves["office"] == allowed_moves(status, "owner")
        assert moves["worker"] == allowed_moves(status, "worker")
    config = client_config()
    assert config["swUrl"] == SW_URL and config["timezone"]
    assert config["labels"]["in_progress"] == "in progress"


def test_config_json_cannot_close_its_script_element(monkeypatch):
    monkeypatch.setattr(
        "khs_crm.offline.pwa.client_config", lambda: {"timezone": "</script><script>x"}
    )
    text = config_json()
    assert "</script>" not in text and json.loads(text)["timezone"] == "</script><script>x"


def _png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_manifest_has_the_install_fields_and_its_icons_exist():
    manifest = json.loads((ASSETS / "manifest.webmanifest").read_text())
    assert manifest["start_url"] == "/field" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"]
    assert manifest["theme_color"] and manifest["background_color"]
    purposes = set()
    for icon in manifest["icons"]:
        width, height = _png_size(ASSETS / icon["src"].lstrip("/"))
        assert icon["sizes"] == f"{width}x{height}"
        purposes.add((icon["sizes"], icon["purpose"]))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= purposes
