"""The contract every import source keeps, the one import run they share, and the helpers they have in common.

A source is one module under `databank/sources/` that defines one `ImportSource` and is named in the registry
(`sources/__init__.py`). A source provides:

- `name` (the command: `tilannekuva import NAME`), `help`, and `source_key` (the data bank's source its runs
  are recorded under);
- `add_arguments(parser)`, the command line's options, and `options(values)`, those options parsed once into
  the source's typed options (a frozen dataclass), whether they come from the command line or a background job;
- `parameters(options)`, what the import run records of them, and `address(options, client)`, where it reads;
- `connect(options)`, the HTTP client a run uses, where it uses one;
- `fetch(context)`, the raw data, kept on the run (`context.keep`); None when the source has not changed;
- `parse(fetched, context)`, the data as checked observation rows, indicators created or updated on the way.

`run` is then the same for every source: one transaction (`services.run_import`), fetch, parse, write the rows,
record the indicators' year spans, and report to the user.
"""

import argparse
import dataclasses
import json
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from django.db.models import Max, Min

from tilannekuva.databank import services
from tilannekuva.databank.models import ImportRun, Indicator, Observation, Source
from tilannekuva.databank.services import Counts, ObservationRow

FIRST_YEAR, LAST_YEAR = 1800, 2200

OptionsT = TypeVar("OptionsT")


class Output(Protocol):
    """Where a run's summary goes: the command's stdout, a background job's log, a StringIO."""

    def write(self, text: str, /) -> object: ...


@dataclass
class Context(Generic[OptionsT]):
    """What a source's fetch and parse work with inside one import run."""

    options: OptionsT
    run: ImportRun
    client: Any = None
    report: list[str] = field(default_factory=list)

    def keep(self, payload: bytes) -> None:
        """Keep the raw data on the run (with its checksum), as the source gave it."""
        services.keep_payload(self.run, payload)

    def say(self, line: str) -> None:
        """A line of the summary the user reads after the run."""
        self.report.append(line)


@dataclass
class Parsed:
    """A source's data as rows to write: `describe` names a row in a fault (a duplicate), `spans` are the
    indicators whose first and last year are read back from the data bank after the write."""

    rows: list[ObservationRow]
    describe: Callable[[ObservationRow], str]
    spans: Iterable[Indicator] = ()


class ImportSource(ABC, Generic[OptionsT]):
    """One outside source behind the `import` command; see the module's documentation for the contract."""

    name: ClassVar[str]
    help: ClassVar[str]
    source_key: ClassVar[str]
    options_type: ClassVar[type[Any]]

    @abstractmethod
    def add_arguments(self, parser: argparse.ArgumentParser) -> None: ...

    def options(self, values: Mapping[str, Any]) -> OptionsT:
        """The typed options from the parsed command line (argparse's names); a missing or None value takes the
        options' default."""
        names = {f.name for f in dataclasses.fields(self.options_type)}
        return self.options_type(**{k: v for k, v in values.items() if k in names and v is not None})  # type: ignore[no-any-return]

    @abstractmethod
    def parameters(self, options: OptionsT) -> dict[str, Any]:
        """What the import run records of the options (JSON)."""

    @abstractmethod
    def address(self, options: OptionsT, client: Any) -> str:
        """Where the run reads its data: a URL, or the file's URI."""

    def connect(self, options: OptionsT) -> AbstractContextManager[Any]:
        """The client the run uses (an outside API's), open for the whole run; none by default."""
        return nullcontext()

    @abstractmethod
    def fetch(self, context: Context[OptionsT]) -> Any:
        """The raw data, kept on the run; None when the source has not changed since the last import."""

    @abstractmethod
    def parse(self, fetched: Any, context: Context[OptionsT]) -> Parsed:
        """The fetched data as checked rows; ImportDataError names the row and field of every fault."""

    def run(self, options: OptionsT | Mapping[str, Any], stdout: Output) -> ImportRun:
        """One recorded import run: all of it is written in one transaction, or nothing is."""
        typed: OptionsT = self.options(options) if isinstance(options, Mapping) else options
        report: list[str] = []
        with self.connect(typed) as client:

            def work(import_run: ImportRun) -> Counts | None:
                context = Context(options=typed, run=import_run, client=client, report=report)
                fetched = self.fetch(context)
                if fetched is None:
                    return None
                parsed = self.parse(fetched, context)
                rows = services.check_unique(parsed.rows, describe=parsed.describe)
                counts = services.write_observations(rows, run=import_run)
                for indicator in parsed.spans:
                    record_year_span(indicator)
                return counts

            import_run = services.run_import(
                source_key=self.source_key,
                url=self.address(typed, client),
                parameters=self.parameters(typed),
                work=work,
            )
        for line in report:
            stdout.write(line)
        return import_run


# --- helpers the sources share ------------------------------------------------------------------------------


def year_span(text: str) -> list[int]:
    """`2010-2024`, `2010,2012` or `2024`: the years, sorted, for a command-line option."""
    years: set[int] = set()
    for part in text.split(","):
        start, dash, end = part.strip().partition("-")
        try:
            first, last = int(start), int(end if dash else start)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a year or a span such as 2010-2024")
        if not FIRST_YEAR <= first <= last <= LAST_YEAR:
            raise argparse.ArgumentTypeError(f"'{part.strip()}' is not a span of years from earlier to later")
        years.update(range(first, last + 1))
    return sorted(years)


def comma_list(text: str) -> list[str]:
    """The parts of a comma-separated option, without blanks."""
    return [part.strip() for part in text.split(",") if part.strip()]


def describe_value(value: Any) -> str:
    """A value of an answer as a fault names it: "a list ([1, 2])", "missing (null)"."""
    if value is None:
        return "missing (null)"
    names = {dict: "an object", list: "a list", str: "text", bool: "true/false", int: "a number", float: "a number"}
    shown = json.dumps(value, ensure_ascii=False)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f"{names.get(type(value), type(value).__name__)} ({shown})"


def save_indicator(source: Source, external_id: str, wanted: dict[str, Any]) -> Indicator:
    """Create the indicator, or update the fields of `wanted` that changed; saved only when something did."""
    indicator = Indicator.objects.filter(source=source, external_id=external_id).first()
    if indicator is None:
        return Indicator.objects.create(source=source, external_id=external_id, **wanted)
    changed = [name for name, value in wanted.items() if getattr(indicator, name) != value]
    if changed:
        for name in changed:
            setattr(indicator, name, wanted[name])
        indicator.save(update_fields=changed)
    return indicator


def record_year_span(indicator: Indicator) -> None:
    """The first and last year of the indicator's values in the data bank, saved where they changed."""
    span = Observation.objects.filter(indicator=indicator).aggregate(first=Min("year"), last=Max("year"))
    if (indicator.first_year, indicator.last_year) != (span["first"], span["last"]):
        indicator.first_year, indicator.last_year = span["first"], span["last"]
        indicator.save(update_fields=["first_year", "last_year"])
