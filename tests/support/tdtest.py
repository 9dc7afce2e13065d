"""Shared helpers for the Python HTTP and end-to-end tests.

Each test module gets fresh databases in the private PostgreSQL that
tests/run.sh started (TD_TEST_PGHOST / TD_TEST_PGPORT), or starts its own
cluster when run alone.  Nothing here talks to the internet.
"""
import base64, hashlib, hmac, json, os, socket, subprocess, sys, tempfile, time, urllib.request, urllib.error, atexit, shutil

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("TD_BUILD", "build"))
TALENTD = os.path.join(BUILD, "talentd")
PG_SH = os.path.join(ROOT, "tests", "support", "pg.sh")

TEST_SECRET = "whsec_" + base64.b64encode(b"talentd-test-secret-0123456789ab").decode()
TEST_SECRET2 = "whsec_" + base64.b64encode(b"second-secret-for-rotation-tests").decode()
ADMIN_TOKEN = "admin-token-for-tests"
BASE_ID = "appTEST0000000001"


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


class Cluster:
    """A private PostgreSQL cluster (own dir, own socket)."""

    def __init__(self, own=False):
        if not own and os.environ.get("TD_TEST_PGHOST"):
            self.dir = None
            self.host = os.environ["TD_TEST_PGHOST"]
            self.port = os.environ["TD_TEST_PGPORT"]
            return
        self.dir = tempfile.mkdtemp(prefix="talentd-pg.")
        os.chmod(self.dir, 0o755)
        out = subprocess.check_output(["sh", PG_SH, "start", self.dir + "/pg"], text=True).split()
        self.host, self.port = out[0], out[1]
        atexit.register(self.destroy)

    def url(self, db):
        return f"postgresql:///{db}?host={self.host}&port={self.port}&user=postgres"

    def psql(self, db, sql):
        return subprocess.check_output(
            ["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-d", self.url(db), "-c", sql], text=True)

    def new_database(self, name):
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self):
        assert self.dir, "only an own cluster may be stopped"
        subprocess.check_call(["sh", PG_SH, "stop", self.dir + "/pg"])

    def start(self):
        subprocess.check_call(["sh", PG_SH, "restart", self.dir + "/pg"])

    def destroy(self):
        if self.dir and os.path.isdir(self.dir):
            subprocess.call(["sh", PG_SH, "stop", self.dir + "/pg"])
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None


def sign(secret, msg_id, ts, body):
    key = base64.b64decode(secret[len("whsec_"):])
    mac = hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def base_env(db_url, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TALENTD_", "AIRTABLE_"))}
    env.update({
        "DATABASE_URL": db_url,
        "TALENTD_WEBHOOK_SECRET": TEST_SECRET,
        "AIRTABLE_TOKEN": "patTESTtoken.0000",
        "AIRTABLE_BASE_ID": BASE_ID,
        "AIRTABLE_API_URL": "http://127.0.0.1:9",
        "TALENTD_RECONCILE_INTERVAL": "0",
        "TALENTD_LOG_LEVEL": "info",
    })
    env.update({k: str(v) for k, v in extra.items() if v is not None})
    for k, v in extra.items():
        if v is None:
            env.pop(k, None)
    return env


def run_talentd(args, env, timeout=120, check=True):
    p = subprocess.run([TALENTD] + args, env=env, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"talentd {args} exited {p.returncode}: {p.stderr[-2000:]}")
    return p


class Server:
    """`talentd serve` on a free port; stderr goes to a log file."""

    def __init__(self, env, port=None):
        self.port = port or free_port()
        self.env = dict(env)
        self.env["TALENTD_LISTEN"] = f"127.0.0.1:{self.port}"
        self.logf = tempfile.NamedTemporaryFile(prefix="talentd-serve.", suffix=".log", delete=False)
        self.proc = subprocess.Popen([TALENTD, "serve"], env=self.env, stdout=self.logf, stderr=self.logf)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("talentd serve exited: " + self.log())
            try:
                if self.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.05)
        else:
            raise AssertionError("talentd serve did not come up: " + self.log())

    def log(self):
        with open(self.logf.name, errors="replace") as f:
            return f.read()

    def request(self, method, path, body=None, headers=None, timeout=30):
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method,
                                     headers=headers or {})
        if data is not None and "Content-Type" not in (headers or {}):
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=timeout) as r:
                raw = r.read()
                return r.status, _maybe_json(raw), dict(r.headers)
        except urllib.error.HTTPError as e:
            raw = e.read()
            return e.code, _maybe_json(raw), dict(e.headers)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post_event(self, event, msg_id=None, ts=None, secret=TEST_SECRET, raw=None):
        body = raw if raw is not None else json.dumps(event).encode()
        msg_id = msg_id or ("msg_" + os.urandom(8).hex())
        ts = str(int(time.time()) if ts is None else ts)
        headers = {"webhook-id": msg_id, "webhook-timestamp": ts,
                   "webhook-signature": sign(secret, msg_id, ts, body), "Content-Type": "application/json"}
        return self.request("POST", "/hooks/airtable", body, headers)

    def stop(self, sig=15, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.logf.close()
        return self.proc.returncode


def _maybe_json(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def wait_until(pred, timeout=20, step=0.05, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {what}")
