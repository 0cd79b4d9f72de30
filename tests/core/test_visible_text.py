"""Untrusted text made visible (for the value viewer) and clipped (for fields shown in place)."""

from __future__ import annotations

import re

from orch_tui.core.formatting import clip_text, hidden_count, visible_text
from orch_tui.demo.hostile import HOSTILE, MEGABYTE

RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


def test_every_hostile_string_is_shown_with_nothing_hidden_or_acted_on() -> None:
    for trap in HOSTILE:
        shown = visible_text(trap)
        assert not RAW.search(shown), repr(shown)
    assert visible_text("\x1b[31mred\x1b[0m") == "␛[31mred␛[0m"
    assert visible_text("\x1b]52;c;aGk=\x07") == "␛]52;c;aGk=␇"
    assert visible_text("nul\x00 del\x7f c1\x9b") == "nul␀ del␡ c1\\x9b"
    assert visible_text("\u202eevil\u202c zero\u200bwidth\ufeff") == "\\u202eevil\\u202c zero\\u200bwidth\\ufeff"
    assert visible_text("tag\U000e0041 lone\ud800") == "tag\\U000e0041 lone\\ud800"


def test_newlines_and_tabs_stay_and_markup_is_left_alone() -> None:
    assert visible_text("line\nbreak\r\ncarriage\rreturn\ttab") == "line\nbreak\ncarriage␍return\ttab"
    assert visible_text("[@click=app.quit]x [/] [bold]") == "[@click=app.quit]x [/] [bold]"
    assert visible_text("") == "" and visible_text(None) == ""


def test_hidden_count_counts_what_is_shown_as_a_symbol() -> None:
    assert hidden_count("plain\ntext\tok") == 0
    assert hidden_count("\x1b[2J\x07\u202e\r\n\r") == 4
    assert hidden_count(MEGABYTE + "\x1b") == 1


def test_clip_text_cuts_long_or_tall_text_and_says_so() -> None:
    assert clip_text("short") == ("short", False)
    assert clip_text(None) == ("", False)
    text, cut = clip_text(MEGABYTE, 100)
    assert cut and text == "M" * 100 + "…"
    text, cut = clip_text("\n".join(f"line {n}" for n in range(100)), 10_000, 3)
    assert cut and text == "line 0\nline 1\nline 2…"
    text, cut = clip_text("\x1b[31mred\x1b[0m\u202e  ", 2_000)
    assert text == "[31mred[0m" and not cut
