"""Latvia's integration policy cycle as a validated knowledge graph."""

__all__ = ["__version__"]

__version__ = "0.1.0"
