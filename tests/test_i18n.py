"""French first: the catalogue is complete, compiled, and in step with the code."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CATALOGUES = [ROOT / "locale/fr/LC_MESSAGES/django.po"]


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_the_french_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    untranslated = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert untranslated == []
    assert fuzzy == []
    assert len(catalogue.translated_entries()) > 0


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_the_compiled_catalogue_matches_the_sources(path):
    source = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in polib.pofile(str(path))}
    compiled = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural
        for e in polib.mofile(str(path.with_suffix(".mo")))
        if e.msgid
    }
    assert compiled == {key: value for key, value in source.items() if value}


def test_every_string_of_the_code_is_in_the_catalogue(tmp_path, in_ci):
    """makemessages on a copy finds no msgid that the committed catalogue lacks."""
    if not shutil.which("xgettext"):
        if in_ci:
            pytest.fail("gettext is required in CI to check the catalogue")
        pytest.skip("gettext (xgettext) is not installed")
    copy = tmp_path / "essor"
    ignore = shutil.ignore_patterns(".venv", "var", ".git", "node_modules", "*.pyc", "tests")
    shutil.copytree(ROOT, copy, ignore=ignore)
    # The browser script reads its messages from data attributes of translated templates.
    for domain in ("django",):
        subprocess.run(
            [
                sys.executable,
                "manage.py",
                "makemessages",
                "-l",
                "fr",
                "-d",
                domain,
                "--no-obsolete",
                "-i",
                ".venv",
                "-i",
                "var",
            ],
            cwd=copy,
            check=True,
            capture_output=True,
        )
    for path in CATALOGUES:
        fresh = polib.pofile(str(copy / path.relative_to(ROOT)))
        committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(path))}
        missing = sorted(e.msgid for e in fresh if (e.msgctxt, e.msgid) not in committed)
        assert missing == [], f"run `make messages` and translate: {missing[:10]}"


def test_pages_are_french_by_default(client, settings, db):
    settings.LANGUAGE_CODE = "fr"
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'lang="fr"' in response.content.decode()
    assert "Mot de passe" in response.content.decode()
