"""Chinese first, English complete: every message in both languages, no strings in code."""

import ast
import re
import string

from indicators import reference
from indicators.reference import i18n
from tests.conftest import ROOT

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def _fields(text):
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_message_has_both_languages_with_the_same_placeholders():
    for key, texts in i18n.messages().items():
        assert set(texts) == set(i18n.LANGS), key
        assert all(isinstance(texts[lang], str) and texts[lang] for lang in i18n.LANGS), key
        assert _fields(texts["zh"]) == _fields(texts["en"]), key


def test_english_messages_hold_no_chinese_but_quoted_names():
    # the language's own name; notes naming the seed's file number
    allowed = {"lang.zh", "banner.demo", "commitments.owners_note"}
    for key, texts in i18n.messages().items():
        if key not in allowed:
            assert not CJK.search(texts["en"]), key


def test_reference_data_names_in_both_languages():
    for ind in reference.catalogue():
        for field in ("name_zh", "name_en", "scope_zh", "scope_en"):
            assert ind[field], (ind["id"], field)
        assert not CJK.search(ind["name_en"]) and not CJK.search(ind["scope_en"]), ind["id"]
        for b in ind["breakdowns"]:
            assert b["name_zh"] and b["name_en"] and not CJK.search(b["name_en"])
    for s in reference.scopes():
        assert s["name_zh"] and s["name_en"] and not CJK.search(s["name_en"])
        if s.get("note_zh"):
            assert s.get("note_en")


def test_units_and_periods_have_messages():
    for ind in reference.catalogue():
        assert f"unit.{ind['unit']}" in i18n.messages()
    for period in reference.PERIODS:
        assert f"period.{period}" in i18n.messages()


def _string_literals(tree):
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) not in docstrings:
                yield node


def test_no_chinese_string_literals_in_code():
    offenders = []
    for path in [ROOT / "app.py", *ROOT.glob("pages/*.py"), *ROOT.glob("indicators/**/*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in _string_literals(tree):
            if CJK.search(node.value):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:30]}")
    assert offenders == []
