"""The world map the pictures draw on: countries shaded and marked by a count, with a
caption and, where asked, a legend of the shades."""

from __future__ import annotations

import collections
import math
from xml.sax.saxutils import escape, quoteattr

from . import geo

FONT = "font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif\""


def world_map(counts: collections.Counter, name: str, unit: str, title: str, caption: str,
               link: bool = False, legend: bool = False) -> str:
    """A world map with the countries of ``counts`` shaded and marked by count."""
    top = max(counts.values(), default=1)
    width, height = geo.WIDTH, geo.HEIGHT
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height + 54:g}" '
           f'width="{width:g}" height="{height + 54:g}" role="{role(link)}" '
           f'aria-labelledby="{name}-title" {FONT} font-size="12">',
           f'<title id="{name}-title">{escape(title)}</title>',
           f'<rect width="{width:g}" height="{height + 54:g}" fill="#ffffff"/>',
           f'<clipPath id="sphere"><path d="{outline()}"/></clipPath>',
           f'<path d="{outline()}" fill="#eaf2f8" stroke="#99aabb" stroke-width="0.5"/>',
           '<g clip-path="url(#sphere)">']
    marks = []
    for country in geo.countries():
        count = counts.get(country.code or "", 0)
        fill = shade(count / top) if count else "#d6d6d6"
        name = escape(country.name)
        out.append(f'<path d="{country.path}" fill="{fill}" stroke="#ffffff" '
                   f'stroke-width="0.5"><title>{name}'
                   + (f": {count} {unit}{'s' * (count != 1)}" if count else "")
                   + "</title></path>")
        if count:
            cx, cy = country.centre
            radius = 4 + 3 * math.sqrt(count)
            label = f"{country.name}: {count} {unit}{'s' * (count != 1)}"
            body = (f'<circle cx="{cx:g}" cy="{cy:g}" r="{radius:.1f}" fill="#B34700" '
                    f'fill-opacity="0.85" stroke="#1a1a1a" stroke-width="0.8"/>'
                    f'<text x="{cx:g}" y="{cy + 4:g}" text-anchor="middle" font-size="11" '
                    f'font-weight="700" fill="#ffffff">{count}</text>')
            if link:
                marks.append(f'<a href="#events" data-country="{country.code}" '
                             f'aria-label={quoteattr(label)}><title>{escape(label)}</title>'
                             f'{body}</a>')
            else:
                marks.append(f"<g><title>{escape(label)}</title>{body}</g>")
    out.append("</g>")
    out += marks
    if legend:  # the shades' scale, from one to the largest count
        for step, value in enumerate(sorted({1, max(1, top // 2), top})):
            x = 12 + step * 70
            out.append(f'<rect x="{x}" y="{height - 24:g}" width="14" height="14" '
                       f'fill="{shade(value / top)}"/><text x="{x + 18}" y="{height - 12:g}" '
                       f'fill="#1a1a1a">{value}</text>')
    out.append(f'<text x="12" y="{height + 24:g}" fill="#1a1a1a">{escape(caption)}</text>')
    out.append(f'<text x="12" y="{height + 42:g}" fill="#555555">Shapes: Natural Earth '
               '(1:110m), via world-atlas.</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def role(link: bool) -> str:
    """An image, or, when its marks are links, a group (an image's children are
    presentational, so links inside one are hidden from assistive technology)."""
    return "group" if link else "img"


def shade(share: float) -> str:
    """From a light to a dark blue, by share of the largest count (dark enough for text)."""
    light, dark = (0x9e, 0xca, 0xe1), (0x08, 0x45, 0x94)
    mixed = [round(a + (b - a) * share) for a, b in zip(light, dark)]
    return "#" + "".join(f"{c:02x}" for c in mixed)


def outline() -> str:
    """The sphere's outline in the projection: the edge meridians and the poles."""
    points = [geo.project(-180, lat) for lat in range(-90, 91, 5)]
    points += [geo.project(180, lat) for lat in range(90, -91, -5)]
    return "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z"
