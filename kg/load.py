"""Push a release into a SPARQL server through the Graph Store Protocol (SPARQL 1.1 GSP).

Each named graph is sent with ``PUT ?graph=<iri>`` and the union with ``PUT ?default`` (or,
for a server whose default graph is the union of all its graphs, as Virtuoso's is, into a
graph of its own: ``union_graph``), as N-Triples, so loading twice gives the same store.
Graphs of an older release that are no longer in the new one are left alone (drop them, or
start from an empty store). A server that wants a login (Virtuoso's
``/sparql-graph-crud-auth``) gets it by HTTP digest or basic authentication.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import secrets
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import urllib3

from kg.terms import serialized


def graphs_of(nquads: Path) -> Iterator[tuple[ox.NamedNode | ox.DefaultGraph, bytes]]:
    """(graph, N-Triples) per graph of the load file, which the build groups by graph."""
    quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    for graph, group in itertools.groupby(quads, key=lambda q: q.graph_name):
        yield graph, serialized([q.triple for q in group], ox.RdfFormat.N_TRIPLES)


class Login:
    """HTTP digest (RFC 7616, MD5) or basic authentication, sent with every request.

    urllib's handlers send a request without it first and answer the 401: with a graph of
    megabytes in the body, Virtuoso resets the connection before the body is sent. Here the
    challenge is fetched once with a bodiless HEAD, and every PUT carries its answer."""

    def __init__(self, http: urllib3.PoolManager, url: str, user: str, password: str):
        self.http, self.url, self.user, self.password = http, url, user, password
        self.challenge: dict[str, str] | None = None
        self.scheme = "basic"
        self.counter = 0

    def refresh(self) -> None:
        response = self.http.request("HEAD", self.url, redirect=False)
        header = response.headers.get("WWW-Authenticate", "")
        scheme, _, params = header.partition(" ")
        self.scheme = scheme.lower() or "basic"
        self.challenge = dict(re.findall(r'(\w+)="?([^",]*)"?', params))
        self.counter = 0

    def header(self, method: str, url: str) -> str:
        if self.challenge is None:
            self.refresh()
        if self.scheme != "digest":
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            return f"Basic {token}"
        c = self.challenge or {}
        uri = urllib.parse.urlsplit(url)
        path = uri.path + (f"?{uri.query}" if uri.query else "")
        ha1 = _md5(f"{self.user}:{c.get('realm', '')}:{self.password}")
        ha2 = _md5(f"{method}:{path}")
        fields = {
            "username": self.user,
            "realm": c.get("realm", ""),
            "nonce": c.get("nonce", ""),
            "uri": path,
        }
        if "auth" in c.get("qop", "").split(","):
            self.counter += 1
            nc, cnonce = f"{self.counter:08x}", secrets.token_hex(8)
            response = _md5(f"{ha1}:{fields['nonce']}:{nc}:{cnonce}:auth:{ha2}")
            fields.update(qop="auth", nc=nc, cnonce=cnonce)
        else:
            response = _md5(f"{ha1}:{fields['nonce']}:{ha2}")
        fields["response"] = response
        if "opaque" in c:
            fields["opaque"] = c["opaque"]
        unquoted = ("qop", "nc")
        return "Digest " + ", ".join(
            f"{k}={v}" if k in unquoted else f'{k}="{v}"' for k, v in fields.items()
        )


def _md5(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()  # noqa: S324 (RFC 7616's MD5)


def load(
    release: Path,
    store_url: str,
    timeout: float = 300,
    union_graph: str | None = None,
    user: str | None = None,
    password: str | None = None,
) -> dict[str, int]:
    """PUT every graph of ``release`` to the GSP endpoint ``store_url``; return triples sent."""
    if not store_url.startswith(("http://", "https://")):
        raise ValueError(f"the store URL must be http(s): {store_url!r}")
    if union_graph is not None and not union_graph.startswith(("http://", "https://", "urn:")):
        raise ValueError(f"the union graph must be an IRI: {union_graph!r}")
    http = urllib3.PoolManager(retries=False, timeout=urllib3.Timeout(total=timeout))
    login = Login(http, store_url, user, password or "") if user else None
    sent: dict[str, int] = {}
    for graph, data in graphs_of(release / "kg.nq"):
        if not isinstance(graph, ox.DefaultGraph):
            name, query = graph.value, urllib.parse.urlencode({"graph": graph.value})
        elif union_graph is not None:
            name, query = union_graph, urllib.parse.urlencode({"graph": union_graph})
        else:
            name, query = "(default)", "default"
        try:
            _put(http, login, f"{store_url}?{query}", data)
        except urllib3.exceptions.HTTPError as exc:  # refused, reset, timed out
            raise OSError(f"the store did not answer: {exc}") from None
        sent[name] = sent.get(name, 0) + data.count(b"\n")
    return sent


def _put(http: urllib3.PoolManager, login: Login | None, url: str, data: bytes) -> None:
    """PUT one graph; a stale digest nonce (401) is renewed once."""
    for attempt in (1, 2):
        headers = {"Content-Type": "application/n-triples"}
        if login is not None:
            headers["Authorization"] = login.header("PUT", url)
        response = http.request("PUT", url, body=data, headers=headers, redirect=False)
        if response.status == 401 and login is not None and attempt == 1:
            login.refresh()
            continue
        if response.status >= 300:
            excerpt = response.data[:200].decode("utf-8", "replace")
            raise OSError(f"the store answered HTTP {response.status} to {url}: {excerpt}")
        return
