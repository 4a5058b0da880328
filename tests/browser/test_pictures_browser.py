"""Pictures inside stories in Chromium (issue 20, item 5): an editor puts a library picture
into a story with the picker and sees it captioned in the preview; a tall featured picture
cropped from the top leaves the headline and the start of the story on the first screen.

With UPDATE_SCREENSHOTS=1 the pages are kept in docs/screenshots/ for docs/newsroom.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect

from broadsheet.accounts import create_user
from extensions import db
from models import Category

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"


@pytest.fixture
def newsroom(live_app):
    db.session.add(Category(name="Local", slug="local", nav_order=1))
    create_user("edna@example.org", PASSWORD, "editor", "Edna Editor")
    db.session.commit()
    return live_app


def photo(folder: Path, name: str, size: tuple[int, int]) -> Path:
    image = Image.new("RGB", size, (40, 90, 130))
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, 40, size[0] * 3 // 4, size[0] // 2 + 40), fill=(230, 190, 150))
    path = folder / name
    image.save(path, "JPEG")
    return path


def sign_in(page) -> None:
    page.goto("/newsroom/login")
    page.get_by_label("Email").fill("edna@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Stories")).to_be_visible()


def test_editor_inserts_a_library_picture_with_the_picker(newsroom, page, tmp_path, screenshots):
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page)
    page.get_by_role("link", name="Media", exact=True).click()
    page.get_by_label("Picture", exact=True).set_input_files(
        photo(tmp_path, "cranes.jpg", (1600, 1000))
    )
    page.get_by_label("Image description (alt text)").fill("Cranes at dusk")
    page.get_by_label("Caption").fill("The new terminal will double the port's capacity.")
    page.get_by_label("Photo credit").fill("Photo: Ana Ruiz")
    page.get_by_role("button", name="Add to the library").click()
    expect(page.get_by_text("The picture is in the library.")).to_be_visible()

    page.goto("/newsroom/stories/new")
    page.get_by_label("Story (Markdown)").fill("Work on the terminal starts on Monday.")
    page.get_by_text("Insert a picture").click()
    page.get_by_label("Find a picture in the library").fill("ruiz")
    insert = page.get_by_role("button", name="Insert “Cranes at dusk” into the story")
    expect(insert).to_be_visible()
    insert.click()
    body = page.get_by_label("Story (Markdown)")
    expect(body).to_have_value(re.compile(r"Monday\.\n\n!\[Cranes at dusk\]\(/media/cranes-"))
    figure = page.locator("#story-preview figure.body-picture")
    expect(figure.locator("figcaption")).to_contain_text("double the port's capacity")
    expect(figure.locator(".credit")).to_have_text("Photo: Ana Ruiz")
    page.screenshot(path=screenshots / "newsroom-picture-picker.png", full_page=True)
    assert page.errors == []


def test_a_tall_featured_picture_leaves_the_story_on_the_first_screen(
    newsroom, page, tmp_path, screenshots
):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page)
    page.goto("/newsroom/stories/new")
    page.get_by_label("Headline").fill("The mayor on the new terminal")
    page.get_by_label("Story (Markdown)").fill("The mayor spoke at the harbour on Monday.")
    page.get_by_label("Featured image").set_input_files(photo(tmp_path, "mayor.jpg", (900, 1600)))
    page.get_by_label("Image description (alt text)").fill("The mayor at the harbour")
    page.get_by_label("Where to crop").select_option(label="Keep the top (faces in a portrait)")
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Published.")).to_be_visible()

    page.goto("/local/the-mayor-on-the-new-terminal")
    picture = page.locator("figure.featured img")
    expect(picture).to_have_class("focus-top")
    box = picture.bounding_box()
    assert box["height"] < 800 * 0.6  # not a whole screen of portrait
    assert picture.evaluate("img => getComputedStyle(img).objectPosition") == "50% 0px"
    page.screenshot(path=screenshots / "article-portrait-cropped.png")
