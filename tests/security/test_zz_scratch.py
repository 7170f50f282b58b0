import traceback
from tests.security.test_no_500 import HOSTILE, forms_of, ids  # noqa
from django.test import Client
from urllib.parse import urlsplit

URLS = ["/reti/nuova/", "/partner/nuovo/", "/reti/1/gruppi/nuovo/", "/incontri/nuovo/", "/accordi/nuovo/"]

def test_scratch(personas, ids, settings):
    c = Client()
    c.force_login(personas["amministratore"])
    for url in URLS:
        page = c.get(url)
        done = False
        for form in forms_of(url, page):
            if form.method != "post" or done:
                continue
            for label, value in HOSTILE.items():
                data = {k: (v if k in form.hidden else value) for k, v in form.fields.items()}
                try:
                    c.post(urlsplit(form.action).path, data)
                except Exception:
                    print("=====", url, label)
                    traceback.print_exc(limit=-14)
                    done = True
                    break
