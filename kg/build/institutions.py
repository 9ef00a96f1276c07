"""What an institution's page lists, worked out once at build time from the build's own
N-Triples (``institutions.json``): its role links in the order the page shows them, and
the institutions that share most activities with it. The page reads its row
(kg.explore.institutions.InstitutionTable) and asks the store only for the details of the
links it shows.

Why at build time: asked of the store on every visit, the institution with most roles
spent most of its page's query time on two things no store index gives: the join of every
activity it takes part in with every other institution's roles (the partners), and
sorting all its role links to show fifty (issue 23). A test checks that the table holds
what kg/queries/partners.rq and institution-roles.rq answer, for every institution.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

from kg.build.serialize import line_chunks
from kg.namespaces import PREFIXES
from kg.namespaces import ROLES

PARTNERS = 20  # partners kept per institution: the page shows this many
# bytes of lines read at a time: the build runs this while the validator holds the graph,
# and at 1M facts the default 16 MB chunks took 98 MB at once where these take 42
CHUNK = 1 << 22

# the end of a role link whose object is an IRI: ``> <role> <institution> .`` (searched
# from the roles' common namespace, a literal the regex engine finds fast: a pattern that
# starts at each line's beginning took four times as long at 1M facts)
_ROLE_END = re.compile(
    rb"> <"
    + re.escape(PREFIXES["lvp"].encode())
    + rb"("
    + b"|".join(name.encode() for name in ROLES)
    + rb")> <([^>\n]*)> \.\n"
)


def role_links(chunk: bytes) -> Iterator[tuple[bytes, bytes, bytes]]:
    """(activity, role's local name, institution) of every role link in ``chunk``, whole
    N-Triples lines."""
    for found in _ROLE_END.finditer(chunk):
        start = chunk.rfind(b"\n", 0, found.start()) + 1
        subject = chunk[start : found.start()]
        if subject.startswith(b"<") and b" " not in subject:  # an IRI, the line's subject
            yield subject[1:], found.group(1), found.group(2)


def institution_table(ntriples: bytes | Path, keep: int = PARTNERS) -> dict[str, dict]:
    """institution IRI -> ``{"links": [[activity IRI, role], …], "partners": [[other IRI,
    activities shared], …]}``, for every institution with a role in an activity; a role is
    its local name in the lvp namespace (kg.namespaces.ROLES)."""
    links: dict[bytes, set[tuple[bytes, bytes]]] = defaultdict(set)
    involved: dict[bytes, set[bytes]] = defaultdict(set)  # activity -> its institutions
    for chunk in line_chunks(ntriples, CHUNK):
        for activity, role, institution in role_links(chunk):
            links[institution].add((activity, role))
            involved[activity].add(institution)
    shared: dict[bytes, dict[bytes, int]] = defaultdict(lambda: defaultdict(int))
    for institutions in involved.values():
        for one, other in combinations(institutions, 2):
            shared[one][other] += 1
            shared[other][one] += 1
    # as the queries order (IRIs compared as UTF-8 bytes, which is the order of their code
    # points, as SPARQL compares them; the roles share their namespace): links by activity
    # and role, partners by most shared and then IRI
    table = {}
    for institution in sorted(links):
        first = sorted(shared[institution].items(), key=lambda item: (-item[1], item[0]))
        table[institution.decode()] = {
            "links": [[a.decode(), r.decode()] for a, r in sorted(links[institution])],
            "partners": [[other.decode(), n] for other, n in first[:keep]],
        }
    return table


def write_institution_table(table: dict[str, dict], path: Path) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False) + "\n", encoding="utf-8")
