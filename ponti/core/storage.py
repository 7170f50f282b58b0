from whitenoise.storage import CompressedManifestStaticFilesStorage


class LenientManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files that tolerate references to missing files.

    design-django-theme's base template references files it does not ship (favicons,
    owl.carousel inside HTML comments) and its CSS refers to a few absent assets: a strict
    manifest would make every page a 500 with DEBUG off.
    """

    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):  # type: ignore[no-untyped-def]
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            return name
