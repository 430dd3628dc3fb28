"""Status badges: shields.io endpoint JSON and a static SVG, per system."""

from __future__ import annotations

import json
from html import escape

__all__ = ["BADGE_COLOURS", "badge_json", "badge_svg"]

# Message -> (shields colour name, hex used in the static SVG; white text passes 4.5:1 on each).
BADGE_COLOURS: dict[str, tuple[str, str]] = {
    "operational": ("brightgreen", "#1b6e2d"),
    "degraded": ("yellow", "#7a5500"),
    "down": ("red", "#b3131f"),
    "maintenance": ("blue", "#1a4fa0"),
    "no data": ("lightgrey", "#4a5a63"),
}


def badge_json(label: str, message: str) -> str:
    """The shields.io endpoint format: https://shields.io/badges/endpoint-badge ."""
    colour = BADGE_COLOURS[message][0]
    body = {"schemaVersion": 1, "label": label, "message": message, "color": colour}
    return json.dumps(body, sort_keys=True) + "\n"


def _text_width(text: str) -> int:
    # Verdana 11px averages about 6.6 px a character; wide enough for every label we print.
    return round(len(text) * 6.6) + 12


def badge_svg(label: str, message: str) -> str:
    left, right = _text_width(label), _text_width(message)
    total = left + right
    colour = BADGE_COLOURS[message][1]
    text = escape(f"{label}: {message}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{total}" height="20" role="img" '
        f'aria-label="{text}"><title>{text}</title>'
        f'<rect width="{left}" height="20" fill="#3b3b3b"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        '<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11">'
        f'<text x="{left / 2:.0f}" y="14" text-anchor="middle">{escape(label)}</text>'
        f'<text x="{left + right / 2:.0f}" y="14" text-anchor="middle">{escape(message)}</text>'
        "</g></svg>\n"
    )
