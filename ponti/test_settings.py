"""Settings for the test suite: production defaults, with what tests need to be fast.

DEBUG stays off, as in production; static files are served from the finders so that
tests need no collectstatic (one test checks the hashed, collected files separately).
"""

import os

os.environ.setdefault(
    "PONTI_SECRET_KEY", "test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"
)
os.environ.setdefault("PONTI_ALLOWED_HOSTS", "localhost,127.0.0.1,testserver")
os.environ.setdefault("PONTI_SSL_REDIRECT", "0")
os.environ.setdefault("PONTI_SECURE_COOKIES", "0")
os.environ.setdefault("PONTI_HSTS_SECONDS", "0")
os.environ.setdefault("PONTI_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from ponti.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
PONTI_BASE_URL = "https://ponti.example.org"

# A second database, empty as a new instance is after `migrate`: tests/test_backup.py restores
# backups into it. pytest-django creates it only when a test asks for it.
DATABASES["restore"] = {  # noqa: F405
    **DATABASES["default"],  # noqa: F405
    "NAME": f"{DATABASES['default']['NAME']}_restore",  # noqa: F405
}
