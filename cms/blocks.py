"""The blocks editors build the public site's page bodies from: one body stream shared by every
page type, and the few structured blocks of the programme page (its journey and partners)."""

from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from accelerator.models.journey import ACTIVE_STAGES


class HeadingBlock(blocks.StructBlock):
    """A section title; its level is chosen so that the page's outline stays right (RGAA 9.1)."""

    text = blocks.CharBlock(label=_("text"), max_length=200)
    level = blocks.ChoiceBlock(
        label=_("level"),
        choices=[("h2", _("Section (level 2)")), ("h3", _("Sub-section (level 3)"))],
        default="h2",
    )

    class Meta:
        icon = "title"
        label = _("Heading")
        template = "cms/blocks/heading_block.html"


class ImageBlock(blocks.StructBlock):
    """An image with the text that replaces it for a screen reader, and an optional caption."""

    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        required=False,
        max_length=250,
        help_text=_("What the image shows, for people who cannot see it. Empty if decorative."),
    )
    caption = blocks.CharBlock(label=_("caption"), required=False, max_length=250)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "cms/blocks/image_block.html"


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("quotation"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Quotation")
        template = "cms/blocks/quote_block.html"


def validate_link_address(value):
    """An address of the web (https://…), an e-mail (mailto:…) or a path of this site (/agenda/):
    the agenda and the directory are views, not pages, so menus link them by path."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.startswith("mailto:"):
        EmailValidator(message=_("Enter a valid e-mail address after “mailto:”."))(value[7:])
        return
    URLValidator(
        schemes=["http", "https"],
        message=_("Enter an address (https://…), an e-mail (mailto:…) or a path (/agenda/)."),
    )(value)


class LinkBlock(blocks.StructBlock):
    """A link to a page of the site or to another address, with the words that name it."""

    label = blocks.CharBlock(label=_("label"), max_length=100)
    page = blocks.PageChooserBlock(label=_("page of the site"), required=False)
    url = blocks.CharBlock(
        label=_("or address"),
        required=False,
        max_length=500,
        validators=[validate_link_address],
        help_text=_("https://…, mailto:… or a path of this site such as /agenda/"),
    )

    class Meta:
        icon = "link"
        label = _("Link")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("page")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": blocks.BlockValidationError(_("Choose a page or an address."))}
            )
        return value


class CallToActionBlock(LinkBlock):
    class Meta:
        icon = "pick"
        label = _("Button")
        template = "cms/blocks/call_to_action_block.html"


class BodyBlock(blocks.StreamBlock):
    """The body of every page type of the public site."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        icon="pilcrow",
        features=["bold", "italic", "link", "document-link", "ol", "ul"],
        template="cms/blocks/paragraph_block.html",
    )
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()


class StageBlock(blocks.StructBlock):
    """What the programme does with a structure at one stage of its journey."""

    stage = blocks.ChoiceBlock(
        label=_("stage"), choices=[(stage.value, stage.label) for stage in ACTIVE_STAGES]
    )
    text = blocks.TextBlock(label=_("what happens"), max_length=600)

    class Meta:
        icon = "list-ol"
        label = _("Stage of the journey")


class PartnerBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=200)
    url = blocks.URLBlock(label=_("website"), required=False)
    logo = ImageChooserBlock(label=_("logo"), required=False)
    text = blocks.TextBlock(label=_("what they bring"), required=False, max_length=400)

    class Meta:
        icon = "group"
        label = _("Partner")
