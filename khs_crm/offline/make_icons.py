"""Draw the app icons into assets/icons (run once; the PNGs are committed).

    python -m khs_crm.offline.make_icons      # needs Pillow: pip install pillow

A white roof and "KHS" on the brand amber. The maskable icon keeps everything inside the
centre 80 % circle, so any launcher mask shape leaves it whole.
"""

from __future__ import annotations

from pathlib import Path

BRAND = (180, 83, 9, 255)  # #b45309, the theme colour
WHITE = (255, 255, 255, 255)
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
OUT = Path(__file__).resolve().parents[2] / "assets" / "icons"


def draw(size: int, *, maskable: bool, rounded: bool = True):
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    if maskable or not rounded:
        pen.rectangle((0, 0, size, size), fill=BRAND)
    else:
        pen.rounded_rectangle((0, 0, size - 1, size - 1), radius=size // 6, fill=BRAND)
    scale = 0.62 if maskable else 0.8  # artwork box, as a share of the icon
    box = size * scale
    left, top = (size - box) / 2, (size - box) / 2
    roof = [
        (left + box * 0.08, top + box * 0.42),
        (left + box * 0.5, top + box * 0.08),
        (left + box * 0.92, top + box * 0.42),
    ]
    pen.line(roof, fill=WHITE, width=max(2, round(box * 0.09)), joint="curve")
    font = ImageFont.truetype(FONT, round(box * 0.34))
    pen.text((size / 2, top + box * 0.72), "KHS", font=font, fill=WHITE, anchor="mm")
    return image


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw(192, maskable=False).save(OUT / "icon-192.png", optimize=True)
    draw(512, maskable=False).save(OUT / "icon-512.png", optimize=True)
    draw(512, maskable=True).save(OUT / "icon-maskable-512.png", optimize=True)
    draw(180, maskable=False, rounded=False).convert("RGB").save(
        OUT / "apple-touch-icon.png", optimize=True
    )


if __name__ == "__main__":
    main()
