"""What a return's problems say, in Latvian and English: the institution reads its report in
either. Each message has its words and, where a value was refused, what is accepted."""

from __future__ import annotations

# key: (Latvian, English); {value}, {issued}, {sheet}, {measure} are filled in
PROBLEMS: dict[str, tuple[str, str]] = {
    "locked": (
        "šī šūna pieder plānam, ne atskaitei: tā mainīta (izsniegts: „{issued}”)",
        "this cell is the plan's, not the return's: it was changed (issued: '{issued}')",
    ),
    "not_yours": (
        "rinda „{value}” nav izsniegta šai institūcijai",
        "row '{value}' was not issued to this institution",
    ),
    "header": (
        "lapas virsraksta rinda mainīta",
        "the sheet's heading row was changed",
    ),
    "status": (
        "„{value}” nav statuss",
        "'{value}' is not a status",
    ),
    "number": (
        "„{value}” nav skaitlis",
        "'{value}' is not a number",
    ),
    "negative": (
        "skaitlis nevar būt negatīvs",
        "a number cannot be negative",
    ),
    "no_evidence": (
        "statuss bez pamatojuma: norādiet, kas to apliecina",
        "a status without evidence: say what shows it",
    ),
    "spent_over": (
        "izlietots vairāk nekā piešķirts",
        "more spent than granted",
    ),
    "unknown_round": (
        "darbgrāmata nosauc plānu, periodu vai institūciju, kam nav atskaites",
        "the workbook names a plan, period or institution that has no return to make",
    ),
    "unreadable": (
        "darbgrāmatu nevar nolasīt: {value}",
        "the workbook cannot be read: {value}",
    ),
}

ACCEPTED: dict[str, tuple[str, str]] = {
    "locked": ("izsniegtā vērtība", "the value issued"),
    "not_yours": ("tikai izsniegtās rindas", "only the rows issued"),
    "header": ("izsniegtais virsraksts", "the heading issued"),
    "status": ("viens no: {choices}", "one of: {choices}"),
    "number": ("skaitlis, piem. 10000 vai 10 000", "a number, e.g. 10000 or 10 000"),
    "negative": ("0 vai vairāk", "0 or more"),
    "no_evidence": ("teksts", "text"),
    "spent_over": ("izlietots ≤ piešķirts", "spent ≤ granted"),
    "unknown_round": ("kg round open izsniegta darbgrāmata", "a workbook kg round open issued"),
    "unreadable": ("XLSX darbgrāmata bez formulām", "an XLSX workbook without formulas"),
}
