"""What a path is, from its name alone: a template, or part of a dev container.

A template (a cookiecutter/copier directory ``{{ cookiecutter.slug }}/``, or a file ending
``.j2``, ``.jinja``, ``.jinja2``, ``.tmpl``) is not yet the file it renders to: a
``Dockerfile.j2`` is not a Dockerfile, a ``justfile`` under ``{{ name }}/`` is not the
project's justfile. A dev container (anything under ``.devcontainer/``) is a development
environment, not a runtime image. Pure functions of the posix path relative to the root;
nothing is read.
"""

from __future__ import annotations

from mlops_hooks.lazyre import lazy

#: Extensions of template files (compared case-insensitively).
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl")
#: A path segment holding a Jinja expression (``{{ cookiecutter.project_slug }}``).
_EXPRESSION = lazy(r"\{\{.*?\}\}")
DEVCONTAINER = ".devcontainer"
#: Files at the root of a project template (cookiecutter, copier).
TEMPLATE_MARKERS = ("cookiecutter.json", "copier.yml", "copier.yaml")


def is_template(relpath: str) -> bool:
    """Whether ``relpath`` is a template: a segment with ``{{ ... }}``, or a template suffix."""
    segments = [s for s in relpath.split("/") if s]
    if any(_EXPRESSION.search(segment) for segment in segments):
        return True
    return bool(segments) and segments[-1].lower().endswith(TEMPLATE_SUFFIXES)


def is_devcontainer(relpath: str) -> bool:
    """Whether ``relpath`` is in a dev container definition (under ``.devcontainer/``)."""
    return DEVCONTAINER in relpath.split("/")[:-1] or relpath == DEVCONTAINER
