"""`make demo` (tests/support/demo.sh) end to end.

Runs the demo script the way `make demo` does and checks that it finishes
with status 0, prints its sections, gets 20 proposals written to Airtable
with a score breakdown, makes no request Airtable would refuse with 429, and
leaves nothing behind: its temporary directory is gone and no process that
refers to it is still running.  Takes about 15 s (the backfill runs at the
real 5 requests/s).
"""
import os
import re
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import tdtest  # noqa: E402

SCRIPT = os.path.join(tdtest.ROOT, "tests", "support", "demo.sh")


def processes_mentioning(text):
    out = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmd:
            out.append(f"{pid} {cmd}")
    return out


class DemoTest(unittest.TestCase):
    def run_demo(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("TALENTD_", "AIRTABLE_", "DEMO_")) and k != "DATABASE_URL"}
        env["BUILD"] = tdtest.BUILD
        p = subprocess.run(["sh", SCRIPT], env=env, capture_output=True, text=True, timeout=180)
        out = p.stdout + p.stderr
        self.assertEqual(p.returncode, 0, out[-4000:])
        m = re.search(r"Temporary directory: (/tmp/talentd-demo\.\S+)", out)
        self.assertIsNotNone(m, out[:2000])
        work = m.group(1)
        self.assertFalse(os.path.exists(work), f"{work} was not removed")
        self.assertEqual(processes_mentioning(work), [], "left running")
        return out

    def test_demo_runs_twice_and_cleans_up(self):
        for _ in range(2):
            out = self.run_demo()
            for heading in ("== 1. Setting up", "== 2. Backfill", "== 3. talentd serve",
                            "== 4. A recruiter moves a job to Sourcing", "== Proposed candidates",
                            "== Why #1 is", "== Airtable requests of the match run", "== Shutting down"):
                self.assertIn(heading, out)
            self.assertRegex(out, r"sync talent: read \d+, changed \d+")
            self.assertRegex(out, r"-> 202 \{\"ok\":true")
            proposals = re.findall(r"^\s+\d+\. .+\s\d+%", out, re.M)
            self.assertEqual(len(proposals), 20, out[-4000:])
            self.assertIn("required, matched", out)
            self.assertRegex(out, r"MATCHED CANDIDATES\s+= \"20 candidates matched on \d{4}-\d\d-\d\d\"")
            # every Airtable request of the backfill and of the match run was admitted
            self.assertEqual(len(re.findall(r" 0 answered 429", out)), 2, out[-4000:])
            self.assertIn("talentd serve      stopped (SIGTERM, clean shutdown)", out)
            self.assertIn("demo finished.", out)


if __name__ == "__main__":
    unittest.main()
