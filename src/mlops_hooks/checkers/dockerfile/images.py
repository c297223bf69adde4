"""Image references: parse ``registry/path:tag@digest`` and know the images the rules care about.

Only three families matter here: uv's images (``ghcr.io/astral-sh/uv``, also published as
``astral/uv`` on Docker Hub), the official ``python`` image (and its mirrors, which keep the
``library/python`` path) and the official ``debian`` image.
"""

from __future__ import annotations

from typing import NamedTuple

from mlops_hooks.lazyre import lazy

#: Debian releases, for tags like ``3.12-bookworm`` or ``python3.12-trixie``.
DEBIAN_CODENAMES = frozenset(
    {"jessie", "stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "sid"}
)
_UV_IMAGES = frozenset({("ghcr.io", "astral-sh/uv"), ("docker.io", "astral/uv")})
_PYTHON_VERSION = lazy(r"^\d+(\.\d+)*((a|b|rc)\d*)?$")
_UV_VERSION_PREFIX = lazy(r"^\d+\.\d+(\.\d+)?(-|$)")
_UV_FULL_VERSION = lazy(r"^\d+\.\d+\.\d+(-|$)")
_UV_FULL_PYTHON = lazy(r"^python\d+(\.\d+)*-([a-z]+)$")
_PLAIN_TAGS = frozenset({"latest", "rc"})
_DEBIAN_TAG = lazy(r"^(\d+(\.\d+)*|stable|oldstable|testing|unstable)$")


class ImageRef(NamedTuple):
    """A parsed image reference; ``registry`` and ``path`` are normalised (lower case,
    ``docker.io`` and ``library/`` filled in); ``tag`` and ``digest`` are as written."""

    text: str
    registry: str
    path: str
    tag: str | None
    digest: str | None

    @property
    def is_uv(self) -> bool:
        """One of uv's images (distroless or derived)."""
        return (self.registry, self.path) in _UV_IMAGES

    @property
    def is_python(self) -> bool:
        """The official ``python`` image, or a mirror of it."""
        return self.path == "library/python" or self.path.endswith("/library/python")

    @property
    def is_debian(self) -> bool:
        """The official ``debian`` image, or a mirror of it."""
        return self.path == "library/debian" or self.path.endswith("/library/debian")

    @property
    def tag_start(self) -> int:
        """The index in ``text`` where the tag begins (after ``:``), or where it would go."""
        name_end = self.text.find("@") if self.digest is not None else len(self.text)
        if self.tag is None:
            return name_end
        return name_end - len(self.tag)


def parse_image(text: str) -> ImageRef | None:
    """Parse an image reference; ``None`` for ``scratch``, unresolved variables or junk."""
    if not text or "$" in text or text.lower() == "scratch" or any(c.isspace() for c in text):
        return None
    name, _, digest = text.partition("@")
    tag: str | None = None
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    parts = name.lower().split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        registry, path_parts = parts[0], parts[1:]
    else:
        registry, path_parts = "docker.io", parts
    if registry == "index.docker.io":
        registry = "docker.io"
    if registry == "docker.io" and len(path_parts) == 1:
        path_parts = ["library", *path_parts]
    return ImageRef(text, registry, "/".join(path_parts), tag, digest or None)


def uv_tag_is_mutable(ref: ImageRef, require_version: bool) -> bool:
    """Whether a uv image reference floats: untagged or ``latest`` without a digest, or (with
    ``require_version``) a tag that does not start with a full ``X.Y.Z`` uv version."""
    if ref.digest is not None:
        return False
    if ref.tag is None or ref.tag == "latest":
        return True
    return require_version and not _UV_FULL_VERSION.match(ref.tag)


def slim_tag(ref: ImageRef) -> str | None:
    """For a full Debian-based python/uv/debian image, its ``-slim`` tag; else ``None``.

    Returns ``""`` for a full image whose slim twin has no single obvious tag (``debian``).
    """
    tag = ref.tag or "latest"
    if ref.is_python:
        return _python_slim(tag)
    if ref.is_uv:
        rest = _UV_VERSION_PREFIX.sub("", tag) if _UV_VERSION_PREFIX.match(tag) else tag
        if not rest:  # a bare version: the distroless image, not Debian
            return None
        match = _UV_FULL_PYTHON.match(rest)
        if (match and match.group(2) in DEBIAN_CODENAMES) or rest == "debian":
            return f"{tag}-slim"
        if rest in DEBIAN_CODENAMES:
            return f"{tag}-slim"
        return None
    if ref.is_debian:
        if tag in DEBIAN_CODENAMES or _DEBIAN_TAG.match(tag):
            return f"{tag}-slim"
        return "" if tag == "latest" else None
    return None


def _python_slim(tag: str) -> str | None:
    parts = tag.split("-")
    for part in parts:
        if not (_PYTHON_VERSION.match(part) or part in DEBIAN_CODENAMES or part in _PLAIN_TAGS):
            return None  # slim, alpine, windowsservercore ... or a tag we do not know
    if parts == ["latest"]:
        return "slim"
    if parts[-1] in DEBIAN_CODENAMES:
        return "-".join([*parts[:-1], "slim", parts[-1]])
    return "-".join([*parts, "slim"])
