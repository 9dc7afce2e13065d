"""HTTP tests of the spine against a real `talentd serve`:
every answer of contract §4.1, the database going away and coming back,
/readyz, the task admin endpoints, body limits, graceful shutdown and lease
rescue after a killed process."""
import http.client, json, os, signal, subprocess, sys, time, unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import tdtest as T  # noqa: E402

TALENT = "tblOkLOSo4Zjwp0yF"
ATS = "tblrbhITEIBOxwcQV"
CUST = "tbl9KNjT3G08f6oXh"


def event(type_="talent.updated", table=TALENT, rec="recAAAAAAAAAAAAA1", base=T.BASE_ID, **extra):
    e = {"type": type_, "base_id": base, "table_id": table, "record_id": rec}
    e.update(extra)
    return e


class HookTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = T.Cluster()
        cls.db = cls.cluster.new_database("http_hooks")
        cls.env = T.base_env(cls.db, TALENTD_ADMIN_TOKEN=T.ADMIN_TOKEN, TALENTD_MAX_BODY=4096,
                             TALENTD_RETRY_BASE=0.05, TALENTD_RETRY_CAP=0.2)
        T.run_talentd(["migrate"], cls.env)
        cls.srv = T.Server(cls.env)

    @classmethod
    def tearDownClass(cls):
        assert cls.srv.stop() == 0

    def sql(self, q):
        return self.cluster.psql("http_hooks", q).strip()

    def test_202_then_200_duplicate_then_409(self):
        ev = event(rec="recDUP00000000010", fields={"Name": "x"})
        st, body, _ = self.srv.post_event(ev, msg_id="msg_dup_1")
        self.assertEqual(st, 202, body)
        self.assertEqual(body["ok"], True)
        self.assertEqual(body["event_id"], "msg_dup_1")
        self.assertIsInstance(body["task_id"], int)
        self.assertEqual(self.sql(f"SELECT kind || ' ' || key FROM tasks WHERE id = {body['task_id']}"),
                         "talent.updated recDUP00000000010")
        st2, body2, _ = self.srv.post_event(ev, msg_id="msg_dup_1")
        self.assertEqual(st2, 200, body2)
        self.assertEqual(body2, {"ok": True, "event_id": "msg_dup_1", "duplicate": True})
        ev["fields"] = {"Name": "y"}
        st3, body3, _ = self.srv.post_event(ev, msg_id="msg_dup_1")
        self.assertEqual(st3, 409)
        self.assertEqual(body3["error"]["code"], "event_id_conflict")
        self.assertEqual(self.sql("SELECT count(*) FROM events WHERE id = 'msg_dup_1'"), "1")

    def test_identical_queued_tasks_merge(self):
        # two different events for the same record while the first task is queued
        self.sql("UPDATE tasks SET state = 'done' WHERE key = 'recMERGE000000010'")
        ids = []
        for i in range(2):
            st, body, _ = self.srv.post_event(event(rec="recMERGE000000010", type_="customer.updated", table=CUST),
                                              msg_id=f"msg_merge_{i}")
            self.assertEqual(st, 202)
            ids.append(body["task_id"])
        # the worker may have claimed the first before the second arrived; both
        # answers name a task, and at most one queued task exists at any time
        self.assertLessEqual(int(self.sql(
            "SELECT count(*) FROM tasks WHERE key = 'recMERGE000000010' AND state = 'queued'")), 1)

    def test_400_invalid_json_and_event(self):
        st, body, _ = self.srv.post_event(None, raw=b'{"type": "talent.updated",')
        self.assertEqual((st, body["error"]["code"]), (400, "invalid_json"))
        self.assertEqual(body["ok"], False)
        self.assertTrue(body["error"]["message"])
        st, body, _ = self.srv.post_event({"type": "talent.updated"})
        self.assertEqual((st, body["error"]["code"]), (400, "invalid_event"))
        st, body, _ = self.srv.post_event(event(rec=12))
        self.assertEqual((st, body["error"]["code"]), (400, "invalid_event"))
        st, body, _ = self.srv.post_event(None, raw=b"[]")
        self.assertEqual((st, body["error"]["code"]), (400, "invalid_event"))
        # valid JSON that PostgreSQL's jsonb cannot hold: still a clear 400, nothing stored
        raw = json.dumps(event(rec="recNULBYTE0000001", fields={"Name": "a\u0000b"})).encode()
        st, body, _ = self.srv.post_event(None, raw=raw, msg_id="msg_nul_1")
        self.assertEqual((st, body["error"]["code"]), (400, "invalid_json"))
        self.assertEqual(self.sql("SELECT count(*) FROM events WHERE id = 'msg_nul_1'"), "0")

    def test_422_unprocessable(self):
        cases = [event(type_="talent.deleted"), event(base="appOTHERBASE00001"),
                 event(type_="ats.status_changed", table=TALENT), event(rec="recTOOSHORT"),
                 event(rec="rec_______________"), event(table="tblNOPE"),
                 event(type_="customer.start_matchmaking", table=ATS)]
        for ev in cases:
            st, body, _ = self.srv.post_event(ev)
            self.assertEqual((st, body["error"]["code"]), (422, "unprocessable_event"), ev)

    def test_401_signatures(self):
        body = json.dumps(event()).encode()
        ts = str(int(time.time()))
        good = T.sign(T.TEST_SECRET, "msg_sig_1", ts, body)
        h = {"webhook-id": "msg_sig_1", "webhook-timestamp": ts, "Content-Type": "application/json"}
        for headers, code in [
            ({}, "bad_signature"),
            ({"webhook-signature": "v1,AAAA"}, "bad_signature"),
            ({"webhook-signature": T.sign(T.TEST_SECRET, "msg_sig_1", ts, body + b" ")}, "bad_signature"),
            ({"webhook-signature": T.sign("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY", "msg_sig_1", ts, body)},
             "bad_signature"),
            ({"webhook-signature": "garbage"}, "bad_signature"),
        ]:
            st, rb, _ = self.srv.request("POST", "/hooks/airtable", body, dict(h, **headers))
            self.assertEqual((st, rb["error"]["code"]), (401, code), headers)
        st, rb, _ = self.srv.request("POST", "/hooks/airtable", body,
                                     {"webhook-signature": good, "Content-Type": "application/json"})
        self.assertEqual((st, rb["error"]["code"]), (401, "bad_signature"))
        old = str(int(time.time()) - 301)
        st, rb, _ = self.srv.post_event(event(), ts=old)
        self.assertEqual((st, rb["error"]["code"]), (401, "stale_timestamp"))
        st, rb, _ = self.srv.post_event(event(), ts=int(time.time()) + 400)
        self.assertEqual((st, rb["error"]["code"]), (401, "stale_timestamp"))
        # decoys around a valid entry, and a second secret (rotation)
        decoy = "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc="
        st, rb, _ = self.srv.request("POST", "/hooks/airtable", body,
                                     dict(h, **{"webhook-signature": f"{decoy} {good} v2,{good[3:]}"}))
        self.assertIn(st, (200, 202), rb)

    def test_413_body_too_large(self):
        big = json.dumps(event(fields={"CV Text": "x" * 5000})).encode()
        st, rb, _ = self.srv.post_event(None, raw=big)
        self.assertEqual((st, rb["error"]["code"]), (413, "body_too_large"))
        # chunked upload without Content-Length: discarded, 413 at the end
        c = http.client.HTTPConnection("127.0.0.1", self.srv.port, timeout=10)
        c.putrequest("POST", "/hooks/airtable")
        c.putheader("Transfer-Encoding", "chunked")
        c.putheader("Content-Type", "application/json")
        c.endheaders()
        for _ in range(3):
            chunk = b"y" * 3000
            c.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        c.send(b"0\r\n\r\n")
        r = c.getresponse()
        self.assertEqual(r.status, 413)
        self.assertEqual(json.loads(r.read())["error"]["code"], "body_too_large")

    def test_404_405(self):
        st, rb, _ = self.srv.get("/nope")
        self.assertEqual((st, rb["error"]["code"]), (404, "not_found"))
        st, rb, _ = self.srv.get("/hooks/airtable")
        self.assertEqual((st, rb["error"]["code"]), (405, "method_not_allowed"))

    def test_admin_tasks(self):
        st, rb, _ = self.srv.get("/admin/tasks?state=dead")
        self.assertEqual((st, rb["error"]["code"]), (401, "unauthorized"))
        st, rb, _ = self.srv.get("/admin/tasks?state=dead", headers={"Authorization": "Bearer wrong-token-here"})
        self.assertEqual(st, 401)
        auth = {"Authorization": "Bearer " + T.ADMIN_TOKEN}
        # a task that fails finally goes dead at once, with its error
        tid = int(self.sql("SELECT enqueue_task('noop', 'recDEAD0000000010', '{\"fail\":\"final\"}', 3, now())"))
        T.wait_until(lambda: self.sql(f"SELECT state FROM tasks WHERE id = {tid}") == "dead", what="dead task")
        st, rb, _ = self.srv.get("/admin/tasks?state=dead&limit=50", headers=auth)
        self.assertEqual(st, 200)
        mine = [t for t in rb["tasks"] if t["id"] == tid]
        self.assertEqual(len(mine), 1)
        self.assertIn("noop asked to fail", mine[0]["last_error"])
        st, rb, _ = self.srv.get("/admin/tasks?state=bogus", headers=auth)
        self.assertEqual(st, 400)
        st, rb, _ = self.srv.get("/admin/tasks?limit=0", headers=auth)
        self.assertEqual(st, 400)
        # make it succeed, then retry it
        self.sql(f"UPDATE tasks SET payload = '{{}}' WHERE id = {tid}")
        st, rb, _ = self.srv.request("POST", f"/admin/tasks/{tid}/retry", b"", auth)
        self.assertEqual((st, rb["task_id"]), (202, tid))
        T.wait_until(lambda: self.sql(f"SELECT state FROM tasks WHERE id = {tid}") == "done", what="retried task")
        st, rb, _ = self.srv.request("POST", f"/admin/tasks/{tid}/retry", b"", auth)
        self.assertEqual((st, rb["error"]["code"]), (409, "task_not_dead"))
        st, rb, _ = self.srv.request("POST", "/admin/tasks/99999999/retry", b"", auth)
        self.assertEqual(st, 404)
        st, rb, _ = self.srv.request("POST", "/admin/tasks/abc/retry", b"", auth)
        self.assertEqual(st, 400)

    def test_unimplemented_kinds_retry_not_done(self):
        st, rb, _ = self.srv.post_event(event(type_="ats.stages_changed", table=ATS, rec="recSTAGES00000010"))
        self.assertEqual(st, 202)
        tid = rb["task_id"]
        T.wait_until(lambda: self.sql(f"SELECT attempts FROM tasks WHERE id = {tid}") >= "1", what="attempt")
        state, err = self.sql(f"SELECT state, last_error FROM tasks WHERE id = {tid}").split("|")
        self.assertIn(state, ("retry", "running", "queued", "dead"))
        self.assertNotEqual(state, "done")

    def test_metrics_and_health(self):
        self.assertEqual(self.srv.get("/healthz")[:2], (200, {"status": "ok"}))
        st, rb, _ = self.srv.get("/readyz")
        self.assertEqual((st, rb["status"]), (200, "ready"))
        st, text, h = self.srv.get("/metrics")
        self.assertEqual(st, 200)
        self.assertIn("text/plain", h["Content-Type"])
        for name in ("talentd_events_received_total", "talentd_tasks{state=\"queued\"}",
                     "talentd_task_run_seconds_bucket", "talentd_queue_wait_seconds_count"):
            self.assertIn(name, text)
        for line in text.splitlines():
            if line and not line.startswith("#"):
                self.assertTrue(line.startswith("talentd_"), line)
        self.assertNotIn(T.ADMIN_TOKEN, text)
        self.assertNotIn("talentd-test-secret", self.srv.log())


class AdminDisabledTest(unittest.TestCase):
    def test_403_without_token(self):
        cluster = T.Cluster()
        db = cluster.new_database("http_noadmin")
        env = T.base_env(db)
        T.run_talentd(["migrate"], env)
        srv = T.Server(env)
        try:
            st, rb, _ = srv.get("/admin/tasks", headers={"Authorization": "Bearer anything-at-all"})
            self.assertEqual((st, rb["error"]["code"]), (403, "admin_disabled"))
        finally:
            self.assertEqual(srv.stop(), 0)


class DatabaseOutageTest(unittest.TestCase):
    """Own cluster: stopped and started under a running talentd."""

    def test_503_then_recovery(self):
        cluster = T.Cluster(own=True)
        db = cluster.new_database("outage")
        env = T.base_env(db)
        T.run_talentd(["migrate"], env)
        srv = T.Server(env)
        try:
            self.assertEqual(srv.post_event(event(rec="recOUTAGE00000010"))[0], 202)
            for _ in range(40):  # give every HTTP thread its own database connection
                self.assertEqual(srv.get("/readyz")[0], 200)
            cluster.stop()
            st, rb, h = srv.post_event(event(rec="recOUTAGE00000020"), msg_id="msg_outage_2")
            self.assertEqual((st, rb["error"]["code"]), (503, "unavailable"))
            self.assertTrue(int(h["Retry-After"]) > 0)
            st, rb, _ = srv.get("/readyz")
            self.assertEqual(st, 503)
            self.assertEqual(srv.get("/healthz")[0], 200)
            cluster.start()
            # the same event, resent by the sender, is accepted at once, without a restart of
            # talentd, and no thread answers from a connection that died with the old server
            st, rb, _ = srv.post_event(event(rec="recOUTAGE00000020"), msg_id="msg_outage_2")
            self.assertEqual(st, 202, rb)
            for _ in range(40):
                self.assertEqual(srv.get("/readyz")[0], 200)
            self.assertEqual(cluster.psql("outage", "SELECT count(*) FROM events").strip(), "2")
        finally:
            self.assertEqual(srv.stop(), 0)
            cluster.destroy()

    def test_serve_refuses_old_schema(self):
        cluster = T.Cluster()
        db = cluster.new_database("unmigrated")
        p = subprocess.run([T.TALENTD, "serve"], env=T.base_env(db, TALENTD_LISTEN=f"127.0.0.1:{T.free_port()}"),
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 1)
        self.assertIn("talentd migrate", p.stderr)

    def test_bad_config_exit_2(self):
        p = subprocess.run([T.TALENTD, "serve"], env=T.base_env("postgresql:///x", TALENTD_WORKERS="lots"),
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("TALENTD_WORKERS", p.stderr)
        p = subprocess.run([T.TALENTD, "serve"], env=T.base_env("postgresql:///x", TALENTD_WEBHOOK_SECRET=None),
                           capture_output=True, text=True, timeout=30)
        self.assertEqual(p.returncode, 2)
        self.assertIn("TALENTD_WEBHOOK_SECRET", p.stderr)


class ShutdownAndRescueTest(unittest.TestCase):
    def test_graceful_drain(self):
        cluster = T.Cluster()
        db = cluster.new_database("drain")
        env = T.base_env(db, TALENTD_SHUTDOWN_GRACE=10)
        T.run_talentd(["migrate"], env)
        srv = T.Server(env)
        tid = int(cluster.psql("drain", "SELECT enqueue_task('noop', 'recSLOW0000000010', '{\"sleep_ms\": 1500}', 3, now())"))
        T.wait_until(lambda: cluster.psql("drain", f"SELECT state FROM tasks WHERE id={tid}").strip() == "running",
                     what="running")
        t0 = time.time()
        self.assertEqual(srv.stop(signal.SIGTERM), 0)
        self.assertEqual(cluster.psql("drain", f"SELECT state FROM tasks WHERE id={tid}").strip(), "done")
        self.assertLess(time.time() - t0, 10)

    def test_grace_expired_releases_task(self):
        cluster = T.Cluster()
        db = cluster.new_database("release")
        env = T.base_env(db, TALENTD_SHUTDOWN_GRACE=0)
        T.run_talentd(["migrate"], env)
        srv = T.Server(env)
        tid = int(cluster.psql("release", "SELECT enqueue_task('noop', 'recSLOW0000000020', '{\"sleep_ms\": 5000}', 3, now())"))
        T.wait_until(lambda: cluster.psql("release", f"SELECT state FROM tasks WHERE id={tid}").strip() == "running",
                     what="running")
        self.assertEqual(srv.stop(signal.SIGINT), 0)
        row = cluster.psql("release", f"SELECT state, lease_until IS NULL FROM tasks WHERE id={tid}").strip()
        self.assertEqual(row, "retry|t")

    def test_killed_worker_task_rescued_by_another_process(self):
        cluster = T.Cluster()
        db = cluster.new_database("rescue")
        env = T.base_env(db, TALENTD_TASK_LEASE=2)
        T.run_talentd(["migrate"], env)
        a = T.Server(env)
        tid = int(cluster.psql("rescue", "SELECT enqueue_task('noop', 'recKILL0000000010', '{\"sleep_ms\": 3000}', 3, now())"))
        T.wait_until(lambda: cluster.psql("rescue", f"SELECT state FROM tasks WHERE id={tid}").strip() == "running",
                     what="running")
        a.stop(signal.SIGKILL)
        b = T.Server(env)
        try:
            T.wait_until(lambda: cluster.psql("rescue", f"SELECT state FROM tasks WHERE id={tid}").strip() == "done",
                         timeout=30, what="rescued task done")
            self.assertEqual(cluster.psql("rescue", f"SELECT attempts FROM tasks WHERE id={tid}").strip(), "2")
            self.assertIn("tasks_rescued", b.log())
        finally:
            b.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
