"""The build plugin's rewrites (khs_crm/first_paint.py) on pages shaped like React Router's."""

from __future__ import annotations

import re

from khs_crm.first_paint import inline_stylesheets, scripts_after_first_paint

CSS_HREF = "/assets/__reflex_global_styles-AbC123.css"
CSS = ".btn{color:#92400e}.card{padding:8px}"
HEAD = (
    f'<head><link as="style" href="{CSS_HREF}" rel="preload"/><title>Sign in</title>'
    '<link rel="modulepreload" href="/assets/manifest-1.js"/>'
    '<link rel="modulepreload" href="/assets/entry.client-2.js"/>'
    '<script src="/khs_page.js" type="module"></script>'
    f'<link href="{CSS_HREF}" rel="stylesheet" type="text/css"/></head>'
)
MODULE = (
    '<script type="module" async="">import "/assets/manifest-1.js";\n'
    'import * as route0 from "/assets/root-3.js";\n'
    'import * as route1 from "/assets/_login_._index-4.js";\n'
    '  \n  window.__reactRouterRouteModules = {"root":route0,"routes/[login]._index":route1};\n\n'
    'import("/assets/entry.client-2.js");</script>'
)
PAGE = f"<!DOCTYPE html><html>{HEAD}<body><main><h1>Sign in</h1></main>{MODULE}</body></html>"


def test_the_stylesheet_is_copied_in_and_its_links_are_inert():
    page = inline_stylesheets(PAGE, {CSS_HREF: CSS}.__getitem__)
    assert f'<style data-href="{CSS_HREF}">{CSS}</style>' in page
    # the links React rendered stay (it hydrates them), neither blocks nor downloads
    assert f'<link href="{CSS_HREF}" rel="stylesheet" type="text/css" disabled=""/>' in page
    assert f'<link as="style" href="{CSS_HREF}" rel="preload" media="not all"/>' in page
    assert page.index("<style") < page.index('rel="stylesheet"')
    assert (
        page.replace(f'<style data-href="{CSS_HREF}">{CSS}</style>', "")
        .replace(' disabled=""', "")
        .replace(' media="not all"', "")
        == PAGE
    )


def test_a_stylesheet_with_relative_urls_stays_linked():
    css = ".hero{background:url(hero.png)}"
    assert inline_stylesheets(PAGE, {CSS_HREF: css}.__getitem__) == PAGE
    absolute = ".hero{background:url(/assets/hero.png)}"
    assert "<style" in inline_stylesheets(PAGE, {CSS_HREF: absolute}.__getitem__)


def test_a_closing_style_tag_in_the_css_cannot_end_the_element():
    css = '.x::after{content:"</style><script>alert(1)</script>"}'
    page = inline_stylesheets(PAGE, {CSS_HREF: css}.__getitem__)
    style = re.search(r"<style[^>]*>(.*?)</style>", page, re.S)
    assert style and "<script>" in style[1] and "<\\/style" in style[1]


def test_a_page_without_a_built_stylesheet_is_unchanged():
    page = PAGE.replace(f'<link href="{CSS_HREF}" rel="stylesheet" type="text/css"/>', "")
    assert inline_stylesheets(page, {}.__getitem__) == page


def test_sign_in_scripts_start_after_the_first_paint():
    page = scripts_after_first_paint(PAGE)
    assert "modulepreload" not in page
    module = re.search(r'<script type="module" async="">(.*?)</script>', page, re.S)
    assert module
    body = module[1]
    assert not re.search(r"^import ", body, re.M)  # no static import left
    wait = body.index("requestAnimationFrame")
    loads = body.index(
        'const [_module0, route0, route1] = await Promise.all([import("/assets/manifest-1.js"), '
        'import("/assets/root-3.js"), import("/assets/_login_._index-4.js")]);'
    )
    routes = body.index('window.__reactRouterRouteModules = {"root":route0')
    entry = body.index('import("/assets/entry.client-2.js");')
    assert wait < loads < routes < entry
    assert "setTimeout(go, 500)" in body  # a tab opened in the background still starts
    # everything else on the page is as it was
    assert page.replace(module[0], MODULE) == re.sub(
        r'<link rel="modulepreload" href="[^"]+"/>', "", PAGE
    )


def test_a_page_without_route_imports_is_unchanged():
    page = PAGE.replace(MODULE, "<script>window.x = 1;</script>")
    assert scripts_after_first_paint(page) == page
