"""The pages' words: the site's gettext catalogues (``web/translations``), read by
:class:`kg.words.Words`."""

from __future__ import annotations

from pathlib import Path

from kg.words import MissingWordsError
from kg.words import Words

FOLDER = Path(__file__).parent / "translations"

__all__ = ["FOLDER", "MissingWordsError", "Words"]
