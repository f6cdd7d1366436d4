"""Channels found in folders; files probed once; unreadable files skipped with the reason."""

from django.core.management import call_command

from channels_app import catalog, paths, playout
from channels_app.models import Channel, VideoFile
from mediasuite.models import Event


def test_scan_finds_folders_with_videos_and_picks_the_mode(channel_folder, db, capsys):
    channel_folder("My Shows!", files=("a.mp4", "b.mp4"), series=True)
    channel_folder("Mixed", files=("c.mp4",))
    (paths.channels_root() / "No videos").mkdir(exist_ok=True)
    call_command("channels_scan")
    assert "new channel(s)" in capsys.readouterr().out
    shows, mixed = Channel.objects.get(folder="My Shows!"), Channel.objects.get(folder="Mixed")
    assert (shows.name, shows.mode, shows.display_name) == ("my-shows", "series", "My Shows!")
    assert (mixed.name, mixed.mode) == ("mixed", "random")
    assert shows.unit.desired == "running"  # found channels play
    assert not Channel.objects.filter(folder="No videos").exists()
    probed = VideoFile.objects.get(channel=shows, name="a.mp4")
    assert (probed.video_codec, probed.audio_codec, probed.width, probed.height, probed.fps) == \
        ("h264", "aac", 640, 360, 24.0)
    assert 5.9 < probed.duration < 6.2
    (paths.channels_root() / "No videos").rmdir()


def test_files_are_probed_once(channel_folder, db):
    channel_folder("once", files=("a.mp4",))
    channel = catalog.create(None, name="once", folder="once")
    probed_at = channel.files.get().probed_at
    assert catalog.sync_files(channel)["probed"] == 0
    assert channel.files.get().probed_at == probed_at


def test_an_unreadable_file_is_skipped_with_its_reason_and_the_channel_goes_on(channel_folder, db):
    channel_folder("mixed-bag", files=("a.mp4", "broken.mp4", "c.mp4"))
    channel = catalog.create(None, name="mixed-bag", folder="mixed-bag", mode="series")
    broken = channel.files.get(name="broken.mp4")
    assert broken.delivery == "skip" and "ffprobe" in broken.reason
    assert Event.objects.filter(kind="channel.files", payload__unreadable=1).exists()
    order = [v.name for v in playout.playable(channel)]
    assert order == ["a.mp4", "c.mp4"]
    video, _ = playout.choose_next(channel)
    channel.current_file = video
    assert playout.choose_next(channel)[0].name == "c.mp4"


def test_files_of_another_format_are_transcoded_with_the_reason(channel_folder, clip_library, db, tmp_path):
    from demo.clips import make_clip

    folder = channel_folder("formats", files=("a.mp4", "b.mp4"))
    make_clip(folder / "small.mp4", 2.0, size="320x240")
    channel = catalog.create(None, name="formats", folder="formats")
    small = channel.files.get(name="small.mp4")
    assert small.delivery == "transcode" and "320x240 differs from the channel's 640x360" in small.reason
    assert channel.files.get(name="a.mp4").delivery == "copy"


def test_series_order_is_natural(channel_folder, db):
    channel_folder("natural", files=("Episode 10.mp4", "Episode 2.mp4", "episode 1.mp4"))
    channel = catalog.create(None, name="natural", folder="natural")
    assert [v.name for v in playout.playable(channel)] == ["episode 1.mp4", "Episode 2.mp4", "Episode 10.mp4"]


def test_demo_channels_are_made_only_when_there_is_none(db, settings, tmp_path, monkeypatch):
    import io

    from channels_app import demo

    settings.CHANNELS_DIR = tmp_path / "channels"
    monkeypatch.setattr(demo, "SECONDS", 2.0)
    demo.create(io.StringIO())
    made = {c.folder: c for c in Channel.objects.all()}
    assert set(made) == {"Demo Series", "Demo Mix"}
    assert made["Demo Series"].mode == "series" and made["Demo Mix"].mode == "random"
    assert all(c.unit.desired == "running" and c.files.count() == 3 for c in made.values())
    catalog.delete(None, made["Demo Mix"])
    demo.create(io.StringIO())  # a channel exists: nothing is recreated
    assert set(Channel.objects.values_list("folder", flat=True)) == {"Demo Series"}
