"""An informative report on a plan, written from the graph (``kg report``, ``/plans/<id>/report``).

``content`` gathers what the graph holds about a plan and where each fact comes from;
``text`` says it in a reader's language; ``html``, ``docx`` and ``pdf`` write it down.
Every number in a report carries a note: the fact it states, its source and the words it
was read from. The report never states what the graph does not hold: what is missing is
a section of its own.
"""
