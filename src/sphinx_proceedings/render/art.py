"""Pictures the site draws for itself: a favicon from its name, a banner from a seed.

Both are small SVG files made at build time from the site's short name and two
theme colours, so a new site has an icon and a banner of its own without an
image file or a request to another server.  The banner is a picture of a flow:
streamlines of a velocity field made of a few point vortices and a steady
drift, placed by a seeded random generator (the same seed draws the same
banner, byte for byte).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

import jinja2

_TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("sphinx_proceedings.render", "templates/art"),
    autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
_HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def monogram(name: str) -> str:
    """One or two letters for an icon: initials of the first two words, or for one
    word (``AI4DiffEqtnsInSci``, ``ML4Waves``) its first letter and the next capital."""
    words = re.findall(r"[^\W_]+", name)
    if not words:
        return "?"
    if len(words) > 1:
        return (words[0][0] + words[1][0]).upper()
    word = words[0]
    following = next((c for c in word[1:] if c.isupper()), word[1:2])
    return (word[0] + following).upper()


def colour(value: str, fallback: str) -> str:
    """A CSS hex colour, or the fallback for anything else (values land in SVG attributes)."""
    return value if isinstance(value, str) and _HEX.match(value) else fallback


def _luminance(hex_colour: str) -> float:
    digits = hex_colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def readable_on(background: str) -> str:
    """White or near-black, whichever contrasts more with ``background`` (WCAG formula)."""
    light = _luminance(background)
    on_white = 1.05 / (light + 0.05)
    on_dark = (light + 0.05) / (_luminance("#14181e") + 0.05)
    return "#ffffff" if on_white >= on_dark else "#14181e"


def favicon_svg(name: str, background: str) -> str:
    """A rounded square in the theme colour with the name's monogram."""
    background = colour(background, "#0a7d91")
    letters = monogram(name)
    size = 34 if len(letters) == 2 else 40
    return _TEMPLATES.get_template("favicon.svg.jinja").render(
        name=name, letters=letters, background=background, foreground=readable_on(background),
        size=size, baseline=32 + size * 0.36)


@dataclass(frozen=True)
class _Vortex:
    x: float
    y: float
    strength: float


def _velocity(x: float, y: float, vortices: list[_Vortex], drift: float) -> tuple[float, float]:
    u, v = drift, 0.0
    for w in vortices:
        dx, dy = x - w.x, y - w.y
        r2 = dx * dx + dy * dy + 900.0  # a soft core: no infinite speeds
        u -= w.strength * dy / r2
        v += w.strength * dx / r2
    return u, v


def _streamline(x: float, y: float, vortices: list[_Vortex], drift: float,
                width: int, height: int, steps: int = 90, step: float = 9.0) -> list[tuple[float, float]]:
    """Points along the flow from (x, y), second-order Runge-Kutta at a fixed arc length."""
    points = [(x, y)]
    for _ in range(steps):
        u, v = _velocity(x, y, vortices, drift)
        speed = math.hypot(u, v) or 1.0
        mx, my = x + 0.5 * step * u / speed, y + 0.5 * step * v / speed
        u, v = _velocity(mx, my, vortices, drift)
        speed = math.hypot(u, v) or 1.0
        x, y = x + step * u / speed, y + step * v / speed
        if not (-20 <= x <= width + 20 and -20 <= y <= height + 20):
            break
        points.append((x, y))
    return points


def banner_svg(seed: int, first: str, second: str, width: int = 1200, height: int = 360,
               lines: int = 46, opacity: float = 0.5) -> str:
    """Streamlines of a seeded vortex field, drawn in a gradient of two colours."""
    rng = random.Random(seed)  # noqa: S311 - a picture, not a secret
    vortices = [_Vortex(rng.uniform(0.1, 0.9) * width, rng.uniform(0.15, 0.85) * height,
                        rng.choice((-1, 1)) * rng.uniform(60, 160)) for _ in range(5)]
    drift = rng.uniform(0.35, 0.7)
    paths = []
    for i in range(lines):
        start_x = rng.uniform(-0.1, 1.0) * width
        start_y = (i + rng.random()) / lines * height
        points = _streamline(start_x, start_y, vortices, drift, width, height)
        if len(points) < 6:
            continue
        path = "M" + " ".join(f"{px:.0f} {py:.0f}" for px, py in points[::2])
        paths.append({"path": path, "width": f"{rng.uniform(0.8, 2.2):.1f}"})
    return _TEMPLATES.get_template("banner.svg.jinja").render(
        width=width, height=height, lines=paths, opacity=opacity,
        first=colour(first, "#0a7d91"), second=colour(second, "#8045e5"))
