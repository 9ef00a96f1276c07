"""Debian's nginx for tests and benchmarks: in front of ``kg serve`` with the recipe of
docs/security.md, on loopback."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

from kg.config import ROOT
from tests.web_fixtures import free_port
from tests.web_fixtures import wait_for


def nginx_binary() -> str:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(found).exists():
        raise RuntimeError("nginx is needed (Debian's nginx: tests/system-packages.sh installs it)")
    return found


def recipe() -> str:
    """The nginx server block of docs/security.md, as an operator copies it."""
    text = (ROOT / "docs" / "security.md").read_text(encoding="utf-8")
    section = text.split("## Behind a reverse proxy", 1)[1]
    found = re.search(r"```nginx\n(.*?)```", section, re.DOTALL)
    if found is None:
        raise RuntimeError("docs/security.md has no nginx recipe")
    return found.group(1)


@contextlib.contextmanager
def nginx_in_front(kg_port: int, folder: Path) -> Iterator[int]:
    """nginx with the recipe, proxying to ``kg serve`` on ``kg_port``; yields its port."""
    port = free_port()
    block = recipe().replace("127.0.0.1:5000", f"127.0.0.1:{kg_port}")
    block = block.replace("listen 127.0.0.1:8080", f"listen 127.0.0.1:{port}")
    process = start_nginx(block, folder)
    try:
        wait_for(f"http://127.0.0.1:{port}/", seconds=30)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def start_nginx(block: str, folder: Path) -> subprocess.Popen:
    """Debian's nginx with ``block`` (server blocks, upstreams, caches) inside ``http { }``,
    its pid, logs and temporary files in ``folder``; the caller waits for its port."""
    temp = folder / "nginx-tmp"
    temp.mkdir(exist_ok=True)
    conf = folder / "nginx.conf"
    conf.write_text(
        # as root, nginx's workers would run as nobody, who cannot read pytest's folders
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"daemon off; pid {folder}/nginx.pid; error_log {folder}/nginx-error.log;\n"
        + "events { worker_connections 4096; }\n"
        + f"http {{ access_log off; client_body_temp_path {temp}/body; "
        + f"proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fcgi; "
        + f"uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;\n{block}\n}}\n",
        encoding="utf-8",
    )
    return subprocess.Popen([nginx_binary(), "-c", str(conf)], stderr=subprocess.DEVNULL)
