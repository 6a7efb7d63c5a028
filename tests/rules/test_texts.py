"""A rules Text is the Indonesian sentence, and can be said again through a catalogue."""

from __future__ import annotations

import ast
import copy
import json
import pickle
from pathlib import Path

from govem.rules.texts import Text, parse, render

TEMPLATE = "Di luar radius: %(distance)s m dari %(place)s (radius %(radius)s m)."
ENGLISH = {TEMPLATE: "Outside the radius: %(distance)s m from %(place)s (radius %(radius)s m)."}


def far() -> Text:
    return Text(TEMPLATE, distance="230", place="Kantor Diskominfo Tapin", radius="80")


def test_it_is_the_indonesian_sentence_wherever_a_string_is_used() -> None:
    text = far()
    assert text == "Di luar radius: 230 m dari Kantor Diskominfo Tapin (radius 80 m)."
    assert json.dumps({"message": text}) == json.dumps({"message": str(text)})
    assert f"[{text}]" == "[Di luar radius: 230 m dari Kantor Diskominfo Tapin (radius 80 m).]"


def test_it_is_said_again_through_the_catalogue_with_its_values() -> None:
    assert render(far(), lambda template: ENGLISH.get(template, template)) == (
        "Outside the radius: 230 m from Kantor Diskominfo Tapin (radius 80 m)."
    )


def test_it_keeps_a_sentence_without_values_as_written() -> None:
    plain = Text("Hasil klarifikasi tidak dikenal.")
    assert render(plain, lambda template: "Unknown clarification outcome.") == (
        "Unknown clarification outcome."
    )
    assert render("Teks biasa.", lambda template: "never used") == "Teks biasa."


def test_it_falls_back_to_indonesian_when_a_translation_lost_a_placeholder() -> None:
    broken = {TEMPLATE: "Outside the radius: %(metres)s m."}
    assert render(far(), lambda template: broken[template]) == far()


def test_it_survives_pickling_and_copying_with_its_template() -> None:
    own = pickle.dumps(far())
    for again in (pickle.loads(own), copy.deepcopy(far())):  # noqa: S301 - our own bytes
        assert again == far()
        assert again.template == TEMPLATE
        assert again.params == {
            "distance": "230",
            "place": "Kantor Diskominfo Tapin",
            "radius": "80",
        }


def test_every_refusal_the_pure_rules_build_is_a_text() -> None:
    """A sentence written straight into a rules refusal could never be said in English."""
    rules = Path(__file__).resolve().parents[2] / "src" / "govem" / "rules"
    plain = []
    for path in sorted(rules.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if not node.func.id.endswith("Refusal") or len(node.args) < 2:
                continue
            message = node.args[1]
            branches = (
                [message.body, message.orelse] if isinstance(message, ast.IfExp) else [message]
            )
            for branch in branches:
                if isinstance(branch, ast.Constant | ast.JoinedStr | ast.BinOp):
                    plain.append(f"{path.name}:{node.lineno}")
    assert not plain, plain


def test_it_reads_back_a_stored_sentence_it_wrote_and_nothing_else() -> None:
    from govem.rules.clarification import AUTOMATIC_NOTES, CHECKED_OUT, checkout_note

    stored = str(checkout_note("16:05"))
    again = parse(stored, AUTOMATIC_NOTES)
    assert again is not None
    assert (again.template, again.params) == (CHECKED_OUT, {"time": "16:05"})
    assert parse("Sudah ditelepon, katanya sakit.", AUTOMATIC_NOTES) is None
    assert parse(stored + " Sudah ditelepon.", AUTOMATIC_NOTES) is None
