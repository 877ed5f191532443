from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "portal.publishing"
    label = "publishing"
    verbose_name = "Static export"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from .origins import cors_allowed

        # Cross-origin reads by the static copies, of the endpoints in CORS_URLS_REGEX only.
        check_request_enabled.connect(
            cors_allowed, weak=False, dispatch_uid="guildhall-static-sites"
        )
