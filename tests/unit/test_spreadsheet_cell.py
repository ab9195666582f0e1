"""The one guard of every tabular export (CSV, XLSX, ODS, territory CSV): formulas and terminal escapes."""

from __future__ import annotations

import pytest

from cyberaudit.sanitize import spreadsheet_cell, unguard_cell


@pytest.mark.parametrize("raw", ["=HYPERLINK(\"http://x\")", "+33 1 23", "-2+3", "@SUM(A1)", "\tcmd", "'déjà"])
def test_a_formula_like_start_is_quoted_and_comes_back_on_import(raw):
    cell = spreadsheet_cell(raw)
    assert cell == "'" + raw and unguard_cell(cell) == raw


def test_carriage_return_and_terminal_escapes_are_stripped_line_breaks_kept():
    assert spreadsheet_cell("\x1b[31mrouge\x1b[0m\nligne 2\x07") == "rouge\nligne 2"
    assert spreadsheet_cell("\rcalc") == "calc"  # a lone CR is a control character: removed
    assert spreadsheet_cell("Paie des agents") == "Paie des agents" == unguard_cell("Paie des agents")


def test_the_territory_csv_uses_the_same_guard():
    from cyberaudit.territory.render import _cell

    assert _cell("=1+1") == "'=1+1" and _cell("a\nb") == "a b" and _cell(None) == ""
