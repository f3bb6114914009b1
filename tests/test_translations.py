"""The translation catalogues: complete for Arabic, French and English, current with the source, Amazigh compiles.

The project catalogue is jamaati/locale; an app with its own locale/ directory keeps its own
catalogue of its strings, and the project catalogue leaves that app out (ADR 0004).
They use GNU gettext (msgfmt, msgcmp), which Django's makemessages and compilemessages need anyway.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "jamaati"
LOCALE = SOURCE / "locale"
COMPLETE_LANGUAGES = ["ar", "fr", "en"]
# Keep in step with the `makemessages` target of the Makefile.
# Test modules are not user-facing: their strings need no translation.
MAKEMESSAGES_OPTIONS = [
    "--add-location=file",
    "--no-obsolete",
    "--ignore",
    "static/vendor/*",
    "--ignore",
    "tests",
]
EXTRACTED_SUFFIXES = {".py", ".html", ".txt"}
# Apps with a catalogue of their own, by directory name under jamaati/.
CATALOGUE_APPS = sorted(path.parent.name for path in SOURCE.glob("*/locale") if path.is_dir())
# "" is the project catalogue.
CATALOGUES = ["", *CATALOGUE_APPS]


def _catalogue(language: str, app: str = "") -> Path:
    locale = SOURCE / app / "locale" if app else LOCALE
    return locale / language / "LC_MESSAGES" / "django.po"


def _gettext_tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"GNU gettext's {name} is needed (apt install gettext)."
    return path


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    # msgfmt translates its own messages: force English so that they can be parsed.
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": ""}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(command, capture_output=True, text=True, env=env, check=False, **kwargs)


def _statistics(stderr: str) -> dict[str, int]:
    counts = {"translated": 0, "fuzzy": 0, "untranslated": 0}
    for number, kind in re.findall(
        r"(\d+) (translated|fuzzy|untranslated) (?:message|translation)", stderr
    ):
        counts[kind] = int(number)
    return counts


def test_statistics_parser_reads_every_count_msgfmt_reports():
    stderr = "12 translated messages, 1 fuzzy translation, 3 untranslated messages.\n"

    assert _statistics(stderr) == {"translated": 12, "fuzzy": 1, "untranslated": 3}


@pytest.mark.parametrize("app", CATALOGUES)
@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_it_has_no_untranslated_or_fuzzy_message(language, app):
    result = _run(
        [
            _gettext_tool("msgfmt"),
            "--check",
            "--statistics",
            "-o",
            os.devnull,
            str(_catalogue(language, app)),
        ]
    )

    assert result.returncode == 0, result.stderr
    counts = _statistics(result.stderr)
    assert counts["translated"] > 0, result.stderr
    assert counts["fuzzy"] == 0, f"{language}: {result.stderr}"
    assert counts["untranslated"] == 0, f"{language}: {result.stderr}"


def _copy_source(destination: Path) -> None:
    def ignore(directory: str, names: list[str]) -> set[str]:
        relative = Path(directory).relative_to(SOURCE)
        ignored = set()
        for name in names:
            path = Path(directory, name)
            if path.is_dir():
                if name in {"locale", "__pycache__"} or (
                    relative == Path("static") and name == "vendor"
                ):
                    ignored.add(name)
            elif path.suffix not in EXTRACTED_SUFFIXES:
                ignored.add(name)
        return ignored

    shutil.copytree(SOURCE, destination, ignore=ignore)


def _msgcmp_errors(stderr: str) -> list[str]:
    """Turn msgcmp's `file:line: problem` errors into `problem: "msgid"` lines a translator can act on."""
    errors = []
    for path, line, problem in re.findall(
        r"^(.+?):(\d+): (?!warning)(.+)$", stderr, flags=re.MULTILINE
    ):
        lines = Path(path).read_text(encoding="utf-8").splitlines()
        # msgcmp points at the msgid of an entry, or at a line after it (its msgstr).
        index = int(line) - 1
        while index > 0 and not lines[index].startswith("msgid "):
            index -= 1
        msgid = [lines[index].removeprefix("msgid ")]
        for continuation in lines[index + 1 :]:
            if not continuation.startswith('"'):
                break
            msgid.append(continuation)
        text = "".join(part[1:-1] for part in msgid)
        errors.append(f"{problem}: {text!r}")
    return errors


def _extract(tree: Path, options: list[str]) -> Path:
    (tree / "locale").mkdir()
    result = _run(
        [
            sys.executable,
            # -P: the source directory must not shadow the standard library (an app's selectors.py).
            "-P",
            "-m",
            "django",
            "makemessages",
            "-l",
            "ar",
            *MAKEMESSAGES_OPTIONS,
            *options,
        ],
        cwd=tree,
    )
    assert result.returncode == 0, result.stderr
    catalogue = tree / "locale" / "ar" / "LC_MESSAGES" / "django.po"
    assert catalogue.read_text(encoding="utf-8").count("msgid ") > 1, (
        f"makemessages extracted nothing in {tree}"
    )
    return catalogue


@pytest.fixture(scope="module")
def extracted_catalogues(tmp_path_factory) -> dict[str, Path]:
    """Extract the messages of the current source tree into fresh Arabic catalogues, as `make makemessages` does."""
    tree = tmp_path_factory.mktemp("source") / "jamaati"
    _copy_source(tree)
    catalogues = {
        "": _extract(
            tree, [option for app in CATALOGUE_APPS for option in ("--ignore", f"{app}/*")]
        )
    }
    for app in CATALOGUE_APPS:
        catalogues[app] = _extract(tree / app, [])
    return catalogues


@pytest.mark.parametrize("app", CATALOGUES)
@pytest.mark.parametrize("language", COMPLETE_LANGUAGES)
def test_every_message_of_the_source_is_translated(language, app, extracted_catalogues):
    # msgcmp reports every msgid of the reference that the catalogue lacks or leaves untranslated or fuzzy.
    result = _run(
        [_gettext_tool("msgcmp"), str(_catalogue(language, app)), str(extracted_catalogues[app])]
    )

    problems = "\n".join(_msgcmp_errors(result.stderr)) or result.stderr
    assert result.returncode == 0, (
        f"The {language} catalogue {_catalogue(language, app)} is not current: "
        f"run `make makemessages` and translate.\n{problems}"
    )


def test_the_currency_check_catches_a_new_untranslated_message(tmp_path):
    # The committed Arabic catalogue stands for the source, so only the added message differs.
    reference = tmp_path / "reference.po"
    reference.write_text(
        _catalogue("ar").read_text(encoding="utf-8")
        + '\nmsgid "A message nobody has translated yet"\nmsgstr ""\n',
        encoding="utf-8",
    )

    result = _run([_gettext_tool("msgcmp"), str(_catalogue("fr")), str(reference)])

    assert result.returncode != 0
    assert _msgcmp_errors(result.stderr) == [
        "this message is used but not defined in "
        f"{_catalogue('fr')}: 'A message nobody has translated yet'"
    ]


def test_the_amazigh_catalogue_exists_and_compiles(tmp_path):
    import gettext

    compiled = tmp_path / "django.mo"

    result = _run(
        [
            _gettext_tool("msgfmt"),
            "--check",
            "--statistics",
            "-o",
            str(compiled),
            str(_catalogue("zgh")),
        ]
    )

    assert result.returncode == 0, result.stderr
    assert _statistics(result.stderr)["translated"] > 0, result.stderr
    with compiled.open("rb") as handle:
        translation = gettext.GNUTranslations(handle)
    assert translation.info()["language"] == "zgh"
    assert translation.gettext("Region") != "Region"
