"""The client behind a reverse proxy: its address from ``X-Forwarded-For``, believed only
when the connection comes from a proxy named in ``KG_TRUSTED_PROXIES``.

Behind nginx every connection comes from nginx, so every client had one address and one
budget: one client's two runaway queries made every other user get 429. Werkzeug's
ProxyFix reads the header; this wrapper decides how many hops of it to trust: the
connection's, plus each proxy of the list named at the header's end, so the address
taken is the nearest hop that is not a trusted proxy. A client cannot pose as another by
sending the header itself: from an untrusted address it is ignored, and through a trusted
proxy only the hops the proxies added count. (``Forwarded``, RFC 7239, is not read:
nginx and the recipes in docs/security.md send ``X-Forwarded-For``.)
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

MAX_HOPS = 8


class TrustedProxies:
    def __init__(self, app: Callable, proxies: Iterable[str]):
        self.app = app
        self.networks = [ipaddress.ip_network(p.strip(), strict=False) for p in proxies]
        self.fixes = {hops: ProxyFix(app, x_for=hops) for hops in range(1, MAX_HOPS + 1)}

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Any:
        if not self._trusted(environ.get("REMOTE_ADDR", "")):
            return self.app(environ, start_response)
        hops = 1
        forwarded = environ.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for address in reversed(forwarded[1:]):
            if hops == MAX_HOPS or not self._trusted(address.strip()):
                break
            hops += 1
        return self.fixes[hops](environ, start_response)

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)


def proxies_setting(value: str | None) -> list[str]:
    """The addresses or networks of ``KG_TRUSTED_PROXIES``; ValueError names a bad one."""
    found = [p.strip() for p in (value or "").split(",") if p.strip()]
    for proxy in found:
        ipaddress.ip_network(proxy, strict=False)
    return found
