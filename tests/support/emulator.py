"""Start and drive the Airtable emulator (build/airtable-emulator) from Python tests.

Every HTTP and end-to-end test that needs Airtable uses this: it starts the
emulator on a free port, waits for its "listening on PORT" line, and wraps the
/_emu control API (request log, faults, dump/load, direct record edits).
Standard library only.

    from emulator import Emulator, write_fixture
    emu = Emulator(write_fixture(fixture_dict), token="patX", rate_limit=5, penalty=2)
    ... AIRTABLE_API_URL=emu.url ...
    emu.log()  # [{"seq", "t", "method", "path", "query", "body", "status"}, ...]
    emu.stop()
"""
import atexit
import json
import os
import subprocess
import tempfile
import threading
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("TD_BUILD", "build"))
EMULATOR = os.path.join(BUILD, "airtable-emulator")
GENBASE = os.path.join(BUILD, "genbase")


def write_fixture(fixture, path=None):
    """Write a fixture dict to a file (a fresh temporary one unless path is given); returns the path."""
    if path is None:
        fd, path = tempfile.mkstemp(prefix="emu-fixture.", suffix=".json")
        os.close(fd)
        atexit.register(lambda: os.path.exists(path) and os.unlink(path))
    with open(path, "w", encoding="utf-8") as f:
        json.dump(fixture, f)
    return path


def generate_fixture(candidates=50, companies=None, seed=None, pdf_dir=None, base_id=None):
    """Run build/genbase and return the generated fixture as a dict."""
    cmd = [GENBASE, "--candidates", str(candidates)]
    if companies is not None:
        cmd += ["--companies", str(companies)]
    if seed is not None:
        cmd += ["--seed", str(seed)]
    if pdf_dir is not None:
        cmd += ["--pdf-dir", pdf_dir]
    if base_id is not None:
        cmd += ["--base-id", base_id]
    return json.loads(subprocess.check_output(cmd))


class Emulator:
    """One running emulator process.  Use as a context manager or call stop()."""

    def __init__(self, fixture_path, token=None, rate_limit=5, penalty=30, files=None, seed=None,
                 binary=None):
        cmd = [binary or EMULATOR, "--fixture", fixture_path, "--port", "0",
               "--rate-limit", str(rate_limit), "--penalty", str(penalty)]
        if token is not None:
            cmd += ["--token", token]
        if files is not None:
            cmd += ["--files", files]
        if seed is not None:
            cmd += ["--seed", str(seed)]
        self.token = token
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self._first_line(timeout=20)
        if not line.startswith("listening on "):
            err = ""
            try:
                self.proc.kill()
                err = self.proc.communicate(timeout=5)[1]
            except Exception:
                pass
            raise RuntimeError(f"airtable-emulator did not start: {line!r} {err}")
        self.port = int(line.split()[2])
        self.url = f"http://127.0.0.1:{self.port}"
        # drain stderr so a chatty emulator can never block on a full pipe
        self._drain = threading.Thread(target=self.proc.stderr.read, daemon=True)
        self._drain.start()
        atexit.register(self.stop)

    def _first_line(self, timeout):
        box = []
        t = threading.Thread(target=lambda: box.append(self.proc.stdout.readline()), daemon=True)
        t.start()
        t.join(timeout)
        return box[0].strip() if box else ""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()

    # -- plain HTTP ------------------------------------------------------
    def request(self, method, path, body=None, headers=None, raw=False, token=None):
        """(status, parsed JSON or text) for any request; path starts with '/'.
        Sends the emulator's token (or "patTEST") as a bearer unless token=""."""
        data = None
        h = dict(headers or {})
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        tok = self.token or "patTEST" if token is None else token
        if tok:
            h.setdefault("Authorization", "Bearer " + tok)
        req = urllib.request.Request(self.url + path, data=data, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                status, text, hdrs = r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            status, text, hdrs = e.code, e.read(), e.headers
        if raw:
            return status, text, hdrs
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text.decode("utf-8", "replace")

    def _control(self, method, path, body=None):
        status, data = self.request(method, path, body, token="")
        if status != 200:
            raise RuntimeError(f"{method} {path}: {status} {data}")
        return data

    # -- control API -----------------------------------------------------
    def log(self):
        return self._control("GET", "/_emu/log")["requests"]

    def clear_log(self):
        self._control("DELETE", "/_emu/log")

    def faults(self, spec):
        """Random faults, e.g. {"429": 0.1, "500": 0.05, "slow_ms": 200, "slow_probability": 0.1}."""
        self._control("POST", "/_emu/faults", spec)

    def script(self, faults):
        """The next /v0 requests get these answers, one each, e.g. [{"status": 500, "raw": "oops"}]."""
        self._control("POST", "/_emu/script", {"faults": faults})

    def dump(self):
        return self._control("GET", "/_emu/dump")

    def load(self, fixture):
        self._control("POST", "/_emu/load", fixture)

    def patch_record(self, table, rec, fields):
        """Change a record as a recruiter would in the UI: no rate limit, no log entry."""
        return self._control("PATCH", f"/_emu/records/{urllib.request.quote(table, safe='')}/{rec}",
                             {"fields": fields})

    def reset_rate(self):
        self._control("POST", "/_emu/reset-rate")

    def health(self):
        return self._control("GET", "/_emu/health")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc and self.proc.stdout:
            self.proc.stdout.close()
