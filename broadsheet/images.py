"""Featured images from the newsroom: checked by content, cleaned, stored in several widths.

Only real JPEG, PNG and WebP files are taken, whatever their name says. Each is decoded,
bounded in bytes and pixels, turned upright, and re-encoded from its pixels alone, so no
metadata (camera, GPS position, editing history) from the original file is kept.
"""

from __future__ import annotations

import io
import secrets
import warnings
from pathlib import Path
from typing import IO

from PIL import Image, ImageOps, UnidentifiedImageError

from broadsheet.slugs import slugify

ACCEPTED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# The format a stored file's name promises (and /media/ serves it as).
FORMAT_OF_SUFFIX = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
ORIENTATION = 0x0112


class ImageRejected(ValueError):
    """An upload that is not an image we take; `reason` says which rule it broke."""

    def __init__(self, reason: str, **values) -> None:
        super().__init__(reason)
        self.reason = reason
        self.values = values


def read_bounded(stream: IO[bytes], max_bytes: int) -> bytes:
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ImageRejected("too_big", max_bytes=max_bytes)
    if not data:
        raise ImageRejected("empty")
    return data


def _open(data: bytes, max_pixels: int) -> Image.Image:
    try:
        with warnings.catch_warnings():
            # Pillow warns about (and past twice its limit refuses) decompression bombs;
            # our own, lower limit is checked below before any pixel is decoded.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ACCEPTED_FORMATS:
                raise ImageRejected("wrong_type")
            width, height = image.size
            if width * height > max_pixels:
                raise ImageRejected("too_many_pixels", max_pixels=max_pixels)
            image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise ImageRejected("wrong_type") from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected("damaged") from None
    return image


def _flatten(image: Image.Image) -> Image.Image:
    """Upright RGB pixels: transparency on white, EXIF rotation applied, nothing else kept."""
    image = ImageOps.exif_transpose(image)
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGB", image.size, "white")
        background.paste(image, mask=image.getchannel("A"))
        return background
    return image.convert("RGB")


def clean(stream: IO[bytes], *, max_bytes: int, max_pixels: int) -> Image.Image:
    """The picture in a stream, checked and flattened to upright RGB pixels; ImageRejected
    when it is not one we take."""
    return _flatten(_open(read_bounded(stream, max_bytes), max_pixels))


def write_widths(
    image: Image.Image, folder: str | Path, stem: str, widths: tuple[int, ...]
) -> list[Path]:
    """<folder>/<stem>-<width>.jpg for each width (a missing folder is made); the paths."""
    written = []
    for width in widths:
        # Never enlarge: a small picture is stored as it is under every width's name.
        if image.width > width:
            height = max(1, round(image.height * width / image.width))
            sized = image.resize((width, height), Image.Resampling.LANCZOS)
        else:
            sized = image
        target = Path(folder) / f"{stem}-{width}.jpg"
        target.parent.mkdir(parents=True, exist_ok=True)
        sized.save(target, "JPEG", quality=82, optimize=True, progressive=True)
        written.append(target)
    return written


def reencode(stream: IO[bytes], suffix: str, *, max_bytes: int, max_pixels: int) -> bytes:
    """A stored picture (from an archive's uploads/) rebuilt from its pixels alone, in the
    format its name says, so that nothing but the picture survives: no script hidden after
    the image data, no metadata. ImageRejected when it is not a picture of that format.

    A JPEG keeps its own quantisation tables, so it loses next to nothing; PNG is lossless.
    """
    wanted = FORMAT_OF_SUFFIX.get(suffix.lower())
    if wanted is None:
        raise ImageRejected("wrong_type")
    image = _open(read_bounded(stream, max_bytes), max_pixels)
    if image.format != wanted:
        raise ImageRejected("wrong_type")
    out = io.BytesIO()
    if image.getexif().get(ORIENTATION, 1) != 1:
        # The rotation lived in the metadata that is dropped: apply it to the pixels.
        ImageOps.exif_transpose(image).save(out, wanted, quality=92)
    elif wanted == "JPEG":
        image.save(out, "JPEG", quality="keep", subsampling="keep")
    elif wanted == "PNG":
        image.save(out, "PNG")
    else:
        image.save(out, "WEBP", quality=90)
    return out.getvalue()


def files_of(stem: str, folder: str | Path, widths: tuple[int, ...]) -> list[Path]:
    """Every file store() writes for a stem."""
    folder = Path(folder)
    return [folder / "originals" / f"{stem}.jpg", *(folder / f"{stem}-{w}.jpg" for w in widths)]


def store(
    stream: IO[bytes],
    filename: str,
    folder: str | Path,
    widths: tuple[int, ...],
    *,
    max_bytes: int,
    max_pixels: int,
) -> str:
    """Check and store an upload; returns the stem the templates put in image_src/srcset.

    Writes <folder>/originals/<stem>.jpg (the cleaned full-size picture) and
    <folder>/<stem>-<width>.jpg for each configured width.
    """
    image = clean(stream, max_bytes=max_bytes, max_pixels=max_pixels)
    name = slugify(Path(filename or "").stem, 40, ascii_only=True) or "image"
    stem = f"{name}-{secrets.token_hex(4)}"
    folder = Path(folder)
    (folder / "originals").mkdir(parents=True, exist_ok=True)
    image.save(folder / "originals" / f"{stem}.jpg", "JPEG", quality=92)
    write_widths(image, folder, stem, widths)
    return stem
