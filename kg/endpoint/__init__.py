"""The public SPARQL endpoint's engine side: guard, limits and killable workers (no Flask)."""
