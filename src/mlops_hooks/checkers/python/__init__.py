"""MLflow checker: Python code (LibCST) and YAML configuration that load registered models.

Routes ``*.py`` files and the YAML files under the configuration globs (kind option
``config-globs``, relative to the project root). Speed matters here more than anywhere: a hook
may see thousands of Python files, and LibCST parses about 15 times slower than ``ast``. So:

- a file is parsed only when its text contains a trigger of an enabled rule (``models:/`` or a
  deprecated API name, see :attr:`PythonRule.triggers`);
- a file with a trigger is parsed by CPython first (:mod:`.firstpass`): when that proves that
  no enabled rule can report anything, as it does for code that loads models by alias, LibCST
  never runs;
- LibCST and PyYAML are imported only when a file needs them;
- in a parsed file, LibCST parses only the top-level statements that can matter
  (:mod:`.segments`): CPython's own parser, which checks the syntax first, says where they are;
- names are resolved by one light pass over the tree (imports, aliases, client instances,
  module-level constants), not by LibCST's metadata providers, and positions are computed
  only when a rule reports something.

Stubs (``*.pyi``) are not checked: they hold no values and never load a model.
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar, cast

from mlops_hooks.checkers import Checker, hooked, overrides
from mlops_hooks.checkers.python.base import PythonRule
from mlops_hooks.comments import python_lines, yaml_anchors
from mlops_hooks.config import glob_match
from mlops_hooks.rule import option, options
from mlops_hooks.source import DecodeError, SourceFile

if TYPE_CHECKING:
    from mlops_hooks.checkers.python.config import ConfigModel
    from mlops_hooks.checkers.python.model import PythonModule
    from mlops_hooks.project import Project
    from mlops_hooks.rule import Rule

# PEP 263: the cookie is on line 1 or 2, in a comment; line 2 counts only after a comment or
# blank line 1.
_COOKIE = rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)"  # compiled on first use: start-up
#: What a file must mention for any MLflow rule to matter.
KIND_TRIGGERS = ("mlflow", "models:/")
_YAML_SUFFIXES = (".yaml", ".yml")


@options
class PythonOptions:
    """Settings of the ``python`` kind, from ``[tool.mlops-hooks.kinds.python]``."""

    config_globs: tuple[str, ...] = option(
        default=("confs/**/*.y*ml", "conf/**", "configs/**"),
        doc="Globs (relative to the project root, gitignore-like) of the YAML files "
        "(`.yaml`/`.yml`) whose string values are checked for model URIs.",
    )


class PythonChecker(Checker):
    """Parses Python modules and YAML configs once; runs the MLflow rules on them."""

    kind: ClassVar[str] = "python"
    title: ClassVar[str] = "Python (MLflow)"
    description: ClassVar[str] = "Python code and configuration that load MLflow models"
    files: ClassVar[str] = "`*.py`, YAML under `confs/`, `conf/`, `configs/`"
    example_path: ClassVar[str] = "src/app/serving.py"
    fence: ClassVar[str] = "python"
    Options: ClassVar[type] = PythonOptions
    options: Any = PythonOptions()
    hook_id: ClassVar[str] = "mlops-mlflow"
    # Python files plus YAML under the default configuration directories; a project that
    # changes `config-globs` overrides `files:` in its .pre-commit-config.yaml.
    hook_files: ClassVar[str] = r"\.py$|(^|/)(confs?|configs)/(.+/)?[^/]+\.ya?ml$"

    def matches(self, relpath: str) -> bool:
        if relpath.endswith(".py"):
            return True
        if not relpath.lower().endswith(_YAML_SUFFIXES):
            return False
        return any(glob_match(glob, relpath) for glob in self.options.config_globs)

    def load(self, path: str, raw: bytes, relpath: str) -> SourceFile:
        """Decode Python source as Python does: a UTF-8 BOM, else a PEP 263 coding cookie."""
        if not relpath.endswith(".py"):
            return SourceFile.from_bytes(path, raw, relpath)
        cookie = _cookie(raw)
        if cookie is None:
            return SourceFile.from_bytes(path, raw, relpath)
        written, encoding = cookie
        if raw.startswith(codecs.BOM_UTF8) and encoding != "utf-8":
            raise DecodeError(f"encoding cookie {written!r} contradicts the UTF-8 BOM")
        return SourceFile.from_bytes(path, raw, relpath, default_encoding=encoding)

    def costly(self, relpath: str, raw: bytes, rules: Sequence[type[Rule]]) -> bool:
        """A Python module holding a word of an enabled rule (its triggers and context words):
        the first pass may not prove it conforming, and LibCST then parses it. A module
        without one is proven by the first pass alone (even when a rule that must see every
        file, such as MLF000, sends it there), and YAML configs never need LibCST."""
        if not relpath.endswith(".py"):
            return False
        words = _segment_words(tuple(rules))
        return words is None or any(word.encode() in raw for word in words)

    def wants(self, source: SourceFile, rules: Sequence[Rule]) -> bool:
        """Parse only a file that contains a trigger of an enabled rule (with no rule but
        MLF000 enabled, a file that mentions ``mlflow`` or ``models:/``) and that the first
        pass (:mod:`.firstpass`, CPython's parser) cannot prove conforming."""
        is_python = source.relpath.endswith(".py")
        python, config = _triggers(tuple(type(rule) for rule in rules))
        triggers = python if is_python else config
        text = source.text
        if triggers is not None and not any(trigger in text for trigger in triggers):
            return False
        if not is_python:
            return True
        from mlops_hooks.checkers.python.firstpass import conforming

        return not conforming(source, rules)

    def parse(
        self, source: SourceFile, project: Project, rules: Sequence[Rule]
    ) -> PythonModule | ConfigModel:
        if source.relpath.endswith(".py"):
            from mlops_hooks.checkers.python import walk

            return walk.parse_module(source, _segment_words(tuple(type(r) for r in rules)))
        from mlops_hooks.checkers.python.config import parse_config

        return parse_config(source)

    def run(self, model: PythonModule | ConfigModel, rules: Sequence[Rule]) -> None:
        uri_hooks = hooked(rules, PythonRule, "check_uri")
        if not model.is_python:
            for uri in model.uris:
                for rule in uri_hooks:
                    rule.check_uri(uri)
            return
        # Not isinstance(): that would import the model (and LibCST) for a YAML-only run.
        module = cast("PythonModule", model)
        module_hooks = hooked(rules, PythonRule, "check_module")
        call_hooks = hooked(rules, PythonRule, "check_call")
        for rule in module_hooks:
            rule.check_module(module)
        if call_hooks:
            for call in module.calls:
                for rule in call_hooks:
                    rule.check_call(call)
        if uri_hooks:
            for uri in model.uris:
                for rule in uri_hooks:
                    rule.check_uri(uri)

    def comment_placement(self, source: SourceFile) -> str:
        return "end" if source.relpath.endswith(".py") else "above"

    def suppression_anchors(self, source: SourceFile) -> dict[int, int]:
        if not source.relpath.endswith(".py"):
            return yaml_anchors(source)
        lines = python_lines(source)
        return lines[0] if lines is not None else {}

    def comment_lines(self, source: SourceFile) -> dict[int, int] | None:
        if not source.relpath.endswith(".py"):
            return None
        lines = python_lines(source)
        return lines[1] if lines is not None else {}


def _first_lines(raw: bytes) -> list[bytes]:
    lines: list[bytes] = []
    start = 0
    for _ in range(2):
        ends = [i for i in (raw.find(b"\r", start), raw.find(b"\n", start)) if i >= 0]
        if not ends:
            lines.append(raw[start:])
            break
        end = min(ends)
        lines.append(raw[start:end])
        start = end + 2 if raw.startswith(b"\r\n", end) else end + 1
    return lines


@functools.cache
def _cookie_pattern() -> re.Pattern[bytes]:
    return re.compile(_COOKIE)


def _cookie(raw: bytes) -> tuple[str, str] | None:
    """The PEP 263 encoding ``raw`` declares, as written and normalised, if any."""
    for number, line in enumerate(_first_lines(raw)):
        if number == 0 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        match = _cookie_pattern().match(line) if b"coding" in line else None
        if match is not None:
            name = match.group(1).decode("ascii", "replace")
            try:
                return name, codecs.lookup(name).name
            except LookupError:
                message = f"unknown encoding in coding cookie: {name!r}"
                raise DecodeError(message, number + 1) from None
        if line.strip() and not line.lstrip().startswith(b"#"):
            return None  # a cookie after code does not count
    return None


@functools.lru_cache(maxsize=64)
def _triggers(
    rules: tuple[type[Rule], ...],
) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The distinct triggers of the enabled rules for Python files and for YAML configs (only
    URI rules look at configs); ``None`` when some rule has none (it must see every file)."""
    active = [rule for rule in rules if issubclass(rule, PythonRule)]
    if not active:
        return KIND_TRIGGERS, KIND_TRIGGERS
    python: dict[str, None] | None = {}
    config: dict[str, None] | None = {}
    for rule in active:
        if python is not None:
            python = python | dict.fromkeys(rule.triggers) if rule.triggers else None
        if config is not None and overrides(rule, PythonRule, "check_uri"):
            config = config | dict.fromkeys(rule.triggers) if rule.triggers else None
    return (
        tuple(python) if python is not None else None,
        tuple(config) if config is not None else None,
    )


@functools.lru_cache(maxsize=8)
def _segment_words(rules: tuple[type[Rule], ...]) -> tuple[str, ...] | None:
    """The words that make a function or class worth parsing: the triggers and context words
    of the rules that run (``None``, parse everything, when one of them declares no
    triggers)."""
    words: dict[str, None] = {}
    for rule in rules:
        if not issubclass(rule, PythonRule) or rule.parse_error:
            continue
        if not rule.triggers:
            return None
        words.update(dict.fromkeys((*rule.triggers, *rule.context_words)))
    return tuple(words)


CHECKER = PythonChecker()
