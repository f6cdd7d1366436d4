"""Folder clean-up: only emptied folders or leftovers; never a root, outside the roots or through links."""

import pytest

from library import folders


def test_leftovers_go_with_their_folder_and_emptied_parents_up_to_the_root(tmp_path):
    root = tmp_path / "tv"
    season = root / "Show" / "Season 1"
    season.mkdir(parents=True)
    (season / "episode.nfo").write_text("x")
    (root / "Show" / "tvshow.nfo").write_text("x")
    (root / "Other").mkdir()
    assert folders.clean(season, [str(root)]) == [str(season), str(root / "Show")]
    assert root.is_dir() and (root / "Other").is_dir()


def test_a_folder_with_a_real_file_stays(tmp_path):
    root = tmp_path / "movies"
    movie = root / "Movie"
    movie.mkdir(parents=True)
    (movie / "movie.nfo").write_text("x")
    (movie / "commentary.flac").write_bytes(b"x")
    assert folders.clean(movie, [str(root)]) == []
    assert (movie / "movie.nfo").exists()


def test_links_are_not_followed(tmp_path):
    root, elsewhere = tmp_path / "movies", tmp_path / "elsewhere"
    (root / "Movie").mkdir(parents=True)
    elsewhere.mkdir()
    (elsewhere / "precious.nfo").write_text("x")
    (root / "Movie" / "link").symlink_to(elsewhere)
    assert folders.clean(root / "Movie", [str(root)]) == []
    assert (elsewhere / "precious.nfo").exists()


@pytest.mark.parametrize("target", ["movies", "movies/../elsewhere", "elsewhere"])
def test_the_root_and_what_is_outside_are_refused(tmp_path, target):
    (tmp_path / "movies").mkdir()
    (tmp_path / "elsewhere").mkdir()
    with pytest.raises(folders.OutsideRoots):
        folders.clean(tmp_path / target, [str(tmp_path / "movies")])
    assert (tmp_path / "movies").is_dir() and (tmp_path / "elsewhere").is_dir()
