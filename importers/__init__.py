"""Importers: read source files, validate every row, report, and apply all-or-nothing.

Each format is a module with ``sniff(path) -> bool`` and ``parse(path, import_id) ->
ParsedFile``; :mod:`importers.run` recognises the format by content and applies all files
of one run as one batch.
"""
