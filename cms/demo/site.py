"""The public part of the demo's loader (mixed into it): the site's pages, menus and footer, the
territory's actors, a month of agenda entries and the portfolio's consents.

Pages are found by their slug under their parent, actors by name, entries by title and proposer,
consents by structure: a second load creates and changes nothing. Actors and entries are written
as proposed and published only through the moderation machine (`cms.domain.moderation`), and
consents through `cms.domain.portfolio`, as they would be on the site.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Locale

from cms.demo import data, pages, territory
from cms.domain.moderation import run_actor, run_entry
from cms.domain.portfolio import give_consent
from cms.domain.text import check_rich_text
from cms.models import (
    Actor,
    ActorOffer,
    ActorTheme,
    AgendaEntry,
    EntryTheme,
    NewsArticlePage,
    NewsIndexPage,
    PortfolioConsent,
    PortfolioPage,
    ProgrammePage,
    SiteSettings,
    StandardPage,
)

# The pages of the site that programme staff write, beside the calls (the home page stays the
# administrator's).
STAFF_PAGES = ("programme", "news", "portfolio", "legal", "privacy", "accessibility")
# Staff record, change and withdraw a structure's consent in the admin (a consent given in writing).
CONSENT_PERMISSION_VERBS = ("add", "change", "delete", "view")


class PublicSite:
    """Acts through the loader's `home`, `index` (the calls), `calls`, `departments`, `staff`,
    `structures` and helpers (`get_or_create`, `user`, `created`)."""

    def load_public_site(self):
        self.site_pages = {"calls": self.index}
        self.site_pages.update({f"call:{call.slug}": call for call in self.calls.values()})
        self.load_pages()
        self.load_translations()
        self.load_site_settings()
        self.load_site_permissions()
        actors = self.load_actors()
        self.load_agenda(actors)
        self.load_portfolio()

    # --- pages ------------------------------------------------------------------------------

    def child_page(self, parent, model, fields, tags=()):
        """The live page of `model` with `fields["slug"]` under `parent`, created once."""
        page = model.objects.child_of(parent).filter(slug=fields["slug"]).first()
        if page is not None:
            return page
        page = model(**fields)
        if tags:
            page.tags.add(*tags)
        parent.add_child(instance=page)
        page.save_revision().publish()
        self.created[model._meta.label] += 1
        return page

    def link(self, link):
        kind, target = link
        if kind == "page":
            return {"page": self.site_pages[target].pk, "url": ""}
        # The agenda and the directory are views, not pages: a link to their address.
        return {"page": None, "url": reverse(target)}

    def stream(self, blocks):
        """Raw StreamField data, with the demo's links resolved to pages and addresses."""
        raw = []
        for block in blocks:
            value = block["value"]
            if block["type"] == "call_to_action":
                value = {"label": value["label"], **self.link(value["link"])}
            raw.append({"type": block["type"], "value": value})
        return raw

    def load_pages(self):
        plan = pages.PROGRAMME_PAGE
        self.site_pages["programme"] = self.child_page(
            self.home,
            ProgrammePage,
            {
                "title": plan["title"],
                "slug": plan["slug"],
                "search_description": plan["search_description"],
                "intro": plan["intro"],
                "journey": [
                    {"type": "stage", "value": {"stage": stage, "text": text}}
                    for stage, text in plan["journey"]
                ],
                "partners": [
                    {
                        "type": "partner",
                        "value": {"name": name, "url": url, "logo": None, "text": text},
                    }
                    for name, url, text in plan["partners"]
                ],
                "body": self.stream(plan["body"]),
            },
        )
        # Created before the articles: some of them link to it.
        plan = pages.PORTFOLIO_PAGE
        self.site_pages["portfolio"] = self.child_page(
            self.home,
            PortfolioPage,
            {key: plan[key] for key in ("title", "slug", "search_description", "intro")},
        )
        plan = pages.NEWS_INDEX_PAGE
        news = self.child_page(
            self.home,
            NewsIndexPage,
            {key: plan[key] for key in ("title", "slug", "search_description", "intro")},
        )
        self.site_pages["news"] = news
        self.load_articles(news)
        for plan in pages.STANDARD_PAGES:
            fields = {key: plan[key] for key in ("title", "slug", "intro")}
            fields["body"] = self.stream(plan["body"])
            if plan.get("conformity_level"):
                fields["conformity_level"] = plan["conformity_level"]
                fields["audited_on"] = timezone.localdate(self.now) - timedelta(
                    days=plan["audited_days_ago"]
                )
            self.site_pages[plan["key"]] = self.child_page(self.home, StandardPage, fields)

    def load_translations(self):
        """The home and programme pages in English, as staff translate them in the admin: the
        other pages are shown in French under the English addresses until they are."""
        english = Locale.objects.get(language_code="en")
        for page, fields in (
            (self.home, pages.HOME_PAGE_EN),
            (self.site_pages["programme"], pages.PROGRAMME_PAGE_EN),
        ):
            if page.get_translations().filter(locale=english).exists():
                continue
            translation = page.copy_for_translation(english)
            for name, value in fields.items():
                setattr(translation, name, value)
            translation.save_revision().publish()
            self.created[type(page)._meta.label] += 1

    def load_articles(self, news):
        today = timezone.localdate(self.now)
        # Oldest first, so that the page tree keeps the order they were written in.
        for days_ago, title, slug, intro, tags, body in reversed(pages.NEWS_ARTICLES):
            fields = {
                "title": title,
                "slug": slug,
                "date": today - timedelta(days=days_ago),
                "intro": intro,
                "search_description": intro,
                "body": self.stream(body),
            }
            self.child_page(news, NewsArticlePage, fields, tags)

    def load_site_settings(self):
        """Menus and footer, written when the site has none, so that staff edits are kept."""
        settings = SiteSettings.objects.first() or SiteSettings()
        plan = pages.SITE_SETTINGS
        wanted = {
            "header_links": [
                {"type": "link", "value": {"label": label, **self.link(link)}}
                for label, link in plan["header_links"]
            ],
            "footer_links": [
                {"type": "link", "value": {"label": label, **self.link(link)}}
                for label, link in plan["footer_links"]
            ],
            "footer_text": plan["footer_text"],
            "default_description": plan["default_description"],
            "legal_notice_page": self.site_pages["legal"],
            "privacy_page": self.site_pages["privacy"],
            "accessibility_page": self.site_pages["accessibility"],
        }
        empty = [name for name in wanted if not getattr(settings, name)]
        if not empty:
            return
        for name in empty:
            setattr(settings, name, wanted[name])
        if settings.pk is None:
            self.created[SiteSettings._meta.label] += 1
        settings.save()

    def load_site_permissions(self):
        """Staff write the news, the programme, the portfolio and the legal pages, edit the
        menus and footer, and record the structures' consents to the portfolio."""
        group = self.group(data.STAFF_GROUP)
        group.permissions.add(
            Permission.objects.get(content_type__app_label="cms", codename="change_sitesettings")
        )
        group.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="cms",
                codename__in=[f"{verb}_portfolioconsent" for verb in CONSENT_PERMISSION_VERBS],
            )
        )
        for key in STAFF_PAGES:
            self.grant_page_permissions(group, self.site_pages[key])

    # --- the territory ----------------------------------------------------------------------

    def load_actors(self):
        """{name: actor} of the directory, each published by staff once proposed."""
        actors = {actor.name: actor for actor in Actor.objects.all()}
        for plan in territory.ACTORS:
            if plan.name in actors:
                continue
            actor = Actor.objects.create(
                name=plan.name,
                kind=plan.kind,
                department=self.departments[plan.department],
                description=plan.description,
                website=plan.website,
            )
            ActorTheme.objects.bulk_create(ActorTheme(actor=actor, theme=t) for t in plan.themes)
            ActorOffer.objects.bulk_create(ActorOffer(actor=actor, offer=o) for o in plan.offers)
            if plan.manager:
                actor.managers.add(get_user_model().objects.get(email=plan.manager))
            actors[plan.name] = run_actor(actor, "approve", self.staff)
            self.created[Actor._meta.label] += 1
        return actors

    def proposer(self, plan, actors):
        """Who proposed the entry: the person named, else the organising actor's manager, the
        organising structure's owner, or the point d'appui of its département."""
        if plan.proposer:
            return get_user_model().objects.get(email=plan.proposer)
        kind, name = plan.organiser
        if kind == "actor":
            manager = actors[name].managers.first()
            if manager is not None:
                return manager
        if kind == "structure":
            return self.structures[name][1]
        email = data.SUPPORT_POINT_PEOPLE[plan.department][0]
        return get_user_model().objects.get(email=email)

    def load_agenda(self, actors):
        today = timezone.localdate(self.now)
        for plan in territory.ENTRIES:
            proposer = self.proposer(plan, actors)
            if AgendaEntry.objects.filter(title=plan.title, proposer=proposer).exists():
                continue
            kind, name = plan.organiser
            starts_at, ends_at, all_day = plan.when(today)
            entry = AgendaEntry.objects.create(
                kind=plan.kind,
                title=plan.title,
                description=check_rich_text(plan.description),
                organiser_actor=actors[name] if kind == "actor" else None,
                organiser_structure=self.structures[name][0] if kind == "structure" else None,
                organiser_name=name if kind == "name" else "",
                starts_at=starts_at,
                ends_at=ends_at,
                all_day=all_day,
                place=plan.place,
                online_link=plan.online_link,
                department=self.departments[plan.department],
                registration_link=plan.registration_link,
                proposer=proposer,
                # Proposed a week or two before it was published.
                proposed_at=self.now - timedelta(days=10 + len(plan.title) % 7),
            )
            EntryTheme.objects.bulk_create(EntryTheme(entry=entry, theme=t) for t in plan.themes)
            entry.co_organisers.set([actors[co] for co in plan.co_organisers])
            if plan.approved:
                run_entry(entry, "approve", self.staff)
            self.created[AgendaEntry._meta.label] += 1

    def load_portfolio(self):
        """The consents of accompanied structures, given by their owners."""
        consented = set(PortfolioConsent.objects.values_list("structure__name", flat=True))
        for name, description in territory.PORTFOLIO.items():
            if name in consented:
                continue
            structure, owner = self.structures[name]
            give_consent(structure, owner, description)
            self.created[PortfolioConsent._meta.label] += 1
