"""The build side, first room: the source tables, read and checked as their schema says
(``data/csv-metadata.json``), from CSV files or a workbook, and written back."""
