"""The pages of the public site, one module per kind; every page model is importable from
`cms.models`."""

from cms.models.actors import (  # noqa: F401
    Actor,
    ActorKind,
    ActorModerationLog,
    ActorOffer,
    ActorTheme,
    ModerationState,
    Offer,
    Theme,
)
from cms.models.agenda import (  # noqa: F401
    MODERATOR_MOVES,
    AgendaEntry,
    EntryKind,
    EntryModerationLog,
    EntryTheme,
)
from cms.models.news import NewsArticlePage, NewsArticleTag, NewsIndexPage  # noqa: F401
from cms.models.pages import (  # noqa: F401
    CallIndexPage,
    ConformityLevel,
    HomePage,
    ProgrammePage,
    StandardPage,
    open_calls,
)
from cms.models.portfolio import PortfolioConsent, PortfolioPage  # noqa: F401
from cms.models.site import SiteSettings  # noqa: F401
