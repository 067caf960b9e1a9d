"""Only members reach the members' site: nginx with deploy/nginx/members-site.conf in front.

The test starts Debian's nginx on a loopback port with a temporary prefix, in front of a
members' build of the small council, and asks for every file of the site: each answers 401
without a member's name and password and 200 with them, and no answer may be cached by
anyone but the member's own browser. Skipped, saying why, where nginx is not installed.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import ROOT, build_site, copy_data

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
SNIPPET = ROOT / "deploy" / "nginx" / "members-site.conf"
USER, PASSWORD = "cllr-okafor", "correct horse battery staple"

pytestmark = pytest.mark.skipif(
    NGINX is None, reason="nginx is not installed (Debian: apt-get install nginx)"
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def members_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("nginx")
    site = build_site(
        folder / "site-members", data_dir=copy_data(folder / "data"), audience="members"
    )
    digest = base64.b64encode(hashlib.sha1(PASSWORD.encode()).digest()).decode()
    (folder / "htpasswd").write_text(f"{USER}:{{SHA}}{digest}\n")
    port = _free_port()
    # As root, nginx's workers would run as nobody, who cannot read pytest's private folders.
    user = "user root;" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"""{user}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {folder}/tmp-body;
    proxy_temp_path {folder}/tmp-proxy;
    fastcgi_temp_path {folder}/tmp-fastcgi;
    uwsgi_temp_path {folder}/tmp-uwsgi;
    scgi_temp_path {folder}/tmp-scgi;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        auth_basic_user_file {folder}/htpasswd;
        include {SNIPPET};
    }}
}}
"""
    )
    command = [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off;"]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            if server.poll() is not None:
                pytest.fail(f"nginx did not start: {server.stderr.read()}")
            time.sleep(0.05)
    try:
        yield base, site
    finally:
        server.terminate()
        server.wait(timeout=10)


def _get(url: str, auth: bool) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url)
    if auth:
        token = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def _addresses(site: Path) -> list[str]:
    urls = []
    for path in sorted(site.rglob("*")):
        if path.is_file():
            relative = path.relative_to(site).as_posix()
            urls.append("/" + relative.removesuffix("index.html"))
    return urls


def _private(headers: dict[str, str], where: str) -> None:
    cache = headers.get("Cache-Control", "")
    assert "private" in cache and "no-store" in cache and "public" not in cache, where
    assert "noindex" in headers.get("X-Robots-Tag", ""), where
    assert "script-src 'self'" in headers.get("Content-Security-Policy", ""), where


def test_every_members_address_needs_a_member(members_server: tuple[str, Path]) -> None:
    base, site = members_server
    addresses = _addresses(site)
    assert len(addresses) > 100 and "/" in addresses and "/robots.txt" in addresses
    for address in addresses:
        status, headers = _get(base + address, auth=False)
        assert status == 401, f"{address} answered {status} without a password"
        assert headers.get("WWW-Authenticate", "").startswith("Basic"), address
        _private(headers, address)
        status, headers = _get(base + address, auth=True)
        assert status == 200, f"{address} answered {status} to a member"
        _private(headers, address)


def test_a_wrong_password_and_unknown_addresses_reveal_nothing(
    members_server: tuple[str, Path],
) -> None:
    base, _ = members_server
    token = base64.b64encode(f"{USER}:wrong".encode()).decode()
    request = urllib.request.Request(base + "/", headers={"Authorization": f"Basic {token}"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 401
    assert _get(base + "/no-such-page/", auth=False)[0] == 401
    assert _get(base + "/no-such-page/", auth=True)[0] == 404
    assert _get(base + "/.site.lock", auth=True)[0] == 404
    assert _get(base + "/assets/", auth=True)[0] in (403, 404)  # no folder listing


def test_the_server_sends_the_same_policy_as_the_pages(members_server: tuple[str, Path]) -> None:
    base, site = members_server
    _, headers = _get(base + "/", auth=True)
    page = (site / "index.html").read_text(encoding="utf-8")
    meta = page.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0]
    header = headers["Content-Security-Policy"]
    # The header adds frame-ancestors, which a <meta> policy may not carry.
    assert header == meta + "; frame-ancestors 'none'"
    assert (site / "robots.txt").read_text() == "User-agent: *\nDisallow: /\n"


def test_the_shipped_server_block_uses_the_tested_snippet() -> None:
    text = (ROOT / "deploy" / "nginx" / "members.conf").read_text()
    assert "include snippets/committee-papers-members.conf;" in text
    assert "auth_basic_user_file" in text and "root /srv/committee-papers/site-members;" in text
    assert "return 301 https://" in text  # passwords never travel over plain HTTP
