"""Territories and programmes: régions, départements, the programmes and their support points."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Department(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region")
    )

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("region")
    )
    description = models.TextField(_("description"), blank=True)
    # Programme managers move any accompanied structure and run the cohorts of the programme.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="managed_programmes",
        blank=True,
        limit_choices_to={"is_staff": True},
        verbose_name=_("programme managers"),
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["name"]

    def __str__(self):
        return self.name


class SupportPoint(models.Model):
    """A territorial partner ("point d'appui") that supports the structures of its département."""

    name = models.CharField(_("name"), max_length=200)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="support_points",
        verbose_name=_("département"),
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="support_points",
        blank=True,
        verbose_name=_("members"),
    )
    email = models.EmailField(_("e-mail address"), blank=True)
    # Set when a call for points d'appui appointed this structure: appointing it again finds
    # this support point instead of opening a twin, whatever its name has become since.
    structure = models.OneToOneField(
        "accelerator.Structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_point",
        verbose_name=_("structure"),
        help_text=_("The structure a call for points d'appui appointed, if any."),
    )

    class Meta:
        verbose_name = _("support point")
        verbose_name_plural = _("support points")
        ordering = ["department__code", "name"]

    def __str__(self):
        return self.name
