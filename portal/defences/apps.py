from django.apps import AppConfig


class DefencesConfig(AppConfig):
    name = "portal.defences"
    label = "defences"
    verbose_name = "Public form defences"

    def ready(self) -> None:
        from corsheaders.signals import check_request_enabled
        from django.urls import register_converter

        from .ids import IdConverter
        from .origins import cors_allowed

        # ``<id:pk>`` in URL patterns: an id the database can hold, else a 404.
        register_converter(IdConverter, "id")

        # Cross-origin reads by the static copies, of the endpoints in CORS_URLS_REGEX only.
        check_request_enabled.connect(
            cors_allowed, weak=False, dispatch_uid="guildhall-static-sites"
        )
