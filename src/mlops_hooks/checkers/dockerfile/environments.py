"""Where an install puts the project in the image, and what a later stage copies of it.

DKR003 asks whether a final stage receives a build stage's editable environment together
with the source tree that environment points to: these helpers find a stage's editable
project install and the image path of its source tree, the environment that install
writes, and whether a ``COPY --from`` carries either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mlops_hooks.checkers.dockerfile.copies import in_image, source_copy, workdir_at
from mlops_hooks.checkers.dockerfile.installs import Install, installs

if TYPE_CHECKING:
    from mlops_hooks.checkers.dockerfile.model import DockerfileModel, Instruction, Stage

#: The last path component of a directory that holds an installed environment.
ENVIRONMENTS = frozenset({".venv", "venv", ".virtualenv", "virtualenv", "site-packages"})


def from_stage(model: DockerfileModel, copy: Instruction) -> Stage | None:
    """The stage of the file a ``COPY --from=`` reads (None: the context or an image)."""
    refs = copy.flag_values("from")
    return model.stage(refs[-1]) if refs else None


def environment_of(install: Install) -> str | None:
    """Where an install puts the project in the image: the environment ``uv sync`` creates
    (``UV_PROJECT_ENVIRONMENT``, else ``.venv`` in the project directory), or the active
    virtual environment of a pip install (None: the system site-packages)."""
    workdir = workdir_at(install.instruction)
    if install.action == "uv sync":
        configured = install.env.get("UV_PROJECT_ENVIRONMENT")
        if configured:
            return in_image(workdir, configured)
        project = install.option_value("--project") or install.option_value("--directory")
        return in_image(in_image(workdir, project or "."), ".venv")
    active = install.env.get("VIRTUAL_ENV")
    return in_image(workdir, active) if active else None


def holds(copy: Instruction, path: str, environment: str | None) -> bool:
    """Whether ``path`` (a source of a ``COPY --from``) is the environment or holds it."""
    if path.rstrip("/").rsplit("/", 1)[-1] in ENVIRONMENTS:
        return True
    path = in_image(workdir_at(copy), path)
    return environment is not None and (
        path == environment or environment.startswith(path.rstrip("/") + "/")
    )


def editable_install(stage: Stage, source_paths: tuple[str, ...]) -> tuple[Install, str] | None:
    """The editable project install of ``stage`` (or a stage it is built ``FROM``) and where
    in the image the source tree it points to was copied."""
    tree: str | None = None
    for ancestor in stage.lineage:
        for instruction in ancestor.instructions[1:]:
            if tree is None and source_copy(instruction, source_paths):
                tree = in_image(workdir_at(instruction), instruction.args[-1])
            install = next((i for i in installs(instruction) if i.project), None)
            if tree is not None and install is not None and install.editable:
                return install, tree
    return None


def carries(
    model: DockerfileModel, copy: Instruction, builder: Stage, tree: str, environment: str | None
) -> bool:
    """Whether ``copy`` copies, from ``builder``, the source tree at ``tree`` or a directory
    holding it (a path inside it is part of the tree too, but for the environment, which
    lies inside the tree when the whole context was copied)."""
    if from_stage(model, copy) is not builder:
        return False
    for written in copy.sources():
        path = in_image(workdir_at(copy), written)
        if path == environment or written.rstrip("/").rsplit("/", 1)[-1] in ENVIRONMENTS:
            continue
        if path == tree or tree.startswith(path.rstrip("/") + "/") or path.startswith(tree + "/"):
            return True
    return False
