"""The seedbox's Prometheus families: torrents by state, bytes brought home and the transfer speed."""

from django.db.models import Count, Sum

from mediasuite import metrics

from .models import State, Torrent


@metrics.register
def torrents():
    family = metrics.gauge("mediasuite_torrents", "Torrents by state.", ["state"])
    yield metrics.counted(Torrent.objects.values_list("state").annotate(n=Count("id")).order_by(), family,
                          State.values)
    totals = Torrent.objects.aggregate(bytes=Sum("transferred_bytes"))
    moved = metrics.counter("mediasuite_transfer_bytes", "Bytes brought home over SFTP, torrents kept.")
    moved.add_metric([], totals["bytes"] or 0)
    yield moved
    speed = metrics.gauge("mediasuite_transfer_rate_bytes_per_second", "Speed of the transfers running now.")
    speed.add_metric([], Torrent.objects.filter(state=State.TRANSFERRING)
                     .aggregate(rate=Sum("transfer_rate"))["rate"] or 0)
    yield speed
