"""Pure rules of the live playlist: the window's numbering and what a run has finished."""

import os

from channels_app import hls


def write_run(path, names):
    """As ffmpeg does: the whole playlist to a temporary file, renamed over the old one."""
    lines = ["#EXTM3U", "#EXT-X-TARGETDURATION:2"]
    for name in names:
        lines += ["#EXTINF:2.000000,", name]
    temporary = path.with_suffix(".tmp")
    temporary.write_text("\n".join(lines) + "\n")
    os.replace(temporary, path)


def test_a_run_playlist_shows_every_rewrite_of_ffmpeg(tmp_path):
    path = tmp_path / ".r0.m3u8"
    run = hls.RunPlaylist(path)
    assert run.finished() == []  # ffmpeg has not written it yet
    write_run(path, ["r0_0.ts"])
    assert run.finished() == [("r0_0.ts", 2.0)]
    write_run(path, ["r0_0.ts", "r0_1.ts"])
    assert run.finished() == [("r0_0.ts", 2.0), ("r0_1.ts", 2.0)]
    write_run(path, ["r0_1.ts", "r0_2.ts"])  # the same size as before: still seen as new
    assert run.finished() == [("r0_1.ts", 2.0), ("r0_2.ts", 2.0)]


def test_the_window_keeps_its_numbering_and_discontinuities_across_a_new_process(tmp_path):
    window = hls.Window(tmp_path, size=3, target=2.0)
    for i in range(6):
        (tmp_path / f"s{i}.ts").write_bytes(b"x")
        window.add(f"s{i}.ts", 2.0, discontinuity=i in (0, 4))
    text = (tmp_path / hls.PLAYLIST).read_text()
    assert "#EXT-X-MEDIA-SEQUENCE:3" in text and "#EXT-X-DISCONTINUITY-SEQUENCE:1" in text

    again = hls.Window(tmp_path, size=3, target=2.0)
    assert again.next_sequence == 6 and [s.name for s in again.segments] == ["s3.ts", "s4.ts", "s5.ts"]
    again.clear()
    assert again.discontinuity_sequence == 2 and again.next_sequence == 6
