"""URIs as values: every string form, constants and scopes, with exact spans; and what is not
flagged (runs:/, model ids, aliases, run-time values, docstrings, comments, placeholders)."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

VERSION_MESSAGE = (
    "models:/bikes/3 loads a fixed model version (3); "
    "load by alias instead, e.g. models:/bikes@champion"
)


@pytest.mark.parametrize(
    ("source", "span"),
    [
        # A plain literal: the version's own characters.
        ('uri = "models:/bikes/3"\n', (1, 22, 1, 23)),
        ("uri = r'models:/bikes/3'\n", (1, 23, 1, 24)),
        ('uri = """models:/bikes/3"""\n', (1, 24, 1, 25)),
        # Escapes before the version shift the source columns, not the value's.
        ('uri = "models:/b\\x69kes/3"\n', (1, 25, 1, 26)),
        # Implicit concatenation, split anywhere, across lines and parentheses.
        ('uri = "models:/bikes/" "3"\n', (1, 25, 1, 26)),
        ('uri = ("models:/"\n       "bikes/3")\n', (2, 15, 2, 16)),
        # `+` with literals, names and constants.
        ('uri = "models:/" + "bikes" + "/3"\n', (1, 32, 1, 33)),
        ('PREFIX = "models:/"\nuri = PREFIX + "bikes/3"\n', (2, 23, 2, 24)),
        ('VERSION = 3\nuri = "models:/bikes/" + str(VERSION)\n', (2, 26, 2, 38)),
        # f-strings: literal parts, placeholders with constants, conversions and specs.
        ('uri = f"models:/bikes/3"\n', (1, 23, 1, 24)),
        ('NAME = "bikes"\nuri = f"models:/{NAME}/3"\n', (2, 24, 2, 25)),
        ('VERSION = 3\nuri = f"models:/bikes/{VERSION}"\n', (2, 23, 2, 32)),
        ('VERSION = 3\nuri = f"models:/bikes/{VERSION!s}"\n', (2, 23, 2, 34)),
        ('VERSION = 3\nuri = f"models:/bikes/{VERSION:d}"\n', (2, 23, 2, 34)),
        ("uri = f\"models:/bikes/{'3'}\"\n", (1, 25, 1, 26)),
        ('VERSION: int = 3\nuri = rf"models:/bikes/{VERSION}"\n', (2, 24, 2, 33)),
        # %-formatting with literal arguments.
        ('uri = "models:/%s/%d" % ("bikes", 3)\n', (1, 35, 1, 36)),
        ('uri = "models:/bikes/%s" % "3"\n', (1, 29, 1, 30)),
        ('VERSION = 3\nuri = "models:/%s/%s" % ("bikes", VERSION)\n', (2, 35, 2, 42)),
        # str.format with literal arguments, positional, numbered and named.
        ('uri = "models:/{}/{}".format("bikes", 3)\n', (1, 39, 1, 40)),
        ('uri = "models:/{0}/{1}".format("bikes", "3")\n', (1, 42, 1, 43)),
        ('uri = "models:/{name}/{v}".format(name="bikes", v=3)\n', (1, 51, 1, 52)),
        # Module-level constants, whatever the order of definition.
        ('def load():\n    return f"models:/bikes/{VERSION}"\n\nVERSION = 3\n', (2, 28, 2, 37)),
        # A constant URI is reported once, where it is written.
        ('URI = "models:/bikes/3"\nload(URI)\nother = f"{URI}"\n', (1, 22, 1, 23)),
        # Inside collections and calls.
        ('CONFIG = {"serving": {"uri": "models:/bikes/3"}}\n', (1, 45, 1, 46)),
    ],
)
def test_string_forms_are_values(lint: Lint, source: str, span: tuple[int, int, int, int]) -> None:
    found = project(lint(source, "MLF001"))
    assert [s for _, s, _ in found] == [span]
    assert found[0][2] == VERSION_MESSAGE


def test_dynamic_parts_are_shown_as_their_code(lint: Lint) -> None:
    source = 'uri = "models:/%s/%d" % (name, 3)\nother = f"models:/{cfg.name!r}/" + "3"\n'
    assert project(lint(source, "MLF001"), "message") == [
        "models:/{name}/3 loads a fixed model version (3); "
        "load by alias instead, e.g. models:/{name}@champion",
        "models:/{cfg.name!r}/3 loads a fixed model version (3); "
        "load by alias instead, e.g. models:/{cfg.name!r}@champion",
    ]


@pytest.mark.parametrize(
    "source",
    [
        # Run-time values: parameters, env, config, calls.
        'def load(version):\n    return f"models:/bikes/{version}"\n',
        "uri = f\"models:/bikes/{os.environ['VERSION']}\"\n",
        'uri = "models:/bikes/" + os.getenv("VERSION", "3")\n',
        'uri = "models:/bikes/%s" % cfg.version\n',
        'uri = "models:/{}/{}".format(*parts)\n',
        # A parameter or a local variable shadows a module-level constant.
        'VERSION = 3\ndef load(VERSION):\n    return f"models:/bikes/{VERSION}"\n',
        'VERSION = 3\ndef load():\n    VERSION = pick()\n    return f"models:/bikes/{VERSION}"\n',
        'VERSION = 3\nuris = [f"models:/bikes/{VERSION}" for VERSION in versions]\n',
        # A name assigned twice, or conditionally, is not a constant.
        'VERSION = 3\nVERSION = pick()\nuri = f"models:/bikes/{VERSION}"\n',
        'if prod:\n    VERSION = 3\nuri = f"models:/bikes/{VERSION}"\n',
        "VERSION = 3\ndef bump():\n    global VERSION\n    VERSION += 1\n"
        'uri = f"models:/bikes/{VERSION}"\n',
        # Not registry version URIs.
        'uri = "runs:/0a1b2c3d/model"\n',
        'uri = "models:/m-0123456789abcdef0123456789abcdef"\n',
        'uri = "models:/bikes@champion"\n',
        'uri = "models:/bikes/3/extra"\n',
        'uri = "mymodels:/bikes/3"\n',
        'uri = b"models:/bikes/3"\n',
        # Docstrings, comments and placeholders that only describe the syntax.
        '"""Load models:/<name>/<version> or models:/bikes/3."""\n',
        'def load():\n    """Loads models:/bikes/3, see models:/<name>@<alias>."""\n',
        "# models:/bikes/3 was served until May\nuri = 'models:/bikes@champion'\n",
        'HELP = "a URI like models:/<name>/<version>"\n',
        'TEMPLATE = "models:/{name}/{version}"\n',
        'TEMPLATE = "models:/bikes/${MODEL_VERSION}"\n',
    ],
)
def test_not_flagged(lint: Lint, source: str) -> None:
    assert lint(source, "MLF001") == []


REGISTRY_HELPERS = '''"""Registry helpers: build model URIs for the serving and promotion jobs."""

import typing as T

import mlflow


def uri_for_model_alias(name: str, alias: str) -> str:
    """Return the URI of a registered model by alias: models:/<name>@<alias>."""
    return f"models:/{name}@{alias}"


def uri_for_model_version(name: str, version: int) -> str:
    """Return the URI of a registered model by version: models:/<name>/<version>."""
    return f"models:/{name}/{version}"


def uri_for_model_alias_or_version(name: str, alias_or_version: str | int) -> str:
    if isinstance(alias_or_version, int):
        return uri_for_model_version(name=name, version=alias_or_version)
    return uri_for_model_alias(name=name, alias=alias_or_version)


class Loader:
    def __init__(self, client: mlflow.MlflowClient) -> None:
        self.client = client

    def load(self, uri: str) -> T.Any:
        return mlflow.pyfunc.load_model(model_uri=uri)
'''


def test_registry_helper_module_is_clean_by_default(lint: Lint) -> None:
    assert lint(REGISTRY_HELPERS, "MLF", path="src/bikes/io/registries.py") == []


def test_flag_dynamic_versions_reports_the_generic_loader(lint: Lint) -> None:
    found = project(
        lint(
            REGISTRY_HELPERS,
            "MLF001",
            path="src/bikes/io/registries.py",
            options={"MLF001": {"flag-dynamic-versions": True}},
        )
    )
    assert found == [
        (
            "MLF001",
            (15, 29, 15, 38),
            "models:/{name}/{version} loads a version or stage chosen at run time; "
            "load by alias instead, e.g. models:/{name}@champion",
        )
    ]


def test_suggested_alias_option(lint: Lint) -> None:
    found = project(
        lint(
            'uri = "models:/bikes/latest"\n',
            "MLF002",
            options={"MLF002": {"suggested-alias": "prod"}},
        )
    )
    assert found[0][2].endswith("load by alias instead, e.g. models:/bikes@prod")


def test_each_uri_of_a_value_is_checked(lint: Lint) -> None:
    source = 'CMD = "mlflow models serve -m models:/bikes/3 && diff models:/bikes/Production x"\n'
    assert project(lint(source, "MLF")) == [
        ("MLF001", (1, 45, 1, 46), VERSION_MESSAGE),
        (
            "MLF003",
            (1, 69, 1, 79),
            "models:/bikes/Production loads by stage, deprecated since MLflow 2.9; "
            "load by alias instead: models:/bikes@production",
        ),
    ]


@pytest.mark.parametrize(
    ("uri", "code"),
    [
        ("models:/bikes/3", "MLF001"),
        ("models:/bikes/LATEST", "MLF002"),
        ("models:/bikes/production", "MLF003"),
        ("models:/bikes/ARCHIVED", "MLF003"),
        ("models:/bikes/None", "MLF003"),
        ("models:/bikes/champion", "MLF004"),
        ("models:/bikes@v12", "MLF006"),
        ("models:/catalog.schema.bikes/7", "MLF001"),
        ("models:/bikes@champion", None),
        ("models:/bikes@Latest-Stable", None),
    ],
)
def test_uri_forms(lint: Lint, uri: str, code: str | None) -> None:
    found = project(lint(f'uri = "{uri}"\n', "MLF"))
    assert [c for c, _, _ in found] == ([code] if code else [])
