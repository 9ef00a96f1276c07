"""The data's implementation statuses: their words and their order, as the code list in
the graph gives them (read once per process, from the backend)."""

from __future__ import annotations

from flask import Flask
from flask import current_app
from flask import g

from kg.explore.plan import statuses


def _status_list() -> dict:
    state = current_app.extensions["kg"]
    if "statuses" not in state:
        from kg.queries import query

        base = current_app.config["BASE"]
        words: dict[str, dict[str, str]] = {}
        for row in state["backend"].select(query("status-words", base)):
            code = str(row["status"]).rsplit("/", 1)[-1]
            words.setdefault(code, {})[row["label"].language or ""] = str(row["label"])
        codes = [str(s).rsplit("/", 1)[-1] for s in statuses(state["backend"], base)]
        state["statuses"] = {"words": words, "order": [c for c in codes if c != "all"]}
    return state["statuses"]


def status_place(code: str) -> int:
    """A status's place in the data's code list (1, 2, …; 0 if unknown): its badge colour,
    so that the data, not the stylesheet, says which status is which."""
    order = _status_list()["order"]
    return order.index(code) + 1 if code in order else 0


def status_word(code: str) -> str:
    """A status in the reader's language, as the data's code list names it."""
    labels = _status_list()["words"].get(code, {})
    return labels.get(g.get("lang", "")) or labels.get("lv") or labels.get("en") or code


def init_app(app: Flask) -> None:
    app.jinja_env.globals["status_word"] = status_word
    app.jinja_env.globals["status_place"] = status_place
