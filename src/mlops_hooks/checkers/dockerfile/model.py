"""The Dockerfile model: instructions and stages from BuildKit's own parser, with exact spans.

The ``dockerfile`` package (BuildKit's Go parser) gives each instruction's command, flags,
arguments, heredocs and 1-based start/end lines. Columns are recovered from the source text:
each instruction's first logical line is rebuilt from its physical lines (continuations and
the comment lines inside them removed, honouring the ``# escape=`` directive) as a
:class:`~mlops_hooks.shell.Stream` that remembers every character's source
offset; ``RUN`` commands and heredoc scripts are split into words with positions from there.
``ARG`` defaults declared before the first ``FROM`` are substituted into image references.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from mlops_hooks.checkers import ParseError
from mlops_hooks.checkers.dockerfile.shell import (
    SHELLS,
    ShellCommand,
    exec_form_command,
    foreign_shebang,
    json_words,
    split_commands,
)
from mlops_hooks.diagnostics import Position, Span
from mlops_hooks.lazyre import lazy
from mlops_hooks.shell import Stream, Word, compact
from mlops_hooks.source import SourceFile

_VAR = lazy(r"\$\{(\w+)(?::?[-+]([^}]*))?\}|\$(\w+)")
_ASSIGN = ("ENV", "ARG")
#: The instructions ``docker build`` knows.
INSTRUCTIONS = frozenset(
    {
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK",
        "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME",
        "WORKDIR",
    }
)  # fmt: skip
_HEREDOC = lazy(r"<<-?[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")
_NON_ASCII_FLAG = lazy(r"(?m)^[ \t]*[A-Za-z]+[ \t]+(?:--\S*[ \t]+)*--[^\s=]*[^\x00-\x7f]")
_LINE_IN_ERROR = lazy(r"line (\d+)")
_DIRECTIVE = lazy(r"^#[ \t]*([A-Za-z][A-Za-z0-9]*)[ \t]*=[ \t]*(\S+?)[ \t]*$")
_TOKEN = lazy(r"\S+")


class Instruction:
    """One instruction (``RUN``, ``COPY`` ...) with its parsed parts and source span.

    Plain classes here, not dataclasses: a hook process starts on every commit, and defining
    dataclasses costs more than parsing a Dockerfile (see ``mlops_hooks/diagnostics.py``).
    """

    def __init__(
        self,
        cmd: str,
        flags: tuple[str, ...],
        args: tuple[str, ...],
        original: str,
        start_line: int,
        end_line: int,
        json: bool,
        heredocs: tuple[str, ...],
        span: Span,
        source: SourceFile,
        stage: Stage | None = None,
        escape: str = "\\",
        heredoc_names: tuple[str, ...] = (),
    ) -> None:
        self.cmd = cmd
        self.flags = flags
        self.args = args
        self.original = original
        self.start_line = start_line
        self.end_line = end_line
        self.json = json
        self.heredocs = heredocs
        self.span = span
        self.source = source
        self.stage = stage
        #: The escape character of the file (``\\``, or a backtick after ``# escape=```).
        self.escape = escape
        #: The heredoc delimiters, in the order of ``heredocs``.
        self.heredoc_names = heredoc_names
        #: Results that rules share, computed once per instruction (see ``installs.installs``).
        self.memo: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"Instruction({self.cmd} at line {self.start_line})"

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
        """The shell text a ``RUN`` executes: the command line plus its heredoc scripts.

        A heredoc is a script only when a shell reads it (``RUN <<EOF``, ``RUN bash <<EOF``);
        the heredoc of ``RUN python3 <<EOF`` or ``RUN cat <<EOF > file`` is data.
        """
        parts = [" ".join(self.args)] if self.json else list(self.args)
        scripts = [text for text, is_script in self._heredoc_roles() if is_script]
        return "\n".join([*parts, *scripts])

    def sources(self) -> tuple[str, ...]:
        """``COPY``/``ADD`` sources (every argument but the destination)."""
        return self.args[:-1] if len(self.args) > 1 else ()

    def find(self, needle: str) -> Span:
        """The span of ``needle`` inside this instruction, or the instruction's span."""
        return self.source.find(needle, self.start_line, self.end_line) or self.span

    # -- positions recovered from the source text ----------------------------------------

    @property
    def logical_line(self) -> Stream:
        """The instruction's first logical line, as BuildKit joins it, with source offsets."""
        return self._logical[0]

    @cached_property
    def _logical(self) -> tuple[Stream, int]:
        """The first logical line and the number of the physical line after it."""
        pieces: list[tuple[str, int]] = []
        continuation = re.compile(re.escape(self.escape) + r"[ \t]*$")
        line = self.start_line
        while line <= self.end_line:
            text = self.source.line(line)
            start = self.source.offset(Position(line, 1))
            line += 1
            if pieces and (not text.strip() or text.lstrip().startswith("#")):
                continue  # BuildKit drops empty and comment lines inside a continuation
            match = continuation.search(text)
            if match is None:
                pieces.append((text, start))
                break
            pieces.append((text[: match.start()], start))
        return Stream.build(pieces), line

    @cached_property
    def _split(self) -> tuple[list[Word], int]:
        """Whitespace-separated tokens of the logical line, and where the arguments begin."""
        stream = self.logical_line
        tokens: list[Word] = []
        args_at = len(stream.text)
        skip = 1 + len(self.flags)
        for match in _TOKEN.finditer(stream.text):
            if len(tokens) == skip:
                args_at = match.start()
            offsets = compact(stream.offsets[match.start() : match.end()])
            tokens.append(Word(match.group(), offsets, offsets[0], offsets[-1] + 1))
        return tokens, args_at

    @property
    def tokens(self) -> list[Word]:
        """The logical line split on whitespace: keyword, flags, arguments (no unquoting)."""
        return self._split[0]

    def first_argument_span(self) -> Span:
        """The span of the first argument (the image of a ``FROM``), or of the instruction when
        the source's lines differ from BuildKit's (a lone CR is no line break to BuildKit)."""
        tokens = self.argument_tokens()
        return self.word_span(tokens[0]) if tokens else self.span

    def argument_tokens(self) -> list[Word]:
        """The tokens after the keyword and the flags."""
        return self.tokens[1 + len(self.flags) :]

    def word_span(self, first: Word, last: Word | None = None) -> Span:
        """The source span from ``first`` to ``last`` (inclusive), quotes included."""
        return self.source.span(first.start, (last or first).end)

    def part_span(self, word: Word, start: int, end: int | None = None) -> Span:
        """The span of characters ``start:end`` of ``word``'s value."""
        end = len(word.text) if end is None else end
        if not 0 <= start < end <= len(word.offsets):
            return self.word_span(word)
        return self.source.span(word.offsets[start], word.offsets[end - 1] + 1)

    @cached_property
    def commands(self) -> list[ShellCommand]:
        """The simple commands a ``RUN`` executes (heredoc scripts and ``sh -c`` included)."""
        if self.cmd != "RUN":
            return []
        stream = self.logical_line
        at = self._split[1]
        rest = stream.after(at)
        if self.json:
            return exec_form_command(json_words(rest))
        commands = split_commands(rest)
        for body, is_script in self._heredoc_bodies():
            if is_script:
                commands.extend(split_commands(body))
        return commands

    def _heredoc_roles(self) -> list[tuple[str, bool]]:
        """Each heredoc's content and whether a shell runs it as a script."""
        if not self.heredocs or self.cmd != "RUN" or self.json:
            return [(text, False) for text in self.heredocs]
        stream = self.logical_line
        at = self._split[1]
        readers: list[bool] = []
        for command in split_commands(stream.after(at)):
            shell = not command.words or (
                command.name in SHELLS and all(w.text.startswith("-") for w in command.words[1:])
            )
            readers.extend(shell for _ in command.heredocs)
        if len(readers) != len(self.heredocs):
            readers = [self.args[0].lstrip().startswith("<<")] * len(self.heredocs)
        return [
            (text, is_script and not foreign_shebang(text))
            for text, is_script in zip(self.heredocs, readers, strict=True)
        ]

    def _heredoc_bodies(self) -> list[tuple[Stream, bool]]:
        """Each heredoc's body as a stream with source offsets, and whether it is a script."""
        line = self._logical[1]
        bodies: list[tuple[Stream, bool]] = []
        for name, (_text, is_script) in zip(self.heredoc_names, self._heredoc_roles(), strict=True):
            pieces: list[tuple[str, int]] = []
            while line <= self.end_line:
                text = self.source.line(line)
                start = self.source.offset(Position(line, 1))
                line += 1
                if text.lstrip("\t") == name:
                    break
                pieces.append((text + "\n", start))
            bodies.append((Stream.build(pieces), is_script))
        return bodies


class Stage:
    """A build stage: from one ``FROM`` to the next."""

    def __init__(
        self,
        index: int,
        name: str | None,
        image: str,
        from_instruction: Instruction,
        instructions: list[Instruction] | None = None,
        parent: Stage | None = None,
        is_final: bool = False,
        env: dict[str, str] | None = None,
        global_args: dict[str, str] | None = None,
    ) -> None:
        self.index = index
        self.name = name
        self.image = image
        self.from_instruction = from_instruction
        self.instructions: list[Instruction] = instructions if instructions is not None else []
        self.parent = parent
        self.is_final = is_final
        #: ``ENV`` values at the end of the stage, inherited ones included (what a child sees).
        self.env: dict[str, str] = env if env is not None else {}
        #: ``ARG`` defaults declared before the first ``FROM``.
        self.global_args: dict[str, str] = global_args if global_args is not None else {}

    def __repr__(self) -> str:
        return f"Stage({self.index}, {self.name!r}, {self.image!r})"

    @property
    def base_image(self) -> str:
        """The external image this stage ultimately builds on (following stage parents)."""
        return self.root.image

    @property
    def root(self) -> Stage:
        """The first stage of this stage's ``FROM`` chain (the one on an external image)."""
        stage: Stage = self
        while stage.parent is not None:
            stage = stage.parent
        return stage

    @property
    def lineage(self) -> list[Stage]:
        """This stage's ``FROM`` chain, root first, this stage last."""
        chain = [self]
        while chain[0].parent is not None:
            chain.insert(0, chain[0].parent)
        return chain

    def env_at(self, instruction: Instruction) -> dict[str, str]:
        """``ENV`` (inherited from parents) and this stage's ``ARG`` values at ``instruction``.

        ``ARG NAME`` without a value takes the global default of the same name, as in Docker;
        an ``ARG`` with neither has no value and is left out.
        """
        env = dict(self.parent.env) if self.parent is not None else {}
        positions, assigning = self._env_steps
        stop = positions.get(id(instruction), len(self.instructions))
        for index, item in assigning:
            if index >= stop:
                break
            env.update(_assignments(item, env, self.global_args))
        return env

    @cached_property
    def _env_steps(self) -> tuple[dict[int, int], list[tuple[int, Instruction]]]:
        """Each instruction's index, and the ``ENV``/``ARG`` ones: ``env_at`` stays linear in
        the number of assignments, not of instructions (a 5 MB file has 100k ``RUN``s)."""
        positions = {id(item): index for index, item in enumerate(self.instructions)}
        assigning = [(i, item) for i, item in enumerate(self.instructions) if item.cmd in _ASSIGN]
        return positions, assigning


class DockerfileModel:
    """A parsed Dockerfile."""

    def __init__(
        self,
        source: SourceFile,
        instructions: list[Instruction],
        stages: list[Stage],
        global_args: dict[str, str],
        escape: str = "\\",
    ) -> None:
        self.source = source
        self.instructions = instructions
        self.stages = stages
        self.global_args = global_args
        self.escape = escape

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


#: The most characters one substitution may add: a chain of self-doubling ``ARG``s would
#: otherwise grow exponentially (500 bytes of them took 20 s and 1.3 GB). A reference past the
#: budget stays unexpanded, so every substitution is linear in its text.
MAX_EXPANSION = 4096


def substitute(text: str, variables: dict[str, str]) -> str:
    """Expand ``$VAR``, ``${VAR}``, ``${VAR:-default}`` with known values (others kept, and
    so are references past :data:`MAX_EXPANSION` added characters)."""
    budget = [MAX_EXPANSION]

    def repl(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(3)
        if name in variables and variables[name] != "":
            value = variables[name]
        elif match.group(2) is not None and "-" in match.group(0):
            value = match.group(2)
        else:
            return match.group(0)
        if len(value) > budget[0]:
            return match.group(0)
        budget[0] -= len(value)
        return value

    return _VAR.sub(repl, text)


def _assignments(
    instruction: Instruction, env: dict[str, str], global_args: dict[str, str]
) -> dict[str, str]:
    values: dict[str, str] = {}
    scope = dict(env)
    if instruction.cmd == "ENV":
        args = instruction.args
        for i in range(0, len(args) - 1, 2):
            values[args[i]] = scope[args[i]] = substitute(_unquote(args[i + 1]), scope)
    elif instruction.cmd == "ARG":
        for arg in instruction.args:
            key, sep, value = arg.partition("=")
            if sep:
                values[key] = scope[key] = substitute(_unquote(value), scope)
            elif key in global_args:
                values[key] = scope[key] = global_args[key]
    return values


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def directives(source: SourceFile) -> dict[str, str]:
    """Parser directives (``# syntax=``, ``# escape=``) from the top of the file."""
    found: dict[str, str] = {}
    for number in range(1, source.line_count + 1):
        match = _DIRECTIVE.match(source.line(number))
        if match is None:
            break
        found.setdefault(match.group(1).lower(), match.group(2))
    return found


def _repair(flag: str) -> str:
    """Undo the binding's mis-decoding of flags (UTF-8 bytes read as Latin-1: ``josÃ©``)."""
    if flag.isascii():
        return flag
    try:
        return flag.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return flag


#: An instruction continued over more bytes than this is not given to BuildKit, whose parse
#: time grows with the square of an instruction's length (about 0.7 s at 256 KiB, minutes for
#: a 10 MiB one); no real Dockerfile comes near it.
MAX_INSTRUCTION_BYTES = 256 * 1024


def _bound_continuations(source: SourceFile) -> None:
    """Raise a :class:`ParseError` at the first line of a run of continued lines (each ending
    with the escape character) longer than :data:`MAX_INSTRUCTION_BYTES`."""
    text = source.text
    if len(text) <= MAX_INSTRUCTION_BYTES:
        return
    escape = directives(source).get("escape", "\\")
    escape = escape if escape in ("\\", "`") else "\\"
    start, size = 0, 0
    for number, line in enumerate(text.split("\n"), 1):
        if size == 0:
            start = number
        size += len(line) + 1
        # One physical line that long is BuildKit's own error, found at once (over 64 KiB).
        if size > MAX_INSTRUCTION_BYTES and number > start:
            raise ParseError(
                f"an instruction of more than {MAX_INSTRUCTION_BYTES // 1024} KiB (its "
                "continued lines included) is too long to check",
                start,
            )
        if not line.rstrip().endswith(escape):
            size = 0


def parse(source: SourceFile) -> DockerfileModel:
    """Parse ``source`` with BuildKit's parser into a :class:`DockerfileModel`."""
    import dockerfile

    from mlops_hooks.checkers.dockerfile.heredocs import parse_commands

    _bound_continuations(source)
    try:
        commands: Any = parse_commands(source.text)
    except dockerfile.GoParseError as exc:
        message = str(exc)
        match = _LINE_IN_ERROR.search(message)
        line = int(match.group(1)) if match else 1
        if message == "unterminated heredoc":
            line = _unterminated_heredoc_line(source) or line
        raise ParseError(f"Dockerfile parse error: {message}", line) from None
    except UnicodeDecodeError:
        # The binding decodes some non-ASCII flag text byte by byte and fails (found by
        # fuzzing); docker build rejects such a flag anyway ("unknown flag").
        match = _NON_ASCII_FLAG.search(source.text)
        line = source.position(match.start()).line if match else 1
        raise ParseError(
            "Dockerfile parse error: an instruction flag holds non-ASCII text, "
            "which BuildKit rejects",
            line,
        ) from None
    escape = directives(source).get("escape", "\\")
    escape = escape if escape in ("\\", "`") else "\\"
    instructions: list[Instruction] = []
    for command in commands:
        instructions.append(
            Instruction(
                cmd=command.cmd.upper(),
                flags=tuple(_repair(flag) for flag in command.flags),
                args=tuple(command.value),
                original=command.original,
                start_line=command.start_line,
                end_line=command.end_line,
                json=command.json,
                heredocs=tuple(h.content for h in command.heredocs),
                span=source.line_span(command.start_line, command.end_line),
                source=source,
                escape=escape,
                heredoc_names=tuple(h.name for h in command.heredocs),
            )
        )
    _validate(instructions)
    global_args: dict[str, str] = {}
    stages: list[Stage] = []
    named: dict[str, Stage] = {}  # the last stage of each name (lower case)
    scope: dict[str, str] = {}
    for instruction in instructions:
        if instruction.cmd == "FROM":
            stages.append(_stage(instruction, len(stages), global_args, named))
            if stages[-1].name is not None:
                named[stages[-1].name.lower()] = stages[-1]
            scope = dict(stages[-1].env)
        elif stages:
            stage = stages[-1]
            instruction.stage = stage
            stage.instructions.append(instruction)
            if instruction.cmd in _ASSIGN:
                # `ENV A=$ARG` expands the stage's ARGs too; a child inherits only the ENV.
                values = _assignments(instruction, scope, global_args)
                scope.update(values)
                if instruction.cmd == "ENV":
                    stage.env.update(values)
        elif instruction.cmd == "ARG":
            global_args.update(_assignments(instruction, global_args, {}))
    if stages:
        stages[-1].is_final = True
    return DockerfileModel(source, instructions, stages, global_args, escape)


def _unterminated_heredoc_line(source: SourceFile) -> int | None:
    """The line of the last heredoc opener whose delimiter never comes (the parser only says
    "unterminated heredoc")."""
    lines = [source.line(n) for n in range(1, source.line_count + 1)]
    last = {text.lstrip("\t"): number for number, text in enumerate(lines, start=1)}
    found = None
    for number, text in enumerate(lines, start=1):
        if "<<" in text and any(last.get(n, 0) <= number for n in _HEREDOC.findall(text)):
            found = number
    return found


def _validate(instructions: list[Instruction]) -> None:
    """The checks of BuildKit's instruction parser that the stage model relies on, with its
    messages: ``docker build`` rejects these files before building anything."""
    seen_from = False
    for instruction in instructions:
        cmd, args = instruction.cmd, instruction.args
        if cmd not in INSTRUCTIONS:
            # e.g. the body of a heredoc BuildKit did not recognise (`RUN cat<<EOF|sh`).
            word = (instruction.original.split(None, 1) or [cmd])[0]
            message = f"unknown instruction: {word}"
            raise ParseError(f"Dockerfile parse error: {message}", instruction.start_line)
        if cmd == "FROM":
            seen_from = True
            if len(args) not in (1, 3) or (len(args) == 3 and args[1].lower() != "as"):
                message = "FROM requires either one or three arguments"
                raise ParseError(f"Dockerfile parse error: {message}", instruction.start_line)
        elif not seen_from and cmd != "ARG":
            message = "no build stage in current context"
            raise ParseError(f"Dockerfile parse error: {message}", instruction.start_line)
        elif cmd in ("COPY", "ADD") and len(args) < 2 and not instruction.heredocs:
            message = f"{cmd} requires at least two arguments"
            raise ParseError(f"Dockerfile parse error: {message}", instruction.start_line)


def _stage(
    instruction: Instruction, index: int, global_args: dict[str, str], named: dict[str, Stage]
) -> Stage:
    args = list(instruction.args)
    name = None
    if len(args) >= 3 and args[-2].lower() == "as":
        name = args[-1]
        args = args[:-2]
    image = substitute(args[0], global_args) if args else ""
    stage = Stage(index, name, image, instruction, [instruction], global_args=global_args)
    instruction.stage = stage
    # A dict, not a scan of the earlier stages: a file of many stages stays linear.
    earlier = named.get(image.lower())
    if earlier is not None:
        stage.parent = earlier
        stage.env = dict(earlier.env)
    return stage
