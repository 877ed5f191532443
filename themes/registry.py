"""Theme discovery and lookup.

A theme is a folder under ``themes/`` with a ``jinja2/`` directory (and usually ``static/``).
Each theme gets its own Jinja2 engine whose loader tries the theme first and then ``base``, so
cached templates can never leak from one portal's theme into another's. A theme extends a base
template block by block with ``{% extends "base/<name>.html" %}``.
"""

from pathlib import Path

BASE_THEME = "base"
ENGINE_PREFIX = "theme-"


def discover_themes(themes_dir: Path) -> list[str]:
    """Names of the theme folders, ``base`` first."""
    names = sorted(p.name for p in themes_dir.iterdir() if (p / "jinja2").is_dir())
    if BASE_THEME not in names:
        raise RuntimeError(f"{themes_dir}/{BASE_THEME}/jinja2 is missing: every theme extends it.")
    return [BASE_THEME, *(n for n in names if n != BASE_THEME)]


# Template names that views outside Wagtail's page tree render in the portal's theme.
THEMED_PREFIXES = ("account/", "members/", "board/", "errors/", "search/")

CONTEXT_PROCESSORS = [
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
]


def dispatcher_engine(theme_for_request: str) -> dict:
    """The ``TEMPLATES`` entry that renders non-page views in the request's theme, chosen by
    the function at the dotted path ``theme_for_request``.

    It must come first so that the themed versions of third-party templates
    (``account/login.html``...) win over the packages' own.
    """
    return {
        "NAME": "themed",
        "BACKEND": "themes.backend.ThemedTemplates",
        "DIRS": [],
        "APP_DIRS": False,
        "OPTIONS": {"prefixes": THEMED_PREFIXES, "theme_for_request": theme_for_request},
    }


def template_engines(
    themes_dir: Path, themes: list[str], context_processors: list[str] = ()
) -> list[dict]:
    """One Django ``TEMPLATES`` entry (a Jinja2 backend) per theme; ``context_processors``
    (dotted paths) add the host project's own variables to every template."""
    return [
        {
            "NAME": ENGINE_PREFIX + name,
            "BACKEND": "django.template.backends.jinja2.Jinja2",
            "DIRS": [themes_dir / name / "jinja2"],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": "themes.environment.environment",
                "theme": name,
                "themes_dir": str(themes_dir),
                "context_processors": [*CONTEXT_PROCESSORS, *context_processors],
            },
        }
        for name in themes
    ]


def theme_choices() -> list[tuple[str, str]]:
    from django.conf import settings

    return [(name, name.replace("-", " ").title()) for name in settings.THEMES]


def theme_engine(theme: str):
    """The Jinja2 engine of ``theme``, falling back to ``base`` for an unknown name."""
    from django.conf import settings
    from django.template import engines

    if theme not in settings.THEMES:
        theme = BASE_THEME
    return engines[ENGINE_PREFIX + theme]


def theme_template(theme: str, names: str | list[str]):
    """Load the first of ``names`` that exists in ``theme`` (or in ``base``)."""
    engine = theme_engine(theme)
    if isinstance(names, str):
        names = [names]
    from django.template import TemplateDoesNotExist

    last_error = None
    for name in names:
        try:
            return engine.get_template(name)
        except TemplateDoesNotExist as error:
            last_error = error
    raise last_error or TemplateDoesNotExist(", ".join(names))
