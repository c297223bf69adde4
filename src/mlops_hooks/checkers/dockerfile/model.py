"""The Dockerfile model: instructions and stages from BuildKit's own parser, with exact spans.

The ``dockerfile`` package (BuildKit's Go parser) gives each instruction's command, flags,
arguments, heredocs and 1-based start/end lines. Columns are recovered from the source text;
``ARG`` defaults declared before the first ``FROM`` are substituted into image references.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from mlops_hooks.checkers import ParseError
from mlops_hooks.diagnostics import Span
from mlops_hooks.source import SourceFile

_VAR = re.compile(r"\$\{(\w+)(?::?[-+]([^}]*))?\}|\$(\w+)")
_LINE_IN_ERROR = re.compile(r"line (\d+)")


@dataclass
class Instruction:
    """One instruction (``RUN``, ``COPY`` ...) with its parsed parts and source span."""

    cmd: str
    flags: tuple[str, ...]
    args: tuple[str, ...]
    original: str
    start_line: int
    end_line: int
    json: bool
    heredocs: tuple[str, ...]
    span: Span
    source: SourceFile = field(repr=False)
    stage: Stage | None = field(default=None, repr=False)

    def flag_values(self, name: str) -> list[str]:
        """Values of ``--name=value`` flags (``--name`` alone gives ``""``)."""
        values = []
        for flag in self.flags:
            key, _, value = flag.partition("=")
            if key.lstrip("-").lower() == name.lower():
                values.append(value)
        return values

    def mounts(self) -> list[dict[str, str]]:
        """``RUN --mount=`` options as dicts (``type`` defaults to ``bind``)."""
        result = []
        for value in self.flag_values("mount"):
            options: dict[str, str] = {"type": "bind"}
            for part in value.split(","):
                key, sep, val = part.partition("=")
                options[key.strip().lower()] = val.strip() if sep else "true"
            if "src" in options and "source" not in options:
                options["source"] = options["src"]
            if "dst" in options and "target" not in options:
                options["target"] = options["dst"]
            if "destination" in options and "target" not in options:
                options["target"] = options["destination"]
            result.append(options)
        return result

    @property
    def shell(self) -> str:
        """The command a ``RUN`` executes: shell form text, exec form joined, plus heredocs."""
        parts = [" ".join(self.args)] if self.json else list(self.args)
        return "\n".join([*parts, *self.heredocs])

    def sources(self) -> tuple[str, ...]:
        """``COPY``/``ADD`` sources (every argument but the destination)."""
        return self.args[:-1] if len(self.args) > 1 else ()

    @property
    def destination(self) -> str:
        """``COPY``/``ADD`` destination."""
        return self.args[-1] if self.args else ""

    def find(self, needle: str) -> Span:
        """The span of ``needle`` inside this instruction, or the instruction's span."""
        return self.source.find(needle, self.start_line, self.end_line) or self.span


@dataclass
class Stage:
    """A build stage: from one ``FROM`` to the next."""

    index: int
    name: str | None
    image: str
    from_instruction: Instruction
    instructions: list[Instruction] = field(default_factory=list)
    parent: Stage | None = None
    is_final: bool = False
    env: dict[str, str] = field(default_factory=dict)

    @property
    def base_image(self) -> str:
        """The external image this stage ultimately builds on (following stage parents)."""
        stage: Stage = self
        while stage.parent is not None:
            stage = stage.parent
        return stage.image

    def env_at(self, instruction: Instruction) -> dict[str, str]:
        """``ENV``/``ARG`` values in effect at ``instruction`` (inherited from parents)."""
        env = dict(self.parent.env) if self.parent is not None else {}
        for item in self.instructions:
            if item is instruction:
                break
            env.update(_assignments(item))
        return env

    def runs(self) -> Iterator[Instruction]:
        """The ``RUN`` instructions of this stage."""
        return (i for i in self.instructions if i.cmd == "RUN")


@dataclass
class DockerfileModel:
    """A parsed Dockerfile."""

    source: SourceFile
    instructions: list[Instruction]
    stages: list[Stage]
    global_args: dict[str, str]

    def stage(self, ref: str) -> Stage | None:
        """The stage a ``--from=``/``FROM`` reference names (by name or index)."""
        for stage in self.stages:
            if stage.name is not None and stage.name.lower() == ref.lower():
                return stage
        if ref.isdigit() and int(ref) < len(self.stages):
            return self.stages[int(ref)]
        return None

    @property
    def final(self) -> Stage | None:
        """The last stage (the image ``docker build`` produces by default)."""
        return self.stages[-1] if self.stages else None


def substitute(text: str, variables: dict[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}`` with known values (others kept)."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in variables and variables[name] != "":
            return variables[name]
        if match.group(2) is not None and "-" in match.group(0):
            return match.group(2)
        return match.group(0)

    return _VAR.sub(repl, text)


def _assignments(instruction: Instruction) -> dict[str, str]:
    if instruction.cmd == "ENV":
        args = instruction.args
        return {args[i]: args[i + 1] for i in range(0, len(args) - 1, 2)}
    if instruction.cmd == "ARG":
        values = {}
        for arg in instruction.args:
            key, _, value = arg.partition("=")
            values[key] = _unquote(value)
        return values
    return {}


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def parse(source: SourceFile) -> DockerfileModel:
    """Parse ``source`` with BuildKit's parser into a :class:`DockerfileModel`."""
    import dockerfile

    try:
        commands: Any = dockerfile.parse_string(source.text)
    except dockerfile.GoParseError as exc:
        message = str(exc)
        match = _LINE_IN_ERROR.search(message)
        line = int(match.group(1)) if match else 1
        raise ParseError(f"Dockerfile parse error: {message}", line) from None
    instructions: list[Instruction] = []
    for command in commands:
        instructions.append(
            Instruction(
                cmd=command.cmd.upper(),
                flags=tuple(command.flags),
                args=tuple(command.value),
                original=command.original,
                start_line=command.start_line,
                end_line=command.end_line,
                json=command.json,
                heredocs=tuple(h.content for h in command.heredocs),
                span=source.line_span(command.start_line, command.end_line),
                source=source,
            )
        )
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    for instruction in instructions:
        if instruction.cmd == "FROM":
            stages.append(_stage(instruction, len(stages), global_args, stages))
        elif stages:
            instruction.stage = stages[-1]
            stages[-1].instructions.append(instruction)
            stages[-1].env.update(_assignments(instruction))
        elif instruction.cmd == "ARG":
            global_args.update(_assignments(instruction))
    if stages:
        stages[-1].is_final = True
    return DockerfileModel(source, instructions, stages, global_args)


def _stage(
    instruction: Instruction, index: int, global_args: dict[str, str], stages: list[Stage]
) -> Stage:
    args = list(instruction.args)
    name = None
    if len(args) >= 3 and args[-2].lower() == "as":
        name = args[-1]
        args = args[:-2]
    image = substitute(args[0], global_args) if args else ""
    stage = Stage(index, name, image, instruction, [instruction])
    instruction.stage = stage
    for earlier in reversed(stages):
        if earlier.name is not None and earlier.name.lower() == image.lower():
            stage.parent = earlier
            stage.env = dict(earlier.env)
            break
    return stage


def shell_words(command: str) -> list[list[str]]:
    """Split a shell command into simple commands (on ``&&``, ``||``, ``;``, ``|``, newlines),
    each a list of words; continuation backslashes are already removed by the parser."""
    commands: list[list[str]] = []
    for chunk in re.split(r"&&|\|\||;|\||\n", command):
        try:
            words = shlex.split(chunk, comments=True)
        except ValueError:
            words = chunk.split()
        if words:
            commands.append(words)
    return commands
