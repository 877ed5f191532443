from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "portal.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"

    def ready(self) -> None:
        from portal.core.changes import portal_changed

        from .purge import on_portal_changed

        portal_changed.connect(on_portal_changed, dispatch_uid="pagecache-purge")
