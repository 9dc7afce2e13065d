"""The Airtable client (core/airtable.c, core/ratelimit.c) against the emulator.

Drives build/atcli and asserts on the emulator's request log: request counts
for paging and batching, the 5 requests/second budget under load (threads of
one process, and two processes sharing the database), the penalty after a
429, retries of a non-JSON 500, the iterator restart and the POST listRecords
switch for long formulas.  The load tests take about a minute in all.
"""
import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import tdtest  # noqa: E402
from emulator import Emulator, write_fixture  # noqa: E402

ATCLI = os.path.join(tdtest.BUILD, "atcli")
SCHEMA = os.path.join(tdtest.ROOT, "tests", "fixtures", "airtable-schema.json")
TALENT = "tblOkLOSo4Zjwp0yF"
TOKEN = "patTESTtoken.0000"


def fixture(n_talent=250):
    with open(SCHEMA, encoding="utf-8") as f:
        d = json.load(f)
    d["base_id"] = tdtest.BASE_ID
    for t in d["tables"]:
        if t["id"] == TALENT:
            t["records"] = [{"id": "rec%014d" % i, "fields": {"Name": "Person %d" % i}}
                            for i in range(n_talent)]
    return d


def max_per_window(times, window=1.0):
    """Most requests whose arrival times fall in any half-open window of `window` seconds."""
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] <= t - window:
            j += 1
        best = max(best, i - j + 1)
    return best


class AirtableClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = tdtest.Cluster()
        cls.db = cls.cluster.new_database("airtable_client")
        subprocess.check_call(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", cls.db, "-f",
                               os.path.join(tdtest.ROOT, "schema", "0002_airtable_rate.sql")],
                              stdout=subprocess.DEVNULL)
        cls.emu = Emulator(write_fixture(fixture()), token=TOKEN, rate_limit=5, penalty=2)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        # The shared budget spans test cases too; start each one with a clean slate.
        time.sleep(1.2)
        self.emu.script([])
        self.emu.clear_log()
        self.emu.reset_rate()

    def env(self, **extra):
        env = {k: v for k, v in os.environ.items() if not k.startswith(("TALENTD_", "AIRTABLE_"))}
        env.update({"AIRTABLE_API_URL": self.emu.url, "AIRTABLE_TOKEN": TOKEN,
                    "AIRTABLE_BASE_ID": tdtest.BASE_ID, "AIRTABLE_RATE_LIMIT_PENALTY": "2",
                    "DATABASE_URL": self.db, "TALENTD_LOG_LEVEL": "warn"})
        env.update({k: str(v) for k, v in extra.items()})
        return env

    def atcli(self, *args, check=True, **extra):
        p = subprocess.run([ATCLI] + [str(a) for a in args], env=self.env(**extra),
                           capture_output=True, text=True, timeout=300)
        if check and p.returncode != 0:
            self.fail(f"atcli {args} exited {p.returncode}: {p.stdout} {p.stderr[-3000:]}")
        return p

    def api_log(self):
        return [r for r in self.emu.log() if r["path"].startswith("/v0/")]

    def test_list_250_in_3_requests(self):
        p = self.atcli("list", TALENT)
        self.assertIn("records 250", p.stdout)
        log = self.api_log()
        self.assertEqual([r["method"] for r in log], ["GET"] * 3)
        self.assertTrue(all(r["status"] == 200 for r in log))
        self.assertNotIn("offset", log[0]["query"])
        self.assertIn("offset=", log[1]["query"])

    def test_update_25_in_3_patches(self):
        p = self.atcli("update", TALENT, 25, "(N) Title")
        self.assertIn("updated 25", p.stdout)
        patches = [r for r in self.api_log() if r["method"] == "PATCH"]
        self.assertEqual(len(patches), 3)
        self.assertEqual([len(json.loads(r["body"])["records"]) for r in patches], [10, 10, 5])
        self.assertTrue(all(r["status"] == 200 for r in patches))
        self.assertTrue(all(json.loads(r["body"]).get("typecast") is True for r in patches))
        dump = self.emu.dump()
        talent = next(t for t in dump["tables"] if t["id"] == TALENT)
        titles = {r["fields"].get("(N) Title") for r in talent["records"]}
        self.assertIn("atcli 24", titles)

    def test_get_missing_and_bad_token(self):
        p = self.atcli("get", TALENT, "rec00000000000007")
        self.assertEqual(json.loads(p.stdout)["id"], "rec00000000000007")
        p = self.atcli("get", TALENT, "recZZZZZZZZZZZZZZ", check=False)
        self.assertEqual(p.returncode, 3, p.stdout)  # TD_ERR_NOT_FOUND
        self.emu.clear_log()
        p = self.atcli("get", TALENT, "rec00000000000007", check=False, AIRTABLE_TOKEN="patWRONG.1")
        self.assertEqual(p.returncode, 1)
        self.assertIn("http=401", p.stdout)
        self.assertEqual(len(self.api_log()), 1, "a 401 is final: no retry")
        self.assertNotIn("patWRONG", p.stdout + p.stderr)

    def test_scripted_429_waits_penalty(self):
        self.emu.script([{"status": 429, "body": {"errors": [
            {"error": "RATE_LIMIT_REACHED", "message": "Rate limit exceeded. Please try again later"}]}}])
        p = self.atcli("get", TALENT, "rec00000000000001")
        self.assertIn("rec00000000000001", p.stdout)
        log = self.api_log()
        self.assertEqual([r["status"] for r in log], [429, 200])
        self.assertGreaterEqual(log[1]["t"] - log[0]["t"], 1.95)
        self.assertLess(log[1]["t"] - log[0]["t"], 5)

    def test_non_json_500_then_success(self):
        self.emu.script([{"status": 500, "raw": "<html><body>Internal error</body></html>"}])
        p = self.atcli("get", TALENT, "rec00000000000002")
        self.assertIn("rec00000000000002", p.stdout)
        self.assertEqual([r["status"] for r in self.api_log()], [500, 200])

    def test_retries_are_bounded(self):
        self.emu.script([{"status": 503}] * 4)
        p = self.atcli("get", TALENT, "rec00000000000003", check=False)
        self.assertEqual(p.returncode, 1)
        self.assertIn("http=503", p.stdout)
        self.assertIn("temporarily", p.stdout)  # td_strerror(TD_ERR_AIRTABLE_RETRY)
        self.assertEqual(len(self.api_log()), 4)

    def test_iterator_restart(self):
        self.emu.script([{}, {"status": 422, "body": {"error": {
            "type": "LIST_RECORDS_ITERATOR_NOT_AVAILABLE", "message": "expired"}}}])
        p = self.atcli("list", TALENT)
        self.assertIn("records 250", p.stdout)  # no duplicates after the restart
        log = self.api_log()
        self.assertEqual([r["status"] for r in log], [200, 422, 200, 200, 200])
        self.assertNotIn("offset", log[2]["query"])

    def test_long_formula_uses_post_list_records(self):
        p = self.atcli("longlist", TALENT, 1000)
        self.assertIn("records 0", p.stdout)
        log = self.api_log()
        self.assertEqual(len(log), 1)
        self.assertEqual(log[0]["method"], "POST")
        self.assertTrue(log[0]["path"].endswith("/listRecords"))
        self.assertEqual(log[0]["status"], 200)

    def check_rate(self, what):
        log = self.api_log()
        statuses = [r["status"] for r in log]
        peak = max_per_window([r["t"] for r in log])
        print(f"{what}: {len(log)} requests, peak {peak} per 1 s window, "
              f"{(log[-1]['t'] - log[0]['t']):.1f} s", file=sys.stderr)
        self.assertNotIn(429, statuses)
        self.assertLessEqual(peak, 5)
        return log

    def test_threads_stay_under_limit(self):
        p = self.atcli("hammer", 8, 200, TALENT)
        self.assertIn("ok=200 failed=0", p.stdout)
        log = self.check_rate("8 threads")
        self.assertEqual(len(log), 200)

    def test_fallback_without_schema_stays_under_limit(self):
        # A database without schema/0002: the limiter says so once and keeps
        # this process under the limit with its in-process gate.
        db = self.cluster.new_database("airtable_client_noschema")
        p = self.atcli("hammer", 4, 30, TALENT, DATABASE_URL=db)
        self.assertIn("ok=30 failed=0", p.stdout)
        self.assertEqual(p.stderr.count("airtable_rate_db_fallback"), 1, p.stderr)
        self.check_rate("in-process gate")

    def test_two_processes_share_the_budget(self):
        cmd = [ATCLI, "hammer", "4", "40", TALENT]
        procs = [subprocess.Popen(cmd, env=self.env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(2)]
        outs = [pr.communicate(timeout=300) for pr in procs]
        for pr, (out, err) in zip(procs, outs):
            self.assertEqual(pr.returncode, 0, out + err[-2000:])
            self.assertIn("ok=40 failed=0", out)
        log = self.check_rate("2 processes")
        self.assertEqual(len(log), 80)


if __name__ == "__main__":
    unittest.main(verbosity=2)
