"""Geometry for the server-side SVG pictures; templates draw them, escaping every label."""

from __future__ import annotations

# Okabe–Ito (and Tol's wine for the eighth): told apart with the common colour-vision
# deficiencies; each role also has its name in the legend and on its lines
ROLE_COLOURS = {
    "responsibleInstitution": "#0072b2",
    "implementer": "#009e73",
    "coImplementer": "#56b4e9",
    "commissioner": "#cc79a7",
    "funder": "#e69f00",
    "partner": "#d55e00",
    "involvedInstitution": "#555555",
    "coordinatingInstitution": "#882255",
}
# Okabe–Ito: told apart with the common colour-vision deficiencies; given to the statuses in
# the order of the data's code list
PALETTE = ("#009e73", "#d55e00", "#0072b2", "#cc79a7", "#e69f00", "#56b4e9", "#f0e442")
OTHER = "#999999"
BAR_WIDTH = 360


def status_colours(statuses: list[dict]) -> dict[str, str]:
    """Status code -> colour, by the status's place in the code list."""
    codes = [s["iri"].rsplit("/", 1)[-1] for s in statuses]
    return {code: PALETTE[i % len(PALETTE)] for i, code in enumerate(codes)}


def status_bars(home: dict) -> dict:
    """Reported measures per status, with how many the graph enumerates, as bars: one bar
    per status that the source counts or the graph enumerates."""
    total = home["reported"].get("all") or 1
    colours = status_colours(home["statuses"])
    rows: list[dict] = []
    for status in home["statuses"]:
        code = status["iri"].rsplit("/", 1)[-1]
        reported = home["reported"].get(code)  # None: no source gives it (never 0)
        enumerated = home["enumerated"].get("measure", {}).get(code, 0)
        if reported is None and not enumerated:
            continue
        index = len(rows)
        rows.append(
            {
                "label": status["label"],
                "lines": wrap(status["label"], 28, lines=2),  # beside the bars, not under
                "code": code,
                "reported": reported,
                "enumerated": enumerated,
                "y": 10 + index * 34,
                "colour": colours[code],
                "width": round(BAR_WIDTH * (reported or 0) / total, 1),
                "enumerated_width": round(BAR_WIDTH * enumerated / total, 1),
            }
        )
    return {"rows": rows, "height": 20 + 34 * len(rows), "bar_width": BAR_WIDTH, "total": total}


NETWORK_WIDTH = 760
LEFT_X, RIGHT_X = 250, 450  # the two columns of dots; labels sit outside them
LINE = 13  # px between the lines of a wrapped label (font size 11)


def wrap(label: str, width: int, lines: int = 3) -> list[str]:
    """A label cut into lines of at most ``width`` characters at spaces, never mid-word;
    what does not fit in ``lines`` lines ends with an ellipsis."""
    out: list[str] = []
    for word in label.split():
        if out and len(out[-1]) + 1 + len(word) <= width:
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[:lines]
        out[-1] = out[-1][: width - 1].rstrip() + "…"
    return out or [""]


def _column(refs: list[dict], width: int) -> tuple[dict[str, int], list[dict]]:
    """Each node's y and its wrapped label, stacked with room for every line."""
    y, places, nodes = 20, {}, []
    for ref in refs:
        lines = wrap(ref["label"], width)
        places[ref["iri"]] = y
        nodes.append({"ref": ref, "y": y, "lines": lines})
        y += LINE * len(lines) + 9
    return places, nodes


def network_svg(matrix: dict, statuses: list[dict]) -> dict:
    """Institutions on the left, activities on the right, one line per role; every node a
    link, every label wrapped at word boundaries, the whole scaled by its viewBox."""
    left, nodes_left = _column(matrix["institutions"], 36)
    right, nodes_right = _column(matrix["activities"], 46)
    colours = status_colours(statuses)
    for node in nodes_right:
        node["colour"] = colours.get(node["ref"].get("status"), OTHER)
    edges, used = [], {}
    for cell in matrix["cells"]:
        for role in cell["roles"]:
            used[role["role"]] = role.get("name") or {"label": role["role"]}
            edges.append(
                {
                    "y1": left[cell["institution"]],
                    "y2": right[cell["activity"]],
                    "colour": ROLE_COLOURS.get(role["role"], OTHER),
                    "dashed": role["basis"] == "inferred",
                    "role": role.get("name") or {"label": role["role"]},
                }
            )
    bottom = max([n["y"] + LINE * len(n["lines"]) for n in nodes_left + nodes_right] or [20])
    legend = [
        {"name": used[code], "colour": colour}
        for code, colour in ROLE_COLOURS.items()
        if code in used
    ]
    return {
        "left": nodes_left,
        "right": nodes_right,
        "edges": edges,
        "height": bottom + 10,
        "width": NETWORK_WIDTH,
        "x": {"left": LEFT_X, "right": RIGHT_X},
        "legend": legend,
    }


TIMELINE_WIDTH = 760
AXIS_LEFT, AXIS_RIGHT = 330, 740


def _day(text: str) -> str:
    """A whole date from a year or a month (``2019`` → ``2019-01-01``)."""
    return (text + "-01-01")[:10] if len(text) < 10 else text[:10]


def timeline(documents: list[dict]) -> dict:
    """The policy cycle on a time axis: a row per planning document (its label a link),
    a band over the period it covers, a dot at its date, a diamond at each approving act's,
    a triangle at each follow-up deadline. Only dates the graph holds are drawn; a document
    without one says so."""
    years = [
        int(day[:4])
        for d in documents
        for day in [
            d.get("date"),
            *[a.get("date") for a in d["acts"]],
            *[x["due"] for x in d["deadlines"]],
            d.get("start"),
            d.get("end"),
        ]
        if day
    ]
    if not years:
        return {"rows": [], "height": 0}
    first, last = min(years), max(years) + 1

    def x(day: str) -> float:
        year, month, date = (int(part) for part in day.split("-"))
        share = (year - first + (month - 1) / 12 + (date - 1) / 365) / (last - first)
        return round(AXIS_LEFT + share * (AXIS_RIGHT - AXIS_LEFT), 1)

    rows, y = [], 40
    for d in documents:
        lines = wrap(d["ref"]["label"], 50)
        marks = []
        span = None
        if d.get("start") and d.get("end"):
            left, right = x(_day(d["start"])), x(_day(d["end"]))
            span = {
                "x": left,
                "width": round(max(right - left, 2), 1),
                "from": d["start"],
                "to": d["end"],
            }
        if d.get("date"):
            marks.append({"x": x(d["date"]), "shape": "date", "day": d["date"], "what": d["ref"]})
        for act in d["acts"]:
            if act.get("date"):
                marks.append({"x": x(act["date"]), "shape": "act", "day": act["date"], "what": act})
        for due in d["deadlines"]:
            marks.append(
                {"x": x(due["due"]), "shape": "deadline", "day": due["due"], "what": due["ref"]}
            )
        rows.append(
            {
                "ref": d["ref"],
                "kind": d["kind"],
                "y": y,
                "lines": lines,
                "marks": marks,
                "span": span,
            }
        )
        y += LINE * len(lines) + 14
    ticks = [
        {"year": year, "x": x(f"{year}-01-01")}
        for year in range(first, last + 1)
        if (year - first) % 2 == 0
    ]
    return {
        "rows": rows,
        "ticks": ticks,
        "height": y + 10,
        "width": TIMELINE_WIDTH,
        "left": AXIS_LEFT,
        "right": AXIS_RIGHT,
    }
