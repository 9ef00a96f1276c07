"""What each page of the browser shows, as plain data, answered by SPARQL on a backend.

No Flask here: the web layer renders these dicts as HTML or JSON. Every IRI that reaches a
query is checked (``checked_iri``) and bound through VALUES.
"""
