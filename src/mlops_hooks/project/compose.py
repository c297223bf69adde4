"""Which Dockerfiles a Compose file builds only as development tooling.

A Compose service that builds an image and bind-mounts the project directory into it runs the
working tree, not what the image was built with: a docs server, a formatter, a dev shell.
A Dockerfile that every service building it uses that way is a tooling image, not a runtime
image. Read from the root's ``compose.yaml``/``docker-compose.yml`` (and ``.yml`` twins)
through the safe YAML node layer; nothing is executed, and only files inside the root are
read (bounded, through :meth:`mlops_hooks.project.Project.read_text`).
"""

from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mlops_hooks.project import Project
    from mlops_hooks.yamlnodes import YamlNode

COMPOSE_FILES = ("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml")
#: Host paths of a bind mount that mean "the project directory".
_PROJECT = frozenset({".", "./", "${PWD}", "$PWD", "${PWD}/", "$PWD/"})


def tooling_dockerfiles(project: Project) -> frozenset[str]:
    """Dockerfiles (posix, relative to the root) that Compose builds only for services that
    bind-mount the project directory; loaded once per run."""
    return project.cached("compose.tooling", _load)


def _load(project: Project) -> frozenset[str]:
    mounted: dict[str, bool] = {}  # Dockerfile -> every service building it mounts the project
    for name in COMPOSE_FILES:
        text = project.read_text(project.root / name)
        if text is None:
            continue
        # Imported only here: most projects have no Compose file, and a Dockerfile-only run
        # would otherwise pay for the YAML layer's start-up.
        from mlops_hooks.source import DecodeError, SourceFile
        from mlops_hooks.yamlnodes import compose

        try:
            document = compose(SourceFile.from_bytes(name, text.encode("utf-8"), name))
        except (ValueError, DecodeError):
            continue  # an invalid file builds nothing we can tell
        services = document.get("services") if document is not None else None
        if services is None or not services.is_mapping:
            continue
        for _, service in services.merged_pairs():
            service = service.target
            if not service.is_mapping:
                continue
            dockerfile = _dockerfile(service)
            if dockerfile is not None:
                mounted[dockerfile] = mounted.get(dockerfile, True) and _mounts_project(service)
    return frozenset(path for path, tooling in mounted.items() if tooling)


def _dockerfile(service: YamlNode) -> str | None:
    """The Dockerfile a service builds (``build: dir`` or ``build: {context, dockerfile}``)."""
    build = service.get("build")
    if build is None:
        return None
    if build.is_scalar:
        context, dockerfile = build.string or ".", "Dockerfile"
    elif build.is_mapping:
        context_node, file_node = build.get("context"), build.get("dockerfile")
        context = (context_node.string if context_node is not None else None) or "."
        dockerfile = (file_node.string if file_node is not None else None) or "Dockerfile"
    else:
        return None
    if "://" in context or "$" in context or "$" in dockerfile:
        return None  # a remote context, or one only the environment knows
    path = posixpath.normpath(posixpath.join(context, dockerfile))
    return None if path == ".." or path.startswith(("../", "/")) else path


def _mounts_project(service: YamlNode) -> bool:
    """Whether a service bind-mounts the project directory (``.:/app``, or the long form)."""
    volumes = service.get("volumes")
    if volumes is None or not volumes.is_sequence:
        return False
    for volume in volumes.items:
        volume = volume.target
        if volume.is_scalar:
            text = volume.string or ""
            if ":" in text and text.split(":", 1)[0] in _PROJECT:
                return True
        elif volume.is_mapping:
            source, kind = volume.get("source"), volume.get("type")
            if (
                source is not None
                and (source.string or "") in _PROJECT
                and (kind is None or kind.string == "bind")
            ):
                return True
    return False
