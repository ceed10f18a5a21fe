"""Static files in production: WhiteNoise's compressed, hashed files, with each asset's URL
worked out once per process (every page's base template asks for the same five)."""

from __future__ import annotations

from functools import lru_cache

from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """`url(name)` remembered per name: the manifest does not change while a process runs
    (a deployment that runs collectstatic restarts the workers)."""

    def url(self, name: str | None, force: bool = False) -> str:
        if force or name is None:
            return super().url(name, force)
        return self._url_of(name)

    @lru_cache(maxsize=1024)  # noqa: B019 - one storage instance per process, kept for good
    def _url_of(self, name: str) -> str:
        return super().url(name)
