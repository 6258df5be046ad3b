"""Proves clients/guides.py fails when a guide breaks: each case is a small README with one fault, run
through guides.run_guide, which must refuse it with the error that names the fault (and a sound README
must pass). Run by guides.sh before the guides themselves; exits 1 on the first case that behaves
otherwise. Usage: python guides_test.py SPEC_JSON"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from guides import GuideError, run_guide

OK_TOKEN_URL = "https://accounts.zoho.eu/oauth/v2/token"
SOUND = f"""Token URL {OK_TOKEN_URL}.

```python file=hello.py
print("hello 4150868000001148213")
```

```sh run
python3 hello.py
```

```text output
hello 4150868000001148213
```

```sh not-run: shown only
rm -rf /
```
"""

# name: (README text, a fragment the error must contain; None = must pass)
CASES: dict[str, tuple[str, str | None]] = {
    "a sound guide": (SOUND, None),
    "a block without annotation": (SOUND + "\n```python\nprint(1)\n```\n", "block without file=PATH"),
    "not-run without a reason": (SOUND + "\n```sh not-run:\nx\n```\n", "not-run: needs a reason"),
    "output that differs": (SOUND.replace("hello 4150868000001148213\n```\n\n```sh not", "hello 4150868000001148200\n```\n\n```sh not"), "the run above printed"),
    "a run that fails": (SOUND.replace("python3 hello.py", "python3 hello.py && false"), "exited 1"),
    "output with no run before it": ("```sh run\ntrue\n```\n\n```text file=a.txt\nx\n```\n\n```text output\nx\n```\n", "must follow a run block"),
    "a file outside the work folder": ("```sh file=../escape.sh\ntrue\n```\n\n```sh run\ntrue\n```\n", "must stay inside the work folder"),
    "a token URL the spec does not list": (SOUND.replace(OK_TOKEN_URL, "https://accounts.zoho.xx/oauth/v2/token"), "x-zoho-data-centers"),
    "no run block": ("```python file=a.py\npass\n```\n", "no run block"),
    "an unclosed block": (SOUND + "\n```sh run\ntrue\n", "never closed"),
}


def main(spec_json: Path) -> int:
    failures = 0
    for name, (text, expected) in CASES.items():
        with tempfile.TemporaryDirectory() as tmp:
            readme, work = Path(tmp) / "README.md", Path(tmp) / "work"
            work.mkdir()
            readme.write_text(text, encoding="utf-8")
            try:
                run_guide(readme, work, spec_json, "http://127.0.0.1:9")
                got = None
            except GuideError as e:
                got = str(e)
        ok = got is None if expected is None else got is not None and expected in got
        failures += not ok
        print(f"{'ok  ' if ok else 'FAIL'} guides.py: {name}" + ("" if ok else f": expected {expected!r}, got {got!r}"), file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
