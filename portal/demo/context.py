"""What every section's demo generator draws on: the portal, its taxonomy, word lists, seeded
randomness and dates relative to one reference day."""

import random
import re
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from django.apps import apps
from wagtail.models import Page

from portal.core.models import Category, PortalHomePage, PortalSettings, Region
from portal.core.sections import section_type

from . import words

if TYPE_CHECKING:  # the industry file's schema sits above the demo
    from industries.schema import Industry


class DemoContext:
    words = words

    def __init__(self, industry: "Industry", home: PortalHomePage, today: date) -> None:
        self.industry = industry
        self.home = home
        self.today = today
        self.site = home.get_site()
        self.settings = PortalSettings.for_site(self.site)
        self.leaves = list(
            Category.objects.filter(site=self.site, parent__isnull=False, is_active=True)
        )
        self.groups = list(Category.objects.filter(site=self.site, parent=None, is_active=True))
        self.regions = list(Region.objects.filter(site=self.site, is_active=True))
        demo = industry.demo
        self.stems = demo.company_stems or words.COMPANY_STEMS
        self.suffixes = demo.company_suffixes or words.COMPANY_SUFFIXES
        self.cities = demo.cities or words.CITIES
        self.certifications = demo.certifications or words.CERTIFICATIONS
        self.concepts = demo.franchise_concepts or words.FRANCHISE_CONCEPTS
        self.topics = demo.news_topics or words.NEWS_TOPICS
        self.images: list = []
        self._items: dict[str, list[Page]] = {}

    def rng(self, kind: str, number: int) -> random.Random:
        """The random source of item ``number`` of ``kind``: the same on every run."""
        return random.Random(f"{self.industry.slug}:{kind}:{number}")

    def published(self, rng: random.Random, max_days: int) -> datetime:
        day = self.today - timedelta(days=rng.randint(0, max_days))
        return datetime.combine(day, time(rng.randint(6, 18), rng.randint(0, 59)), tzinfo=UTC)

    def section(self, key: str) -> Page | None:
        """The portal's section of type ``key``, if it has one."""
        try:
            index_page_class = section_type(key).index_page_class
        except LookupError:
            return None
        return index_page_class.objects.child_of(self.home).first()

    def items_of(self, key: str) -> list[Page]:
        """The pages of the portal's section of type ``key`` (e.g. its companies, which
        listings name), looked up once, when first asked for."""
        if key not in self._items:
            section = self.section(key)
            model = apps.get_model(section.listing_model) if section else None
            self._items[key] = list(model.objects.child_of(section)) if section else []
        return self._items[key]

    def company_name(self, number: int) -> str:
        """Distinct names: every stem × suffix once (in a per-industry order), then with a city."""
        combos = [(stem, suffix) for stem in self.stems for suffix in self.suffixes]
        random.Random(f"{self.industry.slug}:company-names").shuffle(combos)
        stem, suffix = combos[number % len(combos)]
        rounds = number // len(combos)
        city = f" ({self.cities[(rounds - 1) % len(self.cities)].split(',')[0]})" if rounds else ""
        return f"{stem} {suffix}{city}"

    def place(self, rng: random.Random) -> tuple[str, str, Region]:
        entry = rng.choice(self.cities)
        city, _, country = entry.partition(",")
        region = rng.choice(self.regions)
        return city.strip(), country.strip() or region.name, region

    @staticmethod
    def join(items: list[str]) -> str:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]

    @staticmethod
    def mentions(text: str, name: str) -> bool:
        """Does ``text`` mention a word of ``name`` (words of four letters or more)?"""
        found = {w.strip("&,()").lower().rstrip("s") for w in name.split()}
        return any(len(w) >= 4 and re.search(rf"\b{re.escape(w)}", text.lower()) for w in found)
