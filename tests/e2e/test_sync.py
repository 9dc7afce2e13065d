"""End-to-end tests of issue 4: `talentd sync` and the talent.updated /
customer.updated tasks against the Airtable emulator and a private PostgreSQL.

- a generated base (200 candidates, 8 companies, a few PDF CVs) is synced:
  rows in normalized_candidates / candidate_skills / normalized_jobs /
  job_skills, (N) fields in the emulator, at most ceil(records / 10) PATCHes;
  a second run sends no write at all; a skill found only in a PDF CV is stored;
- `talentd serve` + a signed talent.updated event re-reads the record and
  writes its (N) fields in one PATCH; a recruiter's change, then an event,
  re-normalizes; a deleted record is marked deleted; customer.updated too;
- SIGINT in the middle of a rate-limited sync exits 130, and a re-run
  completes without PATCHing any record twice.
Run from the repository root:  python3 tests/e2e/test_sync.py
"""
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import tdtest  # noqa: E402
from emulator import Emulator, generate_fixture, write_fixture  # noqa: E402

BASE = "appSYNCTEST000001"
TALENT = "tblOkLOSo4Zjwp0yF"
CUSTOMERS = "tbl9KNjT3G08f6oXh"
TOKEN = "patSyncTest.secret"
N_FIELDS_T = ["(N) Title", "(N) Seniority", "(N) Years of Experience", "(N) Skills", "(N) Location",
              "(N) Timezone", "(N) Salary"]


def sync_wired():
    p = subprocess.run([tdtest.TALENTD, "sync"], capture_output=True, text=True,
                       env=tdtest.base_env("postgresql:///x", AIRTABLE_BASE_ID=BASE))
    return "unknown command" not in p.stderr


def patches(log, table=None):
    out = []
    for e in log:
        if e["method"] != "PATCH" or not e["path"].startswith("/v0/") or e["status"] != 200:
            continue
        if table and table not in e["path"]:
            continue
        out.append(e)
    return out


def writes(log):
    return [e for e in log if e["method"] in ("PATCH", "PUT", "POST", "DELETE")
            and e["path"].startswith("/v0/") and not e["path"].endswith("/listRecords")]


def statuses(log):
    out = {}
    for e in log:
        out[e["status"]] = out.get(e["status"], 0) + 1
    return out


def patched_ids(log, table=None):
    ids = []
    for e in patches(log, table):
        body = json.loads(e["body"])
        ids += [r["id"] for r in body.get("records", [])]
    return ids


class Base:
    """An emulator over a generated base plus a fresh database."""

    def __init__(self, name, candidates, companies, rate_limit=0, seed=11, pdfs=True):
        self.cluster = tdtest.Cluster()
        self.db = self.cluster.new_database(name)
        self.name = name
        self.pdf_dir = tempfile.mkdtemp(prefix="sync-pdf.")
        self.fixture = generate_fixture(candidates, companies, seed=seed,
                                        pdf_dir=self.pdf_dir if pdfs else None, base_id=BASE)
        self.emu = Emulator(write_fixture(self.fixture), token=TOKEN, rate_limit=rate_limit,
                            penalty=1, files=self.pdf_dir)
        self.env = tdtest.base_env(self.db, AIRTABLE_API_URL=self.emu.url, AIRTABLE_TOKEN=TOKEN,
                                   AIRTABLE_BASE_ID=BASE, AIRTABLE_RATE_LIMIT_RPS=1000,
                                   TALENTD_LOG_LEVEL="warn")
        tdtest.run_talentd(["migrate"], self.env)

    def sql(self, q):
        return [ln.split("|") for ln in self.cluster.psql(self.name, q).splitlines() if ln]

    def records(self, table):
        for t in self.emu.dump()["tables"]:
            if t["id"] == table:
                return {r["id"]: r["fields"] for r in t["records"]}
        raise KeyError(table)

    def sync(self, what="all", env=None, check=True):
        return tdtest.run_talentd(["sync", what], env or self.env, timeout=300, check=check)


@unittest.skipUnless(sync_wired(), "`talentd sync` is not wired into server/main.c yet")
class FieldMapTest(unittest.TestCase):
    """TALENTD_FIELD_MAP: a base with renamed fields is read and written under its own names."""

    def test_sync_reads_and_writes_renamed_fields(self):
        b = Base("sync_field_map", 20, 2, pdfs=False)
        try:
            d = b.fixture
            talent = next(t for t in d["tables"] if t["id"] == TALENT)
            for f in talent["fields"]:
                if f["name"] == "Skills":
                    f["name"] = "Tech Skills"
                elif f["name"] == "(N) Skills":
                    f["name"] = "Skills (normalized)"
            for r in talent["records"]:
                if "Skills" in r["fields"]:
                    r["fields"]["Tech Skills"] = r["fields"].pop("Skills")
            b.emu.load(d)
            mp = os.path.join(b.pdf_dir, "map.json")
            with open(mp, "w", encoding="utf-8") as f:
                json.dump({"Talent": {"Skills": "Tech Skills", "(N) Skills": "Skills (normalized)"}}, f)
            env = dict(b.env, TALENTD_FIELD_MAP=mp)
            b.sync("talent", env=env)
            recs = b.records(TALENT)
            written = [f for f in recs.values() if "Skills (normalized)" in f]
            self.assertGreater(len(written), 10)
            self.assertFalse(any("(N) Skills" in f for f in recs.values()))
            # the renamed source field was read: listed skills reach the normalized text
            with_listed = [f for f in recs.values() if f.get("Tech Skills")]
            self.assertTrue(with_listed)
            self.assertTrue(all(f.get("Skills (normalized)") for f in with_listed))
        finally:
            b.emu.stop()


@unittest.skipUnless(sync_wired(), "`talentd sync` is not wired into server/main.c yet")
class SyncTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Base("sync_backfill", 200, 8)
        cls.b.emu.clear_log()
        cls.first = cls.b.sync("all")
        cls.log1 = cls.b.emu.log()
        cls.b.emu.clear_log()
        cls.second = cls.b.sync("all")
        cls.log2 = cls.b.emu.log()

    @classmethod
    def tearDownClass(cls):
        cls.b.emu.stop()

    def test_rows_stored(self):
        b = self.b
        self.assertEqual(b.sql("SELECT count(*) FROM normalized_candidates WHERE NOT deleted"), [["200"]])
        self.assertEqual(b.sql("SELECT count(*) FROM normalized_jobs WHERE ats_record_id IS NULL"), [["8"]])
        n_skills = int(b.sql("SELECT count(*) FROM candidate_skills")[0][0])
        self.assertGreater(n_skills, 200)
        self.assertGreater(int(b.sql("SELECT count(*) FROM job_skills")[0][0]), 8)
        # no expiring attachment URL is ever stored
        self.assertEqual(b.sql("SELECT count(*) FROM normalized_candidates WHERE raw::text LIKE '%/_emu/files/%'"),
                         [["0"]])
        runs = b.sql("SELECT table_name, read, interrupted FROM sync_runs ORDER BY id")
        self.assertEqual(runs[:2], [["talent", "200", "f"], ["customers", "8", "f"]])

    def test_n_fields_written(self):
        b = self.b
        talent = b.records(TALENT)
        rows = b.sql("SELECT airtable_record_id, coalesce(title, ''), coalesce(seniority, ''),"
                     " coalesce(salary::text, '') FROM normalized_candidates")
        with_skills = {r[0] for r in b.sql("SELECT DISTINCT airtable_record_id FROM candidate_skills")}
        for rid, title, seniority, salary in rows:
            f = talent[rid]
            self.assertEqual(f.get("(N) Title", ""), title, rid)
            self.assertEqual(f.get("(N) Seniority", ""), seniority, rid)
            if salary:
                self.assertAlmostEqual(f["(N) Salary"], float(salary), delta=1, msg=rid)
            if rid in with_skills:
                self.assertRegex(f["(N) Skills"], r"^[^,]+ \([1-5]\)(, [^,]+ \([1-5]\))*$")
        # strongest first
        for f in talent.values():
            if "(N) Skills" in f:
                ratings = [int(x.rsplit("(", 1)[1].rstrip(")")) for x in f["(N) Skills"].split(", ")]
                self.assertEqual(ratings, sorted(ratings, reverse=True))
        customers = b.records(CUSTOMERS)
        jobs = b.sql("SELECT customer_record_id, coalesce(remote_policy, '') FROM normalized_jobs")
        self.assertEqual(len(jobs), 8)
        self.assertTrue(any("(N) Required Skills" in f for f in customers.values()))
        for f in customers.values():
            for k in ("(N) Required Skills", "(N) Nice-to-have Skills"):
                if k in f:
                    self.assertNotRegex(f[k], r"\(\d\)")  # job skills carry no ratings

    def test_patch_count(self):
        t = patches(self.log1, TALENT)
        c = patches(self.log1, CUSTOMERS)
        self.assertLessEqual(len(t), math.ceil(200 / 10))
        self.assertLessEqual(len(c), math.ceil(8 / 10))
        self.assertEqual(len(set(patched_ids(self.log1))), len(patched_ids(self.log1)))
        for e in t + c:
            self.assertTrue(json.loads(e["body"]).get("typecast"))
        self.assertIn("written 200", self.first.stdout)

    def test_second_run_writes_nothing(self):
        self.assertEqual(writes(self.log2), [])
        self.assertIn("unchanged 200", self.second.stdout)
        self.assertIn("unchanged 8", self.second.stdout)

    def test_pdf_cv_read(self):
        b = self.b
        talent = b.records(TALENT)
        pdf_recs = [rid for rid, f in talent.items() if f.get("CV")]
        self.assertTrue(pdf_recs, "the generated base has PDF CVs")
        found = 0
        for rid in pdf_recs:
            self.assertNotIn("CV Text", talent[rid])
            only_cv = b.sql(f"SELECT skill FROM candidate_skills WHERE airtable_record_id = '{rid}'"
                            " AND source = 'cv'")
            found += bool(only_cv)
            self.assertGreater(int(b.sql("SELECT length(cv_text) FROM normalized_candidates"
                                         f" WHERE airtable_record_id = '{rid}'")[0][0]), 50)
        self.assertGreater(found, 0, "a skill that appears only in a PDF CV was stored")


@unittest.skipUnless(sync_wired(), "`talentd sync` is not wired into server/main.c yet")
class TaskTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.b = Base("sync_tasks", 20, 2, pdfs=False, seed=5)
        env = dict(cls.b.env)
        env["TALENTD_WORKERS"] = "2"
        cls.srv = tdtest.Server(env)

    @classmethod
    def tearDownClass(cls):
        cls.srv.stop()
        cls.b.emu.stop()

    def event(self, type_, table, rec):
        st, body, _ = self.srv.post_event({"type": type_, "base_id": BASE, "table_id": table,
                                           "record_id": rec, "fields": {"Name": "ignored"}})
        self.assertEqual(st, 202, body)
        return body["task_id"]

    def task_done(self, task_id):
        def done():
            r = self.b.sql(f"SELECT state, coalesce(last_error, '') FROM tasks WHERE id = {task_id}")
            return r and r[0][0] in ("done", "dead") and r[0]
        state = tdtest.wait_until(done, timeout=30, what=f"task {task_id}")
        self.assertEqual(state[0], "done", state)

    def test_talent_updated(self):
        b = self.b
        rid = sorted(b.records(TALENT))[3]
        b.emu.clear_log()
        self.task_done(self.event("talent.updated", TALENT, rid))
        log = b.emu.log()
        ps = patches(log, TALENT)
        self.assertEqual(len(ps), 1, log)
        self.assertEqual(patched_ids(log), [rid])
        self.assertTrue(any(e["method"] == "GET" and e["path"].endswith(rid) for e in log))
        f = b.records(TALENT)[rid]
        self.assertEqual(b.sql(f"SELECT coalesce(title,'') FROM normalized_candidates"
                               f" WHERE airtable_record_id = '{rid}'"), [[f.get("(N) Title", "")]])
        # the same event again: nothing differs, nothing is written
        b.emu.clear_log()
        self.task_done(self.event("talent.updated", TALENT, rid))
        self.assertEqual(writes(b.emu.log()), [])
        # a recruiter edits the record in Airtable, then the automation fires
        b.emu.patch_record(TALENT, rid, {"Current Title": "Senior Rust Engineer",
                                         "Skills": ["Rust", "Kubernetes"],
                                         "Location": "Copenhagen, Denmark"})
        b.emu.clear_log()
        self.task_done(self.event("talent.updated", TALENT, rid))
        self.assertEqual(len(patches(b.emu.log(), TALENT)), 1)
        f = b.records(TALENT)[rid]
        self.assertIn("Rust", f["(N) Skills"])
        self.assertEqual(f["(N) Location"], "Copenhagen, DK")
        self.assertEqual(f["(N) Seniority"], "Senior")
        self.assertIn("Rust", [r[0] for r in b.sql(
            f"SELECT skill FROM candidate_skills WHERE airtable_record_id = '{rid}'")])
        # a recruiter overwrites an (N) cell: the next event repairs that cell only
        b.emu.patch_record(TALENT, rid, {"(N) Location": "Mars"})
        b.emu.clear_log()
        self.task_done(self.event("talent.updated", TALENT, rid))
        body = json.loads(patches(b.emu.log(), TALENT)[0]["body"])
        self.assertEqual(body["records"][0]["fields"], {"(N) Location": "Copenhagen, DK"})

    def test_talent_deleted(self):
        b = self.b
        rid = sorted(b.records(TALENT))[7]
        self.task_done(self.event("talent.updated", TALENT, rid))
        st, _ = b.emu.request("DELETE", f"/v0/{BASE}/{TALENT}/{rid}", token=TOKEN)
        self.assertEqual(st, 200)
        self.task_done(self.event("talent.updated", TALENT, rid))
        self.assertEqual(b.sql(f"SELECT deleted FROM normalized_candidates WHERE airtable_record_id = '{rid}'"),
                         [["t"]])

    def test_bad_cv_files_are_skipped(self):
        b = self.b
        d = b.pdf_dir
        with open(os.path.join(tdtest.ROOT, "tests", "fixtures", "cv", "truncated.pdf"), "rb") as f, \
                open(os.path.join(d, "broken.pdf"), "wb") as out:
            out.write(f.read())
        with open(os.path.join(d, "huge.pdf"), "wb") as f:
            f.write(b"%PDF-1.4\n" + b"0" * (11 * 1024 * 1024))
        with open(os.path.join(d, "good.txt"), "w") as f:
            f.write("Senior engineer. Skills: Elixir, Erlang, Phoenix. 2015 - present at Acme as Backend Engineer.")
        rid = sorted(b.records(TALENT))[11]
        b.emu.patch_record(TALENT, rid, {"CV": [
            {"url": "emu://broken.pdf", "filename": "broken.pdf"},
            {"url": "emu://huge.pdf", "filename": "huge.pdf"},
            {"url": "emu://missing.pdf", "filename": "missing.pdf"},
            {"url": "emu://good.txt", "filename": "good.txt"}]})
        self.task_done(self.event("talent.updated", TALENT, rid))
        skills = [r[0] for r in b.sql(f"SELECT skill FROM candidate_skills WHERE airtable_record_id = '{rid}'")]
        self.assertIn("Elixir", skills)
        log = self.srv.log()
        skipped = [json.loads(ln) for ln in log.splitlines() if '"cv_attachment_skipped"' in ln]
        self.assertEqual(len(skipped), 3, skipped)  # broken, huge, missing
        self.assertTrue(all(e["record_id"] == rid and e["attachment_id"].startswith("att") for e in skipped))
        self.assertNotIn("/_emu/files/", log)  # never a URL in the logs

    def test_customer_updated(self):
        b = self.b
        rid = sorted(b.records(CUSTOMERS))[0]
        b.emu.clear_log()
        self.task_done(self.event("customer.updated", CUSTOMERS, rid))
        self.assertLessEqual(len(patches(b.emu.log(), CUSTOMERS)), 1)
        self.assertEqual(b.sql(f"SELECT count(*) FROM normalized_jobs WHERE customer_record_id = '{rid}'"
                               " AND ats_record_id IS NULL"), [["1"]])
        b.emu.patch_record(CUSTOMERS, rid, {"Salary Range": "EUR 90,000 - 120,000", "Remote Policy": "Remote"})
        b.emu.clear_log()
        self.task_done(self.event("customer.updated", CUSTOMERS, rid))
        self.assertEqual(len(patches(b.emu.log(), CUSTOMERS)), 1)
        f = b.records(CUSTOMERS)[rid]
        self.assertEqual(f.get("(N) Salary Min"), 90000)
        self.assertEqual(f.get("(N) Salary Max"), 120000)


@unittest.skipUnless(sync_wired(), "`talentd sync` is not wired into server/main.c yet")
class InterruptTest(unittest.TestCase):
    def test_sigint_then_resume(self):
        b = Base("sync_interrupt", 1500, 4, rate_limit=40, pdfs=False, seed=3)
        try:
            env = dict(b.env, AIRTABLE_RATE_LIMIT_RPS="30", AIRTABLE_RATE_LIMIT_PENALTY="1")
            b.emu.clear_log()
            p = subprocess.Popen([tdtest.TALENTD, "sync", "all"], env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            # wait until some batches were written, then interrupt
            tdtest.wait_until(lambda: len(patches(b.emu.log())) >= 5, timeout=60, what="first PATCHes")
            p.send_signal(signal.SIGINT)
            out, err = p.communicate(timeout=60)
            self.assertEqual(p.returncode, 130, out + err)
            self.assertIn("interrupted", out)
            log1 = b.emu.log()
            first = patched_ids(log1)
            print("interrupted run:", len(log1), "requests", statuses(log1), file=sys.stderr)
            self.assertGreater(len(first), 0)
            self.assertLess(len(first), 1500)
            self.assertEqual(b.sql("SELECT interrupted FROM sync_runs ORDER BY id LIMIT 1"), [["t"]])
            b.emu.clear_log()
            r = b.sync("all", env=env)
            log2 = b.emu.log()
            second = patched_ids(log2)
            print("resumed run:", len(log2), "requests", statuses(log2), file=sys.stderr)
            self.assertFalse(set(first) & set(second), "a record written before the interrupt was written again")
            self.assertEqual(len(set(first) | set(second)), len(first) + len(second))
            talent = b.records(TALENT)
            titles = b.sql("SELECT airtable_record_id, coalesce(title, '') FROM normalized_candidates")
            self.assertEqual(len(titles), 1500)
            for rid, title in titles:
                self.assertEqual(talent[rid].get("(N) Title", ""), title, rid)
            self.assertIn("unchanged", r.stdout)
            b.emu.clear_log()
            b.sync("all", env=env)
            self.assertEqual(writes(b.emu.log()), [])
        finally:
            b.emu.stop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
