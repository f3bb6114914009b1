"""An organisation's brand colour, made safe to use: contrast-checked variants (WCAG 2.1).

The CSP forbids inline styles, so the colour reaches pages as a small stylesheet
(`organisations:brand_css`) that only redefines the `--jamaati-brand*` custom
properties of jamaati.css. Staff may pick any colour: text drawn on it, and the
colour used as text on white, are adjusted here so both stay at AA contrast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AA_NORMAL_TEXT = 4.5
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")
WHITE = (255, 255, 255)
NEAR_BLACK = (17, 17, 17)


@dataclass(frozen=True)
class BrandPalette:
    brand: tuple[int, int, int]
    on_brand: tuple[int, int, int]
    brand_text: tuple[int, int, int]


def _parse(colour: str) -> tuple[int, int, int]:
    if not _HEX.match(colour):
        raise ValueError(f"Not a #rrggbb colour: {colour!r}")
    return (int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16))


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def relative_luminance(rgb: tuple[int, int, int]) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def brand_palette(colour: str) -> BrandPalette:
    """Derive the text colours that keep `colour` readable (AA) on and as text."""
    brand = _parse(colour)
    on_brand = max((WHITE, NEAR_BLACK), key=lambda candidate: contrast_ratio(brand, candidate))
    # Darken in small steps until the colour reads as text on a white page.
    text = brand
    while contrast_ratio(text, WHITE) < AA_NORMAL_TEXT:
        text = (int(text[0] * 0.92), int(text[1] * 0.92), int(text[2] * 0.92))
    return BrandPalette(brand=brand, on_brand=on_brand, brand_text=text)


def brand_stylesheet(palette: BrandPalette) -> str:
    """The CSS custom properties that re-brand jamaati.css."""
    return (
        ":root{"
        f"--jamaati-brand:{_hex(palette.brand)};"
        f"--jamaati-brand-rgb:{','.join(map(str, palette.brand))};"
        f"--jamaati-on-brand:{_hex(palette.on_brand)};"
        f"--jamaati-brand-text:{_hex(palette.brand_text)};"
        f"--jamaati-brand-text-rgb:{','.join(map(str, palette.brand_text))};"
        "}\n"
    )
