"""Uploaded files: which are accepted (detected by their content), how big, how they are named.
Dossier attachments and accompaniment documents both go through `check_upload`."""

import io
import os
import unicodedata
import zipfile
import zlib
from decimal import ROUND_HALF_UP, Decimal

import filetype
from django.conf import settings
from django.db import transaction
from django.utils.formats import number_format
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from accelerator.domain.refusals import Refused

# What the content says the file is -> the name endings that agree with it.
ACCEPTED = {
    "pdf": {"pdf"},
    "png": {"png"},
    "apng": {"png"},
    "jpg": {"jpg", "jpeg"},
    "gif": {"gif"},
    "webp": {"webp"},
    "docx": {"docx"},
    "xlsx": {"xlsx"},
    "pptx": {"pptx"},
    "odt": {"odt"},
    "ods": {"ods"},
    "odp": {"odp"},
    "doc": {"doc"},
    "xls": {"xls"},
    "ppt": {"ppt"},
}
# The content type served back; filetype says "image/apng" for an animated PNG.
SERVED_TYPES = {"apng": "image/png"}
STEM_MAX = 80
MEGABYTE = 1024 * 1024

# Office documents are zip archives: a few hundred kilobytes may unpack to gigabytes (a "zip
# bomb") in the staff's office software. Their table of contents is read, nothing is extracted.
ZIPPED_OFFICE = {"docx", "xlsx", "pptx", "odt", "ods", "odp"}
# A 100-slide presentation has about 500 parts; a document with 5,000 is no document.
MAX_ZIP_ENTRIES = 5000
# Text compresses ten or twenty times, pictures hardly; a hundred times is padding (Apache POI,
# which reads these formats, refuses the same ratio by default).
MAX_COMPRESSION_RATIO = 100
# Small parts (styles, settings) may compress far more without harm.
RATIO_CHECKED_FROM = MEGABYTE
ARCHIVE_ENDINGS = {
    "7z", "arj", "bz2", "cab", "gz", "iso", "jar", "lz", "lzma", "rar", "tar", "tgz", "xz", "z",
    "zip", "zst",
}  # fmt: skip
# Zip, 7-Zip, RAR, gzip, xz, Microsoft Cabinet, zstd. Office's own compressed pictures (.emz,
# .wmz) are gzip: those two endings are allowed.
ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"7z\xbc\xaf\x27\x1c",
    b"Rar!\x1a\x07",
    b"\x1f\x8b",
    b"\xfd7zXZ\x00",
    b"MSCF",
    b"\x28\xb5\x2f\xfd",
)
COMPRESSED_PICTURES = {"emz", "wmz"}


def max_upload_bytes():
    return getattr(settings, "ESSOR_MAX_UPLOAD_MB", 10) * 1024 * 1024


def display_name(original):
    """The name people see: the last part of what the browser sent, without control characters."""
    name = os.path.basename((original or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    return name[:255] or _("file")


def storage_name(original, extension):
    """A safe name on disk: slugified stem (no path, no accents), capped, checked ending."""
    stem = display_name(original)
    if "." in stem:
        stem = stem.rsplit(".", 1)[0]
    stem = slugify(stem)[:STEM_MAX].strip("-_") or "file"
    return get_valid_filename(f"{stem}.{extension}")


def max_unpacked_bytes():
    return getattr(settings, "ESSOR_MAX_UNPACKED_MB", 200) * MEGABYTE


def megabytes(size, limit_mb=None):
    """`size` bytes in MB as the language writes numbers (“10,5” in French). Beside a limit, with
    as many decimals as show it is over (up to six: one byte over ten MB reads “10,000001”)."""
    exact = Decimal(size) / MEGABYTE
    for places in range(1, 7):
        shown = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if limit_mb is None or shown > limit_mb:
            break
    if shown == shown.to_integral_value():
        shown, places = shown.quantize(Decimal(1)), 0
    return number_format(shown, decimal_pos=places)


def _entry_ending(filename):
    base = filename.rstrip("/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def _check_archive(archive, name, budget, embedded=False):
    """Refuse a zipped document too big or too compressed once unpacked, with too many parts, or
    holding another archive; office documents embedded in it (a chart's spreadsheet) are checked
    the same way, one level deep, against the same `budget` of unpacked bytes."""
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise Refused(
            _(
                "“%(name)s” holds %(count)s parts, more than a document may hold "
                "(%(limit)s): it cannot be attached."
            )
            % {
                "name": name,
                "count": number_format(len(entries), force_grouping=True),
                "limit": number_format(MAX_ZIP_ENTRIES, force_grouping=True),
            },
            code="zip_entries",
        )
    budget["left"] -= sum(entry.file_size for entry in entries)
    if budget["left"] < 0:
        raise Refused(
            _(
                "“%(name)s” would take more than %(limit)s MB once opened: it cannot be "
                "attached. Compress its pictures, or export it as PDF."
            )
            % {"name": name, "limit": number_format(max_unpacked_bytes() // MEGABYTE)},
            code="zip_size",
        )
    for entry in entries:
        if entry.file_size >= RATIO_CHECKED_FROM and entry.file_size > MAX_COMPRESSION_RATIO * max(
            entry.compress_size, 1
        ):
            raise Refused(
                _(
                    "“%(name)s” holds a part compressed %(ratio)s times, far more than a real "
                    "document: files made this way can block the computer that opens them, so "
                    "it cannot be attached. Export it as PDF instead."
                )
                % {
                    "name": name,
                    "ratio": number_format(
                        entry.file_size // max(entry.compress_size, 1), force_grouping=True
                    ),
                },
                code="zip_ratio",
            )
    for entry in entries:
        if entry.is_dir() or entry.file_size == 0:
            continue
        ending = _entry_ending(entry.filename)
        with archive.open(entry) as part:
            head = part.read(8)
        is_zip = head.startswith(b"PK\x03\x04")
        office = is_zip and ending in ZIPPED_OFFICE and not embedded
        archived = ending in ARCHIVE_ENDINGS or head.startswith(ARCHIVE_MAGIC)
        if archived and not office and ending not in COMPRESSED_PICTURES:
            raise Refused(
                _(
                    "“%(name)s” holds another archive (“%(part)s”): it cannot be attached. "
                    "Attach the files themselves instead."
                )
                % {"name": name, "part": entry.filename.rsplit("/", 1)[-1]},
                code="zip_nested",
            )
        if office:
            # Read in memory, never to disk: its size was counted in the budget above.
            with archive.open(entry) as part:
                inner = zipfile.ZipFile(io.BytesIO(part.read()))
            with inner:
                _check_archive(inner, name, budget, embedded=True)


def _check_zipped_office(uploaded, name):
    budget = {"left": max_unpacked_bytes()}
    uploaded.seek(0)
    try:
        with zipfile.ZipFile(uploaded) as archive:
            _check_archive(archive, name, budget)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        NotImplementedError,
        ValueError,
        OSError,
    ) as error:
        raise Refused(
            _(
                "“%(name)s” cannot be read: the document is damaged. Save it again from your "
                "office software, or export it as PDF, and attach it again."
            )
            % {"name": name},
            code="zip_corrupt",
        ) from error
    except RuntimeError as error:
        # zipfile's word for a part protected by a password.
        raise Refused(
            _("“%(name)s” is protected by a password: remove the protection, then attach it again.")
            % {"name": name},
            code="zip_encrypted",
        ) from error
    finally:
        uploaded.seek(0)


def check_upload(uploaded):
    """(content type, extension) of an accepted upload; Refused in plain words otherwise."""
    name = display_name(uploaded.name)
    limit_mb = getattr(settings, "ESSOR_MAX_UPLOAD_MB", 10)
    if uploaded.size > max_upload_bytes():
        raise Refused(
            _("“%(name)s” is %(size)s MB; files are limited to %(limit)s MB each.")
            % {
                "name": name,
                "size": megabytes(uploaded.size, limit_mb),
                "limit": number_format(limit_mb),
            },
            code="too_big",
        )
    if uploaded.size == 0:
        raise Refused(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.extension not in ACCEPTED:
        raise Refused(
            _(
                "“%(name)s” is not a PDF, an image (PNG, JPEG, GIF, WebP) or an office document "
                "(Word, Excel, PowerPoint, OpenDocument): it cannot be attached."
            )
            % {"name": name},
            code="type",
        )
    ending = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    accepted = ACCEPTED[kind.extension]
    if ending and ending not in accepted:
        raise Refused(
            _("“%(name)s” ends in .%(ending)s but its content is a %(kind)s file: please check it.")
            % {"name": name, "ending": ending, "kind": kind.extension.upper()},
            code="mismatch",
        )
    if kind.extension in ZIPPED_OFFICE:
        _check_zipped_office(uploaded, name)
    extension = ending or sorted(accepted)[0]
    return SERVED_TYPES.get(kind.extension, kind.mime), extension


def rename_notice(sent_name):
    """A sentence telling the person their file is kept under another name than the one it
    arrived with (folder names, hidden characters removed); None when the name is kept as is.
    Django's upload parser already drops folder names from a browser's upload; the domain's
    other callers (commands, imports) may still pass them."""
    sent_name = sent_name or ""
    kept = display_name(sent_name)
    if kept == sent_name:
        return None
    # Hidden characters shown as “�”, so the two names visibly differ.
    shown = "".join("\ufffd" if unicodedata.category(ch)[0] == "C" else ch for ch in sent_name)
    return _(
        "“%(sent)s” is kept as “%(kept)s”: folder names and hidden characters are removed "
        "from file names."
    ) % {"sent": shown[:200], "kept": kept}


def save_with_file(instance, uploaded, extension):
    """Store `uploaded` in `instance.file` under a safe name, then save the row; the stored file
    is removed again when the row cannot be saved, so no file is left without its row."""
    instance.file.save(storage_name(uploaded.name, extension), uploaded, save=False)
    try:
        instance.save()
    except Exception:
        instance.file.storage.delete(instance.file.name)
        raise
    return instance


def delete_with_file(instance):
    """Delete the row, then its stored file once the transaction commits (a rollback keeps both)."""
    storage, name = instance.file.storage, instance.file.name
    instance.delete()
    transaction.on_commit(lambda: storage.delete(name))
