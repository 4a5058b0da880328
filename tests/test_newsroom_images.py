"""Featured images: real JPEG/PNG/WebP only (by content), bounded, cleaned, in every width."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from extensions import db
from models import Article

from .test_newsroom_stories import only_story, story_fields


def picture(fmt: str = "JPEG", size=(1600, 900), exif: bool = False, mode: str = "RGB") -> bytes:
    image = Image.new(mode, size, (200, 80, 40) if mode == "RGB" else (200, 80, 40, 120))
    buffer = io.BytesIO()
    kwargs = {}
    if exif:
        data = Image.Exif()
        data[0x010F] = "SecretCam"  # Make
        data[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
        kwargs["exif"] = data
    image.save(buffer, fmt, **kwargs)
    return buffer.getvalue()


@pytest.fixture
def editor(login):
    return login("editor")


def upload(client, category, content: bytes, filename: str, **fields):
    data = story_fields(category, **{"image_alt": "Dredger in the harbour", **fields})
    data["image_file"] = (io.BytesIO(content), filename)
    return client.post("/newsroom/stories/new", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize(
    "fmt, name", [("JPEG", "dredger.jpg"), ("PNG", "dredger.png"), ("WEBP", "dredger.webp")]
)
def test_good_picture_is_stored_in_every_width_without_metadata(
    client, app, editor, make_category, fmt, name
):
    local = make_category("Local")
    mode = "RGBA" if fmt == "PNG" else "RGB"
    response = upload(client, local, picture(fmt, exif=fmt == "JPEG", mode=mode), name)
    assert response.status_code == 303, response.get_data(as_text=True)[:500]
    article = only_story()
    assert article.image.startswith("dredger-")
    assert article.image_alt == "Dredger in the harbour"
    folder = Path(app.config["UPLOAD_FOLDER"])
    for width in app.config["IMAGE_WIDTHS"]:
        with Image.open(folder / f"{article.image}-{width}.jpg") as stored:
            assert stored.format == "JPEG" and stored.width == width
            assert not stored.getexif(), "metadata must be stripped"
    with Image.open(folder / "originals" / f"{article.image}.jpg") as original:
        assert original.size == (1600, 900) and not original.getexif()
    # and the site serves it
    with client.get(f"/media/{article.image}-480.jpg") as served:
        assert served.status_code == 200
    page = client.get(f"/newsroom/stories/{article.id}").get_data(as_text=True)
    assert f"/media/{article.image}-480.jpg" in page


@pytest.mark.parametrize(
    "content, filename, message",
    [
        (b"GIF89a" + b"\0" * 100, "cat.gif", "Please choose a JPEG, PNG or WebP picture."),
        (picture("GIF"), "real.gif", "Please choose a JPEG, PNG or WebP picture."),
        (b"#!/bin/sh\necho owned\n", "renamed.jpg", "Please choose a JPEG, PNG or WebP picture."),
        (b"%PDF-1.4 not a picture", "scan.png", "Please choose a JPEG, PNG or WebP picture."),
        (picture("JPEG")[:300], "cut-short.jpg", "could not be read"),
        (b"", "empty.jpg", "That file is empty."),
    ],
)
def test_files_that_are_not_our_pictures_get_a_form_error(
    client, editor, make_category, content, filename, message
):
    local = make_category("Local")
    response = upload(client, local, content, filename, body="Keep this text")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in html
    assert 'id="image_file-error"' in html
    assert "Keep this text</textarea>" in html
    assert db.session.scalars(select(Article)).all() == []


def test_too_big_file_gets_a_form_error(client, app, editor, make_category):
    app.config["IMAGE_MAX_BYTES"] = 10_000
    response = upload(
        client, make_category("Local"), picture("PNG", size=(800, 800)) + b"\0" * 20_000, "big.png"
    )
    assert response.status_code == 422
    assert "That picture is too big; the limit is" in response.get_data(as_text=True)


def test_too_many_pixels_gets_a_form_error(client, app, editor, make_category):
    app.config["IMAGE_MAX_PIXELS"] = 1000 * 1000
    response = upload(client, make_category("Local"), picture("PNG", size=(1200, 1000)), "wide.png")
    assert response.status_code == 422
    assert "too many pixels" in response.get_data(as_text=True)


def test_picture_without_alt_text_is_refused_but_kept_for_the_next_try(
    client, editor, make_category
):
    local = make_category("Local")
    response = upload(client, local, picture(), "dredger.jpg", image_alt="")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Describe the picture for readers who cannot see it." in html
    stem = html.split('name="uploaded_image" type="hidden" value="')[1].split('"')[0]
    assert stem.startswith("dredger-")

    data = story_fields(local, image_alt="Dredger at work", uploaded_image=stem)
    assert client.post("/newsroom/stories/new", data=data).status_code == 303
    assert only_story().image == stem


def test_uploaded_image_field_cannot_point_anywhere(client, editor, make_category):
    local = make_category("Local")
    data = story_fields(local, image_alt="x", uploaded_image="../../secret_key")
    assert client.post("/newsroom/stories/new", data=data).status_code == 303
    assert only_story().image is None


def test_removing_the_picture(client, editor, make_category):
    local = make_category("Local")
    upload(client, local, picture(), "dredger.jpg")
    article = only_story()
    data = story_fields(local, version=str(article.version), remove_image="y", image_alt="")
    assert client.post(f"/newsroom/stories/{article.id}", data=data).status_code == 303
    db.session.refresh(article)
    assert article.image is None and article.image_alt == ""


@pytest.mark.parametrize(
    "content, filename",
    [
        (picture() + b"<script>alert(1)</script><?php system($_GET['c']); ?>", "polyglot.jpg"),
        (picture("PNG") + b"<html><script>alert(1)</script></html>", "polyglot.png.html"),
        (picture(), "../../../instance/secret_key.jpg"),
        (picture(), "..\\..\\evil.jpg"),
    ],
)
def test_polyglots_and_climbing_names_are_stored_as_clean_pictures_inside_uploads(
    client, app, editor, make_category, content, filename
):
    response = upload(client, make_category("Local"), content, filename)
    assert response.status_code == 303
    article = only_story()
    assert "/" not in article.image.removeprefix("newsroom/") and ".." not in article.image
    folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
    stored = [p for p in folder.rglob("*") if p.is_file()]
    assert stored and all(folder in p.resolve().parents for p in stored)
    for path in stored:
        data = path.read_bytes()
        assert b"<script" not in data and b"<?php" not in data
    with client.get(f"/media/{article.image}-480.jpg") as served:
        assert served.mimetype == "image/jpeg"
