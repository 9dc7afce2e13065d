"""Recruiter feedback end to end (issue 7): the ats.stages_changed task,
matchmaking with feedback, the Feedback field, REJECTED PROPOSTED CANDIDATES
and `talentd feedback report`.

A real `talentd serve` against the Airtable emulator and a private
PostgreSQL, on a small hand-made base: 30 candidates (20 backend: even ones
know Rust, odd ones Python; 10 frontend, two of them both named "Sam Lee"),
2 companies, 3 ATS jobs (A0 takes the feedback, A1 never gets any, A2 is
the stage-diff playground).  The tests run in name order and build on each
other.  Run from the repository root:  python3 tests/e2e/test_feedback.py
"""
import json
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import tdtest  # noqa: E402

TALENT_TBL = "tblOkLOSo4Zjwp0yF"
from emulator import Emulator, write_fixture  # noqa: E402

TOKEN = "patTESTtoken.0000"
TALENT, CUSTOMERS, ATS = "tblOkLOSo4Zjwp0yF", "tbl9KNjT3G08f6oXh", "tblrbhITEIBOxwcQV"
ADMIN = {"Authorization": "Bearer " + tdtest.ADMIN_TOKEN}

T = [f"recFBT{i:011d}" for i in range(30)]
C0, C1 = "recFBC00000000000", "recFBC00000000001"
A0, A1, A2 = "recFBA00000000000", "recFBA00000000001", "recFBA00000000002"
FIRST = ["Alice", "Bruno", "Clara", "Dmitri", "Elena", "Felix", "Greta", "Hugo", "Ines", "Jonas",
         "Katrin", "Lukas", "Mira", "Nils", "Olga", "Pavel", "Quinn", "Rosa", "Stefan", "Tara",
         "Uwe", "Vera", "Walter", "Xenia", "Yusuf", "Zora", "Anton", "Berta", "Sam", "Sam"]
LAST = ["Novak", "Marsh", "Berg", "Orlov", "Costa", "Weber", "Lind", "Moreau", "Silva", "Haas",
        "Vogel", "Brandt", "Kaur", "Dahl", "Petrova", "Horak", "Adams", "Ruiz", "Keller", "Singh",
        "Roth", "Maier", "Frank", "Ivanova", "Demir", "Kovac", "Gruber", "Engel", "Lee", "Lee"]
NAMES = [f"{f} {l}" for f, l in zip(FIRST, LAST)]
RUST = {T[i] for i in range(0, 20, 2)}


def make_fixture():
    with open(os.path.join(tdtest.ROOT, "tests", "fixtures", "airtable-schema.json"), encoding="utf-8") as f:
        d = json.load(f)
    d["base_id"] = tdtest.BASE_ID
    tables = {t["name"]: t for t in d["tables"]}
    talent = []
    for i, rid in enumerate(T):
        years = 4 + i % 7
        if i < 20:
            extra = "Rust" if i % 2 == 0 else "Python"
            cv = (f"Backend engineer, {years} years building services in Go and PostgreSQL on Kubernetes;"
                  f" lately a lot of {extra}. Docker, gRPC.")
            skills, title = ["Go", "PostgreSQL", "Kubernetes", extra], "Backend Engineer"
        else:
            cv = f"Frontend developer, {years} years with React, TypeScript and JavaScript."
            skills, title = ["React", "TypeScript"], "Frontend Developer"
        talent.append({"id": rid, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Name": NAMES[i], "Email": f"c{i}@example.com", "CV Text": cv, "Skills": skills,
            "Current Title": title, "Years of Experience": years,
            "Location": "Berlin, Germany" if i % 2 else "Munich, Germany",
            "Work Preference": "Remote", "Desired Salary": 70000 + 500 * i}})
    tables["Talent"]["records"] = talent
    tables["Customers STT"]["records"] = [
        {"id": C0, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Company": "Acme Backend GmbH",
            "Job Description": ("We build payment infrastructure.\n\nSenior Backend Engineer\n"
                                "What you bring: 4+ years of Go, PostgreSQL and Kubernetes.\n"
                                "Nice to have: Docker.\n\nRemote within Europe.\nSalary EUR 70,000 - 100,000"),
            "Location": "Berlin, Germany", "Salary Range": "EUR 70,000 - 100,000",
            "Remote Policy": "Remote", "Stage": "Active Client", "ATS Jobs": [A0, A1]}},
        {"id": C1, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Company": "Pixel Frontend AG",
            "Job Description": "Frontend Developer\nWhat you bring: 3+ years of React and TypeScript.",
            "Location": "Munich, Germany", "Remote Policy": "Remote", "Stage": "Active Client",
            "ATS Jobs": [A2]}},
    ]
    tables["ATS"]["records"] = [
        {"id": A0, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Open Position (Job Title)": "Senior Go Backend Engineer", "Company": [C0], "Job Status": "Backlog",
            "SMART IEALD CANDIDATE PROFILE": "Go and PostgreSQL backend engineer, Kubernetes"}},
        {"id": A1, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Open Position (Job Title)": "Backend Engineer", "Company": [C0], "Job Status": "Backlog"}},
        {"id": A2, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Open Position (Job Title)": "Frontend Developer", "Company": [C1], "Job Status": "In Interview",
            "Interview Rejected Talent": [T[20]], "Shortlisted Talent": [T[21]],
            "Potential Talent Fit AI": [T[22]]}},
    ]
    return d


class FeedbackTest(unittest.TestCase):
    state = {}

    @classmethod
    def setUpClass(cls):
        cls.cluster = tdtest.Cluster()
        cls.db = "talentd_e2e_feedback"
        url = cls.cluster.new_database(cls.db)
        cls.emu = Emulator(write_fixture(make_fixture()), token=TOKEN, rate_limit=0)
        cls.env = tdtest.base_env(url, AIRTABLE_API_URL=cls.emu.url, AIRTABLE_RATE_LIMIT_RPS=1000,
                                  TALENTD_ADMIN_TOKEN=tdtest.ADMIN_TOKEN, TALENTD_WORKERS=2,
                                  TALENTD_RECONCILE_INTERVAL=0, TALENTD_TOP_N=30)
        tdtest.run_talentd(["migrate"], cls.env)
        tdtest.run_talentd(["sync", "all"], cls.env, timeout=300)
        cls.server = tdtest.Server(cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        if os.environ.get("TD_TEST_VERBOSE"):
            sys.stderr.write(cls.server.log())
        cls.emu.stop()

    def tearDown(self):
        if any(err for _, err in getattr(self._outcome, "errors", []) if err):
            sys.stderr.write(self.server.log()[-6000:])

    # ---- helpers --------------------------------------------------------
    def sql(self, q):
        return self.cluster.psql(self.db, q).strip()

    def rows(self, q):
        out = self.sql(q)
        return [line.split("|") for line in out.splitlines()] if out else []

    def wait_task(self, tid, timeout=30):
        got = tdtest.wait_until(lambda: self.sql(
            f"SELECT state FROM tasks WHERE id = {int(tid)} AND state IN ('done','dead')"),
            timeout=timeout, what=f"task {tid}")
        if got != "done":
            self.fail(f"task {tid} is {got}: " + self.sql(f"SELECT last_error FROM tasks WHERE id = {int(tid)}"))

    def post(self, type_, rec, msg_id=None):
        st, body, _ = self.server.post_event({"type": type_, "base_id": tdtest.BASE_ID, "table_id": ATS,
                                              "record_id": rec}, msg_id=msg_id)
        return st, body

    def stages(self, rec, msg_id=None):
        st, body = self.post("ats.stages_changed", rec, msg_id)
        self.assertEqual(st, 202, body)
        self.wait_task(body["task_id"])
        return body

    def match(self, rec):
        st, body, _ = self.server.request("POST", f"/admin/ats/{rec}/match", headers=ADMIN)
        self.assertEqual(st, 202, body)
        self.wait_task(body["task_id"])
        st, body, _ = self.server.get(f"/admin/ats/{rec}/matches", headers=ADMIN)
        self.assertEqual(st, 200, body)
        return body["matches"]

    def latest_scores(self, rec):
        return self.rows("SELECT m.talent_record_id, m.score FROM matches m WHERE m.run_id ="
                         f" (SELECT max(id) FROM match_runs WHERE ats_record_id = '{rec}') ORDER BY m.rank")

    def record(self, rec):
        for t in self.emu.dump()["tables"]:
            for r in t.get("records", []):
                if r["id"] == rec:
                    return r["fields"]
        raise KeyError(rec)

    def events(self, rec):
        return self.rows("SELECT talent_record_id, stage_column, direction, signal, source FROM feedback_events"
                         f" WHERE ats_record_id = '{rec}' ORDER BY id")

    def ats_patches(self):
        return [e for e in self.emu.log() if e["method"] == "PATCH" and ATS in e["path"]]

    # ---- stage snapshots ------------------------------------------------
    def test_a_snapshot_diffs(self):
        self.stages(A2)
        ev = self.events(A2)
        self.assertEqual(sorted((e[0], e[1], e[2], e[3]) for e in ev), sorted([
            (T[20], "Interview Rejected Talent", "entered", "rejected"),
            (T[21], "Shortlisted Talent", "entered", "progress"),
            (T[22], "Potential Talent Fit AI", "entered", "none")]))
        self.assertTrue(all(e[4].startswith("first:task:") for e in ev), ev)
        # the same news again (a new webhook id): nothing new
        self.stages(A2)
        self.assertEqual(len(self.events(A2)), 3)
        # a move and an entry
        self.emu.patch_record(ATS, A2, {"Shortlisted Talent": [], "Client Introduction": [T[21]],
                                        "Potential Talent Fit": [T[23]]})
        body = self.stages(A2, msg_id="msg_fb_move_1")
        ev = self.events(A2)[3:]
        self.assertEqual(sorted((e[0], e[1], e[2], e[3]) for e in ev), sorted([
            (T[21], "Shortlisted Talent", "left", "none"),
            (T[21], "Client Introduction", "entered", "progress"),
            (T[23], "Potential Talent Fit", "entered", "progress")]))
        self.assertTrue(all(e[4] == f"task:{body['task_id']}" for e in ev), ev)
        # the same webhook id again: a duplicate, nothing recorded
        st, dup = self.post("ats.stages_changed", A2, msg_id="msg_fb_move_1")
        self.assertEqual(st, 200, dup)
        self.assertTrue(dup.get("duplicate"))
        self.assertEqual(len(self.events(A2)), 6)
        # leaving
        self.emu.patch_record(ATS, A2, {"Potential Talent Fit": []})
        self.stages(A2)
        self.assertEqual(self.events(A2)[6:], [[T[23], "Potential Talent Fit", "left", "none",
                                                 self.events(A2)[6][4]]])
        # a move with no event at all is caught by the reconciliation poll
        self.emu.patch_record(ATS, A2, {"Interview Rejected Talent": [T[20], T[24]]})
        st, body, _ = self.server.request("POST", "/admin/reconcile", b"", ADMIN)
        self.assertEqual(st, 202, body)
        self.wait_task(body["task_id"])
        tdtest.wait_until(lambda: len(self.events(A2)) == 8 and not self.sql(
            "SELECT 1 FROM tasks WHERE kind = 'ats.stages_changed' AND state <> 'done' LIMIT 1"),
            what="the stages task queued by reconciliation")
        self.assertEqual(self.events(A2)[7][:4], [T[24], "Interview Rejected Talent", "entered", "rejected"])
        # nothing changed since: a second poll queues no stages task
        before = self.sql("SELECT count(*) FROM tasks WHERE kind = 'ats.stages_changed'")
        st, body, _ = self.server.request("POST", "/admin/reconcile", b"", ADMIN)
        self.wait_task(body["task_id"])
        self.assertEqual(self.sql("SELECT count(*) FROM tasks WHERE kind = 'ats.stages_changed'"), before)
        snap = self.rows(f"SELECT stage_column, talent_record_id FROM stage_snapshots WHERE ats_record_id = '{A2}'"
                         " ORDER BY 1, 2")
        self.assertEqual(snap, sorted([["Client Introduction", T[21]], ["Interview Rejected Talent", T[20]],
                                       ["Interview Rejected Talent", T[24]], ["Potential Talent Fit AI", T[22]]]))

    def test_b_on_hold_is_not_a_rejection(self):
        before = len(self.events(A2))
        self.emu.patch_record(ATS, A2, {"Job Status": "On Hold"})
        st, body = self.post("ats.status_changed", A2)
        self.assertEqual(st, 202, body)
        self.wait_task(body["task_id"])
        held = self.record(A2).get("Considered Talent (Job On Hold)", [])
        if T[21] not in held:
            self.skipTest("the On Hold transition did not move the candidates (issue 6 not there?)")
        self.stages(A2)
        new = self.events(A2)[before:]
        self.assertTrue(new, "the on-hold move was seen")
        self.assertIn([T[21], "Considered Talent (Job On Hold)", "entered", "none"], [e[:4] for e in new])
        self.assertFalse([e for e in new if e[3] in ("not_a_fit", "rejected", "declined")], new)

    # ---- not a fit ------------------------------------------------------
    def test_c_not_a_fit_is_never_proposed_again(self):
        first = self.match(A0)
        ids = [m["id"] for m in first]
        self.assertGreaterEqual(len(ids), 15)
        x = next(i for i in ids if i in T[:20] and i not in RUST)
        pct = next(m["percent"] for m in first if m["id"] == x)
        self.emu.patch_record(ATS, A0, {"Potential Talent Fit AI": [i for i in ids if i != x],
                                        "Recruiter AI Result Rejection": [x]})
        self.emu.clear_log()
        self.stages(A0)
        self.assertIn([x, "Recruiter AI Result Rejection", "entered", "not_a_fit"],
                      [e[:4] for e in self.events(A0)])
        expect = f"{NAMES[T.index(x)]} ({int(pct)}%)"
        self.assertEqual(self.record(A0).get("REJECTED PROPOSTED CANDIDATES"), expect)
        self.assertEqual(len(self.ats_patches()), 1)
        # the recruiter tidies the rejection column: still never proposed again
        self.emu.patch_record(ATS, A0, {"Recruiter AI Result Rejection": []})
        self.emu.clear_log()
        self.stages(A0)
        self.assertEqual(self.ats_patches(), [], "the summary did not change: no PATCH")
        second = [m["id"] for m in self.match(A0)]
        self.assertNotIn(x, second)
        self.assertEqual(self.record(A0).get("REJECTED PROPOSTED CANDIDATES"), expect)
        FeedbackTest.state.update(x=x, expect=expect)

    # ---- matchmaking with feedback --------------------------------------
    def test_d_feedback_reshapes_the_ranking(self):
        x = FeedbackTest.state.get("x")
        if not x:
            self.skipTest("test_c did not run")
        a1_before = self.latest_scores(A1) if self.rows(
            f"SELECT 1 FROM match_runs WHERE ats_record_id = '{A1}'") else None
        if a1_before is None:
            self.match(A1)
            a1_before = self.latest_scores(A1)
        before = [m["id"] for m in self.match(A0)]
        # promote the group (Rust or Python people) that ranks worse now
        backend = [i for i in before if i in T[:20]]
        rust_pos = [k for k, i in enumerate(backend) if i in RUST]
        group = RUST if sum(rust_pos) / len(rust_pos) > (len(backend) - 1) / 2 else set(T[:20]) - RUST
        ranked = [i for i in backend if i in group]
        hired, interview = ranked[-2:], ranked[-4:-2]
        self.emu.patch_record(ATS, A0, {"Hired": hired, "In Interview 1": interview})
        self.stages(A0)
        after_m = self.match(A0)
        after = [m["id"] for m in after_m]
        moved = set(hired + interview + [x])
        self.assertFalse(moved & set(after), "placed candidates are not proposed")
        common = [i for i in backend if i in set(after) and i not in moved]

        def mean_pos(order):
            order = [i for i in order if i in common]
            pos = [k for k, i in enumerate(order) if i in group]
            return sum(pos) / len(pos)

        self.assertLess(mean_pos(after), mean_pos(before),
                        f"the promoted group moves up: before {before} after {after}")
        self.assertIsNotNone(after_m[0]["components"].get("feedback"))
        # a job without feedback ranks exactly as before
        self.match(A1)
        self.assertEqual(self.latest_scores(A1), a1_before)
        FeedbackTest.state.update(hired=hired, interview=interview)

    # ---- the Feedback field ---------------------------------------------
    def test_e_feedback_lines_apply_once(self):
        target = T[6]
        old = dict(self.rows(f"SELECT skill, rating FROM candidate_skills WHERE airtable_record_id = '{target}'"))
        self.assertIn("Kubernetes", old)
        rev0 = int(self.sql(f"SELECT rev FROM normalized_candidates WHERE airtable_record_id = '{target}'"))
        text = "\n".join([
            f"{NAMES[6]}: Kubernetes -1, Rust +1",
            "Nobody Known: Go +1",
            f"{NAMES[7]}: Go ++1",
            "Sam Lee: React +1",
            "Client feedback 2026-11-12: prioritise people who owned an API.",
        ])
        self.emu.patch_record(ATS, A0, {"Feedback": text})
        self.stages(A0)
        self.stages(A0)
        adj = self.rows(f"SELECT skill, delta, coalesce(old_rating::text, ''), new_rating, source"
                        f" FROM skill_adjustments WHERE talent_record_id = '{target}' ORDER BY skill")
        self.assertEqual(len(adj), 2, adj)
        k8s = next(a for a in adj if a[0] == "Kubernetes")
        self.assertEqual(k8s[1:4], ["-1", old["Kubernetes"], str(max(1, int(old["Kubernetes"]) - 1))])
        self.assertTrue(k8s[4].startswith("task:"))
        now = dict(self.rows(f"SELECT skill, rating FROM candidate_skills WHERE airtable_record_id = '{target}'"))
        self.assertEqual(now["Kubernetes"], k8s[3])
        self.assertEqual(now["Rust"], str(min(5, int(old["Rust"]) + 1)))
        self.assertGreater(int(self.sql(f"SELECT rev FROM normalized_candidates"
                                        f" WHERE airtable_record_id = '{target}'")), rev0)
        st = sorted(r[0] for r in self.rows(f"SELECT status FROM feedback_lines WHERE ats_record_id = '{A0}'"))
        self.assertEqual(st, ["ambiguous", "applied", "malformed", "unresolved"])
        st, metrics, _ = self.server.get("/metrics")
        for s in ("applied", "malformed", "unresolved", "ambiguous"):
            self.assertIn(f'talentd_feedback_lines_total{{status="{s}"}} 1', metrics)
        lines = [ln for ln in self.server.log().splitlines() if '"event":"feedback_line_' in ln]
        self.assertEqual(len(lines), 4, lines)
        for ln in lines:
            for n in (NAMES[6], NAMES[7], "Sam Lee", "Nobody Known"):
                self.assertNotIn(n, ln)
        # the corrections survive a re-normalization of the candidate (a CV edit, then talent.updated)
        self.emu.patch_record(TALENT_TBL, target, {"Current Title": "Senior Backend Engineer (Go)"})
        st, body, _ = self.server.post_event({"type": "talent.updated", "base_id": tdtest.BASE_ID,
                                              "table_id": TALENT_TBL, "record_id": target})
        self.assertEqual(st, 202, body)
        self.wait_task(body["task_id"])
        self.assertGreater(int(self.sql(f"SELECT rev FROM normalized_candidates"
                                        f" WHERE airtable_record_id = '{target}'")), rev0 + 1)
        again = dict(self.rows(f"SELECT skill, rating FROM candidate_skills WHERE airtable_record_id = '{target}'"))
        self.assertEqual(again["Kubernetes"], k8s[3])
        self.assertEqual(again["Rust"], now["Rust"])

    # ---- the report -----------------------------------------------------
    def test_f_report(self):
        if "hired" not in FeedbackTest.state:
            self.skipTest("test_d did not run")
        p = tdtest.run_talentd(["feedback", "report", "--json"], self.env)
        rep = json.loads(p.stdout)
        job = next(j for j in rep["jobs"] if j["ats_record_id"] == A0)
        proposals = int(self.sql("SELECT count(DISTINCT m.talent_record_id) FROM matches m JOIN match_runs r"
                                 f" ON r.id = m.run_id WHERE r.ats_record_id = '{A0}'"))
        self.assertEqual(job["title"], "Senior Go Backend Engineer")
        self.assertEqual(job["proposals"], proposals)
        self.assertEqual((job["reviewed"], job["shortlisted"], job["client_introduction"], job["interview"],
                          job["negotiations"], job["hired"], job["not_a_fit"]), (5, 4, 4, 4, 2, 2, 1))
        self.assertAlmostEqual(job["precision"], 0.8)
        a1 = next(j for j in rep["jobs"] if j["ats_record_id"] == A1)
        self.assertEqual((a1["reviewed"], a1["not_a_fit"], a1["precision"]), (0, 0, None))
        self.assertEqual(rep["overall"]["not_a_fit"], 1)
        self.assertEqual(rep["overall"]["proposals"], sum(j["proposals"] for j in rep["jobs"]))
        txt = tdtest.run_talentd(["feedback", "report"], self.env).stdout
        self.assertIn(A0, txt)
        self.assertIn("precision = 1 - not_a_fit / reviewed", txt)


class RejectionLowersSkillsTest(unittest.TestCase):
    """TALENTD_FEEDBACK_REJECT_LOWERS_SKILLS=1: an interview rejection lowers the job's required
    skills by one for that candidate (never below 1, audited); off by default (FeedbackTest)."""

    def test_interview_rejection_lowers_required_skills(self):
        cluster = tdtest.Cluster()
        db = "talentd_e2e_feedback_lower"
        url = cluster.new_database(db)
        emu = Emulator(write_fixture(make_fixture()), token=TOKEN, rate_limit=0)
        env = tdtest.base_env(url, AIRTABLE_API_URL=emu.url, AIRTABLE_RATE_LIMIT_RPS=1000,
                              TALENTD_ADMIN_TOKEN=tdtest.ADMIN_TOKEN, TALENTD_RECONCILE_INTERVAL=0,
                              TALENTD_FEEDBACK_REJECT_LOWERS_SKILLS=1)
        sql = lambda q: cluster.psql(db, q).strip()  # noqa: E731
        try:
            tdtest.run_talentd(["migrate"], env)
            tdtest.run_talentd(["sync", "all"], env, timeout=300)
            srv = tdtest.Server(env)
            try:
                # a match run stores the position's required skills
                st, body, _ = srv.request("POST", f"/admin/ats/{A0}/match", b"", ADMIN)
                self.assertEqual(st, 202, body)
                tdtest.wait_until(lambda: sql(f"SELECT state FROM tasks WHERE id = {body['task_id']}") == "done",
                                  what="match")
                required = sql(f"SELECT string_agg(s.skill, ',' ORDER BY s.skill) FROM job_skills s JOIN"
                               f" normalized_jobs j ON j.id = s.job_id WHERE j.ats_record_id = '{A0}'"
                               f" AND s.kind = 'required'").split(",")
                self.assertIn("Go", required)
                who = T[4]
                before = dict(r.split("|") for r in sql(
                    f"SELECT skill, rating FROM candidate_skills WHERE airtable_record_id = '{who}'").splitlines())
                # first the stage snapshot, then the rejection after an interview
                for fields in ({"In Interview 1": [who]}, {"In Interview 1": [], "Interview Rejected Talent": [who]}):
                    emu.patch_record(ATS, A0, fields)
                    st, body, _ = srv.post_event({"type": "ats.stages_changed", "base_id": tdtest.BASE_ID,
                                                  "table_id": ATS, "record_id": A0})
                    self.assertEqual(st, 202, body)
                    tid = body["task_id"]
                    tdtest.wait_until(lambda: sql(f"SELECT state FROM tasks WHERE id = {tid}") == "done",
                                      what="stages task")
                after = dict(r.split("|") for r in sql(
                    f"SELECT skill, rating FROM candidate_skills WHERE airtable_record_id = '{who}'").splitlines())
                lowered = [k for k in required if k in before]
                self.assertTrue(lowered)
                for k in lowered:
                    self.assertEqual(int(after[k]), max(1, int(before[k]) - 1), k)
                self.assertEqual(int(sql(f"SELECT count(*) FROM skill_adjustments WHERE talent_record_id = '{who}'"
                                         f" AND delta = -1")), len(lowered))
                # a replay of the same snapshot lowers nothing more
                st, body, _ = srv.post_event({"type": "ats.stages_changed", "base_id": tdtest.BASE_ID,
                                              "table_id": ATS, "record_id": A0})
                tid = body["task_id"]
                tdtest.wait_until(lambda: sql(f"SELECT state FROM tasks WHERE id = {tid}") == "done", what="replay")
                self.assertEqual(int(sql(f"SELECT count(*) FROM skill_adjustments WHERE talent_record_id = '{who}'")),
                                 len(lowered))
            finally:
                srv.stop()
        finally:
            emu.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
