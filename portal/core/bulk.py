"""Insert many new pages under one parent in a few queries.

``Page.add_child`` costs several queries and signal handlers per page (17–71 pages/s); demo
content, benchmarks and imported listings need hundreds or thousands. This writes the same rows
Wagtail would (tree path, depth, url_path, one row per table of a multi-table page model) in
batches, without revisions, and leaves search indexing and the reference index to
``index_new_pages``, done once afterwards.
"""

from collections.abc import Sequence
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models import F, Model
from wagtail.models import Page, ReferenceIndex
from wagtail.search.backends import get_search_backends

BATCH = 250


def _concrete_chain(model: type[Model]) -> list[type[Model]]:
    """The model's concrete tables below ``Page``, from the top down."""
    chain = [m for m in reversed(model._meta.get_parent_list()) if m is not Page]
    return [*chain, model] if model is not Page else []


def bulk_add_children(
    parent: Page, pages: Sequence[Page], published_at: Sequence[datetime] | None = None
) -> None:
    """Add unsaved, fully populated ``pages`` as children of ``parent``: live, published at
    ``published_at``, or without it drafts as ``add_child`` leaves them (no revision yet)."""
    if not pages:
        return
    live = published_at is not None
    dates = published_at if live else [None] * len(pages)
    db = router.db_for_write(Page)
    with transaction.atomic(using=db):
        parent = Page.objects.select_for_update().get(pk=parent.pk)
        last = parent.get_last_child()
        position = Page.numconv_obj().str2int(last.path[-Page.steplen :]) if last else 0
        depth = parent.depth + 1
        content_types = ContentType.objects.get_for_models(*{type(p) for p in pages})
        for page, when in zip(pages, dates, strict=True):
            position += 1
            page.path = Page._get_path(parent.path, depth, position)
            page.depth = depth
            page.numchild = 0
            page.url_path = f"{parent.url_path}{page.slug}/"
            page.draft_title = page.title
            page.locale_id = parent.locale_id
            page.content_type = content_types[type(page)]
            page.live = live
            page.has_unpublished_changes = False
            page.first_published_at = page.last_published_at = when
            page.latest_revision_created_at = None

        page_fields = [f for f in Page._meta.concrete_fields if not f.primary_key]
        for start in range(0, len(pages), BATCH):
            batch = pages[start : start + BATCH]
            rows = Page.objects.bulk_create(
                [Page(**{f.attname: getattr(p, f.attname) for f in page_fields}) for p in batch]
            )
            for page, row in zip(batch, rows, strict=True):
                _set_pk(page, row.pk)

        by_model: dict[type[Model], list[Page]] = {}
        for page in pages:
            by_model.setdefault(type(page), []).append(page)
        for model, objs in by_model.items():
            for table in _concrete_chain(model):
                fields = table._meta.local_concrete_fields
                for start in range(0, len(objs), BATCH):
                    table._base_manager.using(db)._insert(
                        objs[start : start + BATCH], fields=fields, using=db
                    )
        for page in pages:
            page._state.adding = False
            page._state.db = db
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(pages))


def index_new_pages(pages: Sequence[Page]) -> None:
    """What Wagtail's save signals would do for new ``pages``, once: their search index entries
    (in every auto-updated backend) and their outbound references."""
    by_model: dict[type[Model], list[Page]] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for backend in get_search_backends(with_auto_update=True):
        for model, objs in by_model.items():
            backend.add_bulk(model, objs)
    references = []
    for page in (p for p in pages if ReferenceIndex.is_indexed(type(p))):
        types = [
            ContentType.objects.get_for_model(model, for_concrete_model=False)
            for model in [type(page), *type(page)._meta.get_parent_list()]
        ]
        references += [
            ReferenceIndex(
                content_type=types[0],
                base_content_type=types[-1],
                object_id=page.pk,
                to_content_type_id=to_type,
                to_object_id=to_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_type, to_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(page)
            )
        ]
    ReferenceIndex.objects.bulk_create(references, batch_size=BATCH, ignore_conflicts=True)


def _set_pk(page: Page, pk: int) -> None:
    page.id = pk
    for model in type(page)._meta.get_parent_list():
        for link in model._meta.parents.values():
            setattr(page, link.attname, pk)
    for link in type(page)._meta.parents.values():
        setattr(page, link.attname, pk)


def bulk_set_m2m(pages: Sequence[Page], field_name: str, values: Sequence[Sequence[int]]) -> None:
    """Set a (Parental)ManyToManyField for freshly bulk-created pages in one insert."""
    if not pages:
        return
    field = type(pages[0])._meta.get_field(field_name)
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    through.objects.bulk_create(
        [
            through(**{f"{source}_id": page.pk, f"{target}_id": value})
            for page, ids in zip(pages, values, strict=True)
            for value in ids
        ],
        batch_size=BATCH,
    )
