"""Light-weight name resolution: import styles, aliases, client instances (MLF005-MLF007)."""

from __future__ import annotations

import pytest

from mlops_hooks.testing import Lint, project

LATEST = (
    "MlflowClient.get_latest_versions is deprecated since MLflow 2.9 (model stages); "
    "use get_model_version_by_alias"
)
TRANSITION = (
    "MlflowClient.transition_model_version_stage is deprecated since MLflow 2.9 "
    "(model stages); use set_registered_model_alias"
)


@pytest.mark.parametrize(
    ("imports", "client"),
    [
        ("import mlflow", "mlflow.MlflowClient()"),
        ("import mlflow as mf", "mf.MlflowClient()"),
        ("import mlflow.tracking", "mlflow.tracking.MlflowClient()"),
        ("import mlflow.tracking as tracking", "tracking.MlflowClient()"),
        ("from mlflow import tracking", "tracking.MlflowClient()"),
        ("from mlflow import MlflowClient", "MlflowClient()"),
        ("from mlflow.tracking import MlflowClient", "MlflowClient()"),
        ("from mlflow.tracking.client import MlflowClient", "MlflowClient()"),
        ("from mlflow.client import MlflowClient as Client", "Client()"),
        ("def f():\n    from mlflow import MlflowClient", "MlflowClient()"),
    ],
)
def test_import_styles(lint: Lint, imports: str, client: str) -> None:
    source = f'{imports}\n\n{client}.get_latest_versions("bikes")\n'
    found = project(lint(source, "MLF005"))
    column = len(client) + 2
    line = source.count("\n") - 0
    assert found == [("MLF005", (line, column, line, column + 19), LATEST)]


@pytest.mark.parametrize(
    "source",
    [
        # Bound to a name, anywhere in the file.
        "client = MlflowClient()\n\ndef f():\n    return client.{call}\n",
        # Bound to an attribute.
        "class P:\n    def __init__(self):\n        self.client = MlflowClient()\n\n"
        "    def f(self):\n        return self.client.{call}\n",
        # A class-level annotation (a dataclass field).
        "class P:\n    client: MlflowClient\n\n"
        "    def f(self):\n        return self.client.{call}\n",
        # A parameter annotation, also as a string or an optional.
        "def f(client: MlflowClient):\n    return client.{call}\n",
        'def f(client: "MlflowClient"):\n    return client.{call}\n',
        "def f(client: MlflowClient | None = None):\n    return client.{call}\n",
        "def f(client: Optional[MlflowClient] = None):\n    return client.{call}\n",
        # A factory annotated to return a client, called directly or through self.
        "def get_client() -> MlflowClient:\n    ...\n\ndef f():\n    return get_client().{call}\n",
        "class P:\n    def get_client(self) -> MlflowClient:\n        ...\n\n"
        "    def f(self):\n        return self.get_client().{call}\n",
        # A chain of assignments, in any order.
        "def f():\n    c = ctx.client\n    return c.{call}\n\nctx.client = MlflowClient()\n",
        # The unbound method on the class.
        "def f(client):\n    return MlflowClient.{call}\n",
    ],
)
@pytest.mark.parametrize(
    ("call", "message"),
    [
        ('get_latest_versions("bikes")', LATEST),
        ('transition_model_version_stage("bikes", 3, "Production")', TRANSITION),
    ],
)
def test_client_instances_are_tracked(lint: Lint, source: str, call: str, message: str) -> None:
    text = "from mlflow import MlflowClient\n" + source.replace("{call}", call)
    found = project(lint(text, "MLF005"))
    assert [m for _, _, m in found] == [message]
    line = text[: text.index(call)].count("\n") + 1
    column = text.split("\n")[line - 1].index(call) + 1
    method = call.split("(")[0]
    assert [s for _, s, _ in found] == [(line, column, line, column + len(method))]


@pytest.mark.parametrize(
    "source",
    [
        # Not a client: a package registry with a method of the same name.
        'registry.get_latest_versions("pandas")\n',
        'def f(client):\n    return client.get_latest_versions("bikes")\n',
        # A plain function of that name.
        "def get_latest_versions():\n    ...\n\nget_latest_versions()\n",
        # The alias API.
        'from mlflow import MlflowClient\nMlflowClient().get_model_version_by_alias("b", "c")\n',
        # A star import is opaque.
        'from mlflow import *\nMlflowClient().get_latest_versions("bikes")\n',
    ],
)
def test_not_a_client(lint: Lint, source: str) -> None:
    assert lint(source, "MLF005") == []


def test_unresolved_receivers_option(lint: Lint) -> None:
    source = 'def f(client):\n    return client.get_latest_versions("bikes")\n'
    options = {"MLF005": {"flag-unresolved-receivers": True}}
    assert project(lint(source, "MLF005", options=options)) == [("MLF005", (2, 19, 2, 38), LATEST)]


def test_archive_existing_versions_is_the_stage_api_on_any_receiver(lint: Lint) -> None:
    source = (
        "def promote(registry, version):\n"
        '    registry.move_version_to_stage("bikes", version, "Production",\n'
        "                                   archive_existing_versions=True)\n"
    )
    found = project(lint(source, "MLF005"))
    assert found == [
        (
            "MLF005",
            (3, 36, 3, 61),
            "archive_existing_versions= belongs to the stage API, deprecated since MLflow 2.9; "
            "use set_registered_model_alias (an alias names one version)",
        )
    ]


def test_transition_model_version_stage_on_any_receiver(lint: Lint) -> None:
    # Field trial M9: MLflow's name alone; reported at the method, not at the keyword.
    source = (
        "def promote(registry, version):\n"
        '    registry.transition_model_version_stage("bikes", version, "Production",\n'
        "                                            archive_existing_versions=True)\n"
    )
    assert project(lint(source, "MLF005")) == [
        (
            "MLF005",
            (2, 14, 2, 44),
            "MlflowClient.transition_model_version_stage is deprecated since MLflow 2.9 (model"
            " stages); use set_registered_model_alias",
        )
    ]


def test_a_resolved_call_is_reported_once(lint: Lint) -> None:
    source = (
        "import mlflow\n"
        "mlflow.MlflowClient().transition_model_version_stage(\n"
        '    "bikes", 3, "Production", archive_existing_versions=True\n'
        ")\n"
    )
    assert project(lint(source, "MLF005")) == [("MLF005", (2, 23, 2, 53), TRANSITION)]


@pytest.mark.parametrize(
    ("source", "flagged"),
    [
        ("import mlflow\nwith mlflow.start_run():\n    pass\n", True),
        ("import mlflow as mf\nmf.start_run()\n", True),
        ("from mlflow import start_run\nstart_run()\n", True),
        ("from mlflow import start_run as run\nrun()\n", True),
        ("import mlflow\nmlflow.autolog()\nmlflow.start_run()\n", False),
        ("import mlflow\nmlflow.start_run()\nmlflow.sklearn.autolog(log_models=True)\n", False),
        (
            "from mlflow import sklearn\nsklearn.autolog()\nimport mlflow\nmlflow.start_run()\n",
            False,
        ),
        (
            "from mlflow.sklearn import autolog\nautolog()\nimport mlflow\nmlflow.start_run()\n",
            False,
        ),
        # Someone else's start_run.
        ("import wandb\nwandb.start_run()\n", False),
    ],
)
def test_run_without_autolog(lint: Lint, source: str, flagged: bool) -> None:
    found = project(lint(source, "MLF007"))
    assert bool(found) is flagged


def test_run_without_autolog_is_off_by_default(lint: Lint) -> None:
    assert lint("import mlflow\nmlflow.start_run()\n", "MLF") == []


ALIAS_SOURCE = """from mlflow import MlflowClient

client = MlflowClient()
CHAMPION = "champion"
RESERVED = "v2"


def promote(version, alias="challenger"):
    client.set_registered_model_alias("bikes", CHAMPION, version)
    client.set_registered_model_alias("bikes", alias, version)
    client.set_registered_model_alias("bikes", RESERVED, version)
    client.set_registered_model_alias(name="bikes", alias="Latest", version=version)
    client.delete_registered_model_alias("bikes", "old champion")
    client.get_model_version_by_alias("bikes", "prod-" + "v1")
    client.get_model_version_by_alias("bikes", "%s" % "")
"""


def test_alias_arguments(lint: Lint) -> None:
    assert project(lint(ALIAS_SOURCE, "MLF006")) == [
        ("MLF006", (11, 48, 11, 56), 'alias "v2" is reserved: v<number> refers to a model version'),
        (
            "MLF006",
            (12, 60, 12, 66),
            "alias \"Latest\" is reserved: 'latest' (any case) means the newest version",
        ),
        (
            "MLF006",
            (13, 52, 13, 64),
            "alias \"old champion\" may only contain letters, digits, '_' and '-'",
        ),
        ("MLF006", (15, 56, 15, 56), 'alias "" is empty'),
    ]


VERSION_GATE = (
    "import mlflow\n"
    "from mlflow import MlflowClient\n"
    "from packaging.version import Version\n\n\n"
    "def promote(name, v, items):\n"
    "    for item in items:\n"
    "        print(item)\n"
    "    if items:\n"
    "        name = items[0]\n"
    "{gate}"
    "    MlflowClient().transition_model_version_stage(name, v, 'Production')\n"
)


@pytest.mark.parametrize(
    ("gate", "reported"),
    [
        # No version test around the call: compound statements before it are only skipped.
        ("", True),
        ("    old = Version(mlflow.__version__) < Version('2.9.0')\n    if old:\n    ", False),
        ("    if not Version(mlflow.__version__) >= Version('2.9'):\n    ", False),
        (
            "    installed = Version(mlflow.__version__)\n"
            "    stages = installed < Version('2.9.0')\n    if stages:\n    ",
            False,
        ),
        ("    if Version('2.9') > Version(mlflow.__version__):\n    ", False),
        ("    if Version(mlflow.__version__) <= Version('2.8.1'):\n    ", False),
        # An assignment inside a nested block is not the name's only value.
        ("    if items:\n        old = True\n    if old:\n    ", True),
        ("    if Version(mlflow.__version__) <= Version('2.9'):\n    ", True),
        ("    if Version(mlflow.__version__) >= Version('2.9'):\n    ", True),
        ("    if sys.version_info < (3, 9):\n    ", True),
    ],
)
def test_stage_calls_gated_on_mlflow_before_2_9(lint: Lint, gate: str, reported: bool) -> None:
    found = project(lint({"src/app/promote.py": VERSION_GATE.format(gate=gate)}, "MLF005"))
    assert [code for code, _, _ in found] == (["MLF005"] if reported else [])
