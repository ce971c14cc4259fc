"""Reading, validating and writing strategy YAML files (format 1, documented by strategy.schema.json)."""

import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from tilannekuva.regions.models import AreaKind, OrganisationKind

SCHEMA_PATH = Path(__file__).with_name("strategy.schema.json")
FORMAT = 1

# Partners of these kinds are named in a file by the code of the area they stand for.
AREA_KIND_OF = {
    OrganisationKind.MUNICIPALITY.value: AreaKind.MUNICIPALITY.value,
    OrganisationKind.WELLBEING_SERVICES_COUNTY.value: AreaKind.WELLBEING_SERVICES_COUNTY.value,
}


class StrategyFileError(Exception):
    """A strategy file is unreadable or invalid. `errors` lists each fault as 'path: message'."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class _Loader(yaml.SafeLoader):
    """Safe loader that keeps dates as text, as the schema expects (YYYY-MM-DD strings)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # Codes such as '097' are quoted so that no YAML reader takes them for numbers.
    style = "|" if "\n" in value else ("'" if value.isdigit() else None)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def parse(text: str, *, name: str = "file") -> Any:
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"{name}, line {mark.line + 1}, column {mark.column + 1}" if mark else name
        raise StrategyFileError([f"{where}: not valid YAML: {exc.problem}"]) from exc
    except yaml.YAMLError as exc:
        raise StrategyFileError([f"{name}: not valid YAML: {exc}"]) from exc
    except RecursionError as exc:  # "[[[[..." thousands deep: PyYAML reads nesting by recursion
        raise StrategyFileError(
            [f"{name}: nested too deeply to be read (lists or mappings thousands of levels deep)"]
        ) from exc


def read(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StrategyFileError([f"{path}: cannot be read: {exc}"]) from exc
    return parse(text, name=str(path))


def dump(data: dict[str, Any]) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096, default_flow_style=False)


@cache
def schema() -> dict[str, Any]:
    result: dict[str, Any] = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return result


def format_path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _describe(error: jsonschema.ValidationError) -> tuple[list[Any], str]:
    path = list(error.absolute_path)
    validator: Any = error.validator
    expected: Any = error.validator_value
    properties: dict[str, Any] = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
    if validator == "enum":
        return path, "expected one of " + ", ".join(str(v) for v in expected) + f"; got {error.instance!r}"
    if validator == "const":
        return path, f"expected {expected!r}; got {error.instance!r}"
    if validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return path + [missing], "required field is missing"
    if validator == "additionalProperties":
        allowed = ", ".join(properties)
        instance: Any = error.instance
        extra = sorted(set(instance) - set(properties))
        return path + [extra[0]] if extra else path, f"unknown field; allowed fields are {allowed}"
    if validator == "type":
        return path, f"expected {expected}; got {type(error.instance).__name__} {error.instance!r}"
    if validator == "pattern":
        return path, f"{error.instance!r} does not match the required form {expected}"
    return path, error.message


def schema_errors(data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    return [f"{format_path(path)}: {message}" for path, message in map(_describe, errors)]
