"""Illustrations for the demo stories, drawn with Pillow: skies, simple shapes, patterns.

Each scene is drawn at twice its size and halved, which smooths the edges of
the shapes. The same scene and seed always give the same picture; the seed
(a story's slug) only varies details such as heights and hues, so the alt
text written for a scene stays true.
"""

from __future__ import annotations

import io
import itertools
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw

WIDTH, HEIGHT = 1600, 900
SCALE = 2  # Drawn at twice the size, then halved.
W, H = WIDTH * SCALE, HEIGHT * SCALE

Colour = tuple[int, int, int]


def mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def sky(top: Colour, bottom: Colour, horizon: float = 1.0) -> Image.Image:
    """Return a canvas filled with a vertical gradient from `top` to `bottom` at `horizon`."""
    strip = Image.new("RGB", (1, H))
    strip.putdata([mix(top, bottom, min(1.0, y / (H - 1) / horizon)) for y in range(H)])
    return strip.resize((W, H), Image.Resampling.NEAREST)


def glow(canvas: Image.Image, centre: tuple[float, float], radius: float, colour: Colour) -> None:
    """Lay a soft disc of light (a sun and its halo) on `canvas`."""
    draw = ImageDraw.Draw(canvas, "RGBA")
    x, y = centre
    for step in range(8, 0, -1):
        r = radius * (1 + step * 0.27)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, 14))
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=colour)


def skyline(rnd: random.Random) -> Image.Image:
    """A city skyline in silhouette at dusk, with a few lit windows and two domes."""
    canvas = sky((18, 30, 64), (214, 140, 84), horizon=0.95)
    draw = ImageDraw.Draw(canvas)
    ground = H * 0.78
    silhouette = (22, 24, 38)
    x = 0.0
    while x < W:
        width = rnd.uniform(120, 300)
        top = ground - rnd.uniform(180, 640)
        draw.rectangle((x, top, x + width, H), fill=silhouette)
        for wy in range(int(top) + 40, int(ground) - 20, 70):
            for wx in range(int(x) + 24, int(x + width) - 30, 56):
                if rnd.random() < 0.12:
                    draw.rectangle((wx, wy, wx + 22, wy + 34), fill=(246, 206, 120))
        x += width + rnd.uniform(-20, 30)
    for cx in (W * rnd.uniform(0.2, 0.35), W * rnd.uniform(0.6, 0.8)):
        r = rnd.uniform(70, 100)
        base = ground - rnd.uniform(380, 520)
        draw.rectangle((cx - r * 0.9, base, cx + r * 0.9, H), fill=silhouette)
        draw.ellipse((cx - r, base - r * 1.3, cx + r, base + r * 0.5), fill=silhouette)
        draw.rectangle((cx - 6, base - r * 1.9, cx + 6, base - r * 1.1), fill=silhouette)
    draw.rectangle((0, ground, W, H), fill=(14, 16, 26))
    return canvas


def columns(rnd: random.Random) -> Image.Image:
    """A pale stone building with six columns and a pediment under a clear morning sky."""
    canvas = sky((120, 170, 220), (236, 238, 232))
    draw = ImageDraw.Draw(canvas)
    stone = mix((232, 226, 212), (214, 204, 186), rnd.random())
    shade = mix(stone, (90, 90, 100), 0.25)
    left, right, ground = W * 0.2, W * 0.8, H * 0.86
    draw.rectangle((0, ground, W, H), fill=(170, 176, 160))
    for step in range(3):  # The steps.
        inset = step * 40
        draw.rectangle(
            (left - 80 + inset, ground - (step + 1) * 34, right + 80 - inset, ground - step * 34),
            fill=mix(stone, shade, step * 0.2),
        )
    base = ground - 3 * 34
    top = base - H * 0.42
    draw.rectangle((left, top - 60, right, top), fill=stone)  # The entablature.
    draw.rectangle((left, top - 20, right, top), fill=shade)
    draw.polygon([(left - 30, top - 60), (right + 30, top - 60), (W / 2, top - 260)], fill=stone)
    draw.polygon(
        [(left + 50, top - 80), (right - 50, top - 80), (W / 2, top - 225)],
        fill=mix(stone, shade, 0.5),
    )
    span = (right - left) / 6
    for n in range(6):
        cx = left + span * (n + 0.5)
        draw.rectangle((cx - span * 0.22, top, cx + span * 0.22, base), fill=stone)
        draw.rectangle((cx + span * 0.08, top, cx + span * 0.22, base), fill=shade)
        draw.rectangle((cx - span * 0.3, top, cx + span * 0.3, top + 26), fill=stone)
    return canvas


def star(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, colour: Colour) -> None:
    points = []
    for n in range(10):
        angle = -math.pi / 2 + n * math.pi / 5
        radius = r if n % 2 == 0 else r * 0.4
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=colour)


def stars(rnd: random.Random) -> Image.Image:
    """A ring of twelve gold stars on a deep blue field."""
    canvas = sky((0, 38, 120), (0, 28, 88))
    draw = ImageDraw.Draw(canvas, "RGBA")
    cx, cy = W * rnd.uniform(0.45, 0.55), H / 2
    for n in range(10, 0, -1):  # A faint lighter centre.
        r = n * 130
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(40, 80, 170, 12))
    ring, size = H * 0.3, H * 0.045
    for n in range(12):
        angle = n * math.pi / 6
        star(draw, cx + ring * math.cos(angle), cy + ring * math.sin(angle), size, (255, 204, 0))
    return canvas


def wheat(rnd: random.Random) -> Image.Image:
    """A golden wheat field stretching to the horizon under a blue sky with the sun high."""
    horizon = H * rnd.uniform(0.5, 0.58)
    canvas = sky((40, 110, 200), (170, 210, 240), horizon=horizon / H)
    glow(canvas, (W * rnd.choice((0.22, 0.78)), H * 0.2), H * 0.06, (255, 240, 190))
    field = sky((236, 200, 100), (206, 150, 40))
    canvas.paste(field.crop((0, 0, W, H - int(horizon))), (0, int(horizon)))
    draw = ImageDraw.Draw(canvas)
    vanish = W * rnd.uniform(0.4, 0.6)
    for n in range(-30, 31):  # Rows running to the horizon.
        x = vanish + n * W / 14
        draw.line((vanish + n * 30, horizon, x, H), fill=(190, 136, 36), width=6)
    # A line of trees on the horizon.
    for x in range(0, W, 24):
        r = rnd.uniform(14, 30)
        draw.ellipse((x - r, horizon - r, x + r, horizon + r * 0.4), fill=(70, 96, 60))
    return canvas


def pylons(rnd: random.Random) -> Image.Image:
    """Electricity pylons and power lines in silhouette against an orange evening sky."""
    canvas = sky((70, 60, 110), (246, 150, 70), horizon=0.85)
    glow(canvas, (W * rnd.uniform(0.3, 0.7), H * 0.72), H * 0.09, (255, 214, 150))
    draw = ImageDraw.Draw(canvas)
    dark = (34, 28, 44)
    ground = H * 0.84
    draw.rectangle((0, ground, W, H), fill=dark)
    tops = []
    for n, x in enumerate((W * 0.12, W * 0.5, W * 0.88)):
        height = H * (0.62 - n * 0.1)
        half = 90 - n * 18
        top = ground - height
        draw.line((x - half, ground, x - 14, top), fill=dark, width=14)
        draw.line((x + half, ground, x + 14, top), fill=dark, width=14)
        for k in range(1, 6):  # The lattice.
            y1, y2 = ground - height * (k - 1) / 5, ground - height * k / 5
            w1, w2 = half - (half - 14) * (k - 1) / 5, half - (half - 14) * k / 5
            draw.line((x - w1, y1, x + w2, y2), fill=dark, width=5)
            draw.line((x + w1, y1, x - w2, y2), fill=dark, width=5)
        arm = top + height * 0.12
        draw.line((x - half * 2, arm, x + half * 2, arm), fill=dark, width=10)
        tops.append([(x - half * 2, arm), (x + half * 2, arm)])
    for side in (0, 1):  # The cables sag between the arms.
        for a, b in itertools.pairwise(tops):
            (x1, y1), (x2, y2) = a[side], b[side]
            points = []
            for k in range(41):
                t = k / 40
                points.append((x1 + (x2 - x1) * t, y1 + (y2 - y1) * t + 60 * 4 * t * (1 - t)))
            draw.line(points, fill=dark, width=4)
    return canvas


def sea(rnd: random.Random) -> Image.Image:
    """A cargo ship on a calm sea at dawn, with port cranes on the shore."""
    horizon = H * 0.6
    canvas = sky((120, 140, 190), (250, 200, 160), horizon=0.6)
    glow(canvas, (W * rnd.uniform(0.6, 0.75), horizon - 40), H * 0.07, (255, 226, 180))
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, horizon, W, H), fill=(70, 100, 140))
    for n in range(18):  # Light on the water.
        y = horizon + (H - horizon) * (n / 18) ** 1.5
        x = W * rnd.uniform(0.1, 0.8)
        draw.line((x, y, x + rnd.uniform(200, 600), y), fill=(130, 150, 180), width=4)
    hull = (40, 44, 60)
    x0, y0 = W * rnd.uniform(0.18, 0.3), horizon + 60
    length = W * 0.42
    draw.polygon(
        [(x0, y0 - 120), (x0 + length, y0 - 120), (x0 + length - 60, y0), (x0 + 40, y0)],
        fill=hull,
    )
    for n in range(5):  # The holds.
        hx = x0 + 120 + n * (length - 420) / 4
        draw.rectangle((hx, y0 - 160, hx + 130, y0 - 120), fill=(150, 60, 50))
    draw.rectangle((x0 + length - 240, y0 - 300, x0 + length - 80, y0 - 120), fill=hull)
    draw.rectangle((x0 + length - 200, y0 - 380, x0 + length - 160, y0 - 300), fill=hull)
    for n in range(3):  # Cranes on the far shore.
        cx = W * (0.8 + n * 0.07)
        draw.rectangle((cx, horizon - 260, cx + 16, horizon), fill=hull)
        draw.line((cx - 140, horizon - 250, cx + 60, horizon - 250), fill=hull, width=14)
        draw.line((cx + 8, horizon - 320, cx - 140, horizon - 250), fill=hull, width=5)
    draw.rectangle((W * 0.76, horizon - 20, W, horizon), fill=hull)
    return canvas


def rail(rnd: random.Random) -> Image.Image:
    """Railway tracks running straight to the horizon across a plain at dusk."""
    horizon = H * 0.5
    canvas = sky((40, 50, 100), (236, 170, 120), horizon=0.5)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((0, horizon, W, H), fill=(72, 78, 62))
    vx = W * rnd.uniform(0.45, 0.55)
    for n in range(30):  # Sleepers, closer together with distance.
        t = (n / 30) ** 2
        y = horizon + (H - horizon) * t
        half = 40 + 900 * t
        draw.line((vx - half, y, vx + half, y), fill=(110, 90, 70), width=max(2, int(30 * t)))
    for gauge in (-1, 1):
        draw.line((vx + gauge * 4, horizon, vx + gauge * 560, H), fill=(200, 200, 210), width=14)
    for n in range(9):  # Telegraph poles along the line.
        t = 1 - (n / 9) ** 0.5
        x = vx + 80 + 1500 * t
        pole = 40 + 700 * t
        y = horizon + (H - horizon) * t * 0.55
        draw.line((x, y, x, y - pole), fill=(30, 30, 40), width=max(2, int(16 * t)))
    return canvas


def hills(rnd: random.Random) -> Image.Image:
    """Green fields and rolling hills under a rising sun."""
    canvas = sky((150, 190, 230), (250, 226, 180), horizon=0.7)
    glow(canvas, (W * rnd.uniform(0.55, 0.75), H * 0.48), H * 0.08, (255, 236, 190))
    draw = ImageDraw.Draw(canvas)
    for layer in range(5):
        base = H * (0.5 + layer * 0.11)
        colour = mix((150, 180, 120), (60, 110, 50), layer / 4)
        phase, wave = rnd.uniform(0, math.tau), rnd.uniform(30, 80)
        points = [
            (x, base + wave * math.sin(x / W * math.tau * 1.3 + phase))
            for x in range(0, W + 40, 40)
        ]
        draw.polygon([(0, H), *points, (W, H)], fill=colour)
    return canvas


def windows(rnd: random.Random) -> Image.Image:
    """An apartment block at dusk, its windows lit in warm yellow."""
    canvas = sky((30, 40, 80), (120, 110, 150))
    draw = ImageDraw.Draw(canvas)
    wall = (64, 68, 84)
    left, right, top = W * 0.12, W * 0.88, H * 0.12
    draw.rectangle((left, top, right, H), fill=wall)
    for row in range(9):
        for col in range(14):
            x = left + 60 + col * (right - left - 120) / 14
            y = top + 60 + row * 170
            lit = rnd.random() < 0.55
            colour = mix((250, 210, 120), (255, 180, 90), rnd.random()) if lit else (40, 44, 60)
            draw.rectangle((x, y, x + 110, y + 110), fill=colour)
    return canvas


def embroidery(rnd: random.Random) -> Image.Image:
    """A geometric red-and-black cross-stitch pattern of diamonds on white linen."""
    canvas = Image.new("RGB", (W, H), (244, 240, 230))
    draw = ImageDraw.Draw(canvas)
    cell = 40
    red, black = (178, 34, 40), (30, 26, 28)
    motif = rnd.randint(5, 7)
    for gy in range(H // cell + 1):
        for gx in range(W // cell + 1):
            # Diamonds in a lattice, with a black core, in a band across the middle.
            dx, dy = (gx % (2 * motif)) - motif, (gy % (2 * motif)) - motif
            distance = abs(dx) + abs(dy)
            band = abs(gy - H / cell / 2) < motif * 1.5
            if distance in (motif - 1, motif - 3) or (band and distance == 1):
                colour = black if distance == 1 else red
            elif band and distance == motif - 2:
                colour = black
            else:
                continue
            x, y = gx * cell, gy * cell
            draw.line((x + 6, y + 6, x + cell - 6, y + cell - 6), fill=colour, width=10)
            draw.line((x + cell - 6, y + 6, x + 6, y + cell - 6), fill=colour, width=10)
    return canvas


def abstract(rnd: random.Random) -> Image.Image:
    """Overlapping circles, arcs and stripes in red, ochre and deep blue on cream."""
    canvas = Image.new("RGB", (W, H), (242, 234, 216))
    draw = ImageDraw.Draw(canvas, "RGBA")
    palette = [(200, 60, 50), (220, 160, 50), (20, 50, 110), (40, 40, 40)]
    for n in range(6):
        x = rnd.uniform(0, W)
        draw.rectangle((x, 0, x + rnd.uniform(60, 400), H), fill=(*palette[n % 4], 40))
    for n in range(7):
        r = rnd.uniform(H * 0.1, H * 0.38)
        x, y = rnd.uniform(0, W), rnd.uniform(0, H)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*palette[n % 4], 190))
    for _ in range(4):
        r = rnd.uniform(H * 0.2, H * 0.5)
        x, y = rnd.uniform(0, W), rnd.uniform(0, H)
        start = rnd.uniform(0, 360)
        draw.arc((x - r, y - r, x + r, y + r), start, start + 180, fill=palette[2], width=28)
    return canvas


def books(rnd: random.Random) -> Image.Image:
    """Book spines in many colours standing on a wooden shelf."""
    canvas = Image.new("RGB", (W, H), (90, 60, 40))
    draw = ImageDraw.Draw(canvas)
    colours = [
        (150, 40, 40),
        (30, 60, 110),
        (40, 100, 70),
        (200, 150, 60),
        (90, 50, 90),
        (220, 210, 190),
        (30, 30, 36),
        (170, 90, 40),
    ]
    for floor in (H * 0.47, H * 0.97):
        draw.rectangle((0, floor, W, floor + 50), fill=(130, 90, 56))
        x = rnd.uniform(0, 40)
        while x < W:
            width = rnd.uniform(50, 120)
            height = rnd.uniform(0.3, 0.42) * H
            colour = rnd.choice(colours)
            draw.rectangle((x, floor - height, x + width, floor), fill=colour)
            band = mix(colour, (240, 220, 160), 0.6)
            for y in (floor - height + 50, floor - 70):
                draw.rectangle((x + 8, y, x + width - 8, y + 12), fill=band)
            x += width + rnd.uniform(4, 14)
    return canvas


SCENES: dict[str, Callable[[random.Random], Image.Image]] = {
    "abstract": abstract,
    "books": books,
    "columns": columns,
    "embroidery": embroidery,
    "hills": hills,
    "pylons": pylons,
    "rail": rail,
    "sea": sea,
    "skyline": skyline,
    "stars": stars,
    "wheat": wheat,
    "windows": windows,
}


# What each scene shows, for readers who cannot see it (the photos' alt text).
ALT_TEXT: dict[str, str] = {
    "abstract": (
        "An abstract illustration of overlapping circles, arcs and stripes in red, ochre and "
        "deep blue on a cream background."
    ),
    "books": "An illustration of book spines in many colours standing on two wooden shelves.",
    "columns": (
        "An illustration of a pale stone building with six columns and a triangular pediment "
        "under a clear morning sky."
    ),
    "embroidery": (
        "An illustration of a red and black cross-stitch pattern of diamonds on white linen, "
        "in the style of Ukrainian embroidery."
    ),
    "hills": "An illustration of green fields and rolling hills under a rising sun.",
    "pylons": (
        "An illustration of electricity pylons and power lines in silhouette against an "
        "orange evening sky with a low sun."
    ),
    "rail": (
        "An illustration of railway tracks running straight to the horizon across a plain at "
        "dusk, with telegraph poles beside them."
    ),
    "sea": "An illustration of a cargo ship on a calm sea at dawn, with port cranes on the shore.",
    "skyline": (
        "An illustration of a city skyline with two domes in silhouette under a deep blue "
        "evening sky, a few windows lit."
    ),
    "stars": "An illustration of a ring of twelve gold stars on a deep blue background.",
    "wheat": (
        "An illustration of a golden wheat field stretching to a line of trees under a blue sky "
        "with a bright sun."
    ),
    "windows": "An illustration of an apartment block at dusk, many of its windows lit yellow.",
}


def illustration(scene: str, seed: str) -> bytes:
    """Return the JPEG data of `scene` (a name in `SCENES`), 1600 x 900, varied by `seed`."""
    # Repeatable variety for drawings, not secrecy.
    picture = SCENES[scene](random.Random(seed)).reduce(SCALE)  # noqa: S311
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=85, optimize=True)
    return buffer.getvalue()
