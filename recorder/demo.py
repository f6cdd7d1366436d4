"""Demo data for `manage.py bootstrap`: a demo court filmed by the synthetic camera.

The camera runs as the supervised unit `demo-camera` (kind synthetic-camera),
so under `make run` the court's preview and recording work out of the box.
"""

from django.conf import settings

from mediasuite.models import Club, Desired
from mediasuite.supervisor import control

from .models import Court


def create(stdout):
    club, _ = Club.objects.get_or_create(slug="demo-club", defaults={"name": "Demo Club"})
    port = settings.RECORDER_DEMO_CAMERA_PORT
    url = f"http://127.0.0.1:{port}/video.mjpeg"
    court, created = Court.objects.get_or_create(club=club, name="Demo court", defaults={"camera_url": url})
    if court.camera_url != url:  # the web port (hence the camera's) changed since the last bootstrap
        Court.objects.filter(pk=court.pk).update(camera_url=url)
    control.ensure_unit("demo-camera", "synthetic-camera", {"port": port, "fps": 10, "size": "640x360"},
                        club=club, desired=Desired.RUNNING)
    if created:
        stdout.write(f"Recorder demo: court '{court.name}' of {club.name} on the synthetic camera "
                     f"(port {port}); open /courts/{court.pk}/ to preview and record.")
