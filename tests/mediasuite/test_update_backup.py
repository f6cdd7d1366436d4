"""What the update saves before it touches anything, and puts back on a rollback (configured database)."""

import pytest

from mediasuite.models import Club
from mediasuite.system import backup


@pytest.mark.django_db(transaction=True)
def test_the_database_comes_back_as_it_was_saved():
    Club.objects.create(name="Before", slug="before")
    saved = backup.save_database(4242)
    assert saved.is_file() and saved.parent.name == "update-4242"
    Club.objects.create(name="After", slug="after")
    Club.objects.filter(slug="before").update(name="Renamed")

    backup.restore_database(saved)

    assert list(Club.objects.values_list("name", flat=True)) == ["Before"]


def test_configuration_files_are_saved_and_put_back(settings, tmp_path):
    settings.BASE_DIR = tmp_path
    settings.UPDATE_CONFIG_FILES = [".env", "local/extra.conf", "absent.conf"]
    (tmp_path / ".env").write_text("SECRET_KEY=kept\n")
    (tmp_path / "local").mkdir()
    (tmp_path / "local" / "extra.conf").write_text("a=1\n")
    assert backup.save_config(4243) == [".env", "local/extra.conf"]

    (tmp_path / ".env").unlink()
    (tmp_path / "local" / "extra.conf").write_text("a=2\n")
    assert backup.restore_config(4243) == [".env", "local/extra.conf"]
    assert (tmp_path / ".env").read_text() == "SECRET_KEY=kept\n"
    assert (tmp_path / "local" / "extra.conf").read_text() == "a=1\n"
    assert backup.restore_config(4243) == []  # nothing differs any more
