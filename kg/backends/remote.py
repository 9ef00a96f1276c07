"""The remote backend: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso).

The one client that talks to a SPARQL server, for the pages, for ``/sparql`` and for
``kg query``: SPARQLWrapper reads the query's form, urllib3 sends it (POST, so long VALUES
blocks fit) over a kept-alive connection from a pool per process, the answer is read whole
within a deadline and a size cap, and parsed by pyoxigraph by its content type. (urllib3,
not SPARQLWrapper's own urllib: that opens a new connection per query, and a page asks
several; a TCP handshake per query was most of the remote pages' overhead.)
"""

from __future__ import annotations

import http.client
import json
import os
import re
import threading
import time
import urllib.parse

import pyoxigraph as ox
import urllib3
from SPARQLWrapper import SPARQLWrapper

from kg.backends.base import Answer
from kg.backends.base import QueryOptions
from kg.backends.base import Result
from kg.backends.base import TermsAsRdflib
from kg.formats import RDF_BY_SUFFIX
from kg.formats import RDF_FORMATS
from kg.formats import RESULTS_BY_MEDIA

# by query form: a server that can answer CONSTRUCT as a table (Virtuoso) must be asked
# for a graph format first
ACCEPT_RESULTS = "application/sparql-results+json, application/sparql-results+xml;q=0.9"
ACCEPT_GRAPH = "application/n-triples, text/turtle;q=0.9"
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
# a query can use named graphs only through a GRAPH pattern (its text is canonical: escapes
# decoded); a false match only sends the named graphs anyway
USES_GRAPH = re.compile(r"graph", re.IGNORECASE)
MAX_BYTES = 256 * 1024 * 1024  # a larger answer is refused, never read whole
# what a server may answer with, by media type (kg.formats); text/plain is N-Triples's old name
RESULTS = {media: f.engine for media, f in RESULTS_BY_MEDIA.items() if f.boolean}
GRAPHS = {f.media: f.engine for f in RDF_FORMATS if not f.quads}
GRAPHS["text/plain"] = RDF_BY_SUFFIX["nt"].engine


# Virtuoso echoes each graph of the dataset in a header of its own (X-SPARQL-default-graph):
# a pinned dataset of many graphs passes http.client's limit of 100 headers
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 4096)  # type: ignore[attr-defined]


_pools: dict[int, urllib3.PoolManager] = {}
_pools_lock = threading.Lock()


def _pool() -> urllib3.PoolManager:
    """This process's connection pool (a forked child makes its own: sockets are not shared)."""
    pid = os.getpid()
    with _pools_lock:
        if pid not in _pools:
            _pools[pid] = urllib3.PoolManager(num_pools=4, maxsize=32, block=False, retries=False)
        return _pools[pid]


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE, as SPARQLWrapper reads it (prologue and comments
    skipped)."""
    client = SPARQLWrapper("http://unused.invalid/")
    client.setQuery(query)
    return str(client.queryType)


_BLANK_LABEL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\Z")
_XML_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")


def relabel_blank_nodes(body: bytes, content_type: str) -> bytes:
    """Blank nodes as servers label them (Virtuoso: ``nodeID://b10000``), which is no blank
    node label pyoxigraph (or N-Triples) accepts, relabelled: each label by its bytes in hex,
    so that equal labels stay equal within the answer."""
    if b"bnode" not in body:
        return body

    def label(value: str) -> str:
        return value if _BLANK_LABEL.match(value) else "x" + value.encode("utf-8").hex()

    if content_type == "application/sparql-results+json":
        payload = json.loads(body)
        for binding in payload.get("results", {}).get("bindings", []):
            for cell in binding.values():
                if cell.get("type") == "bnode":
                    cell["value"] = label(cell["value"])
        return json.dumps(payload).encode("utf-8")
    if content_type == "application/sparql-results+xml":
        return _XML_BNODE.sub(
            lambda m: b"<bnode>%s</bnode>" % label(m.group(1).decode()).encode(), body
        )
    return body


class RemoteError(OSError):
    """The server did not answer, answered an error, or answered what we cannot read."""


class TooLargeError(RemoteError):
    """The answer is larger than MAX_BYTES."""


class RemoteBackend(TermsAsRdflib):
    """``default_graph``, for a server whose default graph is not the release's union
    (Virtuoso's is the union of all its graphs, its own system graphs too): the graph that
    holds the union. A query that names no graphs of its own is then sent with it as
    ``default-graph-uri`` and with the release's graphs (``dataset``) as ``named-graph-uri``,
    so that the server answers over the release alone. (Each release graph as a default
    graph would not do: servers join several default graphs as a bag, each fact once per
    graph that holds it.)"""

    name = "remote"

    def __init__(
        self,
        endpoint: str,
        timeout: float = 30,
        dataset: frozenset[str] = frozenset(),
        default_graph: str | None = None,
    ):
        self.endpoint = endpoint
        self.timeout = timeout
        self.pinned = ((default_graph,), tuple(sorted(dataset))) if default_graph else ((), ())

    def execute(
        self, query: str, options: QueryOptions | None = None, deadline: float | None = None
    ) -> Result:
        """Run ``query`` on the server; TimeoutError past ``deadline`` (time.monotonic)."""
        deadline = deadline if deadline is not None else time.monotonic() + self.timeout
        body, content_type, cut_at = self._fetch(query, options or QueryOptions(), deadline)
        try:
            if content_type in RESULTS:
                body = relabel_blank_nodes(body, content_type)
                parsed = ox.parse_query_results(body, format=RESULTS[content_type])
                if isinstance(parsed, ox.QueryBoolean):
                    return parsed
                return Answer(list(parsed), parsed.variables, cut_at)
            if content_type in GRAPHS:
                quads = ox.parse(body, format=GRAPHS[content_type])  # in the default graph
                return Answer([quad.triple for quad in quads], None, cut_at)
        except (SyntaxError, ValueError) as exc:
            raise RemoteError(f"the SPARQL server's answer is not readable: {exc}") from None
        raise RemoteError(f"the SPARQL server answered {content_type or 'no content type'}")

    def _fetch(
        self, query: str, options: QueryOptions, deadline: float
    ) -> tuple[bytes, str, str | None]:
        """The answer's bytes, its media type, and Virtuoso's ``X-SPARQL-MaxRows``."""
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        default, named = options.default_graphs, options.named_graphs
        if not default and not named:
            default, named = self.pinned
            if not USES_GRAPH.search(query):
                named = ()  # no GRAPH pattern, no use for named graphs: a shorter request
        fields = [("query", query)]
        fields += [("default-graph-uri", g) for g in default]
        fields += [("named-graph-uri", g) for g in named]
        accept = ACCEPT_GRAPH if query_form(query) in GRAPH_FORMS else ACCEPT_RESULTS
        try:
            response = _pool().request(
                "POST",
                self.endpoint,
                body=urllib.parse.urlencode(fields).encode("ascii"),
                headers={
                    "Accept": accept,
                    "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                },
                timeout=urllib3.Timeout(total=remaining),
                preload_content=False,
                redirect=False,
            )
            try:
                body = self._read(response, deadline)
            except BaseException:
                response.close()  # half read: the connection must not go back to the pool
                raise
            finally:
                response.release_conn()
        except (TimeoutError, urllib3.exceptions.TimeoutError):
            raise TimeoutError from None
        except urllib3.exceptions.HTTPError as exc:
            raise RemoteError(f"the SPARQL server did not answer: {str(exc)[:200]}") from None
        if response.status != 200:
            excerpt = body[:200].decode("utf-8", "replace")
            raise RemoteError(f"the SPARQL server answered HTTP {response.status}: {excerpt}")
        headers = response.headers
        media = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return body, media, headers.get("X-SPARQL-MaxRows")

    @staticmethod
    def _read(response: urllib3.BaseHTTPResponse, deadline: float) -> bytes:
        """The whole body, or TooLargeError past MAX_BYTES, or TimeoutError past the deadline."""
        chunks, size = [], 0
        while chunk := response.read(64 * 1024):
            chunks.append(chunk)
            size += len(chunk)
            if size > MAX_BYTES:
                raise TooLargeError(f"the answer is larger than {MAX_BYTES} bytes")
            if time.monotonic() > deadline:
                raise TimeoutError
        return b"".join(chunks)
