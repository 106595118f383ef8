"""A photo's resized copies (renditions): their sizes, their names, and making them.

Copies are made by the task worker (`images.tasks`), never in the upload
request: decoding a large picture takes seconds and hundreds of megabytes. The
work is bounded: the pixel count is checked on the header before decoding,
Pillow refuses anything over the same limit, a JPEG is decoded at a reduced
scale (`draft()`), and the decoded pixels are shrunk a strip at a time, so
they are the only full-size allocation.
"""

from __future__ import annotations

import hashlib
import io
import logging
import time
import warnings
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from images.uploads import ACCEPTED_FORMATS, QUARTER_TURNS, Header, read_header

if TYPE_CHECKING:
    from images.models import Image

logger = logging.getLogger(__name__)

# The widths of the resized copies, for `srcset`. Pages never show the original.
RENDITION_WIDTHS = (480, 800, 1200, 1600)
# Centre-cropped copies in the aspect ratios search engines ask for (Google's Article
# structured data: 16:9, 4:3 and 1:1, at least 1200 pixels wide), by name.
CROP_RATIOS = {"16x9": (16, 9), "4x3": (4, 3), "1x1": (1, 1)}
CROP_WIDTH = 1200
# How an EXIF orientation is undone (the inverse of what the camera recorded).
UPRIGHT = {
    2: PILImage.Transpose.FLIP_LEFT_RIGHT,
    3: PILImage.Transpose.ROTATE_180,
    4: PILImage.Transpose.FLIP_TOP_BOTTOM,
    5: PILImage.Transpose.TRANSPOSE,
    6: PILImage.Transpose.ROTATE_270,
    7: PILImage.Transpose.TRANSVERSE,
    8: PILImage.Transpose.ROTATE_90,
}
JPEG_OPTIONS = {"quality": 82, "progressive": True, "optimize": True}
# Pixels converted at a time while a decoded picture is shrunk (about 16 MB in RGBA).
STRIP_PIXELS = 4_000_000


class RenditionError(Exception):
    """The copies could not be made; the message says why, for the photo desk."""


def rendition_sizes(width: int, height: int) -> list[tuple[int, int]]:
    """Return the sizes of the copies of an upright `width` x `height` photo, smallest first.

    No copy is wider than the original; larger copies would be the same one again.
    """
    sizes = []
    for target in RENDITION_WIDTHS:
        actual = min(target, width)
        sizes.append((actual, max(1, round(height * actual / width))))
        if actual == width:
            break
    return sizes


@dataclass(frozen=True)
class Crop:
    """A centre-cropped copy: its ratio's name, its size, and the part of the photo it shows."""

    ratio: str
    width: int
    height: int
    # The cropped region of the upright photo: left, top, right, bottom (fractional pixels).
    box: tuple[float, float, float, float]


def crop_sizes(width: int, height: int) -> list[Crop]:
    """Return the centre crops of an upright `width` x `height` photo, one per ratio.

    Each is `CROP_WIDTH` pixels wide, or as wide as the photo allows: no copy
    is enlarged, so a small photo gets small crops.
    """
    crops = []
    for ratio, (across, down) in CROP_RATIOS.items():
        if width * down >= height * across:  # Wider than the ratio: the sides go.
            region = (height * across / down, height)
        else:  # Taller: the top and bottom go.
            region = (width, width * down / across)
        crop_width = max(1, min(CROP_WIDTH, int(region[0])))
        left, top = (width - region[0]) / 2, (height - region[1]) / 2
        crops.append(
            Crop(
                ratio,
                crop_width,
                max(1, round(crop_width * down / across)),
                (left, top, left + region[0], top + region[1]),
            )
        )
    return crops


def rendition_name(original: str, width: int, crop: str = "") -> str:
    """Return where the copy `width` pixels wide of the original stored as `original` goes.

    A centre-cropped copy names its ratio too (`1200w-16x9.jpg`).

    Named by a digest of the original's (random) name: a copy's address does
    not lead to the original, and a new original gets new addresses, so copies
    can be cached for ever (the web server does so for everything under
    `CACHE/`, see docs/production.md).
    """
    return f"{rendition_folder(original)}/{rendition_key(width, crop)}.jpg"


def rendition_folder(original: str) -> str:
    digest = hashlib.sha256(original.encode()).hexdigest()[:32]
    return f"CACHE/renditions/{digest}"


def rendition_key(width: int, crop: str = "") -> str:
    """Return a copy's name without folder or extension (`1200w`, `1200w-16x9`)."""
    return f"{width}w-{crop}" if crop else f"{width}w"


def base_size(width: int, height: int) -> tuple[int, int]:
    """Return the upright size to shrink the decoded photo to before the copies are cut.

    Large enough for the largest copy and for every crop without enlarging
    the crop's region (a square crop of a wide photo needs more of its height).
    """
    scale = rendition_sizes(width, height)[-1][0] / width
    for crop in crop_sizes(width, height):
        scale = max(scale, crop.width / (crop.box[2] - crop.box[0]))
    scale = min(1.0, scale)
    return max(1, round(width * scale)), max(1, round(height * scale))


def render(file: IO[bytes], header: Header) -> list[tuple[str, tuple[int, int], bytes]]:
    """Decode the picture in `file` once and return each copy's name, size and JPEG data.

    The copies are those of `rendition_sizes` and `crop_sizes`, named by
    `rendition_key`.

    The copies are upright, in RGB with the original's colour profile (if any),
    transparency on white, and carry no EXIF, XMP or comment: no camera or
    location data. Raises `RenditionError`.
    """
    limit = settings.NEWSROOM_IMAGE_MAX_PIXELS
    if header.width * header.height > limit:
        raise RenditionError(
            f"The picture is {header.width} × {header.height} pixels, over the limit of "
            f"{limit / 1_000_000:g} megapixels."
        )
    upright = header.upright_size
    sizes = rendition_sizes(*upright)
    crops = crop_sizes(*upright)
    largest = base_size(*upright)
    # The size the copies are cut from, before the picture is turned upright.
    stored = largest[::-1] if header.orientation in QUARTER_TURNS else largest
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow's own limit is ours (ImagesConfig.ready): over it is an error here.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file, formats=list(ACCEPTED_FORMATS)) as picture:
                if (picture.width, picture.height) != (header.width, header.height):
                    raise RenditionError("The picture's size changed since it was checked.")
                icc_profile = picture.info.get("icc_profile")
                if picture.mode == "CMYK":
                    icc_profile = None  # A CMYK profile does not describe the RGB copies.
                # A JPEG decodes at 1/2, 1/4 or 1/8 scale, no smaller than needed.
                picture.draft(None, stored)
                picture.load()
                base = shrunk(picture, stored)
            # Closed: the full-size pixels are freed before the copies are made.
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning):
        raise RenditionError("The picture has more pixels than photos may have.") from None
    except (UnidentifiedImageError, SyntaxError, ValueError, EOFError) as error:
        raise RenditionError(f"The picture could not be read ({error}).") from None
    except OSError as error:  # Truncated or damaged data.
        raise RenditionError(f"The picture is damaged ({error}).") from None
    except MemoryError:
        raise RenditionError("The picture is too large to decode on this machine.") from None
    if base.size != stored:
        base = base.resize(stored, PILImage.Resampling.LANCZOS)
    if header.orientation in UPRIGHT:
        base = base.transpose(UPRIGHT[header.orientation])
    # The crops' regions, in the base's pixels.
    across, down = base.width / upright[0], base.height / upright[1]
    cuts = [(rendition_key(w, ""), (w, h), None) for w, h in sizes] + [
        (
            rendition_key(crop.width, crop.ratio),
            (crop.width, crop.height),
            (crop.box[0] * across, crop.box[1] * down, crop.box[2] * across, crop.box[3] * down),
        )
        for crop in crops
    ]
    copies = []
    options = {"icc_profile": icc_profile} if icc_profile else {}
    for key, size, box in cuts:
        if box is None and base.size == size:
            copy = base
        else:
            copy = base.resize(size, PILImage.Resampling.LANCZOS, box=box)
        copy.info = {}  # Nothing from the original's metadata goes into a copy.
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", **JPEG_OPTIONS, **options)
        copies.append((key, size, buffer.getvalue()))
    return copies


def shrunk(picture: PILImage.Image, size: tuple[int, int]) -> PILImage.Image:
    """Return the decoded `picture` in RGB, reduced by a whole factor to about twice `size`.

    Done a strip at a time, so that converting the mode (a palette, transparency
    laid on white, CMYK) never makes a second full-size copy: the decoded
    pixels are the only large allocation. Box-averaging whole blocks (`reduce`)
    strip by strip gives exactly what it gives on the whole picture.
    """
    width, height = picture.size
    # Like Pillow's `reducing_gap=2.0`: the Lanczos pass that follows has twice the pixels.
    factor = max(1, min(width // (2 * size[0]), height // (2 * size[1])))
    rows = max(1, STRIP_PIXELS // (width * factor)) * factor
    result = PILImage.new("RGB", (-(-width // factor), -(-height // factor)))
    for top in range(0, height, rows):
        strip = as_rgb(picture.crop((0, top, width, min(top + rows, height))))
        result.paste(strip.reduce(factor) if factor > 1 else strip, (0, top // factor))
    return result


def as_rgb(picture: PILImage.Image) -> PILImage.Image:
    """Return `picture` in RGB; what is transparent becomes white (JPEG has no transparency)."""
    if "A" in picture.mode or "transparency" in picture.info:
        picture = picture.convert("RGBA")
        background = PILImage.new("RGB", picture.size, "white")
        background.paste(picture, mask=picture.getchannel("A"))
        return background
    return picture if picture.mode == "RGB" else picture.convert("RGB")


def make_renditions(image: Image) -> str:
    """Make and store the copies of `image`, and record on it whether that worked.

    A copy made already is replaced. The outcome is recorded with a save, so the
    photo's stories are purged from the front cache after the commit and show
    the copies (or, after a failure, the placeholder). If the photo's file was
    replaced meanwhile, nothing is recorded: the new file has a task of its own.
    Return a line for the task's result.
    """
    from images.models import Image

    original = image.file.name
    started = time.monotonic()
    try:
        made = store_renditions(image)
    except RenditionError as error:
        logger.warning("Photo %s: no resized copies: %s", image.pk, error)
        status, reason, made = Image.RenditionStatus.FAILED, str(error)[:500], {}
        outcome = f"failed: {error}"
    else:
        status, reason = Image.RenditionStatus.READY, ""
        outcome = f"{len(made)} copies in {time.monotonic() - started:.2f} s"
    with transaction.atomic():
        current = Image.objects.select_for_update().filter(pk=image.pk, file=original).first()
        if current is None:
            return "the photo was deleted or its file replaced; nothing recorded"
        current.renditions_status = status
        current.renditions_made_at = (
            timezone.now() if status == Image.RenditionStatus.READY else None
        )
        current.renditions_error = reason
        current.rendition_bytes = made
        # A save, not an update: the photo's stories are purged (frontcache.receivers).
        current.save(
            update_fields=[
                "renditions_status",
                "renditions_made_at",
                "renditions_error",
                "rendition_bytes",
                "updated_at",
            ]
        )
    image.refresh_from_db()
    return outcome


def store_renditions(image: Image) -> dict[str, int]:
    """Render `image`'s original and store the copies; return each one's size in bytes, by key.

    Feeds give the sizes (an RSS enclosure's `length`) without asking storage.
    """
    storage = image.file.storage
    try:
        with storage.open(image.file.name, "rb") as file:
            header = read_header(file)
            copies = render(file, header)
    except FileNotFoundError:
        raise RenditionError("The original file is missing from storage.") from None
    except PILImage.DecompressionBombError:
        raise RenditionError("The picture has more pixels than photos may have.") from None
    except (UnidentifiedImageError, SyntaxError, ValueError) as error:
        raise RenditionError(f"The picture could not be read ({error}).") from None
    made = {}
    folder = rendition_folder(image.file.name)
    try:
        for key, _, data in copies:
            name = f"{folder}/{key}.jpg"
            if storage.get_available_name(name) != name:
                # A storage that keeps what it has (local files) would store the new
                # copy under another name. One that overwrites (a bucket) is asked
                # nothing, and its copy is replaced at once, never missing meanwhile.
                storage.delete(name)
            stored = storage.save(name, ContentFile(data))
            if stored != name:
                raise RenditionError(f"Storage put the copy at {stored} instead of {name}.")
            made[key] = len(data)
    except OSError as error:
        raise RenditionError(f"The copies could not be stored ({error}).") from None
    return made


def delete_files(storage: Storage, original: str) -> None:
    """Delete the original stored as `original` and every copy made of it from `storage`.

    The copies are found by listing their folder, so copies of sizes no longer
    made go too. A file already gone is no error.
    """
    folder = rendition_folder(original)
    try:
        _, names = storage.listdir(folder)
    except FileNotFoundError:  # Local files: no copy was ever made.
        names = []
    for name in names:
        storage.delete(f"{folder}/{name}")
    if names:
        # The emptied folder, on local files; elsewhere folders do not exist.
        storage.delete(folder)
    storage.delete(original)
