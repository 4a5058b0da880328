"""Share links on a story: plain links (copy, email, Mastodon, Bluesky), no third-party
script, with the headline and address encoded so a headline cannot break out of them."""

from __future__ import annotations

import re


def test_story_has_plain_share_links_with_its_address(client, make_article):
    story = make_article('Fares & "tolls" <rise>', body="Up 8 per cent.")
    html = client.get(f"/local/{story.slug}").text
    share = html.split('class="share"', 1)[1].split("</nav>", 1)[0]
    address = f"http%3A//localhost/local/{story.slug}"
    assert f'<a href="http://localhost/local/{story.slug}" data-copy-link' in share
    assert f"mailto:?subject=Fares%20%26%20%22tolls%22%20%3Crise%3E&amp;body={address}" in share
    assert (
        f'href="https://mastodonshare.com/?text=Fares%20%26%20%22tolls%22%20%3Crise%3E%20{address}"'
        in share
    )
    assert (
        f'href="https://bsky.app/intent/compose?text=Fares%20%26%20%22tolls%22%20%3Crise%3E%20{address}"'
        in share
    )
    # Only our own scripts: no widget is loaded from the share sites.
    assert set(re.findall(r'<script src="([^"?]+)', html)) == {
        "/static/js/share.js",
        "/static/js/comments.js",
        "/static/js/htmx-4.0.1.min.js",
    }


def test_mastodon_share_address_is_a_setting(app, client, make_article):
    app.config["MASTODON_SHARE_URL"] = "https://social.example.org/share?text="
    story = make_article("Ferry fares rise")
    html = client.get(f"/local/{story.slug}").text
    assert 'href="https://social.example.org/share?text=Ferry%20fares%20rise%20http' in html
