"""Indonesian sentences that a Django layer can say again in the reader's language.

``rules/`` never imports Django, so it cannot translate. A refusal's message built here is a
:class:`Text`: the Indonesian sentence itself — a ``str``, so it is stored, logged and
compared as before — that also remembers its catalogue template and the values put into it.
``govem.errors`` renders a Text through the catalogue in the active language; anything that
only wants the Indonesian sentence just uses it as a string.

Templates are marked with :func:`gettext_noop` (Django's name, so ``makemessages`` finds
them) and use named placeholders (``%(distance)s``), with every value already formatted as
the sentence shows it (``"230"``, ``"07:30"``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks ``message`` for the catalogue (Django's name, so makemessages finds it)."""
    return message


class Text(str):
    """The Indonesian sentence ``template % params``, remembering both."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Text:
        text = super().__new__(cls, template % params if params else template)
        text.template = template
        text.params = params
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Text:
    return Text(template, **params)


def render(text: str, translate: Any) -> str:
    """``text`` with its template translated by ``translate`` (a gettext); a plain str as it
    is. The translation is used only if it has the template's placeholders — a catalogue
    entry that lost one falls back to the Indonesian sentence rather than failing."""
    if not isinstance(text, Text):
        return str(text)
    translated = translate(text.template)
    if not text.params:
        return str(translated)
    try:
        return str(translated % text.params)
    except (KeyError, TypeError, ValueError):
        return str(text)


@cache
def _pattern(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """The regular expression that reads ``template``'s values back, and the names of its
    whole-number (``%(name)d``) values."""
    parts = re.split(r"%\((\w+)\)([sd])", template)
    regex, numbers = "", []
    for index in range(0, len(parts), 3):
        regex += re.escape(parts[index])
        if index + 2 < len(parts):
            name, kind = parts[index + 1], parts[index + 2]
            if kind == "d":
                numbers.append(name)
            regex += f"(?P<{name}>-?\\d+)" if kind == "d" else f"(?P<{name}>.+?)"
    return re.compile(regex, re.DOTALL), tuple(numbers)


def parse(text: str, templates: Iterable[str]) -> Text | None:
    """The :class:`Text` a stored sentence was written from, when it is one of ``templates``
    (a sentence Govem wrote itself and stored as plain text, like a case's closing note);
    ``None`` for anything else (what a person typed)."""
    for template in templates:
        pattern, numbers = _pattern(template)
        found = pattern.fullmatch(text)
        if found is not None:
            values: dict[str, Any] = dict(found.groupdict())
            for name in numbers:
                values[name] = int(values[name])
            return Text(template, **values)
    return None
