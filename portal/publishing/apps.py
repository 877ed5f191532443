from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "portal.publishing"
    label = "publishing"
    verbose_name = "Static export"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled

        from .origins import from_static_site

        # Cross-origin reads (CORS_URLS_REGEX limits which endpoints) for the static copies.
        check_request_enabled.connect(
            lambda sender, request, **kwargs: from_static_site(request),
            weak=False,
            dispatch_uid="guildhall-static-sites",
        )
