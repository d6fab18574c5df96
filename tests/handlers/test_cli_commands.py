"""Every `cpd` command is one click group: each has --help, every option is explained, and
the shell can complete them."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest

from handlers.cli import cpd, main


def every_command(
    command: click.Command = cpd, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from every_command(sub, (*path, name))


COMMANDS = list(every_command())


def test_the_commands_a_trust_already_scripts_are_all_there() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {
        "serve",
        "schemas",
        "policy check",
        "directory import",
        "keys create",
        "keys list",
        "keys revoke",
        "notifications",
        "notifications retry",
        "budget set",
        "budget show",
        "compliance",
    } <= names


@pytest.mark.parametrize(
    ("path", "command"), COMMANDS, ids=[" ".join(path) or "cpd" for path, _ in COMMANDS]
)
def test_every_command_answers_help_and_explains_every_option(
    path: tuple[str, ...], command: click.Command, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*path, "--help"]) == 0
    shown = capsys.readouterr().out
    assert shown.startswith(f"Usage: {' '.join(('cpd', *path))}")
    assert command.help, f"{path} has no help text"
    for option in command.params:
        if isinstance(option, click.Option):
            assert option.help, f"cpd {' '.join(path)} {option.opts[0]} has no help"
            assert option.opts[0] in shown


def test_a_usage_mistake_exits_2_naming_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["serve", "--port", "eighty"]) == 2
    assert "'eighty' is not a valid integer" in capsys.readouterr().err
    assert main(["no-such-command"]) == 2


def test_bash_completion_is_a_script_the_shell_can_source(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("_CPD_COMPLETE", "bash_source")
    assert main([]) == 0
    script = capsys.readouterr().out
    assert "complete -o nosort -F _cpd_completion cpd" in script


@pytest.mark.parametrize(
    ("words", "offered"),
    [("cpd ke", ["keys"]), ("cpd keys ", ["create", "list", "revoke"]), ("cpd bu", ["budget"])],
)
def test_completing_a_partial_command_offers_the_commands_it_could_be(
    words: str,
    offered: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("_CPD_COMPLETE", "bash_complete")
    monkeypatch.setenv("COMP_WORDS", words)
    monkeypatch.setenv("COMP_CWORD", str(len(words.split(" ")) - 1))
    assert main([]) == 0
    completions = [line.split(",")[1] for line in capsys.readouterr().out.splitlines()]
    assert completions == offered
