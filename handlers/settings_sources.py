"""Where `Settings.from_env` finds its values, and how a refused one is told: one line
naming the setting by its environment variable, never echoing a secret."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from annotated_types import Ge, Gt, Le
from pydantic import SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import DotEnvSettingsSource, EnvSettingsSource

if TYPE_CHECKING:
    from pydantic_settings import BaseSettings

Origin = Literal["flag", "environment", ".env", "default"]

# Values that may carry a password or are one: never repeated in an error or shown whole.
SECRET_FIELDS = frozenset({"broker_url", "smtp_url", "api_key"})


class _Variables(EnvSettingsSource):
    """The environment source, reading a given mapping instead of os.environ."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(settings_cls)

    def _load_env_vars(self) -> Mapping[str, str | None]:
        # Names are matched as pydantic-settings does by default: whatever their case.
        return {name.lower(): value for name, value in self._environ.items()}


def environment_values(
    settings_cls: type[BaseSettings], environ: Mapping[str, str], env_file: Path | None
) -> tuple[dict[str, Any], dict[str, Origin]]:
    """Each field given by the environment or the file, the environment winning, and
    which of the two gave it."""
    fields = settings_cls.model_fields
    from_file = DotEnvSettingsSource(settings_cls, env_file=env_file)() if env_file else {}
    from_environment = _Variables(settings_cls, environ)()
    values: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    sources: tuple[tuple[dict[str, Any], Origin], ...] = (
        (from_file, ".env"),
        (from_environment, "environment"),
    )
    for source, origin in sources:
        for name, value in source.items():
            if name in fields:  # other CPD_ names (a test's, a NATS server's) are not ours
                values[name], origins[name] = value, origin
    return values, origins


def env_name(field: str) -> str:
    return f"CPD_{field.upper()}"


def one_line(settings_cls: type[BaseSettings], error: ValidationError) -> str:
    """Every problem, `CPD_NAME: what it must be, got 'value'`, on one line."""
    problems = []
    for problem in error.errors():
        if not problem["loc"]:  # a check across fields names its variables itself
            problems.append(str(problem["ctx"]["error"]) if "ctx" in problem else problem["msg"])
            continue
        field = str(problem["loc"][0])
        said = _what_it_must_be(settings_cls.model_fields[field], problem)
        if field not in SECRET_FIELDS:
            said += f", got {str(problem['input'])!r}"
        problems.append(f"{env_name(field)}: {said}")
    return "; ".join(problems)


def _what_it_must_be(field: FieldInfo, problem: Mapping[str, Any]) -> str:
    if problem["type"] == "value_error":
        return str(problem["ctx"]["error"])
    if field.annotation in (int, float):
        return f"must be {_number(field)}"
    if field.annotation in (SecretStr, SecretStr | None):
        return "must be text"
    message = str(problem["msg"])
    return message[:1].lower() + message[1:]


def _number(field: FieldInfo) -> str:
    kind = "a whole number" if field.annotation is int else "a number"
    least = next((m.ge for m in field.metadata if isinstance(m, Ge)), None)
    above = next((m.gt for m in field.metadata if isinstance(m, Gt)), None)
    most = next((m.le for m in field.metadata if isinstance(m, Le)), None)
    if least is not None and most is not None:
        return f"{kind} from {least} to {most}"
    if least is not None:
        return f"{kind} of at least {least}"
    if above is not None:
        return f"{kind} above {above}"
    return kind
