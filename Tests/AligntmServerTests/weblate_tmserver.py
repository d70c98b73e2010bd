"""Drives Weblate's own tmserver/amaGama machinery class against a running `aligntm serve`.

Usage: python weblate_tmserver.py URL SENTENCE
Prints one JSON object: {"validated": true, "languages": [...], "translations": [...]}.
Runs with Weblate's test settings (no database is touched by the machinery class).
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "weblate.settings_test")

import django  # noqa: E402

django.setup()

from weblate.machinery.tmserver import TMServerTranslation  # noqa: E402

url, sentence = sys.argv[1], sys.argv[2]
machine = TMServerTranslation({"url": url})
# The check Weblate runs when an administrator saves the configuration: the language list,
# then "test" from English to German.
machine.validate_settings()
languages = sorted(machine.download_languages())
translations = list(machine.download_translations("en", "fr", sentence, None, None, 80))
print(json.dumps({"validated": True, "languages": languages, "translations": translations}))
