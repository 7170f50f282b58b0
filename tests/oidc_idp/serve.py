"""Start the test identity provider (README.md): set up its database, an RSA signing key and
Ponti's client, then serve on a free port of 127.0.0.1 and print "listening URL".

    python -m tests.oidc_idp.serve --db FILE --people DIR --client-id ID --client-secret S \\
        --redirect-uri URI [--redirect-uri URI …] --post-logout-uri URI
"""

from __future__ import annotations

import argparse
import io
import os
import socketserver
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--people", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--redirect-uri", action="append", default=[])
    parser.add_argument("--post-logout-uri", action="append", default=[])
    args = parser.parse_args()
    os.environ["IDP_DB"] = args.db
    os.environ["IDP_PEOPLE"] = args.people
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_idp.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oidc_provider.models import Client, ResponseType

    call_command("migrate", verbosity=0, interactive=False)
    call_command("creatersakey", stdout=io.StringIO())
    client = Client.objects.create(
        name="Ponti",
        client_type="confidential",
        client_id=args.client_id,
        client_secret=args.client_secret,
        jwt_alg="RS256",
        require_consent=False,
        reuse_consent=False,
    )
    client.redirect_uris = args.redirect_uri
    client.post_logout_redirect_uris = args.post_logout_uri
    client.save()
    client.response_types.add(ResponseType.objects.get(value="code"))

    server = make_server(
        "127.0.0.1",
        0,
        get_wsgi_application(),
        server_class=ThreadingServer,
        handler_class=QuietHandler,
    )
    print(f"listening http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
