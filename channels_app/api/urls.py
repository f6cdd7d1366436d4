from mediasuite.api.urls import OptionalSlashRouter

from .views import ChannelViewSet

router = OptionalSlashRouter()
router.register("channels", ChannelViewSet, basename="channel")
