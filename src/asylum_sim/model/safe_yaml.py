"""Read one YAML input file safely, or say exactly why not.

Every input file (scenario, machine definition) goes through :func:`parse_yaml`:

- it must be a regular file ("is a directory", "is not a regular file (a character
  device)" for ``/dev/null``, ...);
- it must be UTF-8 (the message gives the byte offset and the line of the first bad byte);
- a mapping key given twice is a problem (PyYAML would keep the last one silently);
- aliases may not blow a small file up (a "billion laughs" bomb would make validation and
  error messages hang), nor may an alias contain itself, nor may nesting go deeper than
  :data:`MAX_DEPTH` (deep recursion would crash the checks that walk the data); both are
  found before anything is built from the document.

Only safe construction (``yaml.SafeLoader`` or libyaml's ``CSafeLoader``), and dates stay
text so that pydantic validates them with a message that names their place.
"""

from __future__ import annotations

import stat
from itertools import chain
from pathlib import Path
from typing import Any

import yaml

from asylum_sim.model.errors import InputError, Problem

MAX_ALIAS_NODES = 10_000
"""How many values aliases may add to a file beyond its number of characters (the shipped
machine files add about 1,000; a bomb of 8 levels of 9 aliases adds 50 million)."""

MAX_DEPTH = 100
"""How deeply collections may nest (the shipped files nest at most 17 levels)."""

# libyaml's parser when the wheel has it (several times faster on the machine files).
_BaseSafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseSafeLoader):  # type: ignore[misc, valid-type]
    """A safe loader that leaves dates as text and records mapping keys given twice."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self.duplicates: list[tuple[str, int, int]] = []
        """(key, line of the repeat, line of the first), lines from 1."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [(k.tag, k.value) for k, _ in node.value if isinstance(k, yaml.ScalarNode)]
        if len(set(keys)) < len(keys):
            self._note_duplicates(node)
        return super().construct_mapping(node, deep=deep)

    def _note_duplicates(self, node: yaml.MappingNode) -> None:
        first: dict[tuple[str, str], int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            key = (key_node.tag, key_node.value)
            line = key_node.start_mark.line + 1
            if key in first:
                self.duplicates.append((key_node.value, line, first[key]))
            else:
                first[key] = line


_Loader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: loader.construct_mapping(node),
)
_Loader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def input_file_problem(path: Path, what: str) -> str | None:
    """Why ``path`` cannot be read as a ``what`` ("scenario file"), or None."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return f"no such {what}"
    except OSError as exc:
        return f"cannot read: {exc.strerror}"
    if stat.S_ISDIR(mode):
        return f"is a directory, not a {what}"
    if not stat.S_ISREG(mode):
        return f"is not a regular file ({_file_type(mode)}); give a {what}"
    return None


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "a special file"


def read_text(path: Path, what: str = "YAML file") -> str:
    """The text of a regular UTF-8 file, or an :class:`InputError` saying why not."""
    problem = input_file_problem(path, what)
    if problem is not None:
        raise InputError([Problem(str(path), "", problem)])
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(str(path), "", f"cannot read: {exc.strerror}")]) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        message = (
            f"is not UTF-8 text: byte 0x{raw[exc.start]:02x} at offset {exc.start} cannot be "
            "decoded; save the file as UTF-8"
        )
        raise InputError([Problem(str(path), f"line {line}", message)]) from None


def parse_yaml(path: Path, what: str = "YAML file") -> tuple[Any, list[Problem]]:
    """The data of one YAML file and its duplicate keys (as problems; the last value is
    kept, as PyYAML does). Anything else that is wrong raises :class:`InputError`."""
    text = read_text(path, what)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, []
        _check_size(path, node, len(text))
        data = loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(exc, "problem", None) or str(exc)
        raise InputError([Problem(str(path), where, f"not valid YAML: {reason}")]) from None
    except RecursionError:
        raise InputError(
            [Problem(str(path), "", f"nested too deeply (more than {MAX_DEPTH} levels)")]
        ) from None
    finally:
        loader.dispose()
    problems = [
        Problem(str(path), f"line {line}", f"key {key!r} is given twice (first on line {first})")
        for key, line, first in loader.duplicates
    ]
    return data, problems


def read_yaml(path: Path, what: str = "YAML file") -> Any:
    """The data of one YAML file; every problem, a duplicate key too, raises
    :class:`InputError`."""
    data, problems = parse_yaml(path, what)
    if problems:
        raise InputError(problems)
    return data


def _check_size(path: Path, root: yaml.Node, text_length: int) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` and aliases that expand a document to
    more nodes than it has characters plus :data:`MAX_ALIAS_NODES` (an alias inside
    itself expands without end). Level by level over the expanded document, stopping as
    soon as it is too large: the cost stays proportional to the file's size."""
    limit = text_length + MAX_ALIAS_NODES
    level = [root]
    count = 1
    depth = 1
    while level:
        if depth > MAX_DEPTH:
            _refuse(path, level[0], f"nested too deeply (more than {MAX_DEPTH} levels)")
        below: list[yaml.Node] = []
        for node in level:
            kind = type(node)
            if kind is yaml.SequenceNode:
                count += len(node.value)
                below.extend(node.value)
            elif kind is yaml.MappingNode:
                count += 2 * len(node.value)
                below.extend(chain.from_iterable(node.value))
            if count > limit:
                _refuse(
                    path,
                    node,
                    f"its aliases (*name) expand to more than {limit:,} values (an alias "
                    "refers to a collection that contains it, or aliases of aliases multiply "
                    "a small file); write the values out",
                )
        level = below
        depth += 1


def _refuse(path: Path, node: yaml.Node, message: str) -> None:
    mark = node.start_mark
    raise InputError([Problem(str(path), f"line {mark.line + 1}", message)])
