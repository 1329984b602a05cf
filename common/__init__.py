"""Pieces every part of the system shares and that belong to none of them: the look of a PDF (`pdf_style`), the
reading of uploaded tables (`tabular`) and pausing the garbage collector around bulk work (`collector`).

No Flask, and no import of `cctv`, `inventory`, `siting` or `dpia` (an import-linter contract), so that the domain
packages, which may not import the application, can all use it.
"""
