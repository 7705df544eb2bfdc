"""Each rule is one unit: its code lives only in its module, and the table lists every module.

A code string anywhere else (a check in another file reporting ``"QLS310"``, a schema check that
knows which codes report its issues) is the coupling the units removed; these tests keep it out.
"""

from __future__ import annotations

import ast
import pkgutil
import re
from pathlib import Path

import qwen_ls
from qwen_ls.analysis import rules
from qwen_ls.analysis.rules import RULES, claimed

PACKAGE = Path(qwen_ls.__file__).parent
CODE = re.compile(r"^QLS\d{3}$")


def _declared_codes(tree: ast.AST) -> set[int]:
    """ids of the string nodes that are the code argument of a ``Rule(...)`` call."""
    return {
        id(node.args[0])
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Rule" and node.args
    }


def test_code_strings_appear_only_where_their_rule_is_declared():
    stray = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        declared = _declared_codes(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and CODE.match(node.value) and id(node) not in declared):
                stray.append(f"{path.relative_to(PACKAGE)}:{node.lineno} {node.value}")
    assert stray == []


def test_the_table_lists_every_rule_module():
    modules = [m.name for m in pkgutil.iter_modules(rules.__path__)]
    with_rules = {name for name in modules
                  if "\nRULES = (" in (Path(rules.__path__[0]) / f"{name}.py").read_text()}
    listed = {m.__name__.rsplit(".", 1)[1] for m in rules._MODULES}
    assert with_rules == listed
    assert sum(len(m.RULES) for m in rules._MODULES) == len(RULES) == 54


def test_claimed_schema_issues_go_to_the_rule_that_claims_them(sandbox):
    assert claimed(("modelProviders", "openai"), "type")  # QLS302
    assert claimed(("env", "X"), "type")  # QLS403
    assert claimed(("theme",), "type")  # QLS110
    assert not claimed(("ui", "theme"), "type")
    _, findings = sandbox.analyze('{"modelProviders": {"openai": {}}, "env": {"X": 1}}')
    codes = sorted(f.code for f in findings if f.code.startswith(("QLS1", "QLS30", "QLS40")))
    assert codes == ["QLS302", "QLS403"]
