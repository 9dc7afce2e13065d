#!/usr/bin/env python3
"""gen_taxonomy — build core/tax_data.c and core/geo_data.c from /work/shared/data.

The shared data lives outside the repository and CI only has the repository,
so the tables the normalizer needs are generated once and committed.  Run:

    python3 tools/gen_taxonomy.py [--data /work/shared/data] [--out core]

Inputs (see THIRD_PARTY.md for licences and attribution):
  onet-technology-skills.tsv  O*NET technology skills (CC BY 4.0)
  esco-digital-skills.csv     ESCO v1.2.0 digital skills (EU reuse policy)
  linguist-languages.yml      GitHub Linguist languages (MIT)
  geonames-cities15000-tz.json GeoNames cities (CC BY 4.0)
  tz-*.tab, tz-backward       IANA tz (public domain)
  tools/tax_curated.txt       our curated alias layer (wins over the rest)

Standard UTC offsets are not in the tz tables, so they come from the build
machine's zoneinfo (python3 zoneinfo module); the output is deterministic for a
given tzdata.  Python 3 standard library only.
"""
import argparse, csv, datetime, json, os, re, sys, zoneinfo

HERE = os.path.dirname(os.path.abspath(__file__))

# Alias flags, mirrored in core/tax_data.h.
F_CAP, F_CTX, F_EXACT, F_LANG, F_BLOCK = 1, 2, 4, 8, 16
FLAG_NAMES = {"cap": F_CAP, "ctx": F_CTX, "exact": F_EXACT, "lang": F_LANG}

CUR_CATS = {  # short name -> (display name, is_tech)
    "lang": ("Programming language", 1), "web": ("Web / frontend", 1),
    "backend": ("Backend / frameworks", 1), "db": ("Database", 1),
    "cloud": ("Cloud platform", 1), "devops": ("DevOps / infrastructure", 1),
    "data": ("Data / analytics", 1), "ml": ("Machine learning / AI", 1),
    "test": ("Testing / QA", 1), "mobile": ("Mobile", 1), "tool": ("Developer tools", 1),
    "os": ("Operating systems / IT", 1), "net": ("Networking", 1), "sec": ("Security", 1),
    "office": ("Office / productivity", 0), "design": ("Design", 0),
    "method": ("Methods / practices", 0), "soft": ("Soft skills", 0),
    "mgmt": ("Management", 0), "hr": ("Recruiting / HR", 0), "sales": ("Sales / marketing", 0),
    "finance": ("Finance / accounting", 0), "health": ("Healthcare", 0),
    "hosp": ("Hospitality", 0), "trade": ("Trades / operations", 0),
    "edu": ("Education", 0), "human": ("Human language", 0),
}

# Phrases that contain a skill word but are not the skill.  They are looked up
# like aliases, and the longest match consumes the words, so "go to market"
# never yields Go and "head chef" never yields Chef.
BLOCK = """go to, go to market, go-to-market, go live, go-live, to go, let go, on the go, go through,
make sure, make it, spring semester, spring term, spring 2020, in spring, spring season,
rest of, the rest, at rest, head chef, sous chef, chef de partie, executive chef, pastry chef,
chef de cuisine, private chef, junior chef, senior chef, commis chef, chef at, chef in,
swift response, swift action, express delivery, express service, access control, office manager,
office assistant, office administrator, office and it manager, front office, back office, box office,
word of mouth, in a word, python developer=, java developer=, excel at, excel in, react to, reacted to,
react quickly, rust belt, salt water, puppet theatre, puppet show, sketch comedy, combine harvester,
vault door, consul general, sage green, project managers, notion of, a notion, compose music,
c level, c-level, c suite, c-suite, vitamin c, plan b, plan a, r&d, q&a, grade c, type r, b2b contract,
hot spring, spring onion, ruby wedding, flask of, gin and tonic, unity of, in unity, pastry shop,
cooking class, teaching assistant, teaching myself, scrum of scrums, ant colony, triage nurse=,
maven of, dart board, crystal clear, crystal ball, elm tree, mercury poisoning, lean management=,
clean code, clean architecture, clean coding, clean desk"""

# O*NET rows are product names; keep those people write in CVs: hot
# technologies and tools used by several occupations.
ONET_MIN_OCCUPATIONS = 3
# Words left over after removing a vendor that must never become aliases.
GENERIC = {"software", "platform", "cloud", "database", "server", "suite", "office", "analytics",
           "project", "teams", "word", "access", "works", "studio", "enterprise", "systems", "dynamics"}
VENDORS = ("Microsoft ", "Oracle ", "Apache ", "Adobe ", "Google ", "IBM ", "SAP ",
           "Amazon ", "Atlassian ", "Autodesk ", "Apple ", "Intuit ", "Salesforce ",
           "Red Hat ", "Cisco ", "VMware ", "Dassault Systemes ", "Bentley ", "Esri ", "ESRI ")


def norm_key(s):
    """Lower-case, hyphens and runs of space to one space: the C side does the same."""
    s = s.strip().lower()
    s = re.sub(r"[\u2010-\u2015-]", " ", s)
    s = re.sub(r"\s+", " ", s)
    s = s.strip(" ,;:").rstrip(".")
    # a leading dot is part of names such as ".NET"; elsewhere it is noise
    return s.lstrip(".") if not re.match(r"^\.[a-z0-9]", s) else s


def c_str(s):
    out = []
    for ch in s.encode("utf-8"):
        c = chr(ch)
        if c in '"\\':
            out.append("\\" + c)
        elif 32 <= ch < 127:
            out.append(c)
        else:
            out.append("\\%03o" % ch)
    return '"' + "".join(out) + '"'


class Tax:
    def __init__(self):
        self.cats = [("", 0)]
        self.cat_idx = {}
        self.skills = []          # (name, cat, source)
        self.skill_idx = {}       # lower name -> idx
        self.alias = {}           # key -> (skill idx or -1, flags)

    def cat(self, name, tech):
        if name not in self.cat_idx:
            self.cat_idx[name] = len(self.cats)
            self.cats.append((name, tech))
        return self.cat_idx[name]

    def skill(self, name, cat):
        k = name.lower()
        if k in self.skill_idx:
            return self.skill_idx[k]
        self.skill_idx[k] = len(self.skills)
        self.skills.append((name, cat))
        return self.skill_idx[k]

    def add_alias(self, key, sid, flags):
        k = norm_key(key)
        if not k or len(k) > 62:
            return
        if k in self.alias:
            return  # first writer wins: curated, then linguist, O*NET, ESCO
        self.alias[k] = (sid, flags)


def auto_flags(alias, canonical_flags=0):
    """Generated single words that are plain English-looking words need
    context in free text; we cannot ship a dictionary, so be conservative."""
    a = alias.strip()
    if canonical_flags:
        return canonical_flags
    if " " in a or not a.isalpha():
        return 0
    if len(a) <= 2:
        return F_CTX | F_EXACT
    if a.islower() or a[0].isupper() and a[1:].islower():
        return F_CTX | F_CAP
    return 0


def load_curated(t, path):
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        while len(parts) < 4:
            parts.append("")
        name, cat, aliases, flags = parts[:4]
        cname, tech = CUR_CATS[cat]
        cid = t.cat(cname, tech)
        sid = t.skill(name, cid)
        f = 0
        for w in flags.split():
            f |= FLAG_NAMES[w]
        t.add_alias(name, sid, f)
        for a in aliases.split(","):
            a = a.strip()
            if not a:
                continue
            # Aliases do not inherit the canonical name's context rule: "golang"
            # is unambiguous even though "Go" is an English word.
            af = 0
            if "=" in a:
                a, spec = a.split("=", 1)
                af = 0
                for w in spec.split():
                    af |= FLAG_NAMES[w]
            t.add_alias(a, sid, af)


# "Spring 2025" is a term or a graduation date, not the framework; the season
# is followed by any recent year, so the phrases are generated.
SEASON_YEARS = range(1990, 2040)
# "Swift" at the start of a sentence with a tech word nearby still reads as
# the adjective when a noun of speed follows.
SWIFT_NOUNS = ("delivery", "turnaround", "resolution", "decision", "decisions", "feedback",
               "progress", "reply", "replies", "onboarding", "execution", "recovery")


def load_blocks(t):
    for ph in BLOCK.replace("\n", " ").split(","):
        ph = ph.strip()
        if ph and not ph.endswith("="):
            t.add_alias(ph, -1, F_BLOCK)
    for y in SEASON_YEARS:
        t.add_alias("spring %d" % y, -1, F_BLOCK)
    for w in SWIFT_NOUNS:
        t.add_alias("swift " + w, -1, F_BLOCK)


def load_linguist(t, path):
    cid = t.cat(CUR_CATS["lang"][0], 1)
    name = None; typ = None; aliases = []; in_alias = False
    entries = []
    for line in open(path, encoding="utf-8"):
        if line.startswith("#") or line.startswith("---"):
            continue
        if line and not line.startswith(" ") and line.rstrip().endswith(":"):
            if name:
                entries.append((name, typ, aliases))
            name = line.rstrip()[:-1]; typ = None; aliases = []; in_alias = False
            continue
        s = line.strip()
        if line.startswith("  ") and not line.startswith("  -"):
            in_alias = s == "aliases:"
            if s.startswith("type:"):
                typ = s.split(":", 1)[1].strip()
            continue
        if in_alias and s.startswith("- "):
            aliases.append(s[2:].strip().strip('"'))
    if name:
        entries.append((name, typ, aliases))
    n = 0
    for name, typ, aliases in entries:
        if typ != "programming":
            continue
        known = name.lower() in t.skill_idx
        sid = t.skill(name, cid)
        # Obscure languages named like English words ("Red", "Self", "Reason")
        # would fire on ordinary prose, so every auto alias gets a context rule.
        t.add_alias(name, sid, 0 if known else auto_flags(name) or (F_CTX if " " not in name and name.isalpha() else 0))
        for a in aliases:
            t.add_alias(a, sid, auto_flags(a) if not known else auto_flags(a))
        n += 1
    return n


ACRO = re.compile(r"^(.*?)\s+([A-Z][A-Z0-9/&+.-]{1,8})(?:\s+software)?$")


def load_onet(t, path):
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8"), delimiter="\t"))
    occ = {}; hot = set(); cat_of = {}
    for r in rows:
        ex = r["Example"].strip()
        occ[ex] = occ.get(ex, 0) + 1
        if r["Hot Technology"] == "Y" or r["In Demand"] == "Y":
            hot.add(ex)
        cat_of.setdefault(ex, r["Commodity Title"].strip())
    n = 0
    for ex in sorted(occ):
        if ex not in hot and occ[ex] < ONET_MIN_OCCUPATIONS:
            continue
        k = norm_key(ex)
        if k in t.alias:
            continue  # curated or linguist already maps it
        cid = t.cat(cat_of[ex], 1)
        canonical = ex; extra = []
        m = ACRO.match(ex)
        if m and len(m.group(1).split()) >= 2:
            words = [w for w in re.split(r"[\s-]+", m.group(1)) if w]
            initials = "".join(w[0] for w in words).upper()
            acro = m.group(2)
            if initials.endswith(acro.replace("/", "").replace(".", "")[:len(initials)]) or acro[0] == initials[0]:
                extra.append(m.group(1))
                extra.append(acro)
        stripped = None
        for v in VENDORS:
            if ex.startswith(v) and len(ex) > len(v) + 1:
                stripped = ex[len(v):]
                break
        if stripped and norm_key(stripped) in GENERIC:
            stripped = None
        if stripped and norm_key(stripped) in t.alias:
            sid = t.alias[norm_key(stripped)][0]
            if sid >= 0:
                t.add_alias(ex, sid, 0)
                continue
        if ex.endswith(" software") and not m:
            base = ex[:-9]
            if norm_key(base) in t.alias and t.alias[norm_key(base)][0] >= 0:
                t.add_alias(ex, t.alias[norm_key(base)][0], 0)  # "Salesforce software"
                continue
            if not base.islower():
                canonical = base
        sid = t.skill(canonical, cid)
        t.add_alias(ex, sid, 0)
        t.add_alias(canonical, sid, auto_flags(canonical))
        for a in extra:
            t.add_alias(a, sid, auto_flags(a))
        if stripped:
            t.add_alias(stripped, sid, auto_flags(stripped))
        n += 1
    return n


def load_esco(t, path):
    n = 0
    with open(path, newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            label = r["preferredLabel"].strip()
            base = re.sub(r"\s*\(.*?\)\s*$", "", label).strip()
            broader = r["broaderConceptPT"].split(" | ")[0].strip() or "ESCO digital skills"
            if norm_key(base) in t.alias:
                sid = t.alias[norm_key(base)][0]
            elif norm_key(label) in t.alias:
                sid = t.alias[norm_key(label)][0]
            else:
                cid = t.cat(broader, 1)
                sid = t.skill(base if base else label, cid)
                n += 1
            if sid < 0:
                continue
            t.add_alias(base, sid, auto_flags(base))
            t.add_alias(label, sid, 0)
            for a in r["altLabels"].split("|"):
                a = a.strip()
                # ESCO alt labels include loose associations ("Mocha" for
                # JavaScript); only multi-word ones are safe enough to add.
                if a and " " in a:
                    t.add_alias(a, sid, 0)
    return n


def write_tax(t, out):
    aliases = sorted(t.alias.items())
    with open(out, "w", encoding="utf-8") as f:
        f.write("/* tax_data — GENERATED by tools/gen_taxonomy.py; do not edit.\n"
                " *\n * Skill taxonomy tables: categories, canonical skills and lower-case\n"
                " * aliases (sorted), built from O*NET technology skills, ESCO digital\n"
                " * skills, GitHub Linguist and our curated layer (tools/tax_curated.txt).\n"
                " * Attribution and licences: THIRD_PARTY.md.  We have modified the O*NET\n"
                " * and ESCO data (selection, renaming, aliases). */\n")
        f.write('#include "tax_data.h"\n\n')
        f.write("const tax_data_category tax_data_categories[] = {\n")
        for name, tech in t.cats:
            f.write("  {%s, %d},\n" % (c_str(name), tech))
        f.write("};\nconst int tax_data_n_categories = %d;\n\n" % len(t.cats))
        f.write("const tax_data_skill tax_data_skills[] = {\n")
        for name, cat in t.skills:
            f.write("  {%s, %d},\n" % (c_str(name), cat))
        f.write("};\nconst int tax_data_n_skills = %d;\n\n" % len(t.skills))
        f.write("const tax_data_alias tax_data_aliases[] = {\n")
        for k, (sid, fl) in aliases:
            f.write("  {%s, %d, %d},\n" % (c_str(k), sid, fl))
        f.write("};\nconst int tax_data_n_aliases = %d;\n" % len(aliases))


# ---------------------------------------------------------------- geography
COUNTRY_ALIASES = {
    "uk": "GB", "u.k.": "GB", "great britain": "GB", "britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "northern ireland": "GB", "united kingdom": "GB",
    "usa": "US", "u.s.": "US", "u.s.a.": "US", "united states of america": "US",
    "united states": "US", "america": "US", "the netherlands": "NL", "holland": "NL",
    "czechia": "CZ", "czech republic": "CZ", "deutschland": "DE", "sverige": "SE",
    "danmark": "DK", "norge": "NO", "suomi": "FI", "polska": "PL", "espana": "ES",
    "italia": "IT", "schweiz": "CH", "suisse": "CH", "svizzera": "CH", "osterreich": "AT",
    "oesterreich": "AT", "romania": "RO", "south korea": "KR", "korea": "KR",
    "russia": "RU", "uae": "AE", "turkiye": "TR", "turkey": "TR", "eire": "IE",
    "ireland": "IE", "republic of ireland": "IE", "hellas": "GR", "magyarorszag": "HU",
    "lietuva": "LT", "latvija": "LV", "eesti": "EE", "hrvatska": "HR", "slovensko": "SK",
    "slovenija": "SI", "belgie": "BE", "belgique": "BE", "nederland": "NL", "portugal": "PT",
    "brasil": "BR", "mexico": "MX", "vietnam": "VN", "ivory coast": "CI", "macedonia": "MK",
    "north macedonia": "MK", "bosnia": "BA", "moldova": "MD", "iran": "IR", "syria": "SY",
    "taiwan": "TW", "hong kong": "HK", "south africa": "ZA",
}
# Local or English spellings GeoNames' ASCII names lack (key -> GeoNames name, CC).
CITY_ALIASES = {
    "gothenburg": ("Goeteborg", "SE"), "goteborg": ("Goeteborg", "SE"), "malmo": ("Malmoe", "SE"),
    "munchen": ("Munich", "DE"), "muenchen": ("Munich", "DE"), "kobenhavn": ("Copenhagen", "DK"),
    "koebenhavn": ("Copenhagen", "DK"), "warszawa": ("Warsaw", "PL"), "praha": ("Prague", "CZ"),
    "wien": ("Vienna", "AT"), "roma": ("Rome", "IT"), "milano": ("Milan", "IT"),
    "lisboa": ("Lisbon", "PT"), "bruxelles": ("Brussels", "BE"), "brussel": ("Brussels", "BE"),
    "koln": ("Cologne", "DE"), "koeln": ("Cologne", "DE"), "krakow": ("Krakow", "PL"),
    "cracow": ("Krakow", "PL"), "zuerich": ("Zurich", "CH"), "geneve": ("Geneva", "CH"),
    "genf": ("Geneva", "CH"), "den haag": ("The Hague", "NL"), "the hague": ("The Hague", "NL"),
    "firenze": ("Florence", "IT"), "napoli": ("Naples", "IT"), "torino": ("Turin", "IT"),
    "sevilla": ("Sevilla", "ES"), "seville": ("Sevilla", "ES"), "kiev": ("Kyiv", "UA"),
    "kyiv": ("Kyiv", "UA"), "bucuresti": ("Bucharest", "RO"), "athina": ("Athens", "GR"),
    "helsingfors": ("Helsinki", "FI"), "nurnberg": ("Nuremberg", "DE"), "nuernberg": ("Nuremberg", "DE"),
    "frankfurt": ("Frankfurt am Main", "DE"), "frankfurt am main": ("Frankfurt am Main", "DE"),
    "antwerpen": ("Antwerpen", "BE"), "antwerp": ("Antwerpen", "BE"), "gent": ("Gent", "BE"),
    "ghent": ("Gent", "BE"), "thessaloniki": ("Thessaloniki", "GR"), "porto": ("Porto", "PT"),
    "oporto": ("Porto", "PT"), "new york": ("New York City", "US"), "nyc": ("New York City", "US"),
    "sf": ("San Francisco", "US"), "bengaluru": ("Bengaluru", "IN"), "bangalore": ("Bengaluru", "IN"),
    "bombay": ("Mumbai", "IN"), "saint petersburg": ("Saint Petersburg", "RU"),
    "st petersburg": ("Saint Petersburg", "RU"), "tallinn": ("Tallinn", "EE"), "vilnius": ("Vilnius", "LT"),
    "riga": ("Riga", "LV"), "poznan": ("Poznan", "PL"), "wroclaw": ("Wroclaw", "PL"),
    "gdansk": ("Gdansk", "PL"), "lodz": ("Lodz", "PL"), "iasi": ("Iasi", "RO"),
    "tarfu": ("Tartu", "EE"), "aarhus": ("Aarhus", "DK"), "arhus": ("Aarhus", "DK"),
    "odense": ("Odense", "DK"), "luxembourg": ("Luxembourg", "LU"), "luxemburg": ("Luxembourg", "LU"),
}
# Display names: GeoNames' ASCII transliterations are not what people write.
CITY_DISPLAY = {("Goeteborg", "SE"): "Gothenburg", ("Malmoe", "SE"): "Malmö",
                ("Lodz", "PL"): "Łódź", ("Iasi", "RO"): "Iași", ("Krakow", "PL"): "Kraków",
                ("Zurich", "CH"): "Zurich", ("Antwerpen", "BE"): "Antwerp", ("Gent", "BE"): "Ghent",
                ("Sevilla", "ES"): "Seville", ("Frankfurt am Main", "DE"): "Frankfurt",
                ("Wroclaw", "PL"): "Wrocław", ("Gdansk", "PL"): "Gdańsk", ("Poznan", "PL"): "Poznań",
                ("Jyvaeskylae", "FI"): "Jyväskylä"}
CURRENCY = {
    "GB": "GBP", "CH": "CHF", "LI": "CHF", "SE": "SEK", "DK": "DKK", "NO": "NOK", "PL": "PLN",
    "CZ": "CZK", "HU": "HUF", "RO": "RON", "BG": "BGN", "IS": "ISK", "US": "USD", "CA": "CAD",
    "AU": "AUD", "NZ": "NZD", "IN": "INR", "MX": "MXN", "ZA": "ZAR", "BR": "BRL", "JP": "JPY",
    "CN": "CNY", "SG": "SGD", "AE": "AED", "TR": "TRY", "UA": "UAH", "RS": "RSD", "IL": "ILS",
    "AR": "ARS", "CL": "CLP", "CO": "COP", "KR": "KRW", "HK": "HKD", "PH": "PHP", "NG": "NGN",
    "EG": "EGP", "KE": "KES", "RU": "RUB", "BA": "BAM", "MK": "MKD", "AL": "ALL", "MD": "MDL",
    "GE": "GEL", "AM": "AMD", "BY": "BYN", "TW": "TWD", "TH": "THB", "VN": "VND", "ID": "IDR",
    "MY": "MYR", "PK": "PKR", "BD": "BDT", "PE": "PEN", "MA": "MAD", "TN": "TND",
}
EURO = "AT BE CY DE EE ES FI FR GR HR IE IT LT LU LV MT NL PT SI SK AD MC SM VA ME XK".split()
for _c in EURO:
    CURRENCY[_c] = "EUR"


def std_offset_minutes(zone):
    try:
        z = zoneinfo.ZoneInfo(zone)
    except Exception:
        return None
    a = z.utcoffset(datetime.datetime(2026, 1, 15))
    b = z.utcoffset(datetime.datetime(2026, 7, 15))
    return int(min(a, b).total_seconds() // 60)


def centi_deg(v):
    """Degrees as int16 hundredths (about 1.1 km), rounded half away from zero."""
    v = float(v)
    c = int(abs(v) * 100 + 0.5)
    return -c if v < 0 else c


def ascii_fold_key(s):
    return norm_key(s)


def write_geo(data, out, min_pop_world, min_pop_europe):
    # Follow only true renames (Europe/Kiev -> Europe/Kyiv, Asia/Calcutta ->
    # Asia/Kolkata).  Links from merged zones (Europe/Copenhagen -> Europe/Berlin)
    # are valid location names people expect to see, so they are kept.
    backward = {}
    keep_section = True
    for line in open(os.path.join(data, "tz-backward"), encoding="utf-8"):
        if line.startswith("# Pre-2013") or line.startswith("# Non-zone.tab"):
            keep_section = False
        elif line.startswith("# Alternate names") or line.startswith("# Pre-1993") or line.startswith("# Two-part"):
            keep_section = True
        p = line.split("#")[0].split()
        if keep_section and len(p) >= 3 and p[0] == "Link":
            backward[p[2]] = p[1]
    countries = {}
    for line in open(os.path.join(data, "tz-iso3166.tab"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        cc, name = line.rstrip("\n").split("\t")[:2]
        countries[cc] = name
    default_zone = {}
    first_zone = {}
    for line in open(os.path.join(data, "tz-zone1970.tab"), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        p = line.rstrip("\n").split("\t")
        # a zone listed first for its own country beats one it only overlaps
        # (Europe/Zurich also covers Busingen, DE)
        for i, cc in enumerate(p[0].split(",")):
            if i == 0 and cc not in first_zone:
                first_zone[cc] = p[2]
            default_zone.setdefault(cc, p[2])
    default_zone.update(first_zone)
    cities = []
    for line in open(os.path.join(data, "geonames-cities15000-tz.json"), encoding="ascii"):
        if not line.startswith("  ["):
            continue
        r = json.loads(line.strip().rstrip(","))
        cities.append(r)
    zones = {}

    def zid(z):
        z = backward.get(z, z)
        if z not in zones:
            zones[z] = (len(zones), std_offset_minutes(z))
        return zones[z][0]

    keep = [r for r in cities if r[4] >= min_pop_world or
            (r[5].startswith("Europe/") and r[4] >= min_pop_europe)]
    entries = {}  # (key, cc) -> (display, zone, pop, lat, lon)

    def add(key, display, cc, zone, pop, lat, lon):
        k = (ascii_fold_key(key), cc)
        if k not in entries or entries[k][2] < pop:
            entries[k] = (display, zid(zone), pop, lat, lon)

    by_name = {}
    for lat, lng, name, cc, pop, zone in keep:
        disp = CITY_DISPLAY.get((name, cc), name)
        add(name, disp, cc, zone, pop, lat, lng)
        # GeoNames writes ö as "oe"; people type "o" (or the real letter, which
        # the C side folds to "o").
        for a, b in (("oe", "o"), ("ae", "a"), ("ue", "u")):
            if a in name.lower():
                add(name.lower().replace(a, b), disp, cc, zone, pop, lat, lng)
        if disp != name:
            add(disp, disp, cc, zone, pop, lat, lng)
        by_name[(name, cc)] = (disp, zone, pop, lat, lng)
    for r in cities:
        by_name.setdefault((r[2], r[3]), (CITY_DISPLAY.get((r[2], r[3]), r[2]), r[5], r[4], r[0], r[1]))
    for key, (gname, cc) in CITY_ALIASES.items():
        if (gname, cc) in by_name:
            disp, zone, pop, lat, lng = by_name[(gname, cc)]
            add(key, disp, cc, zone, pop, lat, lng)
    cc_keys = {}
    for cc, name in countries.items():
        cc_keys[norm_key(name)] = cc
        cc_keys[cc.lower()] = cc
    for k, cc in COUNTRY_ALIASES.items():
        cc_keys[norm_key(k)] = cc
    for cc in sorted(countries):
        if cc in default_zone:
            zid(default_zone[cc])
    zlist = sorted(zones.items(), key=lambda kv: kv[1][0])
    with open(out, "w", encoding="utf-8") as f:
        f.write("/* geo_data — GENERATED by tools/gen_taxonomy.py; do not edit.\n *\n"
                " * Cities (GeoNames cities15000, population >= %d, >= %d in Europe),\n"
                " * countries and IANA zones with standard UTC offsets; city coordinates in\n"
                " * hundredths of a degree.  Contains data from GeoNames (CC BY 4.0),\n"
                " * modified: selection, spellings, zone ids resolved through tz\n"
                " * 'backward'.  See THIRD_PARTY.md. */\n" % (min_pop_world, min_pop_europe))
        f.write('#include "geo_data.h"\n\n')
        f.write("const geo_data_zone geo_data_zones[] = {\n")
        for z, (i, off) in zlist:
            f.write("  {%s, %d},\n" % (c_str(z), off if off is not None else -32768))
        f.write("};\nconst int geo_data_n_zones = %d;\n\n" % len(zlist))
        f.write("const geo_data_country geo_data_countries[] = {\n")
        for cc in sorted(countries):
            dz = zones[backward.get(default_zone[cc], default_zone[cc])][0] if cc in default_zone else -1
            f.write("  {\"%s\", %s, \"%s\", %d},\n" % (cc, c_str(countries[cc]), CURRENCY.get(cc, ""), dz))
        f.write("};\nconst int geo_data_n_countries = %d;\n\n" % len(countries))
        f.write("const geo_data_country_key geo_data_country_keys[] = {\n")
        for k in sorted(cc_keys):
            f.write("  {%s, \"%s\"},\n" % (c_str(k), cc_keys[k]))
        f.write("};\nconst int geo_data_n_country_keys = %d;\n\n" % len(cc_keys))
        f.write("const geo_data_city geo_data_cities[] = {\n")
        for (k, cc), (disp, z, pop, lat, lng) in sorted(entries.items(), key=lambda kv: (kv[0][0], -kv[1][2])):
            f.write("  {%s, %s, \"%s\", %d, %d, %d, %d},\n"
                    % (c_str(k), c_str(disp), cc, z, pop, centi_deg(lat), centi_deg(lng)))
        f.write("};\nconst int geo_data_n_cities = %d;\n" % len(entries))
    return len(entries), len(zlist)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="/work/shared/data")
    ap.add_argument("--out", default=os.path.join(HERE, "..", "core"))
    ap.add_argument("--min-pop", type=int, default=100000)
    ap.add_argument("--min-pop-europe", type=int, default=30000)
    a = ap.parse_args()
    t = Tax()
    load_curated(t, os.path.join(HERE, "tax_curated.txt"))
    load_blocks(t)
    nc = len(t.skills)
    nl = load_linguist(t, os.path.join(a.data, "linguist-languages.yml"))
    no = load_onet(t, os.path.join(a.data, "onet-technology-skills.tsv"))
    ne = load_esco(t, os.path.join(a.data, "esco-digital-skills.csv"))
    write_tax(t, os.path.join(a.out, "tax_data.c"))
    ncity, nz = write_geo(a.data, os.path.join(a.out, "geo_data.c"), a.min_pop, a.min_pop_europe)
    print("taxonomy: %d skills (%d curated, %d linguist, %d O*NET, %d ESCO new), %d aliases, %d categories"
          % (len(t.skills), nc, nl, no, ne, len(t.alias), len(t.cats)))
    print("geo: %d city keys, %d zones" % (ncity, nz))


if __name__ == "__main__":
    main()
