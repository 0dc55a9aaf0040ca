"""The accompaniment's page: its addresses, a PDF to upload, and the days around today."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accelerator.models import Stage

S = Stage
PDF = b"%PDF-1.4\n" + b"0" * 200
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


def pdf(name="convention.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def page(accompaniment):
    return reverse("accelerator:accompaniment", kwargs={"pk": accompaniment.pk})


def url(view, accompaniment, **kwargs):
    return reverse(f"accelerator:{view}", kwargs={"pk": accompaniment.pk, **kwargs})
