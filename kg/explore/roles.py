"""The roles an institution can have in an activity: the sub-properties of
lvp:involvedInstitution, in the order pages list them.

Queries bind these by VALUES rather than follow ``rdfs:subPropertyOf*`` for every link: at
a million facts the path costs a join per institution–activity pair (issue 23).
"""

from __future__ import annotations

import rdflib

from kg.namespaces import LVP
from kg.namespaces import ROLES

ROLE_ORDER = list(ROLES)


def role_iris() -> list[rdflib.URIRef]:
    return [rdflib.URIRef(str(LVP[name])) for name in ROLE_ORDER]
