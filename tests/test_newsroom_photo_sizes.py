"""Phone photos (3-8 MB) as featured pictures, with CSRF on as in production: the form is
read under the picture limit, not the 1 MiB one meant for comments, and a body too large
for any page gets the readable 413 page, never a 500."""

from __future__ import annotations

import io
import os
import re

import pytest
from PIL import Image
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from .test_newsroom_stories import only_story, story_fields

MIB = 1024 * 1024


@pytest.fixture
def app_config(app_config):
    app_config.update(WTF_CSRF_ENABLED=True)
    return app_config


def phone_photo(size=(2000, 1500)) -> bytes:
    """A JPEG as big as a phone's: noise does not compress."""
    image = Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


def multipart(fields: dict) -> dict:
    # Encoded here: the test client would spool a big body to a file it never closes.
    boundary, body = encode_multipart(fields)
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def form_token(client, path: str) -> str:
    html = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_phone_photo_is_saved_as_the_featured_picture(client, login, make_category):
    login("editor")
    photo = phone_photo()
    assert len(photo) > 3 * MIB
    data = story_fields(make_category("Local"), image_alt="Dredger in the harbour")
    data["csrf_token"] = form_token(client, "/newsroom/stories/new")
    data["image_file"] = FileStorage(io.BytesIO(photo), "IMG_2041.JPG", "image_file")
    response = client.post("/newsroom/stories/new", **multipart(data))
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    article = only_story()
    assert article.image and article.image.startswith("img-2041-")
    page = client.get(f"/newsroom/stories/{article.id}").get_data(as_text=True)
    assert f"/media/{article.image}-480.jpg" in page


def test_story_body_past_the_picture_limit_gets_the_too_large_page(
    client, app, login, make_category
):
    login("editor")
    app.config["IMAGE_MAX_BYTES"] = 100_000
    data = story_fields(make_category("Local"))
    data["csrf_token"] = form_token(client, "/newsroom/stories/new")
    data["image_file"] = FileStorage(io.BytesIO(b"\0" * (MIB + 200_000)), "huge.jpg", "image_file")
    response = client.post("/newsroom/stories/new", **multipart(data))
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)


def test_oversize_post_to_moderation_gets_the_too_large_page(client, login):
    login("editor")
    body = b"tab=pending&ids=" + b"1" * (MIB + 10)
    response = client.post(
        "/newsroom/comments/bulk", data=body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "Too large" in response.get_data(as_text=True)
