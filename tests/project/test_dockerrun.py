"""Images a Makefile or justfile builds only to run with the working tree mounted: tooling."""

from __future__ import annotations

from pathlib import Path

import pytest

from mlops_hooks.project.dockerrun import runner_tooling_dockerfiles
from tests.project.conftest import project_of

BUILD = "img:\n\tdocker build -f tool/Dockerfile -t tool tool\n"
RUN = "\tdocker run --rm -v $(CURDIR)/tool/src:/app/src tool\n"


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"Makefile": BUILD + RUN}, {"tool/Dockerfile"}),
        # buildx, `--tag=`, the context's own Dockerfile, a long --mount of the working tree.
        (
            {
                "justfile": "img:\n    docker buildx build --tag=tool tool && echo ok\n"
                "run:\n    docker run --mount type=bind,source={{justfile_directory()}},"
                "target=/w -e X=1 --name=t tool check\n"
            },
            {"tool/Dockerfile"},
        ),
        # The whole working tree as `.`, with a shell quote left open (plain words).
        ({"Makefile": BUILD + "\tdocker run -v .:/w tool 'unclosed\n"}, {"tool/Dockerfile"}),
        # Run once without the working tree, or never run: not tooling.
        ({"Makefile": BUILD + RUN + "\tdocker run -p 80:80 tool serve\n"}, set()),
        ({"Makefile": BUILD}, set()),
        # A named volume, or a path outside the tree, is not the working tree.
        ({"Makefile": BUILD + "\tdocker run -v cache:/c -v /tmp:/t tool\n"}, set()),
        # Pushed: the image ships.
        ({"Makefile": BUILD + RUN + "\tdocker push tool\n"}, set()),
        ({"Makefile": BUILD.replace("build", "build --push") + RUN}, set()),
        # No tag, a Dockerfile from a variable or outside the root, a comment: nothing known.
        ({"Makefile": "img:\n\tdocker build tool\n" + RUN}, set()),
        ({"Makefile": "img:\n\tdocker build -f $(DF) -t tool .\n" + RUN}, set()),
        ({"Makefile": "img:\n\tdocker build -t tool ..\n" + RUN}, set()),
        ({"Makefile": "# docker build -t tool tool\n" + RUN}, set()),
        ({}, set()),
    ],
)
def test_runner_tooling_dockerfiles(
    tmp_path: Path, files: dict[str, str], expected: set[str]
) -> None:
    assert runner_tooling_dockerfiles(project_of(tmp_path, files)) == expected


def test_the_repository_top_level_runner_builds_a_member_image(tmp_path: Path) -> None:
    # The member is its own project; the Makefile at the git top level names its Dockerfile
    # from there. A Makefile above the work tree is never read.
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "Makefile").write_text(
        "img:\n\tdocker build -f libs/tool/Dockerfile -t tool libs/tool\n"
        "\tdocker run -v $(CURDIR)/libs/tool/src:/app/src tool\n"
    )
    (tmp_path / "Makefile").write_text(
        "img:\n\tdocker build -f repo/libs/tool/other.Dockerfile -t other .\n"
        "\tdocker run -v $(CURDIR):/w other\n"
    )
    member = project_of(tmp_path / "repo" / "libs" / "tool", {})
    assert runner_tooling_dockerfiles(member) == {"Dockerfile"}
