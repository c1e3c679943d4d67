"""Text people type: what is taken out before it is stored."""

from __future__ import annotations

# Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make
# "txt.exe" display as "exe.txt" and let a name pose as another. Never needed in a name.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return text.translate(BIDI_CONTROLS)


def _char_class(codepoints: list[int]) -> str:
    """``\\uXXXX-\\uYYYY`` ranges for a regex character class."""
    ranges: list[list[int]] = []
    for point in sorted(codepoints):
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1][1] = point
        else:
            ranges.append([point, point])
    return "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)


# Spelled out, not \\s (a JSON Schema \\s is not Python's): what str.strip() takes off, and
# what pydantic's trim does (Unicode White_Space: the same less U+001C-U+001F).
_SPACES = [c for c in range(0x3001) if chr(c).isspace()]
_TRIMMED = [c for c in _SPACES if not 0x1C <= c <= 0x1F]
VISIBLE = f"[^{_char_class(_SPACES + list(BIDI_CONTROLS))}]"  # a character a person can see
BLANK_OR_VISIBLE = f"^[{_char_class(_TRIMMED)}]*$|{VISIBLE}"  # empty once trimmed, or VISIBLE
