"""Pages whose integrations are not configured say so when they open, with the way to each form."""

import pytest

from mediasuite.clients import connections


@pytest.mark.parametrize(("path", "needed"), [
    ("/seedbox/", ["rtorrent", "sftp"]),
    ("/search/", ["indexer", "rtorrent", "tmdb", "tvdb"]),
    ("/trailers/", ["tmdb", "youtube"]),
])
def test_a_page_names_what_is_not_configured_and_links_to_its_form(client, people, settings, path, needed):
    client.force_login(people["super"])
    page = client.get(path).content.decode()
    assert 'data-role="not-configured"' in page and "not configured yet: set" in page
    for name in needed:
        assert f'href="/settings/connections/#{name}"' in page
        assert f"Set up {connections.get(name).label}" in page

    for name in needed:  # configured (here by the environment): the page says nothing
        for field in connections.get(name).fields:
            if field.required:
                setattr(settings, field.name, "http://127.0.0.1:9/x" if field.kind == "url" else "/srv/x")
    assert 'data-role="not-configured"' not in client.get(path).content.decode()
