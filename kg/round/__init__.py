"""A reporting round: each responsible institution gets a workbook of its own measures
(``kg round open``), fills in how they stand, and returns it; ``kg round collect`` checks
every return against what was issued, writes each institution its problems, and merges
the valid returns into the tables, all or none per institution, each fact citing the
return it was read from and quoting the returned row's words.

``issue`` says what a round asks of each institution (from the tables); ``workbook``
writes and reads the workbooks; ``collect`` checks and merges; ``words`` holds what the
problems say, in Latvian and English.
"""
