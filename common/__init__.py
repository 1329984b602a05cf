"""Pieces every part of the system shares and that belong to none of them: the look of a PDF (`pdf_style`) and the
reading of uploaded tables (`tabular`).

No Flask, and no import of `cctv`, `inventory`, `siting` or `dpia` (an import-linter contract), so that the domain
packages, which may not import the application, can all use it.
"""
