"""Matchmaking end to end (contract §7.3, issue 5): a real `talentd serve`
against the Airtable emulator on a small hand-made base.

Checks the one PATCH per run and its exact formats, the request budget,
idempotent re-runs, exclusions (placed and rejected candidates), the Start
Matchmaking path with two positions, `talentd match --dry-run --json`
writing nothing, and the stored ranking on the admin endpoint."""
import datetime
import json
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import tdtest  # noqa: E402
from emulator import Emulator, write_fixture  # noqa: E402

TOKEN = "patTESTtoken.0000"
ATS_TBL, CUST_TBL = "tblrbhITEIBOxwcQV", "tbl9KNjT3G08f6oXh"
ADMIN = {"Authorization": "Bearer " + tdtest.ADMIN_TOKEN}

C0 = "recCUSTOMER000000"
A_GO, A_DATA = "recATSGOBACKEND00", "recATSDATAANALYST"


def cand(rid, name, title, years, skills, cv, loc="Berlin, Germany", pref="Remote", salary=80000):
    f = {"Name": name, "Current Title": title, "Years of Experience": years, "Skills": skills,
         "CV Text": cv, "Location": loc, "Work Preference": pref, "Desired Salary": salary}
    return {"id": rid, "createdTime": "2026-01-01T10:00:00.000Z", "fields": f}


GO_CV = ("Senior Backend Engineer at Paylane GmbH (2018 - present): Go services on PostgreSQL and "
         "Kubernetes, gRPC APIs, on-call. Backend Developer at Shopware (2014 - 2018): Go and Postgres.")
DATA_CV = ("Data Analyst at Retailco (2019 - present): SQL, Tableau dashboards, Looker, retail "
           "analytics. Junior Analyst at Bankhaus (2016 - 2019): SQL and Excel.")
CANDIDATES = [
    cand("recGOSTRONG000001", "Greta Go", "Senior Backend Engineer", 9, ["Go", "PostgreSQL", "k8s"], GO_CV),
    cand("recGOALIAS0000002", "Arne Alias", "Senior Backend Engineer", 8, ["golang", "Postgres", "k8s"], GO_CV),
    cand("recGOPLACED000003", "Paula Placed", "Senior Backend Engineer", 10, ["Go", "PostgreSQL", "Kubernetes"], GO_CV),
    cand("recGOREJECT000004", "Rolf Rejected", "Senior Backend Engineer", 9, ["Go", "PostgreSQL", "Kubernetes"], GO_CV),
    cand("recGOMID0000000005", "Mia Mid", "Backend Developer", 4, ["Go", "MySQL"],
         "Backend Developer at Smallco (2021 - present): Go and MySQL services."),
    cand("recDATA0000000006", "Dora Data", "Data Analyst", 7, ["SQL", "Tableau", "Looker"], DATA_CV),
    cand("recDATA0000000007", "Dirk Dash", "Data Analyst", 5, ["SQL", "Tableau"], DATA_CV),
    cand("recNURSE000000008", "Nina Nurse", "Registered Nurse", 12, ["Patient Care"],
         "Registered Nurse at City Hospital (2012 - present): ward care, triage."),
    cand("recCHEF0000000009", "Carl Chef", "Head Chef", 15, ["Menu Planning"],
         "Head Chef at Bistro (2010 - present): kitchen team of 8."),
    cand("recEMPTY000000010", "Emil Empty", None, None, None, None, loc=None, pref=None, salary=None),
]
for c in CANDIDATES:  # Airtable omits empty cells
    c["fields"] = {k: v for k, v in c["fields"].items() if v is not None}
    c["id"] = (c["id"] + "0000000000")[:17]
IDS = {c["fields"]["Name"]: c["id"] for c in CANDIDATES}


def make_fixture():
    with open(os.path.join(tdtest.ROOT, "tests", "fixtures", "airtable-schema.json"), encoding="utf-8") as f:
        d = json.load(f)
    d["base_id"] = tdtest.BASE_ID
    t = {x["name"]: x for x in d["tables"]}
    t["Talent"]["records"] = CANDIDATES
    t["Customers STT"]["records"] = [{"id": C0, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
        "Company": "Paynode GmbH",
        "Job Description": ("Paynode builds payment rails. We are hiring a Senior Go Backend Engineer.\n\n"
                            "What you bring: 5+ years of Go, PostgreSQL and Kubernetes in production.\n"
                            "Nice to have: gRPC, Docker.\n\nRemote within Europe. Salary EUR 80,000 - 100,000."),
        "Location": "Berlin, Germany", "Salary Range": "EUR 80,000 - 100,000", "Remote Policy": "Remote",
        "Stage": "Active Client", "ATS Jobs": [A_GO, A_DATA], "Start Matchmaking": True}}]
    t["ATS"]["records"] = [
        {"id": A_GO, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Open Position (Job Title)": "Senior Go Backend Engineer", "Company": [C0], "Job Status": "Backlog",
            "SMART IEALD CANDIDATE PROFILE": "Senior Go backend engineer, 5+ years, PostgreSQL, Kubernetes",
            "Shortlisted Talent": [IDS["Paula Placed"]],
            "Recruiter AI Result Rejection": [IDS["Rolf Rejected"]]}},
        {"id": A_DATA, "createdTime": "2026-01-01T10:00:00.000Z", "fields": {
            "Open Position (Job Title)": "Data Analyst (SQL, Tableau)", "Company": [C0], "Job Status": "Backlog",
            "SMART IEALD CANDIDATE PROFILE": "Data analyst with SQL and Tableau or Looker, 3+ years"}},
    ]
    return d


class MatchFlowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.cluster = tdtest.Cluster()
        url = cls.cluster.new_database("talentd_e2e_match")
        cls.emu = Emulator(write_fixture(make_fixture()), token=TOKEN, rate_limit=0)
        cls.env = tdtest.base_env(url, AIRTABLE_API_URL=cls.emu.url, AIRTABLE_RATE_LIMIT_RPS=1000,
                                  AIRTABLE_TOKEN=TOKEN, TALENTD_ADMIN_TOKEN=tdtest.ADMIN_TOKEN,
                                  TALENTD_TOP_N=5, TALENTD_RETRY_BASE=0.2)
        tdtest.run_talentd(["migrate"], cls.env)
        tdtest.run_talentd(["sync", "all"], cls.env)
        cls.srv = tdtest.Server(cls.env)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.emu.stop()

    def ats(self, rid):
        for t in self.emu.dump()["tables"]:
            if t["id"] == ATS_TBL:
                return next(r for r in t["records"] if r["id"] == rid)["fields"]

    def run_match(self, rid):
        runs_before = self.cluster.psql("talentd_e2e_match",
                                        f"SELECT count(*) FROM match_runs WHERE ats_record_id = '{rid}'").strip()
        self.emu.clear_log()
        st, body, _ = self.srv.request("POST", f"/admin/ats/{rid}/match", b"", ADMIN)
        self.assertEqual(st, 202, body)
        tid = body["task_id"]
        tdtest.wait_until(lambda: self.cluster.psql(
            "talentd_e2e_match", f"SELECT state FROM tasks WHERE id = {tid}").strip() in ("done", "dead"),
            what="match task")
        self.assertEqual(self.cluster.psql("talentd_e2e_match", f"SELECT state FROM tasks WHERE id = {tid}").strip(),
                         "done")
        self.assertGreater(int(self.cluster.psql(
            "talentd_e2e_match", f"SELECT count(*) FROM match_runs WHERE ats_record_id = '{rid}'").strip()),
            int(runs_before))
        return [r for r in self.emu.log() if r["path"].startswith("/v0/")]

    def test_1_one_patch_exact_formats_and_exclusions(self):
        log = self.run_match(A_GO)
        patches = [r for r in log if r["method"] == "PATCH"]
        self.assertEqual(len(patches), 1, log)
        self.assertLessEqual(len(log), 4)
        f = self.ats(A_GO)
        ids = f["Potential Talent Fit AI"]
        # an alias-only profile (golang, Postgres, k8s) ranks as if canonical: it ties
        # with the identical canonical profile (ties break by record id)
        self.assertEqual(set(ids[:2]), {IDS["Greta Go"], IDS["Arne Alias"]})
        self.assertNotIn(IDS["Paula Placed"], ids)   # already shortlisted
        self.assertNotIn(IDS["Rolf Rejected"], ids)  # rejected by the recruiter
        self.assertNotIn(IDS["Emil Empty"], ids)     # an empty profile earns nothing
        names = {v: k for k, v in IDS.items()}
        expected = ", ".join(f"{names[i]} ({p}%)" for i, p in zip(
            ids, [int(m) for m in re.findall(r"\((\d+)%\)", f["AI PROPOSTED CANDIDATES"])]))
        self.assertEqual(f["AI PROPOSTED CANDIDATES"], expected)
        self.assertRegex(f["AI PROPOSTED CANDIDATES"], r"^[^,()]+ \(\d{1,3}%\)(, [^,()]+ \(\d{1,3}%\))*$")
        today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
        self.assertEqual(f["MATCHED CANDIDATES"], f"{len(ids)} candidates matched on {today}")
        body = json.loads(patches[0]["body"])
        self.assertEqual(set(body["records"][0]["fields"]),
                         {"Potential Talent Fit AI", "AI PROPOSTED CANDIDATES", "MATCHED CANDIDATES"})
        # the stored ranking explains every score
        st, r, _ = self.srv.get(f"/admin/ats/{A_GO}/matches", headers=ADMIN)
        self.assertEqual(st, 200)
        self.assertEqual([m["id"] for m in r["matches"]], ids)
        self.assertIn("skills", r["matches"][0]["components"])
        self.assertEqual(r["matches"][0]["components"]["skills"], r["matches"][1]["components"]["skills"])
        self.assertEqual(r["matches"][0]["score"], r["matches"][1]["score"])
        self.assertEqual({m["name"] for m in r["matches"][:2]}, {"Greta Go", "Arne Alias"})

    def test_2_rerun_unchanged_sends_no_patch(self):
        self.run_match(A_GO)
        log = self.run_match(A_GO)
        self.assertEqual([r["method"] for r in log if r["method"] != "GET"], [])
        self.assertLessEqual(len(log), 2)

    def test_3_start_matchmaking_picks_the_right_position_and_clears_the_checkbox(self):
        self.emu.clear_log()
        st, body, _ = self.srv.post_event({"type": "customer.start_matchmaking", "base_id": tdtest.BASE_ID,
                                           "table_id": CUST_TBL, "record_id": C0})
        self.assertEqual(st, 202, body)

        def done():
            cust = next(r for t in self.emu.dump()["tables"] if t["id"] == CUST_TBL for r in t["records"])
            return "Start Matchmaking" not in cust["fields"] and self.cluster.psql(
                "talentd_e2e_match", "SELECT count(*) FROM tasks WHERE kind = 'match' AND state <> 'done'").strip() == "0"
        tdtest.wait_until(done, timeout=30, what="checkbox cleared and match done")
        runs = self.cluster.psql("talentd_e2e_match",
                                 "SELECT ats_record_id FROM match_runs WHERE trigger = 'start_matchmaking'").split()
        self.assertEqual(runs, [A_GO])
        self.assertNotIn("Potential Talent Fit AI", self.ats(A_DATA))

    def test_4_dry_run_json_writes_nothing(self):
        before = self.cluster.psql("talentd_e2e_match", "SELECT count(*) FROM match_runs").strip()
        self.emu.clear_log()
        p = tdtest.run_talentd(["match", A_DATA, "--dry-run", "--json"], self.env)
        out = json.loads(p.stdout)
        self.assertTrue(out["dry_run"])
        self.assertEqual(out["matches"][0]["id"], IDS["Dora Data"])
        for m in out["matches"][:2]:
            self.assertIn(m["id"], (IDS["Dora Data"], IDS["Dirk Dash"]))
        self.assertIn("components", out["matches"][0])
        self.assertEqual([r["method"] for r in self.emu.log() if r["method"] != "GET"], [])
        self.assertEqual(self.cluster.psql("talentd_e2e_match", "SELECT count(*) FROM match_runs").strip(), before)
        self.assertNotIn("Potential Talent Fit AI", self.ats(A_DATA))
        # unfit candidates are not in the top 2 for a data job
        self.assertNotIn(IDS["Nina Nurse"], [m["id"] for m in out["matches"][:2]])

    def test_6_deleted_candidates_are_retired(self):
        talent = "tblOkLOSo4Zjwp0yF"
        # a full sync retires a candidate deleted in Airtable
        st, _ = self.emu.request("DELETE", f"/v0/{tdtest.BASE_ID}/{talent}/{IDS['Mia Mid']}")
        self.assertEqual(st, 200)
        p = tdtest.run_talentd(["sync", "talent"], self.env)
        self.assertIn("removed 1", p.stdout)
        self.assertEqual(self.cluster.psql("talentd_e2e_match", "SELECT deleted FROM normalized_candidates"
                                           f" WHERE airtable_record_id = '{IDS['Mia Mid']}'").strip(), "t")
        # a candidate deleted without a sync: the match PATCH is refused (ROW_DOES_NOT_EXIST),
        # talentd retires the candidate and the retried run succeeds without it
        ids = self.ats(A_GO)["Potential Talent Fit AI"]
        gone = ids[0]
        st, _ = self.emu.request("DELETE", f"/v0/{tdtest.BASE_ID}/{talent}/{gone}")
        self.assertEqual(st, 200)
        self.emu.clear_log()
        st, body, _ = self.srv.request("POST", f"/admin/ats/{A_GO}/match", b"", ADMIN)
        self.assertEqual(st, 202)
        tid = body["task_id"]
        tdtest.wait_until(lambda: self.cluster.psql(
            "talentd_e2e_match", f"SELECT state FROM tasks WHERE id = {tid}").strip() == "done",
            timeout=30, what="the re-run after a deleted candidate")
        self.assertEqual(self.cluster.psql("talentd_e2e_match", f"SELECT attempts FROM tasks WHERE id = {tid}").strip(),
                         "2")
        now = self.ats(A_GO)["Potential Talent Fit AI"]
        self.assertNotIn(gone, now)
        self.assertNotIn(IDS["Mia Mid"], now)

    def test_5_unknown_job_and_bad_ids(self):
        st, body, _ = self.srv.get(f"/admin/ats/{A_DATA}X/matches", headers=ADMIN)
        self.assertEqual(st, 400)
        st, body, _ = self.srv.get("/admin/ats/recNEVERMATCHED00/matches", headers=ADMIN)
        self.assertEqual((st, body["error"]["code"]), (404, "no_matches"))


if __name__ == "__main__":
    unittest.main(verbosity=2)
