"""Who shares activities with whom (``partners.json``), worked out once at build time from
the build's own N-Triples; an institution's page reads its row (kg.explore.institutions).

Why at build time: asked of the store on every visit, the institution with most roles
spent a third of its page's query time on this one join (issue 23). The file holds, for
every institution, what kg/queries/partners.rq answers for it: the others that share an
activity with it in any role, most shared first, then by IRI, the first PARTNERS of them;
a test checks the two agree for every institution.
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

# the end of a role link whose object is an IRI: ``> <role> <institution> .`` (searched
# from the roles' common namespace, a literal the regex engine finds fast: a pattern that
# starts at each line's beginning took four times as long at 1M facts)
_ROLE_END = re.compile(
    rb"> <"
    + re.escape(PREFIXES["lvp"].encode())
    + rb"(?:"
    + b"|".join(name.encode() for name in ROLES)
    + rb")> <([^>\n]*)> \.\n"
)


def role_links(chunk: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(activity, institution) of every role link in ``chunk``, whole N-Triples lines."""
    for found in _ROLE_END.finditer(chunk):
        start = chunk.rfind(b"\n", 0, found.start()) + 1
        subject = chunk[start : found.start()]
        if subject.startswith(b"<") and b" " not in subject:  # an IRI, the line's subject
            yield subject[1:], found.group(1)


def partner_table(ntriples: bytes | Path, keep: int = PARTNERS) -> dict[str, list[list]]:
    """institution IRI -> ``[[other IRI, activities shared], …]``, for every institution
    that shares an activity with another."""
    involved: dict[bytes, set[bytes]] = defaultdict(set)  # activity -> its institutions
    for chunk in line_chunks(ntriples):
        for activity, institution in role_links(chunk):
            involved[activity].add(institution)
    shared: dict[bytes, dict[bytes, int]] = defaultdict(lambda: defaultdict(int))
    for institutions in involved.values():
        for one, other in combinations(institutions, 2):
            shared[one][other] += 1
            shared[other][one] += 1
    table = {}
    for institution, counts in shared.items():
        # as the query orders: most shared first, then the IRI (compared as UTF-8 bytes,
        # which is the order of their code points, as SPARQL compares strings)
        first = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:keep]
        table[institution.decode()] = [[other.decode(), n] for other, n in first]
    return dict(sorted(table.items()))


def write_partners(table: dict[str, list[list]], path: Path) -> None:
    path.write_text(json.dumps(table, ensure_ascii=False) + "\n", encoding="utf-8")
