"""The example library: the competency questions, with Latvian and English titles."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

CQ = Path(__file__).parent / "queries" / "cq"


@dataclass(frozen=True)
class Example:
    key: str
    title_lv: str
    title_en: str
    query: str


@functools.cache
def examples() -> tuple[Example, ...]:
    found = []
    for path in sorted(CQ.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        titles = {}
        body = []
        for line in text.splitlines():
            if line.startswith("# title@"):
                lang, title = line[len("# title@") :].split(":", 1)
                titles[lang] = title.strip()
            elif not line.startswith("# cq:"):
                body.append(line)
        found.append(Example(path.stem, titles["lv"], titles["en"], "\n".join(body).strip() + "\n"))
    return tuple(found)


def example(key: str) -> Example | None:
    return next((e for e in examples() if e.key == key), None)
