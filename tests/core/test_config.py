"""Settings parsing, selectors, globs and typed options."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.config import (
    ConfigError,
    expand_selector,
    glob_match,
    load_settings,
    parse_table,
)
from mlops_hooks.registry import Registry
from mlops_hooks.rule import OptionError, build_options
from tests.core.fakekind import BadWord, BadWordOptions


def test_defaults_when_no_config(tmp_path: Path) -> None:
    settings = load_settings(None, tmp_path)
    assert settings.select is None
    assert settings.config_path is None


def test_full_table(tmp_path: Path) -> None:
    settings = parse_table(
        {
            "select": "DKR",
            "extend-select": ["MLF007"],
            "ignore": [" DKR005 "],
            "exclude": ["vendor/**"],
            "force-exclude": True,
            "per-file-ignores": {"tests/**": ["DKR"]},
            "max-file-size": 1000,
            "rules": {"bad-word": {"word": "x"}},
            "kinds": {"fake": {"suffix": ".x"}},
        }
    )
    assert settings.select == ["DKR"]
    assert settings.ignore == ["DKR005"]
    assert settings.force_exclude is True
    assert settings.per_file_ignores == {"tests/**": ["DKR"]}
    assert settings.rule_options == {"bad-word": {"word": "x"}}
    assert settings.kind_options == {"fake": {"suffix": ".x"}}


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ([], "must be a table"),
        ({"per-file-ignores": []}, "per-file-ignores must be a table"),
        ({"max-file-size": 0}, "max-file-size must be a positive integer"),
        ({"max-file-size": True}, "max-file-size must be a positive integer"),
        ({"rules": {"x": 1}}, "rules must be a table"),
        ({"kinds": []}, "kinds must be a table"),
        ({"force-exclude": "yes"}, "force-exclude must be true or false"),
    ],
)
def test_invalid_tables(table: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_table(table)


def test_selectors(registry: Registry) -> None:
    assert expand_selector(registry, "bad-word", "select") == ({"FAK001"}, True)
    assert expand_selector(registry, "FAK", "select")[0] == {"FAK000", "FAK001", "FAK002", "FAK003"}
    assert expand_selector(registry, "FAK00", "select")[1] is False
    with pytest.raises(ConfigError, match="unknown rule 'FAK9'"):
        expand_selector(registry, "FAK9", "select")
    with pytest.raises(ConfigError, match="unknown rule 'bogus'"):
        expand_selector(registry, "bogus", "select")


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("examples/bad", "examples/bad/Dockerfile", True),
        ("examples/bad", "examples/badder/Dockerfile", False),
        ("**/*.yml", "a/b/c.yml", True),
        ("*.yml", "a/b/c.yml", True),
        ("confs/**/*.y*ml", "confs/a/b.yaml", True),
        ("confs/**/*.y*ml", "confs/b.yml", True),
        ("x/*.py", "x/y/z.py", False),
        ("x/?.py", "x/a.py", True),
        ("./docs/**", "docs/a/b.md", True),
        ("legacy/**", "legacy/old.fake", True),
    ],
)
def test_glob_match(pattern: str, path: str, expected: bool) -> None:
    assert glob_match(pattern, path) is expected


def test_typed_options() -> None:
    built = build_options(
        BadWord,
        {
            "word": "x",
            "limit": 3,
            "enabled-lines": [1, 2],
            "mapping": {"a": "b"},
            "ratio": 1,
            "strict": True,
        },
    )
    assert built == BadWordOptions("x", 3, [1, 2], {"a": "b"}, 1.0, True)
    assert build_options(BadWord, {"enabled_lines": []}).enabled_lines == []
    assert build_options(BadWord, {"ratio": None}).ratio is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"limit": True}, "expected int, got True"),
        ({"limit": "3"}, "expected int"),
        ({"word": 3}, "expected str"),
        ({"strict": 1}, "expected bool"),
        ({"enabled-lines": "1"}, r"expected list\[int\]"),
        ({"mapping": [1]}, r"expected dict\[str, str\]"),
        ({"ratio": "x"}, r"expected float \| NoneType"),
        (
            {"nope": 1},
            "unknown option 'nope' for rule FAK001 \\(bad-word\\); valid options: "
            "enabled-lines, limit, mapping, ratio, strict, word",
        ),
    ],
)
def test_option_errors(values: dict[str, object], message: str) -> None:
    with pytest.raises(OptionError, match=message):
        build_options(BadWord, values)


def test_options_records() -> None:
    from mlops_hooks.rule import NoOptions, option, option_specs, options

    @options
    class Opts:
        names: list[str] = option(default=["a"], doc="the names")
        limit: int = option(default=3, doc="the limit")

    first, second = Opts(), Opts(limit=4)
    assert first.names == ["a"]
    assert first.names is not Opts().names  # mutable defaults are copied
    assert (first.limit, second.limit) == (3, 4)
    assert first == Opts()
    assert first != second
    assert first != "other"
    assert repr(second) == "test_options_records.<locals>.Opts(names=['a'], limit=4)"
    with pytest.raises(AttributeError, match="read-only"):
        first.limit = 5  # type: ignore[misc]
    with pytest.raises(TypeError, match="unexpected options"):
        Opts(nope=1)  # type: ignore[call-arg]
    assert [(s.key, s.type_name, s.default, s.doc) for s in option_specs(Opts)] == [
        ("names", "list[str]", ["a"], "the names"),
        ("limit", "int", 3, "the limit"),
    ]
    assert option_specs(NoOptions) == []
    with pytest.raises(TypeError, match="must be declared with option"):

        @options
        class Broken:
            plain: int = 3

    with pytest.raises(TypeError, match="neither an @options class nor a dataclass"):
        option_specs(int)


def test_options_records_run_post_init() -> None:
    from mlops_hooks.rule import option, options

    @options
    class Checked:
        limit: int = option(default=1, doc="a positive limit")

        def __post_init__(self) -> None:
            if self.limit < 1:
                raise ValueError("limit must be positive")

    assert Checked(limit=2).limit == 2
    with pytest.raises(ValueError, match="limit must be positive"):
        Checked(limit=0)
