"""A deliberately wrong Zoho stand-in, to prove the smoke programs fail when the API misbehaves.

It answers every rerun 200 SCHEDULED (so a second rerun is never CANNOT_PROCESS), every revoke 200 with
the record id as a JSON *number* rounded the way a double rounds it (what an int64-typed spec and a
JavaScript client produce), every read of a record's shares 200 with the recipient id as such a number
(and never 204, even after a revoke), whatever the token. clients/test.sh runs each smoke program
against it and requires a non-zero exit.

Usage: python wrong_server.py  (prints the API base URL on its first line, serves until killed)
"""

from __future__ import annotations

import json
import re
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

REVOKE = re.compile(r"^/crm/v8/[A-Za-z0-9_]+/([0-9]+)/actions/share$")


class Handler(BaseHTTPRequestHandler):
    def _send(self, status: int, body: str) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self) -> None:
        scheduled = {"code": "SCHEDULED", "details": {}, "message": "Rerun successfully scheduled", "status": "success"}
        self._send(200, json.dumps({"sharing_rules": [scheduled]}))

    def do_GET(self) -> None:
        if not REVOKE.match(self.path):
            self._send(404, json.dumps({"code": "INVALID_URL_PATTERN", "details": {}, "message": "wrong URL", "status": "error"}))
            return
        entry = {"shared_with": {"type": "users", "id": int(float("4150868000000224005")), "name": "User 0"}, "permission": "read_write", "type": "private"}
        self._send(200, json.dumps({"share": [entry]}))

    def do_DELETE(self) -> None:
        m = REVOKE.match(self.path)
        if not m:
            self._send(404, json.dumps({"code": "INVALID_URL_PATTERN", "details": {}, "message": "wrong URL", "status": "error"}))
            return
        as_double = int(float(m.group(1)))  # 4150868000001148212 -> 4150868000001148416
        body = {"share": {"code": "SUCCESS", "details": {"id": as_double}, "message": "Sharing Revoked", "status": "success"}}
        self._send(200, json.dumps(body))

    def log_message(self, format: str, *args: object) -> None:
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(f"http://127.0.0.1:{server.server_address[1]}/crm/v8", flush=True)
    server.serve_forever()
