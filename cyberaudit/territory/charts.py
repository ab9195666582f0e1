"""Inline SVG charts for the barometer (no script, no style attribute: presentation attributes only).

Every label is escaped; numbers are formatted by this module, so the SVG text is safe
to insert as markup in the HTML page.
"""

from __future__ import annotations

from html import escape

COLORS = {"yes": "#1e6b34", "partial": "#c98a00", "no": "#a11d2b", "unknown": "#aab1bc", "na": "#e3e6ea"}
GRADE_COLORS = {"A": "#1e6b34", "B": "#5c8f2a", "C": "#c98a00", "D": "#d06a1b", "E": "#b23a2a", "F": "#7d1521",
                "none": "#aab1bc"}


def _svg(width: int, height: int, body: str, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(label)}" '
            f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">{body}</svg>')


def stacked_bar(counts: dict[str, int], survey: float | None, label: str, width: int = 320, height: int = 16) -> str:
    """One bar split into yes / partial / no / unknown; a black tick marks the national reference."""
    total = sum(counts.get(k, 0) for k in ("yes", "partial", "no", "unknown"))
    parts = []
    x = 0.0
    for key in ("yes", "partial", "no", "unknown"):
        n = counts.get(key, 0)
        if not total or not n:
            continue
        w = width * n / total
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="{height}" fill="{COLORS[key]}"/>')
        x += w
    if not parts:
        parts.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="{COLORS["na"]}"/>')
    if survey is not None:
        known = counts.get("yes", 0) + counts.get("partial", 0) + counts.get("no", 0)
        # the reference is a share of known answers: place it inside the known part of the bar
        sx = width * (known / total if total else 1) * survey
        parts.append(f'<line x1="{sx:.1f}" y1="0" x2="{sx:.1f}" y2="{height}" stroke="#000" stroke-width="2"/>')
    return _svg(width, height, "".join(parts), label)


def grade_chart(grades: dict[str, dict], label: str, width: int = 420, height: int = 180) -> str:
    keys = [k for k in ("A", "B", "C", "D", "E", "F", "none")]
    top = max([grades[k]["count"] for k in keys] + [1])
    slot = width / len(keys)
    base = height - 22
    body = []
    for i, key in enumerate(keys):
        n = grades[key]["count"]
        h = (base - 16) * n / top
        x = i * slot + slot * 0.15
        body.append(f'<rect x="{x:.1f}" y="{base - h:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                    f'fill="{GRADE_COLORS[key]}"/>')
        body.append(f'<text x="{i * slot + slot / 2:.1f}" y="{base - h - 3:.1f}" font-size="11" '
                    f'text-anchor="middle">{n}</text>')
        body.append(f'<text x="{i * slot + slot / 2:.1f}" y="{height - 6}" font-size="12" '
                    f'text-anchor="middle">{"—" if key == "none" else key}</text>')
    return _svg(width, height, "".join(body), label)


def theme_chart(themes: list[dict], titles: dict[str, str], label: str, width: int = 560) -> str:
    row, label_w = 22, 230
    height = row * len(themes) + 8
    body = []
    for i, th in enumerate(themes):
        y = i * row + 4
        body.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(titles[th["theme"]])}</text>')
        if th["mean"] is None:
            body.append(f'<text x="{label_w}" y="{y + 13}" font-size="11" fill="#4a5260">—</text>')
            continue
        w = (width - label_w - 40) * th["mean"] / 100
        color = "#1e6b34" if th["mean"] >= 65 else "#c98a00" if th["mean"] >= 50 else "#a11d2b"
        body.append(f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row - 8}" fill="{color}"/>')
        body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="11">{th["mean"]:.0f}</text>')
    return _svg(width, height, "".join(body), label)


def sparkline(values: list[float | None], label: str, width: int = 160, height: int = 28) -> str:
    """Share (0-1) month by month; gaps where nothing was known."""
    n = len(values)
    if n == 0:
        return _svg(width, height, "", label)
    step = width / max(n - 1, 1)
    body = [f'<line x1="0" y1="{height - 1}" x2="{width}" y2="{height - 1}" stroke="#c9ced6" stroke-width="1"/>']
    segment: list[str] = []
    segments = []
    for i, v in enumerate(values):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        segment.append(f"{i * step:.1f},{(height - 2) - (height - 4) * v:.1f}")
    if segment:
        segments.append(segment)
    for seg in segments:
        if len(seg) == 1:
            x, y = seg[0].split(",")
            body.append(f'<circle cx="{x}" cy="{y}" r="2" fill="#123c69"/>')
        else:
            body.append(f'<polyline points="{" ".join(seg)}" fill="none" stroke="#123c69" stroke-width="1.5"/>')
    return _svg(width, height, "".join(body), label)
