"""Geometry for the server-side SVG pictures; templates draw them, escaping every label."""

from __future__ import annotations

ROLE_COLOURS = {
    "responsibleInstitution": "#2166ac",
    "implementer": "#1b7837",
    "coImplementer": "#4393c3",
    "commissioner": "#762a83",
    "funder": "#e08214",
    "partner": "#5aae61",
    "involvedInstitution": "#878787",
    "coordinatingInstitution": "#b2182b",
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
        reported = home["reported"].get(code, 0)
        enumerated = home["enumerated"].get("measure", {}).get(code, 0)
        if not reported and not enumerated:
            continue
        index = len(rows)
        rows.append(
            {
                "label": status["label"],
                "code": code,
                "reported": reported,
                "enumerated": enumerated,
                "y": 10 + index * 34,
                "colour": colours[code],
                "width": round(BAR_WIDTH * reported / total, 1),
                "enumerated_width": round(BAR_WIDTH * enumerated / total, 1),
            }
        )
    return {"rows": rows, "height": 20 + 34 * len(rows), "bar_width": BAR_WIDTH, "total": total}


def network_svg(matrix: dict, statuses: list[dict]) -> dict:
    """Institutions on the left, activities on the right, one line per role."""
    row = 22
    left = {inst["iri"]: 20 + i * row for i, inst in enumerate(matrix["institutions"])}
    right = {act["iri"]: 20 + i * row for i, act in enumerate(matrix["activities"])}
    edges = []
    for cell in matrix["cells"]:
        for role in cell["roles"]:
            edges.append(
                {
                    "y1": left[cell["institution"]],
                    "y2": right[cell["activity"]],
                    "colour": ROLE_COLOURS.get(role["role"], "#878787"),
                    "dashed": role["basis"] == "inferred",
                    "role": role["role"],
                }
            )
    nodes_left = [{"ref": inst, "y": left[inst["iri"]]} for inst in matrix["institutions"]]
    colours = status_colours(statuses)
    nodes_right = [
        {"ref": act, "y": right[act["iri"]], "colour": colours.get(act["status"], OTHER)}
        for act in matrix["activities"]
    ]
    height = 40 + row * max(len(left), len(right), 1)
    return {
        "left": nodes_left,
        "right": nodes_right,
        "edges": edges,
        "height": height,
        "roles": ROLE_COLOURS,
    }
