"""Demo banners in a portal's palette, drawn with Pillow."""

import random
from io import BytesIO

from PIL import Image as PILImage
from PIL import ImageDraw

from portal.core.artwork import blend, font, rgb


def banner(text: str, primary: str, accent: str, seed: str, size=(1200, 630)) -> bytes:
    """A gradient with a few deterministic shapes and the text: readable, light, distinct."""
    rng = random.Random(seed)
    width, height = size
    start, end = rgb(primary), blend(rgb(primary), (0, 0, 0), 0.45)
    image = PILImage.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=blend(start, end, y / height))
    for _ in range(6):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(60, 260)
        colour = blend(rgb(accent), start, rng.uniform(0.3, 0.8))
        draw.ellipse([x - r, y - r, x + r, y + r], outline=colour, width=rng.randrange(4, 14))
    draw.rectangle([0, height - 16, width, height], fill=rgb(accent))
    draw.text((60, height - 150), text, fill=(255, 255, 255), font=font(56))
    out = BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
