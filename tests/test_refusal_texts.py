"""Every refusal's message passes the catalogue, so an English page shows it in English.

An AST scan of ``src/govem`` (not the migrations, not ``src/govem/rules``, which cannot import
Django). The message of a ``DomainError(code, message, ...)`` (its second positional argument
or ``message=``; likewise ``error_body(code, message)`` and the input guard's
``Refused(status, code, message)``) must not be a string literal, an f-string or a ``+``
concatenation: text that never meets gettext. Allowed: a gettext call (``_``, ``gettext``,
``ngettext``, ``pgettext``), ``%`` applied to one, and names, attributes and calls passed
through (``refused.message``, ``str(lazy)``). A lazy translation (``gettext_lazy``, or ``_``
where the module imports it under that name) is refused too: the message must be a str when it
is raised (JSON bodies, ``Exception.args``).

Three more holes are closed: a name bound at module level to a plain string (``READ_ONLY =
"..."`` passed as is), a local variable assigned such text in the same function (``message =
f"..."; DomainError(code, message)``), and a helper that forwards one of its parameters as the
message (``_invalid(field, message)``), whose callers must then pass translated text too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1] / "src" / "govem"
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext"}
LAZY = {"gettext_lazy", "ngettext_lazy", "pgettext_lazy", "npgettext_lazy"}

# Command-line-only messages that cannot reach a page, by "path:function". Add an entry only
# with a comment saying which command prints it and why no page can. (backup.py and dbdump.py
# are not here: their refusals are stored in Backup.error / PhaseRun.error and shown on the
# operations page.)
CLI_ONLY = {
    # `govem restore` only (operations/management/commands/restore.py): no view restores.
    "operations/restore.py:_restore",
}


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _message(call: ast.Call, position: int = 1, keyword: str = "message") -> ast.expr | None:
    if len(call.args) > position and not isinstance(call.args[position], ast.Starred):
        return call.args[position]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def _lazy_names(tree: ast.Module) -> set[str]:
    """The names this module binds to django.utils.translation's lazy functions."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation":
            names.update(a.asname or a.name for a in node.names if a.name.endswith("_lazy"))
    return names


def _untranslated(
    node: ast.expr, plain_names: set[str], lazy: frozenset[str] | set[str] = frozenset()
) -> str | None:
    """Why ``node`` never passes the catalogue, or None when it does (or is passed through)."""
    called = node.left if isinstance(node, ast.BinOp) else node
    if isinstance(called, ast.Call) and _name(called.func) in lazy | LAZY:
        return "a lazy translation (use gettext, or str() it)"
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return "a string literal"
    if isinstance(node, ast.JoinedStr):
        return "an f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return "a + concatenation"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        if isinstance(node.left, ast.Call) and _name(node.left.func) in GETTEXT:
            return None
        return "% formatting of text that is not a gettext call"
    if isinstance(node, ast.Call) and _name(node.func) == "format":
        return "str.format of text that is not a gettext call"
    if isinstance(node, ast.Name) and node.id in plain_names:
        return f"the plain module-level string {node.id}"
    return None


def _local_texts(function: ast.AST | None, name: str) -> list[ast.expr]:
    """What ``name`` is assigned in ``function`` (its own body, not nested functions')."""
    if function is None:
        return []
    values = []
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
        ) or (
            isinstance(node, ast.AnnAssign | ast.AugAssign)
            and node.value is not None
            and isinstance(node.target, ast.Name)
            and node.target.id == name
        ):
            values.append(node.value)
    return values


def _plain_names(tree: ast.Module) -> set[str]:
    """Module-level names bound to a plain string literal (not wrapped in gettext_noop)."""
    names = set()
    for statement in tree.body:
        if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
            value = statement.value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                targets = (
                    statement.targets if isinstance(statement, ast.Assign) else [statement.target]
                )
                names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def _functions(tree: ast.Module) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


# What builds a refusal, and the position of its message: the domain error, the JSON error body
# the API and the JSON views answer with, and the input guard's refusal (govem.inputs).
REFUSERS = {"DomainError": 1, "error_body": 1, "Refused": 2}


def _refuser(call: ast.Call) -> str | None:
    name = _name(call.func)
    return name if name in REFUSERS else None


def _forwarders(tree: ast.Module) -> dict[str, tuple[int, str]]:
    """Helpers in this module that pass one of their parameters on as a DomainError message:
    name -> (positional index, parameter name)."""
    found = {}
    for function in _functions(tree):
        params = [a.arg for a in function.args.posonlyargs + function.args.args]
        keyword_only = [a.arg for a in function.args.kwonlyargs]
        for node in ast.walk(function):
            if isinstance(node, ast.Call) and (refuser := _refuser(node)):
                message = _message(node, REFUSERS[refuser])
                if isinstance(message, ast.Name) and message.id in params + keyword_only:
                    index = params.index(message.id) if message.id in params else -1
                    found[function.name] = (index, message.id)
    return found


def _enclosing(tree: ast.Module) -> dict[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef]:
    owner: dict[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef] = {}
    for function in _functions(tree):
        for node in ast.walk(function):
            owner[node] = function  # innermost wins: ast.walk visits outer functions first
    return owner


def untranslated_refusals(root: Path = ROOT, exempt: frozenset[str] = frozenset()) -> list[str]:
    """``path:line: why`` for each refusal whose message never meets gettext, in file order."""
    problems: list[tuple[str, int, str]] = []
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if relative.parts[0] == "rules" or "migrations" in relative.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        plain = _plain_names(tree)
        lazy = _lazy_names(tree)
        forwarders = _forwarders(tree)
        owner = _enclosing(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if refuser := _refuser(node):
                message, what = _message(node, REFUSERS[refuser]), refuser
            elif _name(node.func) in forwarders and isinstance(node.func, ast.Name):
                index, param = forwarders[node.func.id]
                message = _message(node, index, param) if index >= 0 else None
                if message is None:
                    message = next((k.value for k in node.keywords if k.arg == param), None)
                what = f"{node.func.id}() (its {param} becomes a DomainError message)"
            else:
                continue
            if message is None:
                continue
            function = owner.get(node)
            reason = _untranslated(message, plain, lazy)
            if reason is None and isinstance(message, ast.Name):
                for value in _local_texts(function, message.id):
                    local = _untranslated(value, plain, lazy)
                    if local:
                        reason = f"{message.id}, assigned {local} on line {value.lineno}"
                        break
            where = f"{relative.as_posix()}:{function.name if function else ''}"
            if reason and where not in exempt:
                problems.append((relative.as_posix(), node.lineno, f"{what} message is {reason}"))
    return [f"{path}:{line}: {why}" for path, line, why in sorted(problems)]


def test_every_refusal_message_passes_the_catalogue() -> None:
    problems = untranslated_refusals(exempt=frozenset(CLI_ONLY))
    assert not problems, "wrap these in gettext (_):\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ('DomainError("x", "Tanggal tidak valid.")', "a string literal"),
        ('DomainError("x", message=f"Isian {name} wajib diisi.")', "an f-string"),
        ('DomainError("x", "Kolom: " + ", ".join(missing))', "a + concatenation"),
        ('DomainError("x", "%(n)s hari" % {"n": 1})', "% formatting"),
        ('DomainError("x", "{mb} MB".format(mb=5))', "str.format"),
        ('error_body("x", "Permintaan terlalu besar.")', "error_body message is a string literal"),
        ('Refused(413, "x", f"Parameter {name}.")', "Refused message is an f-string"),
        (
            "from django.utils.translation import gettext_lazy as _\n"
            'DomainError("x", _("Tanggal tidak valid."))',
            "a lazy translation",
        ),
        ('DomainError("x", gettext_lazy("Tanggal tidak valid."))', "a lazy translation"),
        ('PLAIN = "Peran Anda hanya dapat melihat data."\nDomainError("x", PLAIN)', "PLAIN"),
        (
            "def bad(field, message):\n    return DomainError('x', message)\n"
            "bad('f', 'Alasan wajib diisi.')",
            "bad()",
        ),
        (
            "def f(event):\n    message = f'Presensi {event} ditutup.'\n"
            "    return DomainError('x', message)",
            "message, assigned an f-string on line 2",
        ),
    ],
)
def test_the_scan_finds_text_that_skips_the_catalogue(
    tmp_path: Path, source: str, reason: str
) -> None:
    (tmp_path / "module.py").write_text(source + "\n", encoding="utf-8")
    [problem] = untranslated_refusals(tmp_path)
    assert problem.startswith("module.py:")
    assert reason in problem


@pytest.mark.parametrize(
    "source",
    [
        'DomainError("x", _("Tanggal tidak valid."))',
        'DomainError("x", message=gettext("Tanggal tidak valid."))',
        'DomainError("x", _("%(n)s hari") % {"n": 1})',
        'DomainError("x", ngettext("%(n)d hari", "%(n)d hari", n) % {"n": n})',
        'DomainError("x", refused.message)',
        'DomainError("x", str(LAZY))',
        'NOOP = gettext_noop("Peran Anda hanya dapat melihat data.")\nDomainError("x", _(NOOP))',
        "def ok(field, message):\n    return DomainError('x', message)\nok('f', _('Alasan.'))",
        "def ok(event):\n    message = _('Presensi %(e)s.') % {'e': event}\n"
        "    return DomainError('x', message)",
    ],
)
def test_the_scan_lets_translated_text_through(tmp_path: Path, source: str) -> None:
    (tmp_path / "module.py").write_text(source + "\n", encoding="utf-8")
    assert untranslated_refusals(tmp_path) == []


def test_the_exemptions_name_functions_that_exist() -> None:
    """A renamed or moved function leaves its exemption behind; say so instead of keeping it."""
    for entry in CLI_ONLY:
        path, function = entry.split(":")
        tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
        assert function in {f.name for f in _functions(tree)}, entry


def test_the_scan_skips_the_pure_rules_and_migrations(tmp_path: Path) -> None:
    for folder in ("rules", "people/migrations"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "module.py").write_text('DomainError("x", "Teks.")\n')
    assert untranslated_refusals(tmp_path) == []
