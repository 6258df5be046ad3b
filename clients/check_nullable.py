"""Every `nullable: true` property of the spec's component schemas must stay nullable in the generated
Python (a type that admits None) and Go (a pointer or nullable.Nullable) clients; Java's model fields are
reference types, always nullable. Run by generate.sh with the venv's Python (PyYAML).

Usage: check_nullable.py SPEC PYTHON_MODELS_DIR GO_FILE   (exit 1 when one was lost)
"""

from __future__ import annotations

import re
import sys

import yaml


def main(spec_path: str, py_models: str, go_file: str) -> int:
    with open(spec_path, encoding="utf-8") as f:
        spec = yaml.safe_load(f)
    with open(go_file, encoding="utf-8") as f:
        go = f.read()
    checked, lost = 0, []
    for name, schema in spec["components"]["schemas"].items():
        for prop, sub in (schema.get("properties") or {}).items():
            if not (isinstance(sub, dict) and sub.get("nullable") is True):
                continue
            checked += 1
            snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
            with open(f"{py_models}/{snake}.py", encoding="utf-8") as f:
                py = f.read()
            if not re.search(rf"^    {re.escape(prop)}: .*\bNone\b", py, re.MULTILINE):
                lost.append(f"python {name}.{prop}")
            struct = re.search(rf"^type {re.escape(name)} struct {{\n(.*?)^}}", go, re.MULTILINE | re.DOTALL)
            field = "".join(part[:1].upper() + part[1:] for part in prop.split("_"))
            if not struct or not re.search(rf"^\s+{field}\s+(\*|nullable\.Nullable\[)", struct.group(1), re.MULTILINE):
                lost.append(f"go {name}.{prop}")
    for item in lost:
        print(f"[clients] nullable in the spec, not in the generated code: {item}", file=sys.stderr)
    print(f"[clients] nullable properties in the spec: {checked}, lost by a generator: {len(lost)}", file=sys.stderr)
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
