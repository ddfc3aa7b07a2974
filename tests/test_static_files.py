"""Static files: names carrying the content's hash, a year's cache, sent compressed once."""

from __future__ import annotations

import gzip
import re

import brotli
import pytest

from planner.static_files import HASH_LENGTH, MAX_AGE

GZIP = {"Accept-Encoding": "gzip, deflate"}


def _static_urls(html: str) -> list[str]:
    return [
        url.split("#")[0]
        for url in re.findall(r'(?:href|src)="(/[^"]+)"', html)
        if "/static/" in url
    ]


def _page(client, url: str) -> tuple[str, int]:
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    return gzip.decompress(response.data).decode(), len(response.data)


def test_pages_name_static_files_by_their_content_hash(client):
    html, _ = _page(client, "/auth/login")
    urls = _static_urls(html)
    assert any("bootstrap.min." in u for u in urls)  # Bootstrap-Flask's too
    assert any("/static/planner." in u for u in urls)
    for url in urls:
        assert re.search(rf"\.[0-9a-f]{{{HASH_LENGTH}}}\.(css|js|svg|png)$", url), url


def test_a_hashed_file_is_kept_a_year_and_sent_compressed(client):
    html, _ = _page(client, "/auth/login")
    (url,) = [u for u in _static_urls(html) if "/static/planner." in u]
    response = client.get(url, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == f"public, max-age={MAX_AGE}, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert gzip.decompress(response.data) == plain.data
    br = client.get(url, headers={"Accept-Encoding": "br, gzip"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.data) == plain.data
    assert b".navbar" in plain.data or len(plain.data) > 100
    again = client.get(url, headers={**GZIP, "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_an_old_hash_gets_the_current_file_without_the_long_life(client):
    response = client.get("/static/planner.0123456789.css")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
    plain = client.get("/static/planner.css")
    assert plain.status_code == 200
    assert plain.headers["Cache-Control"] == "no-cache"
    assert plain.data == response.data


@pytest.mark.parametrize(
    "url",
    [
        "/static/nothing-here.css",
        "/static/nothing.0123456789.css",
        "/static/../__init__.py",
        "/static/%2e%2e/__init__.py",
        "/static/vendor",
    ],
)
def test_missing_or_outside_files_are_404(client, url):
    assert client.get(url).status_code == 404


def test_sign_in_page_cold_load_is_under_100_kb(client):
    """Every byte a first visit downloads (gzip, as Chromium asks over plain HTTP)."""
    html, total = _page(client, "/auth/login")
    for url in _static_urls(html):
        response = client.get(url, headers=GZIP)
        assert response.status_code == 200, url
        total += len(response.data)
    assert total <= 100 * 1024, total


def test_calendar_feeds_and_downloads_are_not_recompressed(app):
    assert "text/calendar" not in app.config["COMPRESS_MIMETYPES"]
    assert app.config["COMPRESS_STREAMS"] is False
