"""Runs a language guide (clients/{python,go,java}/README.md) as printed: every fenced code block of the
README is either written to a file, run, compared with what the run before it printed, or marked as
not run with a reason. The README is the only copy of the code, so what CI runs cannot drift from
what a reader copies.

A block says what it is in its info string, after the language (renderers show only the language):

    ```python file=app.py            the block is written to app.py in the work folder
    ```sh run                         the block runs in bash (set -euo pipefail) in the work folder
    ```sh run sandbox=K:V,K:V         the same, after PATCH /__sandbox/config {"K": V, ...}
    ```text output                    exactly what the preceding run printed on stdout
    ```sh not-run: REASON             shown only; REASON is required

Blocks run in the order printed, with the environment guides.sh passes (the sandbox's token URL and
demo OAuth client as ZOHO_*). A block without one of these annotations fails the run, naming its line,
and so does a token URL in the README that is not one of the spec's `x-zoho-data-centers`.

Usage: python guides.py README.md WORKDIR SPEC_JSON SANDBOX_ORIGIN
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from pathlib import Path

FENCE = re.compile(r"^```(\S*)(.*)$")
TOKEN_URL = re.compile(r"https://accounts\.zoho[a-z.]*/oauth/v2/token")
RUN_TIMEOUT_S = 600  # a generator or build under a loaded CI machine; anything slower is a hang


@dataclass
class Block:
    line: int  # 1-based line of the opening fence
    lang: str
    info: str
    text: str


class GuideError(Exception):
    pass


def blocks_of(readme: Path) -> list[Block]:
    out: list[Block] = []
    lines = readme.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        start, body = i, []
        i += 1
        while i < len(lines) and lines[i] != "```":
            body.append(lines[i])
            i += 1
        if i == len(lines):
            raise GuideError(f"{readme}:{start + 1}: code block never closed")
        out.append(Block(start + 1, m.group(1), m.group(2).strip(), "\n".join(body) + "\n"))
        i += 1
    return out


def check_token_urls(readme: Path, spec_json: Path) -> None:
    spec = json.loads(spec_json.read_text(encoding="utf-8"))
    known = {dc["token-url"] for dc in spec["x-zoho-data-centers"]}
    for n, line in enumerate(readme.read_text(encoding="utf-8").splitlines(), 1):
        for url in TOKEN_URL.findall(line):
            if url not in known:
                raise GuideError(f"{readme}:{n}: {url} is not a token URL of the spec's x-zoho-data-centers ({', '.join(sorted(known))})")


def patch_sandbox(origin: str, spec: str, where: str) -> None:
    patch = {}
    for pair in spec.split(","):
        key, sep, value = pair.partition(":")
        if not sep:
            raise GuideError(f"{where}: sandbox= expects KEY:VALUE pairs, got {pair!r}")
        patch[key] = json.loads(value)
    req = urllib.request.Request(
        f"{origin}/__sandbox/config", method="PATCH", data=json.dumps(patch).encode(), headers={"content-type": "application/json"}
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        if r.status != 200:
            raise GuideError(f"{where}: PATCH /__sandbox/config {patch} answered {r.status}")


def plan(readme: Path, blocks: list[Block], work: Path) -> list[tuple[Block, str, str]]:
    """What each block is (not-run, file, run or output) with its argument; any misuse fails here,
    before anything runs."""
    steps: list[tuple[Block, str, str]] = []
    for b in blocks:
        where = f"{readme}:{b.line}"
        words = b.info.split()
        if b.info.startswith("not-run:"):
            reason = b.info[len("not-run:"):].strip()
            if not reason:
                raise GuideError(f"{where}: not-run: needs a reason")
            steps.append((b, "not-run", reason))
        elif words and words[0].startswith("file="):
            path = (work / words[0][len("file="):]).resolve()
            if work.resolve() not in path.parents:
                raise GuideError(f"{where}: file= must stay inside the work folder")
            steps.append((b, "file", str(path)))
        elif words and words[0] == "run":
            for extra in words[1:]:
                if not extra.startswith("sandbox="):
                    raise GuideError(f"{where}: unknown run option {extra!r}")
            steps.append((b, "run", ",".join(w[len("sandbox="):] for w in words[1:])))
        elif words == ["output"]:
            if not steps or steps[-1][1] != "run":
                raise GuideError(f"{where}: an output block must follow a run block")
            steps.append((b, "output", ""))
        else:
            raise GuideError(
                f"{where}: a ```{b.lang} block without file=PATH, run, output or not-run: REASON "
                "(every block of a guide is run by clients/guides.sh or says why not)"
            )
    if not any(kind == "run" for _, kind, _ in steps):
        raise GuideError(f"{readme}: no run block, so nothing in it is tested")
    return steps


def run_guide(readme: Path, work: Path, spec_json: Path, origin: str) -> int:
    check_token_urls(readme, spec_json)
    blocks = blocks_of(readme)
    steps = plan(readme, blocks, work)
    last_stdout = ""
    for b, kind, arg in steps:
        where = f"{readme}:{b.line}"
        if kind == "not-run":
            print(f"[guide] {where}: not run ({arg})", file=sys.stderr)
        elif kind == "file":
            path = Path(arg)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(b.text, encoding="utf-8")
            print(f"[guide] {where}: wrote {path.relative_to(work.resolve())}", file=sys.stderr)
        elif kind == "run":
            if arg:
                patch_sandbox(origin, arg, where)
            print(f"[guide] {where}: run\n{b.text}", file=sys.stderr, end="")
            try:
                p = subprocess.run(
                    ["bash", "-euo", "pipefail", "-c", b.text], check=False, cwd=work, stdout=subprocess.PIPE, text=True, timeout=RUN_TIMEOUT_S
                )
            except subprocess.TimeoutExpired as e:
                raise GuideError(f"{where}: still running after {RUN_TIMEOUT_S} s") from e
            sys.stderr.write(p.stdout)
            if p.returncode != 0:
                raise GuideError(f"{where}: exited {p.returncode}")
            last_stdout = p.stdout
        elif kind == "output":
            if last_stdout.rstrip() != b.text.rstrip():
                raise GuideError(f"{where}: the run above printed\n{last_stdout}\nbut the README shows\n{b.text}")
            print(f"[guide] {where}: output matches", file=sys.stderr)
    runs = sum(kind == "run" for _, kind, _ in steps)
    print(f"[guide] {readme}: {len(blocks)} blocks, {runs} runs: ok", file=sys.stderr)
    return 0


def main(argv: list[str]) -> int:
    if len(argv) != 5:
        print(__doc__, file=sys.stderr)
        return 2
    readme, work, spec_json, origin = Path(argv[1]), Path(argv[2]), Path(argv[3]), argv[4]
    try:
        return run_guide(readme, work, spec_json, origin)
    except GuideError as e:
        print(f"[guide] FAIL {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
