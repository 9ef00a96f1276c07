"""Latvia's integration policy plan 2019–2020 as a validated knowledge graph."""

__all__ = ["__version__"]

__version__ = "0.1.0"
