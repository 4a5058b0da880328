"""Pictures inside stories (issue 20, item 5): the media library with search, the editor's
picker and the Markdown line it writes, and the crop a tall featured picture keeps."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from extensions import db
from models import Article, MediaItem

from .conftest import HX
from .test_newsroom_images import picture
from .test_newsroom_stories import only_story, story_fields


@pytest.fixture
def editor(login):
    return login("editor")


def add_to_library(client, content: bytes | None = None, filename="cranes.jpg", **fields):
    data = {"alt": "Cranes at dusk", "caption": "", "credit": "", **fields}
    if content is not False:
        data["file"] = (io.BytesIO(content or picture()), filename)
    return client.post("/newsroom/media", data=data, content_type="multipart/form-data")


def test_pictures_are_found_again_by_their_words(client, editor):
    add_to_library(client, caption="The new terminal opens", credit="Photo: Ana Ruiz")
    add_to_library(client, filename="ferry.jpg", alt="The morning ferry", credit="Photo: Bo Li")
    assert db.session.scalar(select(db.func.count()).select_from(MediaItem)) == 2

    everything = client.get("/newsroom/media").get_data(as_text=True)
    assert "2 pictures" in everything
    found = client.get("/newsroom/media", query_string={"q": "ruiz terminal"}).get_data(
        as_text=True
    )
    assert "1 picture" in found and "Cranes at dusk" in found and "morning ferry" not in found
    assert "1 picture" in client.get("/newsroom/media?q=ferry").get_data(as_text=True)


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"alt": ""}, "Describe the picture for readers who cannot see it."),
        ({"content": b"GIF89a not really"}, "Please choose a JPEG, PNG or WebP picture."),
        ({"content": False}, "Please choose a picture."),
    ],
)
def test_a_refused_picture_says_why_and_keeps_the_words(client, editor, fields, message):
    response = add_to_library(client, caption="Kept <caption>", **fields)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    assert "Kept &lt;caption&gt;" in html
    assert db.session.scalar(select(MediaItem)) is None


def test_a_featured_picture_joins_the_library(client, editor, make_category):
    data = story_fields(make_category("Local"), image_alt="Dredger", image_credit="Photo: Ana")
    data["image_file"] = (io.BytesIO(picture()), "dredger.jpg")
    assert client.post("/newsroom/stories/new", data=data).status_code == 303
    [item] = db.session.scalars(select(MediaItem)).all()
    assert item.stem == only_story().image and item.credit == "Photo: Ana"


def test_the_picker_is_a_fragment_with_the_markdown_line(client, editor, make_category):
    add_to_library(client, caption='The "new" terminal', credit="Photo: Ana Ruiz")
    form = client.get("/newsroom/stories/new").get_data(as_text=True)
    assert 'id="picker-results"' in form and "Insert a picture" in form
    fragment = client.get("/newsroom/media", query_string={"q": "ana"}, headers=HX)
    html = fragment.get_data(as_text=True)
    assert fragment.status_code == 200 and "<html" not in html
    assert html.split("\n", 1)[1].lstrip().startswith('<div id="picker-results">')
    item = db.session.scalar(select(MediaItem))
    line = (
        f'![Cranes at dusk](/media/{item.stem}-1200.jpg "The \\"new\\" terminal | Photo: Ana Ruiz")'
    )
    assert f'data-markdown="{line.replace(chr(34), "&#34;")}"' in html
    assert "No pictures match." in client.get("/newsroom/media?q=zebra", headers=HX).get_data(
        as_text=True
    )


def test_the_line_the_picker_writes_becomes_a_captioned_responsive_figure(
    client, editor, make_category
):
    add_to_library(client, caption="The terminal <opens>", credit="Photo: Ana Ruiz")
    item = db.session.scalar(select(MediaItem))
    html = client.get("/newsroom/media").get_data(as_text=True)
    line = re.search(r'id="media-markdown-\d+"[^>]*value="([^"]+)"', html).group(1)
    body = "Work starts Monday.\n\n" + line.replace("&#34;", '"').replace("&lt;", "<").replace(
        "&gt;", ">"
    )
    local = make_category("Local")
    assert (
        client.post(
            "/newsroom/stories/new", data=story_fields(local, body=body, action="publish")
        ).status_code
        == 303
    )
    page = client.get(f"/local/{only_story().slug}").get_data(as_text=True)
    figure = re.search(r'<figure class="body-picture">.*?</figure>', page, re.S).group(0)
    assert f"/media/{item.stem}-480.jpg 480w" in figure and 'alt="Cranes at dusk"' in figure
    assert "The terminal &lt;opens&gt;" in figure
    assert '<span class="credit">Photo: Ana Ruiz</span>' in figure


@pytest.mark.parametrize("focus", ["top", "bottom"])
def test_the_chosen_crop_reaches_the_story_and_the_front_page(client, editor, make_category, focus):
    data = story_fields(
        make_category("Local"), image_alt="Mayor", image_focus=focus, action="publish"
    )
    data["image_file"] = (io.BytesIO(picture(size=(600, 900))), "mayor.jpg")
    assert client.post("/newsroom/stories/new", data=data).status_code == 303
    article = only_story()
    assert article.image_focus == focus
    story_page = client.get(f"/local/{article.slug}").get_data(as_text=True)
    assert re.search(rf'<figure class="featured">\s*<img [^>]*class="focus-{focus}"', story_page)
    assert f'class="focus-{focus}"' in client.get("/").get_data(as_text=True)


def test_an_unknown_crop_is_refused(client, editor, make_category):
    response = client.post(
        "/newsroom/stories/new", data=story_fields(make_category("Local"), image_focus="left")
    )
    assert response.status_code == 422
    assert db.session.scalar(select(Article)) is None
