"""Text people type: what is taken out before it is stored."""

from __future__ import annotations

# Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): they make
# "txt.exe" display as "exe.txt" and let a name pose as another. Never needed in a name.
BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return text.translate(BIDI_CONTROLS)
