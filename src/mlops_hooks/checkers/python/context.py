"""Where a string value sits: is it where a model URI is expected?

A ``models:/`` URI that is a whole string value is certainly a registry URI when the string is
passed to a call that loads or resolves a model (``mlflow.pyfunc.load_model(...)``,
``model_uri=...``) or bound to a name that says so (``MODEL_URI = ...``). Elsewhere (a message,
a command line, a list of arguments) it is probably one, but a rewrite of it may change what
the program prints or runs: rules then offer no safe fix (see ``docs/fix-safety.md``).
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from mlops_hooks.checkers.python.uri import VOLUME_OPTIONS

#: Calls whose first argument is a model URI, by the callee's last name.
LOADERS = frozenset(
    {
        "load_model",
        "get_model_info",
        "spark_udf",
        "download_artifacts",
        "get_model_dependencies",
        "build_docker",
    }
)
#: Keyword arguments that take a model URI.
URI_KEYWORDS = frozenset({"model_uri", "artifact_uri"})
#: Calls that load, import or register a model from a URI (any argument), by the callee's last
#: name: MLflow's loaders, registration, and importers built on them (BentoML's
#: ``bentoml.mlflow.import_model(name, model_uri)``).
MODEL_CALLS = LOADERS | {"register_model", "copy_model_version", "import_model"}


def expects_model_uri(path: Sequence[cst.CSTNode], index: int) -> bool | None:
    """Whether the string expression ``path[index]`` is where a model URI is expected: the
    model-URI argument of a loading call, or the value bound to a ``*uri`` name. None when it
    is certainly not a URI: the item after ``"-v"`` in an argument list (a volume spec)."""
    if index < 1:
        return False
    parent = path[index - 1]
    grand = path[index - 2] if index >= 2 else None
    if isinstance(parent, cst.Element) and isinstance(grand, (cst.List, cst.Tuple)):
        elements = list(grand.elements)
        position = next(i for i, e in enumerate(elements) if e is parent)
        before = elements[position - 1].value if position > 0 else None
        if isinstance(before, cst.SimpleString) and before.raw_value in VOLUME_OPTIONS:
            return None
        return False
    if isinstance(parent, cst.Arg) and isinstance(grand, cst.Call):
        if parent.keyword is not None:
            return parent.keyword.value in URI_KEYWORDS
        func = grand.func
        method = func.attr.value if isinstance(func, cst.Attribute) else None
        if isinstance(func, cst.Name):
            method = func.value
        positional = [a for a in grand.args if a.keyword is None and not a.star]
        return method in LOADERS and bool(positional) and positional[0] is parent
    if isinstance(parent, cst.Assign) and parent.value is path[index]:
        return all(_names_uri(target.target) for target in parent.targets)
    if isinstance(parent, cst.AnnAssign) and parent.value is path[index]:
        return _names_uri(parent.target)
    return False


def _names_uri(target: cst.BaseExpression) -> bool:
    """A name or attribute whose last part ends in ``uri`` (``MODEL_URI``, ``self.uri``)."""
    if isinstance(target, cst.Attribute):
        target = target.attr
    return isinstance(target, cst.Name) and target.value.lower().endswith("uri")


def passed_to_model_call(path: Sequence[cst.CSTNode], index: int) -> bool:
    """Whether the string expression ``path[index]`` is itself an argument of a call that
    loads, imports or registers a model (:data:`MODEL_CALLS`, any argument), or a model-URI
    keyword argument (``model_uri=``) of any call: a URI that MLflow resolves when the code
    runs."""
    if index < 2:
        return False
    parent, grand = path[index - 1], path[index - 2]
    if not isinstance(parent, cst.Arg) or not isinstance(grand, cst.Call):
        return False
    if parent.keyword is not None and parent.keyword.value in URI_KEYWORDS:
        return True
    func = grand.func
    if isinstance(func, cst.Attribute):
        return func.attr.value in MODEL_CALLS
    return isinstance(func, cst.Name) and func.value in MODEL_CALLS
