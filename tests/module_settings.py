"""The settings of a module whose world is built once for all its tests (the access matrix, the
demo): one folder of files for the module, in place of the suite's per-test folder, which would
lose the world's files after its first test; and the suite's fast, English defaults."""

from django.test import override_settings


def module_settings(root):
    return override_settings(
        MEDIA_ROOT=root / "media",
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "media"},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
            "private": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": root / "private", "base_url": None},
            },
        },
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LANGUAGE_CODE="en",
    )
