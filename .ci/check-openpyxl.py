#!/usr/bin/python3
"""Reads Hearth's workbooks with openpyxl, a reader Hearth did not write, and checks them
against expectations given as JSON (a file named on the command line, or standard input):

  {"files": [{"path": "...", "mode": 384,              # 0o600
              "sheets": ["Synthèse", "Membres"],       # the sheet names, in order
              "print": {"Membres": "1:1", "Synthèse": null},  # every sheet: A4 landscape,
                                                       # fitted to 1 page wide; titles rows
              "cells": {"Membres": {"A1": ["str", "Nom"], "F2": ["datetime", "2026-01-01T00:30:00"],
                                    "K2": ["number", 12.5], "K3": ["none"]}}}]}

Dates must be datetimes (not text) on the wall clock given. Prints one line per file; exits 1
on the first file with failures, listing them all. Run by backend/reports' openpyxl test.
"""
import datetime
import json
import os
import stat
import sys

try:
    import openpyxl
except ImportError:
    sys.exit("check-openpyxl: openpyxl is missing: apt-get install python3-openpyxl (or run .ci/deps)")


def check_cell(ws, ref, want):
    c = ws[ref]
    v, kind = c.value, want[0]
    if kind == "none":
        return None if v is None else f"{ref} is {v!r}, want an empty cell"
    if kind == "str":
        ok = isinstance(v, str) and v == want[1]
        return None if ok else f"{ref} is {v!r}, want the text {want[1]!r}"
    if kind == "number":
        ok = isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v - want[1]) < 1e-9
        return None if ok else f"{ref} is {v!r}, want the number {want[1]!r}"
    if kind == "datetime":
        exp = datetime.datetime.fromisoformat(want[1])
        if not isinstance(v, datetime.datetime):
            return f"{ref} is {v!r} ({type(v).__name__}), want a date cell {exp}"
        if abs((v - exp).total_seconds()) > 1:
            return f"{ref} is {v}, want {exp} (the zone's wall clock)"
        if not c.is_date:
            return f"{ref} has the number format {c.number_format!r}, not a date format"
        return None
    return f"{ref}: unknown expectation {want!r}"


def check_print(ws, titles):
    errs = []
    ps = ws.page_setup
    if str(ps.paperSize) != "9":
        errs.append(f"paper size {ps.paperSize!r}, want 9 (A4)")
    if ps.orientation != "landscape":
        errs.append(f"orientation {ps.orientation!r}, want landscape")
    pr = ws.sheet_properties.pageSetUpPr
    if pr is None or not pr.fitToPage:
        errs.append("not fitted to the page")
    if ps.fitToWidth not in (1, "1"):
        errs.append(f"fitToWidth {ps.fitToWidth!r}, want 1")
    if ps.fitToHeight not in (0, "0"):
        errs.append(f"fitToHeight {ps.fitToHeight!r}, want 0 (as many pages down as needed)")
    got = (ws.print_title_rows or "").replace("$", "") or None
    if got != titles:
        errs.append(f"print title rows {got!r}, want {titles!r}")
    return [f"{ws.title}: {e}" for e in errs]


def check_file(spec):
    path, errs = spec["path"], []
    mode = stat.S_IMODE(os.stat(path).st_mode)
    if "mode" in spec and mode != spec["mode"]:
        errs.append(f"mode {mode:o}, want {spec['mode']:o}")
    wb = openpyxl.load_workbook(path)
    if "sheets" in spec and wb.sheetnames != spec["sheets"]:
        errs.append(f"sheets {wb.sheetnames}, want {spec['sheets']}")
    for name, titles in spec.get("print", {}).items():
        errs += check_print(wb[name], titles)
    for name, cells in spec.get("cells", {}).items():
        for ref, want in cells.items():
            e = check_cell(wb[name], ref, want)
            if e:
                errs.append(f"{name}!{e}")
    return errs


def main():
    spec = json.load(open(sys.argv[1]) if len(sys.argv) > 1 else sys.stdin)
    failed = False
    for f in spec["files"]:
        errs = check_file(f)
        name = os.path.basename(f["path"])
        if errs:
            failed = True
            print(f"{name}: {len(errs)} failures", file=sys.stderr)
            for e in errs:
                print(f"  {e}", file=sys.stderr)
        else:
            print(f"{name}: ok (openpyxl {openpyxl.__version__})")
    sys.exit(1 if failed else 0)


main()
