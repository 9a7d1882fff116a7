"""The practice logo (issue 8, item 4): stored under a generated name with the extension of its real
format, bounded in dimensions (decompression bombs refused), downscaled; media served with
`nosniff`, and as an attachment unless it is a plain raster image."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import Practice

pytestmark = pytest.mark.django_db

BASE = {
    "name": "Alpha Advisors",
    "currency": "USD",
    "brand_colour": "#112233",
    "time_zone": "UTC",
    "fiscal_year_start_month": "1",
}
STORED_NAME = re.compile(r"^logos/[0-9a-f]{32}\.(png|jpg|webp)$")


def settings_url():
    return reverse("accounts:settings", kwargs={"practice_slug": "alpha"})


def image_bytes(size=(64, 64), fmt="PNG", mode="RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "#1f6feb" if mode == "RGB" else 0).save(buffer, format=fmt)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width`×`height` (what a decompression bomb looks like)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0"))
        + chunk(b"IEND", b"")
    )


def upload(http, content: bytes, name: str):
    return http.post(settings_url(), {**BASE, "logo": SimpleUploadedFile(name, content)})


def stored_file(practice) -> Path:
    practice.refresh_from_db()
    return Path(practice.logo.path)


@pytest.mark.parametrize(
    ("name", "fmt", "extension"),
    [
        ("logo.pdf", "PNG", "png"),
        ("logo.eps", "PNG", "png"),
        ("logo.png", "JPEG", "jpg"),
        ("logo.gif", "WEBP", "webp"),
    ],
)
def test_an_upload_is_stored_under_a_generated_name_with_its_real_extension(
    as_owner_a, practice_a, name, fmt, extension
):
    response = upload(as_owner_a, image_bytes(fmt=fmt), name)

    assert response.status_code == 302
    practice_a.refresh_from_db()
    assert STORED_NAME.match(practice_a.logo.name), practice_a.logo.name
    assert practice_a.logo.name.endswith(f".{extension}")
    with Image.open(stored_file(practice_a)) as img:
        assert img.format == fmt


def test_a_gif_is_stored_as_a_png_of_its_first_frame(as_owner_a, practice_a):
    assert upload(as_owner_a, image_bytes(fmt="GIF", mode="P"), "logo.gif").status_code == 302
    assert stored_file(practice_a).suffix == ".png"


def test_a_large_logo_is_downscaled_to_what_the_layout_uses(as_owner_a, practice_a):
    assert upload(as_owner_a, image_bytes(size=(1200, 600)), "wide.png").status_code == 302

    with Image.open(stored_file(practice_a)) as img:
        assert img.size == (512, 256)


@pytest.mark.parametrize("size", [(4097, 10), (10, 5000)])
def test_dimensions_over_4096_are_a_field_error(as_owner_a, practice_a, size):
    response = upload(as_owner_a, image_bytes(size=size, mode="L"), "big.png")

    assert response.status_code == 200
    assert "4096" in " ".join(response.context["form"].errors["logo"])
    practice_a.refresh_from_db()
    assert not practice_a.logo


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (png_claiming(30000, 30000), ""),  # header only: Pillow's DecompressionBombError
        (image_bytes(size=(1200, 1200), mode="1"), "too many pixels"),  # a real, tiny file
    ],
)
@pytest.mark.filterwarnings(
    "ignore::PIL.Image.DecompressionBombWarning"
)  # Django's ImageField opens it first
def test_a_decompression_bomb_is_a_field_error(as_owner_a, practice_a, monkeypatch, content, message):
    # 1200×1200 is over this limit, and under twice it (where Pillow only warns)
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000_000)

    response = upload(as_owner_a, content, "bomb.png")

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["logo"])
    practice_a.refresh_from_db()
    assert not practice_a.logo


def test_a_replaced_logo_s_file_is_deleted(as_owner_a, practice_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_owner_a, image_bytes(), "one.png")
    first = stored_file(practice_a)
    with django_capture_on_commit_callbacks(execute=True):
        upload(as_owner_a, image_bytes(), "two.png")

    assert stored_file(practice_a) != first and stored_file(practice_a).exists()
    assert not first.exists()


# --- serving media -------------------------------------------------------------------------------


def test_the_logo_is_served_as_an_image_never_sniffed(as_owner_a, client, practice_a):
    upload(as_owner_a, image_bytes(), "logo.pdf")
    practice_a.refresh_from_db()

    response = client.get(practice_a.logo.url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.get("Content-Disposition", "").startswith("attachment")


@pytest.mark.parametrize("name", ["report.pdf", "page.html", "drawing.svg", "notes"])
def test_media_that_is_not_a_raster_image_is_an_attachment(settings, client, name):
    folder = Path(settings.MEDIA_ROOT) / "other"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(b"<html><script>alert(1)</script></html>")

    response = client.get(f"/media/other/{name}")

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["Content-Type"] == "application/octet-stream"


def test_the_settings_page_shows_the_uploaded_logo(as_owner_a, practice_a):
    upload(as_owner_a, image_bytes(), "logo.png")
    practice_a.refresh_from_db()

    assert practice_a.logo.url in as_owner_a.get(settings_url()).content.decode()
    assert Practice.objects.get(pk=practice_a.pk).logo.name == practice_a.logo.name
