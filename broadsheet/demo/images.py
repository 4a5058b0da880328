"""Deterministic, font-free flat illustrations for Broadsheet's demo stories."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageFilter

Color = tuple[int, int, int]
Point = tuple[float, float]

# Demo pictures only need to look pleasant, not be unpredictable.
# ruff: noqa: S311

_PAPER: Color = (226, 219, 204)


class _Scene:
    """A supersampled canvas plus the seeded random source and palette for one picture."""

    def __init__(self, width: int, height: int, rng: random.Random, scale: int) -> None:
        self.w = width * scale
        self.h = height * scale
        self.scale = scale
        self.rng = rng
        self.u = min(self.w, self.h) / 675.0  # one "unit" of line width at 675 px tall
        self.img = Image.new("RGB", (self.w, self.h), _PAPER)
        self.draw = ImageDraw.Draw(self.img)
        self.sky = rng.choice(_SKIES)
        self.hue = rng.uniform(-1.0, 1.0)

    def lw(self, units: float) -> int:
        """A line width in pixels for a width given in units."""
        return max(1, round(units * self.u))

    def tint(self, color: Color, amount: int = 10) -> Color:
        """Jitter a colour a little so two seeds never share an exact palette."""
        r = self.rng
        return _clamp(
            (
                color[0] + r.randint(-amount, amount) + round(self.hue * 6),
                color[1] + r.randint(-amount, amount),
                color[2] + r.randint(-amount, amount) - round(self.hue * 6),
            )
        )


# Sky schemes: (top, bottom, sun or moon, is_night)
_SKIES: tuple[tuple[Color, Color, Color, bool], ...] = (
    ((118, 156, 186), (232, 214, 184), (250, 234, 196), False),  # morning
    ((96, 140, 178), (204, 220, 226), (252, 246, 226), False),  # midday
    ((146, 156, 166), (214, 210, 200), (234, 230, 220), False),  # overcast
    ((70, 72, 112), (230, 164, 124), (250, 204, 150), False),  # dusk
    ((24, 32, 56), (76, 84, 118), (236, 230, 206), True),  # night
)


def _clamp(c: Sequence[float]) -> Color:
    return (
        max(0, min(255, round(c[0]))),
        max(0, min(255, round(c[1]))),
        max(0, min(255, round(c[2]))),
    )


def _mix(a: Color, b: Color, t: float) -> Color:
    return _clamp((a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t))


def _gradient(width: int, height: int, top: Color, bottom: Color) -> Image.Image:
    """A vertical gradient, built as one column and stretched sideways (fast)."""
    height = max(1, height)
    column = Image.new("RGB", (1, height))
    span = max(1, height - 1)
    column.putdata([_mix(top, bottom, y / span) for y in range(height)])
    return column.resize((max(1, width), height), Image.Resampling.NEAREST)


def _paste_gradient(s: _Scene, box: tuple[int, int, int, int], top: Color, bottom: Color) -> None:
    x0, y0, x1, y1 = box
    s.img.paste(_gradient(x1 - x0, y1 - y0, top, bottom), (x0, y0))


def _polygon_gradient(s: _Scene, pts: Sequence[Point], top: Color, bottom: Color) -> None:
    """Fill a polygon with a vertical gradient spanning its own height."""
    ys = [p[1] for p in pts]
    y0, y1 = max(0, int(min(ys))), min(s.h, int(max(ys)) + 1)
    if y1 <= y0:
        return
    mask = Image.new("L", (s.w, y1 - y0), 0)
    ImageDraw.Draw(mask).polygon([(x, y - y0) for x, y in pts], fill=255)
    s.img.paste(_gradient(s.w, y1 - y0, top, bottom), (0, y0), mask)


def _sky(s: _Scene, horizon: float) -> None:
    top, bottom, _, _ = s.sky
    _paste_gradient(s, (0, 0, s.w, max(1, round(horizon)) + 2), s.tint(top, 6), s.tint(bottom, 6))


def _sun(s: _Scene, x: float, y: float, r: float) -> None:
    """A sun or moon with a flat, stepped halo blending into the sky behind it."""
    top, bottom, glow, night = s.sky
    sky_here = _mix(top, bottom, max(0.0, min(1.0, y / s.h * 1.6)))
    for i, k in enumerate((2.6, 2.0, 1.5)):
        c = _mix(sky_here, glow, 0.12 + 0.1 * i)
        s.draw.ellipse((x - r * k, y - r * k, x + r * k, y + r * k), fill=c)
    s.draw.ellipse((x - r, y - r, x + r, y + r), fill=glow)
    if night:
        _stars(s)


def _stars(s: _Scene) -> None:
    top, _, glow, _ = s.sky
    for _ in range(60):
        sx, sy = s.rng.uniform(0, s.w), s.rng.uniform(0, s.h * 0.45)
        d = s.rng.uniform(0.8, 1.8) * s.u
        s.draw.ellipse((sx - d, sy - d, sx + d, sy + d), fill=_mix(top, glow, 0.7))


def _daylight(s: _Scene) -> None:
    """Swap a night sky for a daytime one (scenes that read badly in the dark)."""
    if s.sky[3]:
        s.sky = s.rng.choice(_SKIES[:4])


def _clouds(s: _Scene, count: int, top_frac: float, bottom_frac: float) -> None:
    if s.sky[3]:
        return
    color = _mix(s.sky[1], (250, 248, 242), 0.55)
    for _ in range(count):
        cx = s.rng.uniform(0, s.w)
        cy = s.rng.uniform(top_frac, bottom_frac) * s.h
        width = s.rng.uniform(0.08, 0.2) * s.w
        base_r = width * 0.22
        for j in range(5):
            px = cx - width / 2 + width * j / 4
            r = base_r * s.rng.uniform(0.7, 1.3) * (1.0 - abs(j - 2) * 0.18)
            s.draw.ellipse((px - r, cy - r, px + r, cy + r * 0.4), fill=color)
        s.draw.rectangle((cx - width / 2, cy, cx + width / 2, cy + base_r * 0.4), fill=color)


def _ridge(s: _Scene, base: float, amp: float, waves: int = 3) -> list[Point]:
    """A smooth hill line (sum of sines) closed down to the bottom corners."""
    phases = [s.rng.uniform(0, math.tau) for _ in range(waves)]
    freqs = [s.rng.uniform(0.6, 1.4) * (k + 1) for k in range(waves)]
    pts: list[Point] = [(0, s.h)]
    steps = 48
    for i in range(steps + 1):
        t = i / steps
        y = sum(
            math.sin(t * math.tau * f + p) / (k + 1)
            for k, (f, p) in enumerate(zip(freqs, phases, strict=True))
        )
        pts.append((t * s.w, base - amp * y * 0.6))
    pts.append((s.w, s.h))
    return pts


def _jagged(s: _Scene, base: float, amp: float, rough: float = 0.55) -> list[Point]:
    """A mountain ridge by midpoint displacement, closed down to the bottom corners."""
    n = 64
    ys = [0.0] * (n + 1)
    ys[0], ys[n] = s.rng.uniform(-0.3, 0.3), s.rng.uniform(-0.3, 0.3)
    step, spread = n, 1.0
    while step > 1:
        half = step // 2
        for i in range(half, n, step):
            ys[i] = (ys[i - half] + ys[i + half]) / 2 + s.rng.uniform(-spread, spread)
        step, spread = half, spread * rough
    low, high = min(ys), max(ys)
    span = (high - low) or 1.0
    pts: list[Point] = [(0, s.h)]
    pts += [(i / n * s.w, base - amp * (y - low) / span) for i, y in enumerate(ys)]
    pts.append((s.w, s.h))
    return pts


def _person(
    s: _Scene, x: float, y: float, r: float, shirt: Color, skin: Color, hair: Color
) -> None:
    """Head-and-shoulders silhouette; (x, y) is the centre of the head."""
    d = s.draw
    d.rounded_rectangle(
        (x - r * 2.1, y + r * 1.05, x + r * 2.1, y + r * 5.5), radius=r * 1.2, fill=shirt
    )
    d.rectangle((x - r * 0.35, y + r * 0.6, x + r * 0.35, y + r * 1.3), fill=_mix(skin, shirt, 0.3))
    d.ellipse((x - r, y - r * 1.1, x + r, y + r), fill=skin)
    d.chord((x - r * 1.05, y - r * 1.2, x + r * 1.05, y + r * 0.7), 180, 360, fill=hair)


_SHIRTS: tuple[Color, ...] = (
    (92, 108, 128),
    (150, 84, 70),
    (206, 184, 140),
    (74, 92, 78),
    (168, 140, 96),
    (120, 120, 124),
    (64, 70, 92),
    (184, 164, 158),
    (110, 72, 80),
    (196, 120, 80),
)
_SKINS: tuple[Color, ...] = (
    (236, 200, 170),
    (212, 168, 132),
    (178, 128, 94),
    (140, 98, 70),
    (98, 68, 50),
)
_HAIRS: tuple[Color, ...] = ((40, 32, 28), (84, 60, 40), (150, 120, 80), (70, 64, 62))


def _skyline(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    horizon = h * rng.uniform(0.7, 0.78)
    _sky(s, horizon)
    night = s.sky[3] or s.sky is _SKIES[3]
    _sun(s, w * rng.uniform(0.15, 0.85), h * rng.uniform(0.16, 0.34), h * 0.06)
    _clouds(s, rng.randint(1, 3), 0.08, 0.3)
    sky_bottom = s.sky[1]
    layers = (
        (_mix(sky_bottom, (90, 96, 118), 0.35), 0.22, 0.45, False),
        (_mix(sky_bottom, (62, 66, 84), 0.65), 0.3, 0.62, True),
        (s.tint((40, 42, 56), 6), 0.36, 0.75, True),
    )
    lit = (246, 214, 140) if night else _mix(sky_bottom, (250, 250, 246), 0.5)
    for color, min_hf, max_hf, windows in layers:
        x = -rng.uniform(0, w * 0.05)
        while x < w:
            bw = w * rng.uniform(0.045, 0.11)
            bh = h * rng.uniform(min_hf, max_hf) * 0.7
            top = horizon - bh
            s.draw.rectangle((x, top, x + bw, horizon), fill=color)
            roof = rng.random()
            if roof < 0.2:
                s.draw.rectangle((x + bw * 0.2, top - bh * 0.08, x + bw * 0.8, top), fill=color)
            elif roof < 0.32:
                s.draw.polygon([(x, top), (x + bw / 2, top - bw * 0.4), (x + bw, top)], fill=color)
            elif roof < 0.45:
                ax = x + bw * rng.uniform(0.3, 0.7)
                s.draw.line((ax, top, ax, top - bh * 0.25), fill=color, width=s.lw(2))
            if windows:
                cols = max(2, int(bw / (s.u * 14)))
                rows = max(2, int(bh / (s.u * 18)))
                cw, ch = bw / cols, bh / rows
                chance = 0.45 if night else 0.25
                win = lit if night else _mix(color, lit, 0.35)
                for cx in range(cols):
                    for cy in range(rows - 1):
                        if rng.random() < chance:
                            wx, wy = x + cx * cw + cw * 0.3, top + cy * ch + ch * 0.35
                            s.draw.rectangle((wx, wy, wx + cw * 0.4, wy + ch * 0.4), fill=win)
            x += bw + w * rng.uniform(0.0, 0.015)
    river_top = _mix(s.sky[0], (50, 60, 74), 0.45)
    _paste_gradient(s, (0, round(horizon), w, h), river_top, _mix(river_top, (20, 24, 34), 0.5))
    for _ in range(70):
        rx, ry = rng.uniform(0, w), rng.uniform(horizon + h * 0.02, h)
        rl = w * rng.uniform(0.02, 0.08)
        s.draw.line((rx, ry, rx + rl, ry), fill=_mix(river_top, lit, 0.35), width=s.lw(2))


def _harbor(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    horizon = h * rng.uniform(0.5, 0.58)
    _sky(s, horizon)
    sun_x = w * rng.uniform(0.3, 0.7)
    _sun(s, sun_x, horizon - h * rng.uniform(0.12, 0.28), h * 0.05)
    _clouds(s, rng.randint(2, 4), 0.08, 0.3)
    far = _mix(s.sky[1], (80, 96, 104), 0.45)
    headland = _ridge(s, horizon - h * 0.02, h * 0.05)
    left = rng.random() < 0.5
    clipped = [(x, y if (x < w * 0.45) == left else horizon) for x, y in headland]
    s.draw.polygon(clipped, fill=far)
    lx = w * (0.12 if left else 0.88)
    lt = horizon - h * 0.17
    s.draw.polygon(
        [
            (lx - w * 0.012, horizon),
            (lx - w * 0.007, lt),
            (lx + w * 0.007, lt),
            (lx + w * 0.012, horizon),
        ],
        fill=(232, 226, 214),
    )
    for k in range(2):
        by = lt + (horizon - lt) * (0.3 + 0.3 * k)
        s.draw.rectangle((lx - w * 0.01, by, lx + w * 0.01, by + h * 0.018), fill=(170, 70, 60))
    s.draw.rectangle((lx - w * 0.009, lt - h * 0.03, lx + w * 0.009, lt), fill=(250, 226, 150))
    s.draw.polygon(
        [(lx - w * 0.012, lt - h * 0.03), (lx, lt - h * 0.05), (lx + w * 0.012, lt - h * 0.03)],
        fill=(60, 60, 66),
    )
    water_top = _mix(s.sky[0], s.sky[1], 0.6)
    water_bottom = _mix(s.sky[0], (24, 44, 60), 0.55)
    _paste_gradient(s, (0, round(horizon), w, h), water_top, water_bottom)
    glint = _mix(s.sky[2], water_top, 0.25)
    for _ in range(90):
        t = rng.random() ** 1.6
        y = horizon + (h - horizon) * t
        spread = w * (0.02 + 0.12 * t)
        x = sun_x + rng.uniform(-spread, spread)
        s.draw.line((x, y, x + w * (0.01 + 0.03 * t), y), fill=glint, width=s.lw(1.5 + 2 * t))
    for _ in range(50):
        y = rng.uniform(horizon + h * 0.03, h)
        x = rng.uniform(0, w)
        s.draw.line((x, y, x + w * 0.03, y), fill=_mix(water_top, water_bottom, 0.3), width=s.lw(2))
    boats = sorted(rng.uniform(0.08, 0.8) for _ in range(rng.randint(3, 5)))
    hulls = [(176, 72, 60), (226, 220, 206), (58, 78, 98), (204, 164, 84)]
    for depth in boats:
        by = horizon + (h - horizon) * depth * 0.8 + h * 0.02
        size = w * (0.04 + 0.1 * depth)
        bx = rng.uniform(0.05, 0.9) * w
        hull = s.tint(rng.choice(hulls), 8)
        s.draw.polygon(
            [
                (bx, by - size * 0.18),
                (bx + size, by - size * 0.18),
                (bx + size * 0.85, by),
                (bx + size * 0.12, by),
            ],
            fill=hull,
        )
        mast_x = bx + size * 0.45
        sailing = rng.random() < 0.7
        s.draw.line(
            (mast_x, by - size * 0.18, mast_x, by - size * (0.95 if sailing else 0.6)),
            fill=(60, 58, 56),
            width=s.lw(1 + 2 * depth),
        )
        if sailing:
            sail = _mix((242, 236, 222), s.sky[1], 0.2)
            s.draw.polygon(
                [
                    (mast_x + size * 0.02, by - size * 0.92),
                    (mast_x + size * 0.02, by - size * 0.24),
                    (mast_x + size * 0.42, by - size * 0.24),
                ],
                fill=sail,
            )
            s.draw.polygon(
                [
                    (mast_x - size * 0.02, by - size * 0.8),
                    (mast_x - size * 0.02, by - size * 0.24),
                    (mast_x - size * 0.3, by - size * 0.24),
                ],
                fill=_mix(sail, hull, 0.2),
            )
        else:
            s.draw.rectangle(
                (bx + size * 0.25, by - size * 0.42, bx + size * 0.6, by - size * 0.18),
                fill=(232, 228, 218),
            )
        s.draw.line(
            (bx + size * 0.1, by + size * 0.03, bx + size * 0.9, by + size * 0.03),
            fill=_mix(hull, water_bottom, 0.6),
            width=s.lw(2),
        )
    # Pier: a deck in perspective on one side, with posts in the water.
    side = -1 if rng.random() < 0.5 else 1
    x_far = w * (0.5 + side * 0.12)
    x_near = w * (0.5 + side * 0.62)
    deck = (118, 96, 76)
    y_far, y_near = horizon + h * 0.06, h * 0.86
    width_far, width_near = w * 0.02, w * 0.2
    s.draw.polygon(
        [
            (x_far, y_far),
            (x_far + side * width_far, y_far),
            (x_near + side * width_near, y_near),
            (x_near, y_near),
        ],
        fill=deck,
    )
    s.draw.polygon(
        [(x_far, y_far), (x_near, y_near), (x_near, y_near + h * 0.04), (x_far, y_far + h * 0.005)],
        fill=_mix(deck, (30, 26, 24), 0.45),
    )
    for i in range(9):
        t = (i / 8) ** 1.8
        px = x_far + (x_near - x_far) * t
        py = y_far + (y_near - y_far) * t
        pw = s.u * (2 + 10 * t)
        s.draw.rectangle(
            (px - pw / 2, py, px + pw / 2, py + h * (0.02 + 0.12 * t)), fill=(70, 58, 50)
        )
        if i % 3 == 1:
            lamp_h = h * (0.04 + 0.2 * t)
            lx2 = px + side * w * 0.004
            s.draw.line((lx2, py, lx2, py - lamp_h), fill=(50, 50, 54), width=s.lw(1 + 3 * t))
            r = s.u * (2 + 6 * t)
            s.draw.ellipse(
                (lx2 - r, py - lamp_h - r, lx2 + r, py - lamp_h + r), fill=(246, 224, 160)
            )
    for _ in range(rng.randint(2, 5)):
        gx, gy = rng.uniform(0.1, 0.9) * w, rng.uniform(0.1, 0.35) * h
        gs = s.u * rng.uniform(6, 12)
        s.draw.line(
            [(gx - gs, gy - gs * 0.3), (gx, gy), (gx + gs, gy - gs * 0.3)],
            fill=(70, 70, 76),
            width=s.lw(1.6),
            joint="curve",
        )


def _field(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    _daylight(s)
    horizon = h * rng.uniform(0.42, 0.5)
    _sky(s, horizon + h * 0.1)
    _sun(s, w * rng.uniform(0.1, 0.9), h * rng.uniform(0.12, 0.25), h * 0.055)
    _clouds(s, rng.randint(2, 5), 0.06, 0.3)
    greens = [(150, 170, 150), (126, 156, 104), (160, 160, 92), (104, 138, 84), (84, 112, 70)]
    if rng.random() < 0.4:
        greens[2] = (196, 170, 104)  # a ripe wheat field in the middle distance
    sky_bottom = s.sky[1]
    for i, g in enumerate(greens):
        base = horizon + (h - horizon) * (i / len(greens)) * 0.85
        haze = 0.5 * (1 - i / (len(greens) - 1))
        color = _mix(s.tint(g, 8), sky_bottom, haze)
        pts = _ridge(s, base, h * (0.04 + 0.02 * i))
        s.draw.polygon(pts, fill=color)
        if i in (1, 2, 3):
            for _ in range(rng.randint(2, 6)):
                k = rng.randint(1, len(pts) - 2)
                tx, ty = pts[k]
                ts = s.u * (8 + 9 * i)
                trunk = _mix((80, 62, 48), sky_bottom, haze)
                crown = _mix(color, (40, 60, 40), 0.35)
                s.draw.rectangle(
                    (tx - ts * 0.12, ty - ts * 1.2, tx + ts * 0.12, ty + ts * 0.2), fill=trunk
                )
                s.draw.ellipse(
                    (tx - ts * 0.6, ty - ts * 2.2, tx + ts * 0.6, ty - ts * 0.8), fill=crown
                )
        if i == 2 and rng.random() < 0.8:
            k = rng.randint(len(pts) // 4, 3 * len(pts) // 4)
            bx, by = pts[k]
            bs = s.u * 34
            barn = s.tint((150, 70, 58), 10)
            s.draw.rectangle((bx - bs, by - bs, bx + bs, by + bs * 0.2), fill=barn)
            s.draw.polygon(
                [(bx - bs * 1.15, by - bs), (bx, by - bs * 1.7), (bx + bs * 1.15, by - bs)],
                fill=(80, 70, 66),
            )
            s.draw.rectangle(
                (bx - bs * 0.3, by - bs * 0.5, bx + bs * 0.3, by + bs * 0.2),
                fill=_mix(barn, (40, 30, 30), 0.4),
            )
    near = _mix(greens[-1], (60, 80, 50), 0.3)
    for j in range(14):
        x0 = w * (j / 13)
        s.draw.line(
            (x0, h, w * 0.5 + (x0 - w * 0.5) * 0.3, h * 0.86),
            fill=_mix(near, (190, 190, 120), 0.18),
            width=s.lw(3),
        )
    post = (96, 80, 64)
    fy = h * 0.9
    for j in range(12):
        fx = w * (j + 0.5) / 12
        s.draw.rectangle((fx - s.u * 4, fy - h * 0.08, fx + s.u * 4, fy + h * 0.04), fill=post)
    for rail in (0.055, 0.025):
        s.draw.line((0, fy - h * rail, w, fy - h * rail), fill=post, width=s.lw(3))


def _mountains(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    _sky(s, h * 0.7)
    _sun(s, w * rng.uniform(0.1, 0.9), h * rng.uniform(0.1, 0.22), h * 0.045)
    _clouds(s, rng.randint(1, 3), 0.05, 0.22)
    sky_bottom = s.sky[1]
    ranges = [
        (h * 0.5, h * 0.36, (118, 130, 150), True),
        (h * 0.6, h * 0.22, (92, 106, 118), False),
        (h * 0.7, h * 0.14, (70, 88, 82), False),
        (h * 0.8, h * 0.08, (52, 70, 58), False),
    ]
    snow = (240, 242, 244)
    for i, (base, amp, color, capped) in enumerate(ranges):
        haze = 0.55 * (1 - i / (len(ranges) - 1))
        c = _mix(s.tint(color, 8), sky_bottom, haze)
        pts = _jagged(s, base, amp, rough=0.62 - 0.05 * i)
        _polygon_gradient(s, pts, _mix(c, (250, 250, 250), 0.08), _mix(c, sky_bottom, 0.25))
        if capped:
            top_y = min(p[1] for p in pts)
            line = top_y + amp * 0.35
            mask = Image.new("L", (w, h), 0)
            md = ImageDraw.Draw(mask)
            band = [
                (x, line + math.sin(x / w * 40) * h * 0.012)
                for x in range(0, w + 1, max(1, w // 60))
            ]
            md.polygon([(0, 0), *band, (w, 0)], fill=255)
            md.polygon([(0, 0), *pts[1:-1], (w, 0)], fill=0)
            s.img.paste(_mix(snow, sky_bottom, 0.15), mask=mask)
        if i == 2:
            for _ in range(rng.randint(25, 45)):
                k = rng.randint(1, len(pts) - 2)
                tx, ty = (
                    pts[k][0] + rng.uniform(-w * 0.01, w * 0.01),
                    pts[k][1] + rng.uniform(0, h * 0.05),
                )
                ts = s.u * rng.uniform(10, 18)
                s.draw.polygon(
                    [(tx, ty - ts * 2), (tx - ts * 0.6, ty), (tx + ts * 0.6, ty)],
                    fill=_mix(c, (30, 50, 40), 0.45),
                )
    lake_top = h * 0.84
    _paste_gradient(
        s,
        (0, round(lake_top), w, h),
        _mix(s.sky[0], sky_bottom, 0.5),
        _mix(s.sky[0], (30, 50, 70), 0.5),
    )
    for _ in range(30):
        x, y = rng.uniform(0, w), rng.uniform(lake_top + h * 0.01, h)
        s.draw.line(
            (x, y, x + w * rng.uniform(0.02, 0.07), y),
            fill=_mix(sky_bottom, (255, 255, 255), 0.3),
            width=s.lw(1.5),
        )
    shore: list[tuple[float, float]] = [(0, lake_top + h * 0.01)]
    for k in range(13):
        shore.append((w * k / 12, lake_top - h * 0.012 * rng.uniform(0, 1)))
    shore.append((w, lake_top + h * 0.01))
    s.draw.polygon(shore, fill=(62, 74, 58))


def _stadium(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    s.sky = rng.choice((_SKIES[3], _SKIES[4]))
    wall_y = h * 0.5
    _sky(s, wall_y)
    if s.sky[3]:
        _stars(s)
    stands_top = h * 0.26
    stand = s.tint((70, 74, 90), 8)
    s.draw.polygon(
        [
            (0, stands_top + h * 0.06),
            (w * 0.5, stands_top),
            (w, stands_top + h * 0.06),
            (w, wall_y),
            (0, wall_y),
        ],
        fill=stand,
    )
    for r in range(9):
        y = stands_top + h * 0.035 + r * (wall_y - stands_top) / 9.5
        s.draw.line((0, y, w, y), fill=_mix(stand, (20, 20, 30), 0.3), width=s.lw(1.2))
    fan_colors = [_mix(c, stand, 0.35) for c in _SHIRTS]
    for _ in range(700):
        fx, fy = rng.uniform(0, w), rng.uniform(stands_top + h * 0.06, wall_y - h * 0.01)
        rr = s.u * rng.uniform(1.6, 2.6)
        s.draw.ellipse((fx - rr, fy - rr, fx + rr, fy + rr), fill=rng.choice(fan_colors))
    # Scoreboard: a panel of lamps, no lettering.
    sbx, sbw = w * rng.uniform(0.35, 0.55), w * 0.14
    s.draw.rectangle(
        (sbx, stands_top - h * 0.14, sbx + sbw, stands_top + h * 0.02), fill=(34, 40, 38)
    )
    for i in range(10):
        for j in range(4):
            if rng.random() < 0.55:
                cx = sbx + sbw * (0.08 + i * 0.09)
                cy = stands_top - h * (0.12 - j * 0.03)
                rr = s.u * 3
                s.draw.rectangle((cx - rr, cy - rr, cx + rr, cy + rr), fill=(238, 200, 110))
    s.draw.line(
        (sbx + sbw * 0.5, stands_top + h * 0.02, sbx + sbw * 0.5, wall_y),
        fill=(34, 40, 38),
        width=s.lw(6),
    )
    # Light towers with flat stepped glows.
    glow_base = _mix(s.sky[0], s.sky[1], 0.3)
    for tx in (w * 0.08, w * 0.3, w * 0.7, w * 0.92):
        ty = h * rng.uniform(0.05, 0.09)
        s.draw.line((tx, ty, tx, wall_y), fill=(44, 46, 54), width=s.lw(5))
        for k, f in enumerate((7.0, 5.0, 3.4)):
            rr = s.u * 14 * f
            s.draw.ellipse(
                (tx - rr, ty - rr * 0.75, tx + rr, ty + rr * 0.75),
                fill=_mix(glow_base, (250, 240, 210), 0.1 + 0.09 * k),
            )
        bw, bh = w * 0.045, h * 0.045
        s.draw.rectangle((tx - bw / 2, ty - bh / 2, tx + bw / 2, ty + bh / 2), fill=(60, 62, 70))
        for i in range(4):
            for j in range(2):
                lx = tx - bw / 2 + bw * (i + 0.5) / 4
                ly = ty - bh / 2 + bh * (j + 0.5) / 2
                rr = s.u * 4.5
                s.draw.ellipse((lx - rr, ly - rr, lx + rr, ly + rr), fill=(255, 248, 224))
    # Outfield wall and grass with mowing stripes.
    s.draw.rectangle((0, wall_y - h * 0.035, w, wall_y + h * 0.01), fill=(40, 78, 62))
    s.draw.line((0, wall_y - h * 0.035, w, wall_y - h * 0.035), fill=(226, 190, 80), width=s.lw(3))
    grass_a, grass_b = s.tint((86, 132, 78), 6), s.tint((76, 120, 70), 6)
    y, k = wall_y + h * 0.01, 0
    while y < h:
        band = h * 0.03 * (1 + (y - wall_y) / h * 3)
        s.draw.rectangle((0, y, w, y + band), fill=grass_a if k % 2 == 0 else grass_b)
        y += band
        k += 1
    cx = w * 0.5
    home, first, second, third = (
        (cx, h * 0.94),
        (cx + w * 0.24, h * 0.74),
        (cx, h * 0.6),
        (cx - w * 0.24, h * 0.74),
    )
    dirt = s.tint((176, 134, 96), 6)
    s.draw.ellipse((cx - w * 0.36, h * 0.52, cx + w * 0.36, h * 1.02), fill=dirt)
    inner = _mix(grass_a, grass_b, 0.5)
    s.draw.polygon(
        [
            (home[0], home[1] - h * 0.05),
            (first[0] - w * 0.03, first[1]),
            (second[0], second[1] + h * 0.035),
            (third[0] + w * 0.03, third[1]),
        ],
        fill=inner,
    )
    for base_x, base_y in (first, third):
        along = (home[1] - wall_y) / (home[1] - base_y)
        far = (home[0] + (base_x - home[0]) * along, wall_y)
        s.draw.line((home, far), fill=(244, 242, 236), width=s.lw(3))
    mound = (cx, h * 0.755)
    s.draw.ellipse(
        (mound[0] - w * 0.035, mound[1] - h * 0.025, mound[0] + w * 0.035, mound[1] + h * 0.025),
        fill=dirt,
    )
    s.draw.rectangle(
        (mound[0] - s.u * 8, mound[1] - s.u * 2, mound[0] + s.u * 8, mound[1] + s.u * 2),
        fill=(244, 242, 236),
    )
    for bx, by in (first, second, third):
        bs = s.u * 9
        s.draw.polygon(
            [(bx, by - bs * 0.6), (bx + bs, by), (bx, by + bs * 0.6), (bx - bs, by)],
            fill=(246, 244, 238),
        )
    hs = s.u * 12
    s.draw.polygon(
        [
            (home[0] - hs, home[1] - hs * 0.5),
            (home[0] + hs, home[1] - hs * 0.5),
            (home[0] + hs, home[1]),
            (home[0], home[1] + hs * 0.4),
            (home[0] - hs, home[1]),
        ],
        fill=(246, 244, 238),
    )


def _chart(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    bg = s.tint((232, 226, 212), 6)
    _paste_gradient(s, (0, 0, w, h), bg, _mix(bg, (200, 192, 176), 0.5))
    ink = (58, 62, 70)
    series = [
        s.tint(c, 12) for c in ((64, 104, 140), (190, 110, 78), (112, 146, 104), (214, 172, 84))
    ]
    rng.shuffle(series)
    split = rng.random() < 0.6
    px0, py0 = w * 0.06, h * 0.1
    px1 = w * (0.64 if split else 0.94)
    py1 = h * 0.88
    s.draw.rounded_rectangle(
        (px0, py0, px1, py1), radius=s.u * 14, fill=_mix(bg, (255, 255, 255), 0.55)
    )
    gx0, gx1, gy0, gy1 = px0 + w * 0.05, px1 - w * 0.03, py0 + h * 0.08, py1 - h * 0.08
    for i in range(6):
        y = gy0 + (gy1 - gy0) * i / 5
        s.draw.line((gx0, y, gx1, y), fill=_mix(bg, ink, 0.18), width=s.lw(1.2))
    n = rng.randint(6, 11)
    slot = (gx1 - gx0) / n
    level = rng.uniform(0.3, 0.6)
    tops: list[Point] = []
    for i in range(n):
        level = min(0.95, max(0.1, level + rng.uniform(-0.15, 0.2)))
        x = gx0 + slot * i + slot * 0.18
        y = gy1 - (gy1 - gy0) * level
        s.draw.rectangle((x, y, x + slot * 0.64, gy1), fill=series[0])
        s.draw.rectangle(
            (x, y, x + slot * 0.64, y + s.u * 5), fill=_mix(series[0], (20, 20, 30), 0.25)
        )
        tops.append(
            (x + slot * 0.32, gy1 - (gy1 - gy0) * min(0.97, level * rng.uniform(0.55, 1.05) + 0.12))
        )
    s.draw.line(tops, fill=series[1], width=s.lw(5), joint="curve")
    for x, y in tops:
        r = s.u * 8
        s.draw.ellipse(
            (x - r, y - r, x + r, y + r), fill=series[1], outline=(255, 255, 255), width=s.lw(2.5)
        )
    s.draw.line((gx0, gy0 - h * 0.02, gx0, gy1, gx1, gy1), fill=ink, width=s.lw(3))
    for i in range(n):
        x = gx0 + slot * (i + 0.5)
        s.draw.line((x, gy1, x, gy1 + h * 0.015), fill=ink, width=s.lw(2))
    s.draw.rectangle(
        (px0 + w * 0.02, py0 + h * 0.025, px0 + w * 0.2, py0 + h * 0.045), fill=_mix(ink, bg, 0.3)
    )
    if split:
        qx0, qx1 = w * 0.68, w * 0.94
        s.draw.rounded_rectangle(
            (qx0, py0, qx1, py1), radius=s.u * 14, fill=_mix(bg, (255, 255, 255), 0.55)
        )
        cx, cy, r = (qx0 + qx1) / 2, py0 + (py1 - py0) * 0.42, min(qx1 - qx0, py1 - py0) * 0.36
        start = rng.uniform(0, 360)
        shares = [rng.uniform(0.5, 1.5) for _ in series]
        total = sum(shares)
        for color, share in zip(series, shares, strict=True):
            end = start + 360 * share / total
            s.draw.pieslice((cx - r, cy - r, cx + r, cy + r), start, end, fill=color)
            start = end
        s.draw.ellipse(
            (cx - r * 0.55, cy - r * 0.55, cx + r * 0.55, cy + r * 0.55),
            fill=_mix(bg, (255, 255, 255), 0.55),
        )
        for i, color in enumerate(series):
            ly = cy + r * 1.25 + i * h * 0.045
            s.draw.rectangle((qx0 + w * 0.03, ly, qx0 + w * 0.045, ly + h * 0.025), fill=color)
            s.draw.rectangle(
                (qx0 + w * 0.06, ly + h * 0.006, qx0 + w * rng.uniform(0.14, 0.22), ly + h * 0.019),
                fill=_mix(ink, bg, 0.55),
            )


def _flask(
    s: _Scene, x: float, base: float, size: float, liquid: Color, glass: Color, kind: int
) -> None:
    d, u = s.draw, s.u
    edge = _mix(glass, (60, 70, 80), 0.45)
    if kind == 0:  # Erlenmeyer
        neck_w, body_w = size * 0.22, size * 0.9
        top, shoulder = base - size * 1.3, base - size * 0.75
        outline = [
            (x - neck_w / 2, top),
            (x + neck_w / 2, top),
            (x + neck_w / 2, shoulder),
            (x + body_w / 2, base),
            (x - body_w / 2, base),
            (x - neck_w / 2, shoulder),
        ]
        d.polygon(outline, fill=glass, outline=edge, width=s.lw(2.5))
        level = base - size * 0.4
        t = (level - shoulder) / (base - shoulder)
        half = neck_w / 2 + (body_w - neck_w) / 2 * t
        d.polygon(
            [
                (x - half, level),
                (x + half, level),
                (x + body_w / 2 - u * 2, base - u * 2),
                (x - body_w / 2 + u * 2, base - u * 2),
            ],
            fill=liquid,
        )
        d.rectangle(
            (x - neck_w * 0.7, top - size * 0.05, x + neck_w * 0.7, top + size * 0.02), fill=edge
        )
    elif kind == 1:  # round-bottom
        r = size * 0.45
        cy = base - r
        d.rectangle(
            (x - size * 0.1, cy - r - size * 0.55, x + size * 0.1, cy - r + size * 0.1),
            fill=glass,
            outline=edge,
            width=s.lw(2.5),
        )
        d.ellipse((x - r, cy - r, x + r, cy + r), fill=glass, outline=edge, width=s.lw(2.5))
        d.chord(
            (x - r + u * 3, cy - r + u * 3, x + r - u * 3, cy + r - u * 3), 10, 170, fill=liquid
        )
    else:  # beaker
        bw = size * 0.7
        d.rectangle(
            (x - bw / 2, base - size, x + bw / 2, base), fill=glass, outline=edge, width=s.lw(2.5)
        )
        d.rectangle(
            (x - bw / 2 + u * 3, base - size * 0.55, x + bw / 2 - u * 3, base - u * 3), fill=liquid
        )
        for k in range(4):
            ty = base - size * (0.2 + 0.18 * k)
            d.line((x - bw / 2, ty, x - bw / 2 + bw * 0.2, ty), fill=edge, width=s.lw(1.5))
    for _ in range(3):
        bx = x + s.rng.uniform(-size * 0.12, size * 0.12)
        by = base - size * s.rng.uniform(0.15, 0.35)
        br = u * s.rng.uniform(2.5, 5)
        d.ellipse(
            (bx - br, by - br, bx + br, by + br),
            outline=_mix(liquid, (255, 255, 255), 0.6),
            width=s.lw(1.5),
        )


def _lab(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    wall = s.tint((196, 212, 210), 8)
    _paste_gradient(s, (0, 0, w, h), _mix(wall, (250, 250, 246), 0.35), wall)
    # A molecule diagram pinned to the wall.
    mx, my, mr = w * rng.uniform(0.15, 0.35), h * rng.uniform(0.2, 0.3), h * 0.09
    ring = [
        (mx + mr * math.cos(a), my + mr * math.sin(a))
        for a in (math.tau * k / 6 + 0.5 for k in range(6))
    ]
    line_c = _mix(wall, (60, 76, 90), 0.5)
    s.draw.line([*ring, ring[0]], fill=line_c, width=s.lw(4))
    for k, (ax, ay) in enumerate(ring):
        if k % 2 == 0:
            ox, oy = mx + (ax - mx) * 1.7, my + (ay - my) * 1.7
            s.draw.line((ax, ay, ox, oy), fill=line_c, width=s.lw(4))
            rr = s.u * 12
            s.draw.ellipse((ox - rr, oy - rr, ox + rr, oy + rr), fill=s.tint((196, 112, 90), 10))
        rr = s.u * 16
        s.draw.ellipse((ax - rr, ay - rr, ax + rr, ay + rr), fill=s.tint((70, 100, 130), 10))
    # Shelf with jars.
    shelf_y = h * 0.36
    sx0 = w * rng.uniform(0.52, 0.6)
    s.draw.rectangle((sx0, shelf_y, w * 0.96, shelf_y + h * 0.02), fill=(130, 110, 92))
    x = sx0 + w * 0.02
    while x < w * 0.92:
        jw, jh = w * rng.uniform(0.03, 0.05), h * rng.uniform(0.07, 0.14)
        s.draw.rounded_rectangle(
            (x, shelf_y - jh, x + jw, shelf_y), radius=s.u * 6, fill=s.tint((170, 150, 120), 25)
        )
        x += jw + w * rng.uniform(0.008, 0.02)
    bench_y = h * rng.uniform(0.66, 0.72)
    s.draw.rectangle((0, bench_y, w, bench_y + h * 0.04), fill=(58, 64, 72))
    _paste_gradient(s, (0, round(bench_y + h * 0.04), w, h), (214, 208, 196), (176, 168, 156))
    for k in range(5):
        dx = w * (0.02 + 0.2 * k)
        s.draw.rectangle(
            (dx, bench_y + h * 0.08, dx + w * 0.17, h * 0.98),
            outline=(150, 142, 130),
            width=s.lw(2),
        )
        s.draw.rectangle(
            (dx + w * 0.07, bench_y + h * 0.12, dx + w * 0.1, bench_y + h * 0.135),
            fill=(120, 114, 104),
        )
    glass = _mix(wall, (250, 252, 252), 0.55)
    liquids = [
        s.tint(c, 14)
        for c in ((86, 150, 170), (200, 120, 90), (140, 176, 96), (214, 176, 80), (150, 110, 170))
    ]
    rx = w * rng.uniform(0.6, 0.74)  # where the test-tube rack stands
    x = w * rng.uniform(0.04, 0.08)
    while True:
        size = h * rng.uniform(0.16, 0.3)
        if x + size > rx:
            break
        _flask(s, x + size * 0.45, bench_y, size, rng.choice(liquids), glass, rng.randint(0, 2))
        x += size * rng.uniform(0.95, 1.3)
    if rx + w * 0.22 + h * 0.2 < w:
        size = h * 0.2
        _flask(s, rx + w * 0.22 + size * 0.5, bench_y, size, rng.choice(liquids), glass, 0)
    s.draw.rectangle(
        (rx, bench_y - h * 0.06, rx + w * 0.2, bench_y - h * 0.04), fill=(150, 120, 90)
    )
    for k in range(6):
        tx = rx + w * 0.018 + k * w * 0.031
        top = bench_y - h * 0.2
        s.draw.rounded_rectangle(
            (tx, top, tx + w * 0.016, bench_y - h * 0.005),
            radius=s.u * 8,
            fill=glass,
            outline=_mix(glass, (60, 70, 80), 0.45),
            width=s.lw(2),
        )
        s.draw.rounded_rectangle(
            (
                tx + s.u * 2,
                top + h * rng.uniform(0.05, 0.1),
                tx + w * 0.016 - s.u * 2,
                bench_y - h * 0.008,
            ),
            radius=s.u * 6,
            fill=liquids[k % len(liquids)],
        )
    s.draw.rectangle((rx, bench_y - h * 0.015, rx + w * 0.2, bench_y), fill=(150, 120, 90))


def _gallery(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    wall = s.tint(rng.choice(((224, 216, 200), (196, 204, 200), (170, 84, 76), (70, 84, 96))), 6)
    floor_y = h * 0.8
    _paste_gradient(s, (0, 0, w, round(floor_y)), _mix(wall, (20, 20, 24), 0.12), wall)
    _paste_gradient(s, (0, round(floor_y), w, h), (150, 116, 86), (104, 80, 60))
    s.draw.rectangle((0, floor_y - h * 0.02, w, floor_y), fill=_mix(wall, (250, 250, 250), 0.5))
    for k in range(1, 8):
        y = floor_y + (h - floor_y) * (k / 7) ** 1.4
        s.draw.line((0, y, w, y), fill=(96, 74, 56), width=s.lw(1.5))
    n = rng.randint(3, 4)
    slot = w / n
    eye = h * 0.43
    palette = [
        s.tint(c, 16)
        for c in (
            (190, 80, 60),
            (60, 90, 130),
            (220, 180, 90),
            (100, 130, 100),
            (230, 220, 200),
            (40, 44, 52),
        )
    ]
    for i in range(n):
        fw = slot * rng.uniform(0.45, 0.7)
        fh = min(h * 0.5, fw * rng.uniform(0.7, 1.3))
        cx = slot * (i + 0.5)
        x0, y0, x1, y1 = cx - fw / 2, eye - fh / 2, cx + fw / 2, eye + fh / 2
        s.draw.polygon(
            [
                (cx - w * 0.03, 0),
                (cx + w * 0.03, 0),
                (x1 + fw * 0.3, y1 + h * 0.05),
                (x0 - fw * 0.3, y1 + h * 0.05),
            ],
            fill=_mix(wall, (255, 250, 232), 0.12),
        )
        s.draw.rectangle(
            (x0 + s.u * 8, y0 + s.u * 8, x1 + s.u * 8, y1 + s.u * 8),
            fill=_mix(wall, (0, 0, 0), 0.25),
        )
        frame = rng.choice(((40, 36, 34), (176, 142, 80), (120, 84, 56), (236, 232, 224)))
        s.draw.rectangle((x0, y0, x1, y1), fill=frame)
        m = fw * 0.06
        s.draw.rectangle((x0 + m, y0 + m, x1 - m, y1 - m), fill=(240, 236, 226))
        ax0, ay0, ax1, ay1 = x0 + m * 2, y0 + m * 2, x1 - m * 2, y1 - m * 2
        style = rng.randint(0, 2)
        if style == 0:  # colour-field blocks
            y = ay0
            while y < ay1 - 1:
                bh = min(ay1 - y, (ay1 - ay0) * rng.uniform(0.2, 0.5))
                s.draw.rectangle((ax0, y, ax1, y + bh), fill=rng.choice(palette))
                y += bh
        elif style == 1:  # landscape study
            hz = ay0 + (ay1 - ay0) * rng.uniform(0.4, 0.65)
            s.draw.rectangle(
                (ax0, ay0, ax1, hz), fill=_mix(rng.choice(palette), (240, 236, 226), 0.5)
            )
            s.draw.rectangle((ax0, hz, ax1, ay1), fill=rng.choice(palette))
            r = (ax1 - ax0) * 0.1
            sx = rng.uniform(ax0 + r, ax1 - r)
            s.draw.ellipse((sx - r, hz - r * 2.4, sx + r, hz - r * 0.4), fill=rng.choice(palette))
        else:  # circles and lines
            s.draw.rectangle(
                (ax0, ay0, ax1, ay1), fill=_mix(rng.choice(palette), (240, 236, 226), 0.6)
            )
            for _ in range(rng.randint(3, 6)):
                r = (ax1 - ax0) * rng.uniform(0.08, 0.22)
                ox, oy = rng.uniform(ax0 + r, ax1 - r), rng.uniform(ay0 + r, ay1 - r)
                s.draw.ellipse((ox - r, oy - r, ox + r, oy + r), fill=rng.choice(palette))
            s.draw.line(
                (ax0, rng.uniform(ay0, ay1), ax1, rng.uniform(ay0, ay1)),
                fill=(40, 40, 44),
                width=s.lw(3),
            )
    # A bench and one or two visitors, seen from behind.
    bx = w * rng.uniform(0.3, 0.5)
    s.draw.rectangle((bx, h * 0.82, bx + w * 0.22, h * 0.85), fill=(70, 56, 46))
    for lx in (bx + w * 0.01, bx + w * 0.2):
        s.draw.rectangle((lx, h * 0.85, lx + w * 0.012, h * 0.92), fill=(60, 48, 40))
    for _ in range(rng.randint(1, 2)):
        vx = rng.uniform(0.1, 0.9) * w
        r = h * 0.045
        skin, hair = rng.choice(_SKINS), rng.choice(_HAIRS)
        _person(s, vx, h * 0.66, r, rng.choice(_SHIRTS), skin, hair)
        s.draw.ellipse(
            (vx - r * 1.05, h * 0.66 - r * 1.15, vx + r * 1.05, h * 0.66 + r * 0.9), fill=hair
        )


def _crowd(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    _daylight(s)
    horizon = h * 0.45
    _sky(s, horizon + h * 0.1)
    _clouds(s, rng.randint(1, 3), 0.05, 0.2)
    backdrop = rng.random()
    if backdrop < 0.5:  # a civic building with columns
        bc = s.tint((214, 204, 186), 8)
        x0, x1 = w * 0.2, w * 0.8
        top = h * 0.16
        s.draw.polygon(
            [(x0 - w * 0.02, top), (w * 0.5, top - h * 0.1), (x1 + w * 0.02, top)],
            fill=_mix(bc, (0, 0, 0), 0.08),
        )
        s.draw.rectangle((x0, top, x1, horizon + h * 0.1), fill=bc)
        for k in range(8):
            cx = x0 + (x1 - x0) * (k + 0.5) / 8
            s.draw.rectangle(
                (cx - w * 0.012, top + h * 0.04, cx + w * 0.012, horizon + h * 0.1),
                fill=_mix(bc, (255, 255, 255), 0.35),
            )
        s.draw.rectangle((x0, top + h * 0.02, x1, top + h * 0.04), fill=_mix(bc, (0, 0, 0), 0.15))
    else:  # trees along a park edge
        for _ in range(14):
            tx, tr = rng.uniform(0, w), h * rng.uniform(0.06, 0.12)
            ty = horizon + h * 0.02 - tr
            s.draw.ellipse(
                (tx - tr, ty - tr, tx + tr, ty + tr),
                fill=_mix(s.tint((80, 110, 76), 10), s.sky[1], 0.3),
            )
    s.draw.rectangle((0, horizon + h * 0.05, w, h), fill=_mix(s.sky[1], (90, 90, 96), 0.6))
    rows = 7
    for row in range(rows):
        depth = row / (rows - 1)
        r = h * (0.022 + 0.05 * depth**1.5)
        y = horizon + h * 0.04 + (h * 0.92 - horizon) * depth**1.15
        haze = 0.45 * (1 - depth)
        x = -rng.uniform(0, r * 3)
        while x < w + r * 2:
            if rng.random() < 0.06 and row < rows - 2:  # a blank placard held up
                pw, ph = r * rng.uniform(3, 4.5), r * rng.uniform(2, 2.8)
                s.draw.line((x, y, x, y - r * 3), fill=(90, 76, 60), width=s.lw(2 + 2 * depth))
                s.draw.rectangle(
                    (x - pw / 2, y - r * 3 - ph, x + pw / 2, y - r * 3),
                    fill=_mix(s.tint((236, 226, 200), 14), s.sky[1], haze),
                )
            _person(
                s,
                x,
                y + rng.uniform(-r * 0.3, r * 0.3),
                r * rng.uniform(0.92, 1.08),
                _mix(rng.choice(_SHIRTS), s.sky[1], haze),
                _mix(rng.choice(_SKINS), s.sky[1], haze),
                _mix(rng.choice(_HAIRS), s.sky[1], haze),
            )
            x += r * rng.uniform(2.6, 3.4)


def _road(s: _Scene) -> None:
    w, h, rng = s.w, s.h, s.rng
    _daylight(s)
    horizon = h * rng.uniform(0.42, 0.5)
    _sky(s, horizon)
    vx = w * rng.uniform(0.42, 0.58)
    _sun(s, vx + w * rng.uniform(-0.3, 0.3), horizon - h * rng.uniform(0.1, 0.25), h * 0.05)
    _clouds(s, rng.randint(2, 4), 0.05, 0.25)
    hills = _ridge(s, horizon, h * 0.04)
    s.draw.polygon(hills, fill=_mix(s.tint((110, 130, 110), 8), s.sky[1], 0.45))
    ground = s.tint((128, 140, 96), 8)
    _paste_gradient(
        s, (0, round(horizon), w, h), _mix(ground, s.sky[1], 0.35), _mix(ground, (60, 70, 50), 0.3)
    )
    near_half = w * 0.42
    asphalt = s.tint((84, 86, 92), 4)
    _polygon_gradient(
        s,
        [(vx, horizon), (vx, horizon), (vx + near_half, h), (vx - near_half, h)],
        _mix(asphalt, s.sky[1], 0.45),
        asphalt,
    )
    edge = (226, 222, 210)
    for side in (-1, 1):
        s.draw.polygon(
            [(vx, horizon), (vx + side * near_half * 0.9, h), (vx + side * near_half * 0.86, h)],
            fill=edge,
        )

    def project(z: float) -> float:
        return horizon + (h - horizon) / z

    z, k = 1.0, 0
    while z < 40:
        y0, y1 = project(z), project(z + 0.6)
        if y0 - y1 > 0.5:
            t0, t1 = (y0 - horizon) / (h - horizon), (y1 - horizon) / (h - horizon)
            hw0, hw1 = w * 0.008 * t0, w * 0.008 * t1
            s.draw.polygon(
                [(vx - hw0, y0), (vx + hw0, y0), (vx + hw1, y1), (vx - hw1, y1)],
                fill=(232, 196, 96),
            )
        z += 1.4
        k += 1
    # Roadside poles and trees, shrinking with distance.
    side = rng.choice((-1, 1))
    for z2 in (1.1, 1.6, 2.4, 3.6, 5.4, 8.0, 12.0):
        y = project(z2)
        t = (y - horizon) / (h - horizon)
        px = vx + side * near_half * t * 1.15
        ph = h * 0.55 * t
        s.draw.line((px, y, px, y - ph), fill=(70, 62, 56), width=s.lw(1 + 7 * t))
        s.draw.line(
            (px - side * w * 0.05 * t, y - ph * 0.92, px + side * w * 0.02 * t, y - ph * 0.92),
            fill=(70, 62, 56),
            width=s.lw(1 + 4 * t),
        )
    for z2 in (1.3, 2.0, 3.0, 4.5, 7.0, 10.0, 15.0):
        y = project(z2)
        t = (y - horizon) / (h - horizon)
        tx = vx - side * near_half * t * 1.35
        tr = h * 0.16 * t
        crown = _mix(s.tint((70, 100, 66), 10), s.sky[1], 0.4 * (1 - t))
        s.draw.rectangle((tx - tr * 0.1, y - tr * 1.4, tx + tr * 0.1, y), fill=(84, 66, 52))
        s.draw.ellipse((tx - tr, y - tr * 3, tx + tr, y - tr * 1.1), fill=crown)


_DRAWERS: dict[str, Callable[[_Scene], None]] = {
    "skyline": _skyline,
    "harbor": _harbor,
    "field": _field,
    "mountains": _mountains,
    "stadium": _stadium,
    "chart": _chart,
    "lab": _lab,
    "gallery": _gallery,
    "crowd": _crowd,
    "road": _road,
}

MOTIFS: tuple[str, ...] = tuple(_DRAWERS)


def render_demo_image(motif: str, seed: str, width: int = 1200, height: int = 675) -> Image.Image:
    """Draw a deterministic illustrated image for a demo story (no network, no fonts needed)."""
    if width < 1 or height < 1:
        raise ValueError("width and height must be positive")
    # Draw at twice the size and shrink, for smooth edges, unless the image is already large.
    scale = 2 if width * height <= 1600 * 1000 else 1
    scene = _Scene(width, height, random.Random(seed), scale)
    _DRAWERS.get(motif, _skyline)(scene)
    img = scene.img.reduce(scale) if scale > 1 else scene.img
    # A touch of softness and a warm, muted wash give it a printed-photo feel.
    img = img.filter(ImageFilter.SMOOTH)
    return Image.blend(img, Image.new("RGB", img.size, _PAPER), 0.1)
