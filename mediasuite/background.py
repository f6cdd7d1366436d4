"""Background services of the core app beyond the built-in ones: the Discord notifier."""

from .services.registry import Service, register

register(Service(
    name="notifier",
    label="Discord notifier",
    description="Posts chosen events (failed channels, finished recordings, imports, updates) to the "
                "Discord webhook DISCORD_WEBHOOK_URL.",
    check="mediasuite.notifier.check",
    interval=60,
    counters=("messages_sent",),
    needs=("discord",),
))
