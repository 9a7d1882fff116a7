"""Request size (issue 8, item 5): a body over the limit is refused before it is read."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
BOUNDARY = "vcio-test-boundary"


class CountingBody:
    """A request body of `size` bytes produced on demand, counting how much the server reads."""

    def __init__(self, size: int):
        self.size = size
        self.read_bytes = 0
        head = (
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="login"\r\n\r\nx@example.com\r\n'
            f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        self.head = head

    def read(self, n=-1):
        remaining = self.size - self.read_bytes
        n = remaining if n is None or n < 0 else min(n, remaining)
        start = self.read_bytes
        self.read_bytes += n
        chunk = bytearray(b"a" * n)
        if start < len(self.head):  # the multipart head first, then filler
            part = self.head[start : start + n]
            chunk[: len(part)] = part
        return bytes(chunk)

    def readline(self, *args):
        return self.read(*args)


def _post(client, path, size, content_type):
    body = CountingBody(size)
    response = client.generic(
        "POST",
        path,
        b"",
        content_type=content_type,
        CONTENT_LENGTH=str(size),
        **{"wsgi.input": body},
    )
    return response, body


@pytest.mark.parametrize(
    "content_type", [f"multipart/form-data; boundary={BOUNDARY}", "application/x-www-form-urlencoded"]
)
def test_a_huge_anonymous_post_to_the_login_page_is_refused_unread(client, content_type):
    response, body = _post(client, reverse("account_login"), 60 * MB, content_type)

    assert response.status_code in (400, 413)
    assert body.read_bytes < 64 * 1024  # not read in full (nor streamed to a temporary file)


def test_a_body_just_over_the_page_limit_is_413(client):
    response, body = _post(
        client, reverse("account_login"), settings.MAX_REQUEST_BODY_BYTES + 1, "multipart/form-data"
    )

    assert response.status_code == 413
    assert body.read_bytes == 0


def test_the_limits_are_set():
    assert settings.MAX_REQUEST_BODY_BYTES == 10 * MB
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE == MB
    assert settings.LOGO_MAX_BYTES < settings.MAX_REQUEST_BODY_BYTES


def test_a_logo_under_the_limits_still_uploads(as_owner_a, practice_a):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#1f6feb").save(buffer, format="PNG")
    response = as_owner_a.post(
        reverse("accounts:settings", kwargs={"practice_slug": "alpha"}),
        {
            "name": "Alpha",
            "currency": "USD",
            "brand_colour": "#112233",
            "time_zone": "UTC",
            "fiscal_year_start_month": "1",
            "logo": SimpleUploadedFile("l.png", buffer.getvalue()),
        },
    )

    assert response.status_code == 302
