"""The remote backend: any SPARQL 1.1 endpoint (Oxigraph server, Fuseki, Virtuoso).

The one client that talks to a SPARQL server, for the pages, for ``/sparql`` and for
``kg query``: SPARQLWrapper sends the query (POST, so long VALUES blocks fit), the answer is
read whole within a deadline and a size cap, and parsed by pyoxigraph by its content type.
"""

from __future__ import annotations

import http.client
import time

import pyoxigraph as ox
from SPARQLWrapper import POST
from SPARQLWrapper import SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

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
MAX_BYTES = 256 * 1024 * 1024  # a larger answer is refused, never read whole
# what a server may answer with, by media type (kg.formats); text/plain is N-Triples's old name
RESULTS = {media: f.engine for media, f in RESULTS_BY_MEDIA.items() if f.boolean}
GRAPHS = {f.media: f.engine for f in RDF_FORMATS if not f.quads}
GRAPHS["text/plain"] = RDF_BY_SUFFIX["nt"].engine


# Virtuoso echoes each graph of the dataset in a header of its own (X-SPARQL-default-graph):
# a pinned dataset of many graphs passes http.client's limit of 100 headers
http.client._MAXHEADERS = max(http.client._MAXHEADERS, 4096)  # type: ignore[attr-defined]


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
        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setOnlyConneg(True)  # no format= parameters: Virtuoso would obey them
        client.setTimeout(max(1, int(remaining + 0.999)))
        client.setQuery(query)
        default, named = options.default_graphs, options.named_graphs
        if not default and not named:
            default, named = self.pinned
        for graph in default:
            client.addParameter("default-graph-uri", graph)
        for graph in named:
            client.addParameter("named-graph-uri", graph)
        graph_form = client.queryType in GRAPH_FORMS  # SPARQLWrapper reads the query form
        client.addCustomHttpHeader("Accept", ACCEPT_GRAPH if graph_form else ACCEPT_RESULTS)
        try:
            response = client.query().response
            chunks, size = [], 0
            while chunk := response.read(64 * 1024):
                chunks.append(chunk)
                size += len(chunk)
                if size > MAX_BYTES:
                    raise TooLargeError(f"the answer is larger than {MAX_BYTES} bytes")
                if time.monotonic() > deadline:
                    raise TimeoutError
            headers = response.headers
        except TimeoutError:
            raise
        except (SPARQLWrapperException, OSError, ValueError) as exc:
            if isinstance(exc, RemoteError):
                raise
            if isinstance(getattr(exc, "reason", None), TimeoutError):  # urllib wraps it
                raise TimeoutError from None
            raise RemoteError(f"the SPARQL server did not answer: {str(exc)[:200]}") from None
        media = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
        return b"".join(chunks), media, headers.get("X-SPARQL-MaxRows")
