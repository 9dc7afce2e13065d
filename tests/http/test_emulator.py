"""HTTP tests of the Airtable emulator (build/airtable-emulator).

The emulator stands in for Airtable in every other HTTP and end-to-end test,
so its semantics are pinned here: pagination, fields[], sorting, formulas,
every 422 talentd may meet, record links and their inverse side, typecast,
PUT vs PATCH, deletes, metadata, the rate limit and its penalty, scripted and
random faults, the request log, dump/load and attachment files.
Run from the repository root:  python3 tests/http/test_emulator.py
"""
import json
import os
import sys
import tempfile
import time
import unittest
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from emulator import Emulator, generate_fixture, write_fixture  # noqa: E402

BASE = "appEMUTEST000001"
PEOPLE = "tblPeople00000001"
TEAMS = "tblTeams000000001"
TOKEN = "patEmuTest.secret"


def rid(prefix, i):
    return f"{prefix}{i:014d}"


def fixture(n_people=250):
    people_fields = [
        {"id": "fldName0000000001", "name": "Name", "type": "singleLineText"},
        {"id": "fldAge00000000001", "name": "Age", "type": "number", "options": {"precision": 0}},
        {"id": "fldSkills00000001", "name": "Skills", "type": "multipleSelects",
         "options": {"choices": ["Go", "Python", "k8s"]}},
        {"id": "fldLevel000000001", "name": "Level", "type": "singleSelect",
         "options": {"choices": [{"id": "selJunior00000001", "name": "Junior", "color": "blueLight2"},
                                 {"id": "selSenior00000001", "name": "Senior", "color": "redLight2"}]}},
        {"id": "fldActive00000001", "name": "Active", "type": "checkbox"},
        {"id": "fldTeam0000000001", "name": "Team", "type": "multipleRecordLinks",
         "options": {"linkedTableId": TEAMS, "inverseLinkFieldId": "fldMembers0000001"}},
        {"id": "fldCV000000000001", "name": "CV", "type": "multipleAttachments"},
        {"id": "fldNotes000000001", "name": "Notes", "type": "multilineText"},
        {"id": "fldCalc0000000001", "name": "Calc", "type": "formula"},
    ]
    teams_fields = [
        {"id": "fldTName000000001", "name": "Team Name", "type": "singleLineText"},
        {"id": "fldMembers0000001", "name": "Members", "type": "multipleRecordLinks",
         "options": {"linkedTableId": PEOPLE, "inverseLinkFieldId": "fldTeam0000000001"}},
        {"id": "fldLead0000000001", "name": "Lead", "type": "multipleRecordLinks",
         "options": {"linkedTableId": PEOPLE}},
    ]
    people = []
    for i in range(n_people):
        f = {"Name": f"Person {i:03d}", "Age": 20 + i % 40}
        if i % 3 == 0:
            f["Skills"] = ["Go", "k8s"]
        if i % 5 == 0:
            f["Level"] = "Senior"
        if i % 2 == 0:
            f["Active"] = True
        people.append({"id": rid("rec", i), "createdTime": "2026-01-01T00:00:00.000Z", "fields": f})
    people[0]["fields"]["Team"] = [rid("recT", 1)]
    people[1]["fields"]["Team"] = [rid("recT", 1)]
    people[2]["fields"]["CV"] = [{"url": "emu://cv.pdf", "filename": "cv.pdf"}]
    people[3]["fields"]["Notes"] = ""  # empty cells must disappear
    teams = [
        {"id": rid("recT", 1), "fields": {"Team Name": "Platform", "Members": [rid("rec", 0), rid("rec", 1)]}},
        {"id": rid("recT", 2), "fields": {"Team Name": "Data"}},
    ]
    return {"base_id": BASE, "tables": [
        {"id": PEOPLE, "name": "People", "primaryField": "Name", "fields": people_fields, "records": people},
        {"id": TEAMS, "name": "Teams", "primaryField": "Team Name", "fields": teams_fields, "records": teams},
    ]}


class EmulatorTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.files = tempfile.mkdtemp(prefix="emu-files.")
        with open(os.path.join(cls.files, "cv.pdf"), "wb") as f:
            f.write(b"%PDF-1.4\n% tiny\n")
        cls.fixture_path = write_fixture(fixture())
        cls.emu = Emulator(cls.fixture_path, token=TOKEN, rate_limit=0, files=cls.files)

    @classmethod
    def tearDownClass(cls):
        cls.emu.stop()

    def setUp(self):
        self.emu.load(fixture())
        self.emu.script([])
        self.emu.faults({})
        self.emu.clear_log()

    # helpers
    def get(self, path, **params):
        q = urllib.parse.urlencode(params, doseq=True)
        return self.emu.request("GET", f"/v0/{BASE}/{path}" + (f"?{q}" if q else ""))

    def send(self, method, path, body):
        return self.emu.request(method, f"/v0/{BASE}/{path}", body)

    def assert_error(self, resp, status, etype):
        self.assertEqual(resp[0], status, resp)
        err = resp[1]["error"]
        self.assertEqual(err["type"] if isinstance(err, dict) else err, etype, resp)

    # --- auth and routing -------------------------------------------------
    def test_auth(self):
        st, body = self.emu.request("GET", f"/v0/{BASE}/People", token="")
        self.assertEqual(st, 401)
        self.assertEqual(body, {"error": {"type": "AUTHENTICATION_REQUIRED", "message": "Authentication required"}})
        st, _ = self.emu.request("GET", f"/v0/{BASE}/People", token="wrong")
        self.assertEqual(st, 401)
        self.assert_error(self.emu.request("GET", "/v0/appNOPE0000000000/People"), 403,
                          "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND")
        self.assert_error(self.get("Nope"), 403, "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND")

    def test_table_by_id_and_encoded_name(self):
        st, a = self.get(PEOPLE, maxRecords=1)
        st2, b = self.emu.request("GET", f"/v0/{BASE}/{urllib.parse.quote('People')}?maxRecords=1")
        self.assertEqual((st, st2), (200, 200))
        self.assertEqual(a, b)

    # --- listing ----------------------------------------------------------
    def test_pagination(self):
        ids, offset, pages = [], None, 0
        while True:
            params = {"pageSize": 100}
            if offset:
                params["offset"] = offset
            st, body = self.get("People", **params)
            self.assertEqual(st, 200, body)
            pages += 1
            ids += [r["id"] for r in body["records"]]
            offset = body.get("offset")
            if not offset:
                break
            self.assertRegex(offset, r"^itr[A-Za-z0-9]{14}/rec[A-Za-z0-9]{14}$")
        self.assertEqual(pages, 3)
        self.assertEqual(ids, [rid("rec", i) for i in range(250)])
        st, body = self.get("People")
        self.assertEqual(len(body["records"]), 100)  # default page size

    def test_max_records_and_page_size(self):
        st, body = self.get("People", pageSize=30, maxRecords=45)
        self.assertEqual(len(body["records"]), 30)
        st, body2 = self.get("People", pageSize=30, offset=body["offset"])
        self.assertEqual(len(body2["records"]), 15)
        self.assertNotIn("offset", body2)
        self.assert_error(self.get("People", pageSize=101), 422, "INVALID_REQUEST_UNKNOWN")
        self.assert_error(self.get("People", pageSize="x"), 422, "INVALID_REQUEST_UNKNOWN")
        self.assert_error(self.get("People", offset="itrNOPE/rec00000000000001"), 422,
                          "LIST_RECORDS_ITERATOR_NOT_AVAILABLE")

    def test_fields_filter_and_empty_cells(self):
        q = "fields%5B%5D=Name&fields[]=Active&maxRecords=4"
        st, body = self.emu.request("GET", f"/v0/{BASE}/People?{q}")
        self.assertEqual(st, 200)
        self.assertEqual(body["records"][0]["fields"], {"Name": "Person 000", "Active": True})
        self.assertEqual(body["records"][1]["fields"], {"Name": "Person 001"})  # unchecked box: no key
        st, body = self.get(f"People/{rid('rec', 3)}")
        self.assertNotIn("Notes", body["fields"])
        self.assert_error(self.get("People", **{"fields[]": "Nope"}), 422, "UNKNOWN_FIELD_NAME")
        st, body = self.get("People", **{"fields[]": "Name", "maxRecords": 1, "returnFieldsByFieldId": "true"})
        self.assertEqual(body["records"][0]["fields"], {"fldName0000000001": "Person 000"})

    def test_sort(self):
        st, body = self.get("People", **{"sort[0][field]": "Age", "sort[0][direction]": "desc",
                                         "sort[1][field]": "Name", "maxRecords": 3, "fields[]": "Age"})
        self.assertEqual(st, 200, body)
        self.assertEqual([r["fields"]["Age"] for r in body["records"]], [59, 59, 59])
        self.assertEqual([r["id"] for r in body["records"]], [rid("rec", 39), rid("rec", 79), rid("rec", 119)])
        self.assert_error(self.get("People", **{"sort[0][field]": "Nope"}), 422, "UNKNOWN_FIELD_NAME")

    def test_list_records_post(self):
        st, body = self.send("POST", "People/listRecords", {
            "fields": ["Name"], "sort": [{"field": "Name", "direction": "desc"}],
            "filterByFormula": "{Age} < 22", "pageSize": 5})
        self.assertEqual(st, 200, body)
        names = [r["fields"]["Name"] for r in body["records"]]
        self.assertEqual(names, sorted(names, reverse=True))
        self.assertEqual(len(names), 5)
        st, body2 = self.send("POST", "People/listRecords", {"pageSize": 5, "offset": body["offset"],
                                                             "fields": ["Name"]})
        self.assertEqual(st, 200, body2)
        self.assertTrue(body2["records"])
        self.assert_error(self.send("POST", "People/listRecords", {"pageSize": "x"}), 422, "INVALID_REQUEST_UNKNOWN")

    def test_long_url(self):
        st, body = self.get("People", filterByFormula="OR(" + ",".join(["{Age}=1"] * 2500) + ")")
        self.assert_error((st, body), 422, "INVALID_REQUEST_UNKNOWN")
        self.assertIn("16000", body["error"]["message"])

    # --- formulas ---------------------------------------------------------
    def count(self, formula):
        st, body = self.send("POST", "People/listRecords", {"filterByFormula": formula, "fields": ["Name"]})
        self.assertEqual(st, 200, (formula, body))
        ids = [r["id"] for r in body["records"]]
        while body.get("offset"):
            st, body = self.send("POST", "People/listRecords", {"filterByFormula": formula, "offset": body["offset"]})
            ids += [r["id"] for r in body["records"]]
        return len(ids)

    def test_formulas(self):
        cases = {
            "{Name} = 'Person 007'": 1,
            "{Name} = \"Person 007\"": 1,
            "RECORD_ID() = 'rec00000000000005'": 1,
            "AND({Active}, {Level} = 'Senior')": 25,
            "OR({Age} = 20, {Age} = 21)": 14,
            "NOT({Active})": 125,
            "{Level} = BLANK()": 200,
            "{Level} != ''": 50,
            "FIND('k8s', ARRAYJOIN({Skills}, '|')) > 0": 84,
            "FIND('Go', {Skills})": 84,
            "LOWER({Name}) = 'person 010'": 1,
            "UPPER({Name}) & '!' = 'PERSON 010!'": 1,
            "LEN({Name}) = 10": 250,
            "IF({Age} > 50, TRUE(), FALSE())": 54,
            "{Age} * 2 - 10 >= 100": 250 - sum(1 for i in range(250) if (20 + i % 40) * 2 - 10 < 100),
            "({Age} + 1) / 2 = 11": 7,
            "ARRAYJOIN({Team}) = 'Platform'": 2,
            "{Age} <= 20": 7,
            "'it\\'s' = \"it's\"": 250,
            "TRUE()": 250,
            "0": 0,
            "''": 0,
        }
        for formula, want in cases.items():
            with self.subTest(formula=formula):
                self.assertEqual(self.count(formula), want)

    def test_bad_formulas(self):
        for formula in ["{Age} >", "SUBSTITUTE({Name}, 'a', 'b')", "{Nope} = 1", "AND(", "'open",
                        "NOT(1, 2)", "1 2"]:
            with self.subTest(formula=formula):
                st, body = self.get("People", filterByFormula=formula)
                self.assert_error((st, body), 422, "INVALID_FILTER_BY_FORMULA")
                self.assertTrue(body["error"]["message"].startswith(
                    "The formula for filtering records is invalid:"), body)

    # --- get, create, update, delete --------------------------------------
    def test_get_one(self):
        st, body = self.get(f"People/{rid('rec', 2)}")
        self.assertEqual(st, 200)
        self.assertEqual(body["id"], rid("rec", 2))
        att = body["fields"]["CV"][0]
        self.assertEqual(att["url"], f"{self.emu.url}/_emu/files/cv.pdf")
        self.assertTrue(att["id"].startswith("att"))
        self.assertEqual(att["type"], "application/pdf")
        self.assertEqual(att["size"], 16)
        st, body = self.get("People/recNOPE0000000000")
        self.assertEqual((st, body), (404, {"error": "NOT_FOUND"}))

    def test_create(self):
        st, body = self.send("POST", "People", {"records": [{"fields": {"Name": "New A", "Age": 31}},
                                                            {"fields": {"Name": "New B", "Notes": ""}}]})
        self.assertEqual(st, 200, body)
        self.assertEqual(len(body["records"]), 2)
        for r in body["records"]:
            self.assertRegex(r["id"], r"^rec[A-Za-z0-9]{14}$")
            self.assertIn("createdTime", r)
        self.assertEqual(body["records"][1]["fields"], {"Name": "New B"})
        st, one = self.send("POST", "People", {"fields": {"Name": "Single"}})
        self.assertEqual(st, 200, one)
        self.assertEqual(one["fields"], {"Name": "Single"})
        # new records come last, in creation order
        st, page = self.get("People", offset=self.get("People", pageSize=100)[1]["offset"], pageSize=100)
        st, page = self.get("People", offset=page["offset"], pageSize=100)
        self.assertEqual([r["fields"]["Name"] for r in page["records"][-3:]], ["New A", "New B", "Single"])
        st, body = self.send("POST", "People", {"records": [{"fields": {"Name": str(i)}} for i in range(11)]})
        self.assert_error((st, body), 422, "INVALID_RECORDS")
        self.assertEqual(body["error"]["message"],
                         "A maximum of 10 records can be created per request but you have provided 11.")
        self.assert_error(self.send("POST", "People", {"records": [{"felds": {}}]}), 422,
                          "INVALID_REQUEST_MISSING_FIELDS")
        st, body = self.emu.request("POST", f"/v0/{BASE}/People", "{not json")
        self.assert_error((st, body), 400, "INVALID_REQUEST_BODY")

    def test_validation_errors(self):
        st, body = self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Nope": 1}})
        self.assert_error((st, body), 422, "UNKNOWN_FIELD_NAME")
        self.assertEqual(body["error"]["message"], 'Unknown field name: "Nope"')
        self.assert_error(self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Age": "31"}}), 422,
                          "INVALID_VALUE_FOR_COLUMN")
        self.assert_error(self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Name": 5}}), 422,
                          "INVALID_VALUE_FOR_COLUMN")
        self.assert_error(self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Active": "yes"}}), 422,
                          "INVALID_VALUE_FOR_COLUMN")
        self.assert_error(self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Level": "Guru"}}), 422,
                          "INVALID_MULTIPLE_CHOICE_OPTIONS")
        self.assert_error(self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Skills": ["Rust"]}}), 422,
                          "INVALID_MULTIPLE_CHOICE_OPTIONS")
        self.assert_error(self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Calc": "x"}}), 422,
                          "INVALID_VALUE_FOR_COLUMN")
        self.assert_error(self.send("PATCH", f"People/{rid('rec', 1)}", {"felds": {}}), 422,
                          "INVALID_REQUEST_MISSING_FIELDS")
        self.assert_error(self.send("PATCH", "People", {"records": [{"id": rid("rec", 1)}]}), 422,
                          "INVALID_REQUEST_MISSING_FIELDS")
        st, body = self.send("PATCH", "People", {"records": [{"id": rid("rec", 1), "fields": {}}] * 11})
        self.assert_error((st, body), 422, "INVALID_RECORDS")
        self.assertEqual(self.send("PATCH", "People/recNOPE0000000000", {"fields": {}})[0], 404)
        self.assert_error(self.send("PATCH", "People", {"records": [{"id": "recNOPE0000000000", "fields": {}}]}),
                          422, "ROW_DOES_NOT_EXIST")
        # a failed batch changes nothing
        self.send("PATCH", "People", {"records": [{"id": rid("rec", 1), "fields": {"Age": 99}},
                                                  {"id": rid("rec", 2), "fields": {"Age": "x"}}]})
        self.assertEqual(self.get(f"People/{rid('rec', 1)}")[1]["fields"]["Age"], 21)

    def test_links(self):
        p = rid("rec", 5)
        st, body = self.send("PATCH", f"People/{p}", {"fields": {"Team": [rid("recT", 2)]}})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["fields"]["Team"], [rid("recT", 2)])
        # the inverse side follows
        self.assertEqual(self.get(f"Teams/{rid('recT', 2)}")[1]["fields"]["Members"], [p])
        st, body = self.send("PATCH", f"Teams/{rid('recT', 1)}", {"fields": {"Members": [rid("rec", 1)]}})
        self.assertEqual(st, 200, body)
        self.assertNotIn("Team", self.get(f"People/{rid('rec', 0)}")[1]["fields"])
        # a link field without an inverse stays one-sided
        self.assertEqual(self.send("PATCH", f"Teams/{rid('recT', 1)}", {"fields": {"Lead": [rid("rec", 9)]}})[0], 200)
        st, body = self.send("PATCH", f"People/{p}", {"fields": {"Team": ["recNOPE0000000000"]}})
        self.assert_error((st, body), 422, "ROW_DOES_NOT_EXIST")
        self.assertEqual(body["error"]["message"], "Record ID recNOPE0000000000 does not exist in this table")
        st, body = self.send("PATCH", f"People/{p}", {"fields": {"Team": [{"id": rid("recT", 1)}]}})
        self.assert_error((st, body), 422, "INVALID_VALUE_FOR_COLUMN")
        self.assertEqual(body["error"]["message"], "Value is not an array of record IDs.")
        self.assert_error(self.send("PATCH", f"People/{p}", {"fields": {"Team": rid("recT", 1)}}), 422,
                          "INVALID_VALUE_FOR_COLUMN")
        # a person of the Teams table is not a team
        self.assert_error(self.send("PATCH", f"People/{p}", {"fields": {"Team": [rid("rec", 1)]}}), 422,
                          "ROW_DOES_NOT_EXIST")
        # deleting a record removes it from every link
        self.assertEqual(self.send("DELETE", f"People/{rid('rec', 9)}", None)[0], 200)
        self.assertNotIn("Lead", self.get(f"Teams/{rid('recT', 1)}")[1]["fields"])

    def test_typecast(self):
        p = rid("rec", 7)
        st, body = self.send("PATCH", f"People/{p}", {"typecast": True, "fields": {
            "Age": "42", "Level": "Principal", "Skills": ["Rust", "Go"], "Name": 12}})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["fields"]["Age"], 42)
        self.assertEqual(body["fields"]["Level"], "Principal")
        self.assertEqual(body["fields"]["Name"], "12")
        st, meta = self.emu.request("GET", f"/v0/meta/bases/{BASE}/tables")
        level = [f for f in meta["tables"][0]["fields"] if f["name"] == "Level"][0]
        self.assertIn("Principal", [c["name"] for c in level["options"]["choices"]])
        self.assert_error(self.send("PATCH", f"People/{p}", {"typecast": True, "fields": {"Age": "forty"}}), 422,
                          "INVALID_VALUE_FOR_COLUMN")
        # typecast matches link text against the primary field
        st, body = self.send("PATCH", f"People/{p}", {"typecast": True, "fields": {"Team": ["Data"]}})
        self.assertEqual(body["fields"]["Team"], [rid("recT", 2)])

    def test_put_vs_patch(self):
        p = rid("rec", 0)  # Name, Age, Skills, Level, Active, Team
        st, body = self.send("PATCH", f"People/{p}", {"fields": {"Age": 50}})
        self.assertEqual(set(body["fields"]), {"Name", "Age", "Skills", "Level", "Active", "Team"})
        st, body = self.send("PUT", f"People/{p}", {"fields": {"Name": "Only Name"}})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["fields"], {"Name": "Only Name"})
        self.assertEqual(self.get(f"Teams/{rid('recT', 1)}")[1]["fields"]["Members"], [rid("rec", 1)])
        st, body = self.send("PATCH", "People", {"records": [{"id": rid("rec", 1), "fields": {"Active": True}},
                                                             {"id": rid("rec", 2), "fields": {"Active": False}}]})
        self.assertEqual(st, 200, body)
        self.assertTrue(body["records"][0]["fields"]["Active"])
        self.assertNotIn("Active", body["records"][1]["fields"])
        st, body = self.send("PUT", "People", {"records": [{"id": rid("rec", 4), "fields": {"Age": 1}}]})
        self.assertEqual(body["records"][0]["fields"], {"Age": 1})
        self.assertEqual(self.send("PATCH", f"People/{p}", {"fields": {"Skills": []}})[1]["fields"],
                         {"Name": "Only Name"})

    def test_upsert(self):
        st, body = self.send("PATCH", "People", {"performUpsert": {"fieldsToMergeOn": ["Name"]}, "records": [
            {"fields": {"Name": "Person 001", "Age": 77}}, {"fields": {"Name": "Brand New", "Age": 1}}]})
        self.assertEqual(st, 200, body)
        self.assertEqual(body["updatedRecords"], [rid("rec", 1)])
        self.assertEqual(len(body["createdRecords"]), 1)

    def test_delete(self):
        st, body = self.emu.request("DELETE", f"/v0/{BASE}/People?records[]={rid('rec', 10)}&records%5B%5D={rid('rec', 11)}")
        self.assertEqual(st, 200, body)
        self.assertEqual(body, {"records": [{"id": rid("rec", 10), "deleted": True},
                                            {"id": rid("rec", 11), "deleted": True}]})
        self.assertEqual(self.get(f"People/{rid('rec', 10)}")[0], 404)
        st, body = self.send("DELETE", f"People/{rid('rec', 12)}", None)
        self.assertEqual(body, {"id": rid("rec", 12), "deleted": True})
        self.assertEqual(self.send("DELETE", f"People/{rid('rec', 12)}", None)[0], 404)
        q = "&".join(f"records[]={rid('rec', i)}" for i in range(20, 31))
        self.assert_error(self.emu.request("DELETE", f"/v0/{BASE}/People?{q}"), 422, "INVALID_RECORDS")
        self.assert_error(self.emu.request("DELETE", f"/v0/{BASE}/People?records[]=recNOPE0000000000"), 422,
                          "ROW_DOES_NOT_EXIST")
        self.assertEqual(len(self.emu.dump()["tables"][0]["records"]), 247)

    # --- metadata ---------------------------------------------------------
    def test_metadata(self):
        st, meta = self.emu.request("GET", f"/v0/meta/bases/{BASE}/tables")
        self.assertEqual(st, 200)
        people, teams = meta["tables"]
        self.assertEqual((people["id"], people["name"], people["primaryFieldId"]), (PEOPLE, "People", "fldName0000000001"))
        self.assertEqual(people["views"][0]["type"], "grid")
        self.assertRegex(people["views"][0]["id"], r"^viw[A-Za-z0-9]{14}$")
        skills = [f for f in people["fields"] if f["name"] == "Skills"][0]
        for c in skills["options"]["choices"]:
            self.assertRegex(c["id"], r"^sel[A-Za-z0-9]{14}$")
            self.assertIn("color", c)
        level = [f for f in people["fields"] if f["name"] == "Level"][0]
        self.assertEqual(level["options"]["choices"][0]["id"], "selJunior00000001")
        team = [f for f in people["fields"] if f["name"] == "Team"][0]
        self.assertEqual(team["options"]["linkedTableId"], TEAMS)
        # choice ids are stable across restarts and loads
        self.emu.load(fixture())
        self.assertEqual(self.emu.request("GET", f"/v0/meta/bases/{BASE}/tables")[1], meta)
        self.assert_error(self.emu.request("GET", "/v0/meta/bases/appNOPE0000000000/tables"), 403,
                          "INVALID_PERMISSIONS_OR_MODEL_NOT_FOUND")

    # --- control API ------------------------------------------------------
    def test_log(self):
        self.get("People", maxRecords=1)
        self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Age": 5}})
        self.emu.request("GET", f"/v0/{BASE}/People", token="")
        self.emu.patch_record("People", rid("rec", 1), {"Age": 6})  # not logged
        log = self.emu.log()
        self.assertEqual([(e["method"], e["status"]) for e in log], [("GET", 200), ("PATCH", 200), ("GET", 401)])
        self.assertEqual(log[0]["path"], f"/v0/{BASE}/People")
        self.assertEqual(log[0]["query"], "maxRecords=1")
        self.assertEqual(json.loads(log[1]["body"]), {"fields": {"Age": 5}})
        self.assertLess(log[0]["seq"], log[1]["seq"])
        self.assertLess(abs(log[0]["t"] - time.time()), 60)
        self.emu.clear_log()
        self.assertEqual(self.emu.log(), [])
        self.assertEqual(self.get(f"People/{rid('rec', 1)}")[1]["fields"]["Age"], 6)

    def test_script(self):
        self.emu.script([{"status": 429, "body": {"errors": [{"error": "RATE_LIMIT_REACHED"}]}},
                         {"status": 500, "raw": "<html>oops"},
                         {"status": 503, "headers": {"Retry-After": "7"}},
                         {"slow_ms": 300}])
        self.assertEqual(self.get("People", maxRecords=1), (429, {"errors": [{"error": "RATE_LIMIT_REACHED"}]}))
        self.assertEqual(self.get("People", maxRecords=1), (500, "<html>oops"))
        st, _, headers = self.emu.request("GET", f"/v0/{BASE}/People", raw=True)
        self.assertEqual((st, headers["Retry-After"]), (503, "7"))
        t0 = time.time()
        self.assertEqual(self.get("People", maxRecords=1)[0], 200)
        self.assertGreaterEqual(time.time() - t0, 0.29)
        self.assertEqual(self.get("People", maxRecords=1)[0], 200)
        self.assertEqual([e["status"] for e in self.emu.log()], [429, 500, 503, 200, 200])

    def test_random_faults(self):
        self.emu.faults({"500": 1.0})
        self.assertEqual(self.get("People", maxRecords=1)[0], 500)
        self.emu.faults({"429": 0.5, "503": 0.5})
        self.assertIn(self.get("People", maxRecords=1)[0], (429, 503))
        self.emu.faults({})
        self.assertEqual(self.get("People", maxRecords=1)[0], 200)

    def test_dump_load(self):
        self.send("PATCH", f"People/{rid('rec', 1)}", {"fields": {"Age": 88}})
        d = self.emu.dump()
        self.assertEqual(d["base_id"], BASE)
        people = d["tables"][0]
        self.assertEqual(people["primaryField"], "Name")
        rec1 = [r for r in people["records"] if r["id"] == rid("rec", 1)][0]
        self.assertEqual(rec1["fields"]["Age"], 88)
        self.assertEqual(people["records"][2]["fields"]["CV"][0]["url"], "emu://cv.pdf")
        people["records"] = people["records"][:3]
        self.emu.load(d)
        self.assertEqual(len(self.get("People")[1]["records"]), 3)
        self.assertEqual(self.emu.dump(), d)
        st, body = self.emu.request("POST", "/_emu/load", {"tables": "nope"}, token="")
        self.assertEqual(st, 400)

    def test_files(self):
        st, data, headers = self.emu.request("GET", "/_emu/files/cv.pdf", raw=True, token="")
        self.assertEqual((st, data[:8]), (200, b"%PDF-1.4"))
        self.assertEqual(headers["Content-Type"], "application/pdf")
        self.assertEqual(self.emu.request("GET", "/_emu/files/nope.pdf", token="")[0], 404)
        self.assertEqual(self.emu.request("GET", "/_emu/files/..%2Fetc", token="")[0], 404)
        self.assertEqual(self.emu.health(), {"ok": True})


class GeneratedBaseTest(unittest.TestCase):
    """build/genbase output loads, and its Company <-> ATS Jobs links stay consistent."""

    def test_generated_base(self):
        tmp = tempfile.mkdtemp(prefix="emu-gen.")
        fx = generate_fixture(candidates=120, seed=3, pdf_dir=tmp)
        self.assertEqual(fx, generate_fixture(candidates=120, seed=3, pdf_dir=tmp))  # deterministic
        talent, customers, ats = fx["tables"]
        self.assertEqual([t["id"] for t in fx["tables"]],
                         ["tblOkLOSo4Zjwp0yF", "tbl9KNjT3G08f6oXh", "tblrbhITEIBOxwcQV"])
        statuses = {r["fields"]["Job Status"] for r in ats["records"]}
        self.assertEqual(len(statuses), min(12, len(ats["records"])))
        with_pdf = [r for r in talent["records"] if "CV" in r["fields"]]
        self.assertTrue(with_pdf)
        for r in with_pdf:
            self.assertNotIn("CV Text", r["fields"])
        with Emulator(write_fixture(fx), rate_limit=0, files=tmp) as emu:
            b = fx["base_id"]
            st, rec = emu.request("GET", f"/v0/{b}/Talent/{with_pdf[0]['id']}")
            st, data, _ = emu.request("GET", urllib.parse.urlparse(rec["fields"]["CV"][0]["url"]).path, raw=True)
            self.assertEqual((st, data[:8]), (200, b"%PDF-1.4"))
            job = ats["records"][0]
            old_co = job["fields"]["Company"][0]
            new_co = [c["id"] for c in customers["records"] if c["id"] != old_co][0]
            st, body = emu.request("PATCH", f"/v0/{b}/ATS/{job['id']}", {"fields": {"Company": [new_co]}})
            self.assertEqual(st, 200, body)
            st, co = emu.request("GET", f"/v0/{b}/Customers%20STT/{new_co}")
            self.assertIn(job["id"], co["fields"]["ATS Jobs"])
            st, co = emu.request("GET", f"/v0/{b}/Customers%20STT/{old_co}")
            self.assertNotIn(job["id"], co["fields"].get("ATS Jobs", []))
            st, meta = emu.request("GET", f"/v0/meta/bases/{b}/tables")
            company = [f for f in meta["tables"][2]["fields"] if f["name"] == "Company"][0]
            ats_jobs = [f for f in meta["tables"][1]["fields"] if f["name"] == "ATS Jobs"][0]
            self.assertEqual(company["options"]["inverseLinkFieldId"], ats_jobs["id"])


class RateLimitTest(unittest.TestCase):
    def test_rate_limit_and_penalty(self):
        with Emulator(write_fixture(fixture(5)), rate_limit=5, penalty=2) as emu:
            path = f"/v0/{BASE}/People?maxRecords=1"
            statuses = [emu.request("GET", path)[0] for _ in range(6)]
            self.assertEqual(statuses, [200] * 5 + [429])
            st, body = emu.request("GET", path)
            self.assertEqual(st, 429)
            self.assertEqual(body, {"errors": [{"error": "RATE_LIMIT_REACHED",
                                                "message": "Rate limit exceeded. Please try again later"}]})
            emu.request("GET", "/_emu/health", token="")  # control API is never limited
            time.sleep(1.2)
            self.assertEqual(emu.request("GET", path)[0], 429)  # still in the penalty
            time.sleep(1.0)
            self.assertEqual(emu.request("GET", path)[0], 200)
            # paced at 5/s nothing is refused; 401s count too
            emu.reset_rate()
            for i in range(10):
                self.assertEqual(emu.request("GET", path, token="" if i % 2 else None)[0], 200 if i % 2 == 0 else 401)
                time.sleep(0.21)
            emu.reset_rate()
            self.assertEqual(emu.request("GET", path)[0], 200)
            self.assertEqual(len(emu.log()), 20)


if __name__ == "__main__":
    unittest.main(verbosity=2)
