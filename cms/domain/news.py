"""The news lists: an index page of articles, newest first, optionally of one tag, in a constant
number of queries whatever the number of articles."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from taggit.models import Tag

from cms.models.news import NewsArticlePage, NewsArticleTag


def articles(parent, descendants=False):
    """The live articles under `parent`, newest first, with their image's renditions and their
    tags loaded in two queries for the whole list."""
    pages = NewsArticlePage.objects.live().public()
    pages = pages.descendant_of(parent) if descendants else pages.child_of(parent)
    return (
        pages.select_related("image")
        .prefetch_related(
            "image__renditions",
            Prefetch(
                "tagged_items",
                queryset=NewsArticleTag.objects.select_related("tag").order_by("tag__name"),
            ),
        )
        .order_by("-date", "-pk")
    )


def news_page(index, tag_slug, page_number):
    """What the news index shows: one page of its articles (of the tag `tag_slug` when it is one
    of theirs), the tags its articles carry, and the chosen tag."""
    listed = articles(index)
    tags = list(
        Tag.objects.filter(cms_newsarticletag_items__content_object__in=listed.values("pk"))
        .distinct()
        .order_by("name")
    )
    tag = next((tag for tag in tags if tag.slug == tag_slug), None)
    if tag is not None:
        listed = listed.filter(tagged_items__tag=tag)
    return {
        "articles_page": Paginator(listed, index.PER_PAGE).get_page(page_number),
        "tags": tags,
        "current_tag": tag,
    }
