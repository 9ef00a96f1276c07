"""The pages' backend on the embedded store: their queries run in the query workers.

Why: the workers' zygote already holds the store, so the server process need not load a
second copy (one store per server process, shared copy-on-write by its workers), and a
page's query gets the workers' time limit and sandbox too. Page queries are the project's
own named queries with checked values, so they run as they are (kg.endpoint.executor's
PageQuery); their answers come back as terms.
"""

from __future__ import annotations

import time

from kg.backends.base import Answer
from kg.backends.base import PlainRows
from kg.backends.base import QueryOptions
from kg.backends.base import Result
from kg.backends.base import TermsAsRdflib
from kg.endpoint.executor import PageQuery
from kg.endpoint.workers import Pool


class WorkerBackend(TermsAsRdflib):
    name = "local"

    def __init__(self, pool: Pool, timeout_s: float):
        self.pool = pool
        self.timeout_s = timeout_s

    def execute(
        self, query: str, options: QueryOptions | None = None, deadline: float | None = None
    ) -> Result:
        if options not in (None, QueryOptions()):
            raise ValueError("page queries take no dataset options")
        deadline = deadline if deadline is not None else time.monotonic() + self.timeout_s
        result = self.pool.run(PageQuery(query), deadline)
        if not isinstance(result, Answer | PlainRows | bool):
            raise TypeError(f"a page query answered {type(result).__name__}")
        return result
