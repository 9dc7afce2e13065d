"""Job Status state machine and reconciliation end to end (contract §6, issue 6).

A real `talentd serve` against the Airtable emulator and a private
PostgreSQL, on a small hand-made base: 40 candidates, 2 companies, 3 ATS
jobs.  Every test starts from the same Airtable base and an empty ATS state
(ats_jobs, history, placements, hires, match runs); candidates are
normalized once per module with `talentd sync all`.
"""
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import tdtest  # noqa: E402
from emulator import Emulator, write_fixture  # noqa: E402

TOKEN = "patTESTtoken.0000"
TALENT, CUSTOMERS, ATS = "tblOkLOSo4Zjwp0yF", "tbl9KNjT3G08f6oXh", "tblrbhITEIBOxwcQV"
ADMIN = {"Authorization": "Bearer " + tdtest.ADMIN_TOKEN}

T = [f"recTAL{i:011d}" for i in range(40)]
C0, C1 = "recCUS00000000000", "recCUS00000000001"
A0, A1, A2 = "recATS00000000000", "recATS00000000001", "recATS00000000002"

ACTIVE_ON_A1 = {  # 30 candidates across 6 active columns
    "Potential Talent Fit": T[0:5],
    "Potential Talent Fit Nick": T[5:10],
    "Shortlisted Talent": T[10:15],
    "Client Introduction": T[15:20],
    "In Interview 1": T[20:25],
    "In Negotiations": T[25:30],
}
HELD_ON_A1 = [T[30], T[5]]  # already there; T5 is also in an active column
UNTOUCHED_ON_A1 = {
    "Interview Rejected Talent": [T[32], T[33]],
    "Recruiter AI Result Rejection": [T[34]],
    "Hired": [T[35]],
}

BACKEND_CV = ("Senior backend engineer, {y} years building distributed systems in Go and PostgreSQL "
              "on Kubernetes at scale. Docker, gRPC, CI/CD. Berlin based, remote friendly.")
FRONTEND_CV = ("Frontend developer, {y} years with React, TypeScript and JavaScript; design systems, "
               "accessibility, testing with Jest.")


def make_fixture():
    with open(os.path.join(tdtest.ROOT, "tests", "fixtures", "airtable-schema.json"), encoding="utf-8") as f:
        d = json.load(f)
    d["base_id"] = tdtest.BASE_ID
    tables = {t["name"]: t for t in d["tables"]}
    talent = []
    for i, rid in enumerate(T):
        backend = i < 30
        years = 3 + i % 9
        talent.append({"id": rid, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Name": f"Candidate {i:02d}",
            "Email": f"c{i}@example.com",
            "CV Text": (BACKEND_CV if backend else FRONTEND_CV).format(y=years),
            "Skills": ["Go", "PostgreSQL", "Kubernetes"] if backend else ["React", "TypeScript"],
            "Current Title": "Backend Engineer" if backend else "Frontend Developer",
            "Years of Experience": years,
            "Location": "Berlin, Germany" if i % 2 else "Munich, Germany",
            "Work Preference": "Remote",
            "Desired Salary": 70000 + 1000 * i,
        }})
    tables["Talent"]["records"] = talent
    tables["Customers STT"]["records"] = [
        {"id": C0, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Company": "Acme Backend GmbH",
            "Job Description": ("We build payment infrastructure.\n\nSenior Backend Engineer\n"
                                "What you bring: 5+ years of Go, PostgreSQL and Kubernetes.\n"
                                "Nice to have: Docker, gRPC.\n\nRemote within Europe.\n"
                                "Salary EUR 80,000 - 100,000"),
            "Location": "Berlin, Germany", "Salary Range": "EUR 80,000 - 100,000",
            "Remote Policy": "Remote", "Stage": "Active Client", "ATS Jobs": [A0, A1]}},
        {"id": C1, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Company": "Pixel Frontend AG",
            "Job Description": "Frontend Developer\nWhat you bring: 3+ years of React and TypeScript.",
            "Location": "Munich, Germany", "Remote Policy": "Hybrid", "Stage": "Active Client",
            "ATS Jobs": [A2]}},
    ]
    a1 = {"Open Position (Job Title)": "Platform Engineer", "Company": [C0], "Job Status": "In Interview",
          "Considered Talent (Job On Hold)": HELD_ON_A1}
    a1.update(ACTIVE_ON_A1)
    a1.update(UNTOUCHED_ON_A1)
    tables["ATS"]["records"] = [
        {"id": A0, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Open Position (Job Title)": "Senior Go Backend Engineer", "Company": [C0],
            "Job Status": "Backlog",
            "SMART IEALD CANDIDATE PROFILE": "Go and PostgreSQL backend engineer, 5+ years, Kubernetes"}},
        {"id": A1, "createdTime": "2026-01-01T10:00:00.000Z", "fields": a1},
        {"id": A2, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Open Position (Job Title)": "Frontend Developer", "Company": [C1], "Job Status": "Offer",
            "Hired": [T[36]]}},
    ]
    return d


class StatusTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.fixture = make_fixture()
        cls.cluster = tdtest.Cluster()
        cls.db = "talentd_e2e_status"
        url = cls.cluster.new_database(cls.db)
        cls.emu = Emulator(write_fixture(cls.fixture), token=TOKEN, rate_limit=0)
        cls.env = tdtest.base_env(url, AIRTABLE_API_URL=cls.emu.url, AIRTABLE_RATE_LIMIT_RPS=1000,
                                  TALENTD_ADMIN_TOKEN=tdtest.ADMIN_TOKEN, TALENTD_WORKERS=3,
                                  TALENTD_RECONCILE_INTERVAL=0)
        tdtest.run_talentd(["migrate"], cls.env)
        p = tdtest.run_talentd(["sync", "all"], cls.env, check=False)
        cls.synced = p.returncode == 0
        cls.sync_error = p.stderr[-1500:]
        cls.server = tdtest.Server(cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        if os.environ.get("TD_TEST_VERBOSE"):
            sys.stderr.write(cls.server.log())
        cls.emu.stop()

    def setUp(self):
        self.wait_idle()
        self.emu.script([])
        self.emu.faults({})
        self.emu.load(self.fixture)
        self.sql("SET client_min_messages = warning; TRUNCATE ats_jobs, ats_status_history, on_hold_placements, hires, match_runs CASCADE")
        self.emu.clear_log()

    def tearDown(self):
        if any(err for _, err in getattr(self._outcome, "errors", []) if err):
            sys.stderr.write(self.server.log()[-6000:])

    # ---- helpers --------------------------------------------------------
    def sql(self, q):
        return self.cluster.psql(self.db, q).strip()

    def rows(self, q):
        out = self.sql(q)
        return [line.split("|") for line in out.splitlines()] if out else []

    def need_sync(self):
        if not self.synced:
            self.skipTest("talentd sync all failed (not there yet?): " + self.sync_error)

    def wait_idle(self, timeout=30):
        tdtest.wait_until(lambda: self.sql(
            "SELECT count(*) FROM tasks WHERE state IN ('queued','running','retry')") == "0",
            timeout=timeout, what="an idle queue")

    def wait_task(self, tid, timeout=30, state="done"):
        got = tdtest.wait_until(lambda: self.sql(
            f"SELECT state FROM tasks WHERE id = {int(tid)} AND state IN ('done','dead')"),
            timeout=timeout, what=f"task {tid}")
        if got != state:
            err = self.sql(f"SELECT last_error FROM tasks WHERE id = {int(tid)}")
            self.fail(f"task {tid} is {got}, not {state}: {err}")
        self.wait_idle(timeout)

    def event(self, rec, status):
        st, body, _ = self.server.post_event({"type": "ats.status_changed", "base_id": tdtest.BASE_ID,
                                              "table_id": ATS, "record_id": rec,
                                              "fields": {"Job Status": status}})
        self.assertEqual(st, 202, body)
        return body["task_id"]

    def set_status(self, rec, status):
        self.emu.patch_record(ATS, rec, {"Job Status": status})

    def transition(self, rec, status, **kw):
        """The recruiter changes the status; the automation sends the event."""
        self.set_status(rec, status)
        tid = self.event(rec, status)
        self.wait_task(tid, **kw)
        return tid

    def record(self, rec):
        for t in self.emu.dump()["tables"]:
            for r in t.get("records", []):
                if r["id"] == rec:
                    return r["fields"]
        raise KeyError(rec)

    def requests(self, method=None, table=ATS):
        return [e for e in self.emu.log()
                if (method is None or e["method"] == method) and table in e["path"]]

    def stored(self, rec):
        r = self.rows(f"SELECT coalesce(status,''), status_source, paused, archived FROM ats_jobs"
                      f" WHERE ats_record_id = '{rec}'")
        return tuple(r[0]) if r else None

    def history(self, rec):
        return self.rows(f"SELECT coalesce(from_status,''), coalesce(to_status,''), source"
                         f" FROM ats_status_history WHERE ats_record_id = '{rec}' ORDER BY id")

    # ---- duplicates and order -------------------------------------------
    def test_duplicate_and_out_of_order_events_are_noops(self):
        tid = self.transition(A2, "Ongoing Recruiting")
        self.assertEqual(self.stored(A2), ("Ongoing Recruiting", f"task:{tid}", "f", "f"))
        self.assertEqual(self.history(A2), [["", "Ongoing Recruiting", f"task:{tid}"]])

        # the same event again (a new delivery): re-read, nothing to do
        self.wait_task(self.event(A2, "Ongoing Recruiting"))
        self.assertEqual(len(self.history(A2)), 1)

        # a newer status, then an old event arriving late
        tid2 = self.transition(A2, "Client Introduction")
        self.wait_task(self.event(A2, "Ongoing Recruiting"))
        self.assertEqual(self.stored(A2), ("Client Introduction", f"task:{tid2}", "f", "f"))
        self.assertEqual([h[1] for h in self.history(A2)], ["Ongoing Recruiting", "Client Introduction"])
        self.assertEqual(self.requests("PATCH"), [], "no status here writes to Airtable")

    # ---- On Hold --------------------------------------------------------
    def check_on_hold_result(self):
        f = self.record(A1)
        moved = [t for ids in ACTIVE_ON_A1.values() for t in ids]
        held = f.get("Considered Talent (Job On Hold)", [])
        self.assertEqual(len(held), len(set(held)), "no duplicates")
        self.assertEqual(set(held), set(moved) | set(HELD_ON_A1))
        self.assertEqual(len(held), 31)
        for col in ACTIVE_ON_A1:
            self.assertNotIn(col, f, col + " should be empty")
        for col, ids in UNTOUCHED_ON_A1.items():
            self.assertEqual(f.get(col), ids, col + " untouched")
        placements = self.rows(f"SELECT talent_record_id, stage_column FROM on_hold_placements"
                               f" WHERE ats_record_id = '{A1}'")
        self.assertEqual(sorted(map(tuple, placements)),
                         sorted((t, col) for col, ids in ACTIVE_ON_A1.items() for t in ids))
        self.assertEqual(self.stored(A1)[0], "On Hold")
        self.assertEqual(self.stored(A1)[2], "t", "paused")

    def test_on_hold_moves_everyone_in_one_patch(self):
        self.transition(A1, "On Hold")
        patches = self.requests("PATCH")
        self.assertEqual(len(patches), 1, patches)
        self.check_on_hold_result()
        # a repeated event changes nothing
        self.emu.clear_log()
        self.wait_task(self.event(A1, "On Hold"))
        self.assertEqual(self.requests("PATCH"), [])
        self.assertEqual(len(self.rows(f"SELECT 1 FROM on_hold_placements WHERE ats_record_id = '{A1}'")), 30)

    def test_on_hold_patch_failure_keeps_placements_and_retry_completes(self):
        self.set_status(A1, "On Hold")
        # the GET passes, the PATCH is refused with a final error: the task dies
        self.emu.script([{}, {"status": 422, "body": {"error": {"type": "INVALID_REQUEST_UNKNOWN",
                                                                "message": "scripted"}}}])
        tid = self.event(A1, "On Hold")
        self.wait_task(tid, state="dead")
        self.assertEqual(len(self.rows(f"SELECT 1 FROM on_hold_placements WHERE ats_record_id = '{A1}'")), 30)
        self.assertIsNone(self.stored(A1), "status not recorded before its side effect")
        self.assertIn("Potential Talent Fit", self.record(A1))
        # the retry moves everyone, and stores no placement twice
        st, body, _ = self.server.request("POST", f"/admin/tasks/{tid}/retry", headers=ADMIN)
        self.assertEqual(st, 202, body)
        self.wait_task(tid)
        self.check_on_hold_result()

    # ---- matchmaking transitions ----------------------------------------
    def test_sourcing_writes_the_ai_column(self):
        self.need_sync()
        self.sql(f"INSERT INTO ats_jobs (ats_record_id, status, status_source, paused)"
                 f" VALUES ('{A0}', 'On Hold', 'test', true)")
        self.transition(A0, "Sourcing")
        f = self.record(A0)
        self.assertTrue(f.get("Potential Talent Fit AI"), f)
        self.assertTrue(set(f["Potential Talent Fit AI"]) <= set(T))
        self.assertIn("AI PROPOSTED CANDIDATES", f)
        self.assertIn("MATCHED CANDIDATES", f)
        self.assertEqual(self.stored(A0)[0], "Sourcing")
        self.assertEqual(self.stored(A0)[2:], ("f", "f"), "flags cleared")
        self.assertEqual(len(self.requests("PATCH")), 1)
        # the status task passed the record to the run: one GET of the ATS record only
        gets = [e for e in self.requests("GET") if e["path"].endswith(A0)]
        self.assertEqual(len(gets), 2, "the status read and the run's re-check")

    def test_initial_recruiting_runs_only_without_matches(self):
        self.need_sync()
        self.transition(A0, "Initial Recruiting")
        self.assertTrue(self.record(A0).get("Potential Talent Fit AI"))
        self.assertEqual(self.sql(f"SELECT count(*) FROM match_runs WHERE ats_record_id = '{A0}'"), "1")

        # a stored run exists: back to Initial Recruiting with an emptied column does nothing
        self.transition(A0, "Backlog")
        self.emu.patch_record(ATS, A0, {"Potential Talent Fit AI": []})
        self.emu.clear_log()
        self.transition(A0, "Initial Recruiting")
        self.assertEqual(self.requests("PATCH"), [])
        self.assertEqual(self.sql(f"SELECT count(*) FROM match_runs WHERE ats_record_id = '{A0}'"), "1")

    def test_initial_recruiting_with_ai_column_filled_does_nothing(self):
        self.emu.patch_record(ATS, A0, {"Potential Talent Fit AI": [T[1], T[2]]})
        self.transition(A0, "Initial Recruiting")
        self.assertEqual(self.requests("PATCH"), [])
        self.assertEqual(self.sql(f"SELECT count(*) FROM match_runs WHERE ats_record_id = '{A0}'"), "0")
        self.assertEqual(self.stored(A0)[0], "Initial Recruiting")

    def test_closed_job_archives_and_refuses_triggers(self):
        self.need_sync()
        self.transition(A0, "Sourcing")
        self.transition(A0, "Position closed")
        self.assertEqual(self.stored(A0)[3], "t", "archived")
        self.assertEqual(self.sql(f"SELECT bool_and(archived) FROM match_runs WHERE ats_record_id = '{A0}'"), "t")
        st, body, _ = self.server.request("POST", f"/admin/ats/{A0}/match", headers=ADMIN)
        if st == 404:
            self.skipTest("POST /admin/ats/{id}/match is not wired yet")
        self.assertEqual(st, 409, body)
        # back to an active status: triggers are taken again
        self.transition(A0, "Ongoing Recruiting")
        self.assertEqual(self.stored(A0)[2:], ("f", "f"))
        st, body, _ = self.server.request("POST", f"/admin/ats/{A0}/match", headers=ADMIN)
        self.assertEqual(st, 202, body)
        self.wait_idle()

    def test_paused_job_refuses_triggers(self):
        self.transition(A1, "On Hold")
        st, body, _ = self.server.request("POST", f"/admin/ats/{A1}/match", headers=ADMIN)
        if st == 404:
            self.skipTest("POST /admin/ats/{id}/match is not wired yet")
        self.assertEqual(st, 409, body)

    def test_on_hold_during_a_match_run_wins(self):
        self.need_sync()
        # A0 has someone shortlisted, so the On Hold move has work to do
        self.emu.patch_record(ATS, A0, {"Shortlisted Talent": [T[3]]})
        self.emu.clear_log()
        # requests: the status GET of A0, then the run's Company GET (slowed),
        # then the run's re-check GET, which must see On Hold
        self.emu.script([{}, {"slow_ms": 2000}])
        self.set_status(A0, "Sourcing")
        tid = self.event(A0, "Sourcing")
        tdtest.wait_until(lambda: any(e["path"].endswith(A0) for e in self.emu.log()), what="the status read")
        self.set_status(A0, "On Hold")
        tid2 = self.event(A0, "On Hold")
        self.wait_task(tid)
        self.wait_task(tid2)
        for e in self.requests("PATCH"):
            self.assertNotIn("AI PROPOSTED CANDIDATES", e.get("body") or "", "the run must not write")
        f = self.record(A0)
        self.assertNotIn("Potential Talent Fit AI", f)
        self.assertEqual(f.get("Considered Talent (Job On Hold)"), [T[3]])
        self.assertNotIn("Shortlisted Talent", f)
        self.assertEqual(self.stored(A0)[0], "On Hold")
        self.assertEqual(self.stored(A0)[2], "t")
        self.assertEqual([h[1] for h in self.history(A0)], ["Sourcing", "On Hold"])

    # ---- Hired ----------------------------------------------------------
    def test_hired_is_recorded(self):
        tid = self.transition(A2, "Hired")
        self.assertEqual(self.rows(f"SELECT talent_record_id, source FROM hires WHERE ats_record_id = '{A2}'"),
                         [[T[36], f"task:{tid}"]])
        self.assertEqual(self.stored(A2)[0], "Hired")

    # ---- reconciliation -------------------------------------------------
    def test_reconcile_catches_a_change_without_event(self):
        st, body, _ = self.server.request("POST", "/admin/reconcile", headers=ADMIN)
        self.assertEqual(st, 202, body)
        self.assertTrue(body["ok"])
        self.wait_task(body["task_id"])
        # every record was new: each got its status recorded, source "reconcile"
        for rec, status in ((A0, "Backlog"), (A1, "In Interview"), (A2, "Offer")):
            self.assertEqual(self.stored(rec)[:2], (status, "reconcile"))
        lists = self.requests("GET")
        self.assertTrue(any("Job+Status" in (e["query"] or "") or "Job%20Status" in (e["query"] or "")
                            for e in lists), lists)

        # a change made in Airtable with no event
        self.emu.patch_record(ATS, A2, {"Job Status": "Hired"})
        self.emu.clear_log()
        st, body, _ = self.server.request("POST", "/admin/reconcile", headers=ADMIN)
        self.assertEqual(st, 202, body)
        self.wait_task(body["task_id"])
        self.assertEqual(self.stored(A2)[:2], ("Hired", "reconcile"))
        self.assertEqual(self.rows(f"SELECT talent_record_id FROM hires WHERE ats_record_id = '{A2}'"), [[T[36]]])
        # only the changed record was re-read
        gets = [e["path"] for e in self.requests("GET") if e["path"].rsplit("/", 1)[-1].startswith("rec")]
        self.assertEqual(gets, [f"/v0/{tdtest.BASE_ID}/{ATS}/{A2}"])
        # nothing changed: a poll queues nothing
        self.emu.clear_log()
        st, body, _ = self.server.request("POST", "/admin/reconcile", headers=ADMIN)
        self.wait_task(body["task_id"])
        log = self.emu.log()
        # two listings: Job Status alone, then the stage columns (issue 7); no record read
        self.assertEqual(len(log), 2, log)
        self.assertTrue(all(e["path"] == f"/v0/{tdtest.BASE_ID}/{ATS}" for e in log), log)
        import urllib.parse
        fields = [urllib.parse.parse_qs(e["query"]).get("fields[]", []) for e in log]
        self.assertEqual(fields[0], ["Job Status"])
        self.assertNotIn("Job Status", fields[1])
        self.assertIn("Recruiter AI Result Rejection", fields[1])

    def test_reconcile_requires_admin(self):
        st, _, _ = self.server.request("POST", "/admin/reconcile")
        self.assertEqual(st, 401)


class AutomaticReconcileTest(unittest.TestCase):
    """TALENTD_RECONCILE_INTERVAL > 0: a poll at start-up, then every interval."""

    def test_polls_at_start_and_on_interval(self):
        cluster = tdtest.Cluster()
        db = "talentd_e2e_status_auto"
        url = cluster.new_database(db)
        with Emulator(write_fixture(make_fixture()), token=TOKEN, rate_limit=0) as emu:
            env = tdtest.base_env(url, AIRTABLE_API_URL=emu.url, AIRTABLE_RATE_LIMIT_RPS=1000,
                                  TALENTD_RECONCILE_INTERVAL=2)
            tdtest.run_talentd(["migrate"], env)
            server = tdtest.Server(env)
            try:
                q = "SELECT count(*) FROM ats_jobs WHERE status_source = 'reconcile'"
                tdtest.wait_until(lambda: cluster.psql(db, q).strip() == "3", timeout=20,
                                  what="the start-up poll")
                emu.patch_record(ATS, A0, {"Job Status": "Probation period"})
                q = f"SELECT status FROM ats_jobs WHERE ats_record_id = '{A0}'"
                tdtest.wait_until(lambda: cluster.psql(db, q).strip() == "Probation period", timeout=20,
                                  what="a later poll")
            finally:
                server.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
