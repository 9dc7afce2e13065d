/* genbase — deterministic generator of Airtable emulator fixtures.
 *
 *   build/genbase --candidates N [--companies M] [--seed S] [--base-id ID]
 *                 [--pdf-dir DIR] > base.json
 *
 * Writes a base in the emulator's fixture format (the format of
 * shared/data/judged-dev/base.json) with the three tables and every field of
 * contract §7: Talent, Customers STT and ATS.  The content is meant to look
 * like a real agency's base, because talentd's normalizer and matcher are
 * tested and benchmarked on it: CVs in English with dated experience in the
 * many ways people write dates, skills written as people write them
 * (aliases like k8s, Postgres, golang), some only in the CV text, titles
 * across tech and non-tech families, "City, Country" locations, salaries in
 * local currency, and a realistic share of missing values.
 *
 * Determinism: every record draws from its own PRNG seeded from (seed, table,
 * index), so a record does not change when N changes, and ids are derived the
 * same way.  The output is streamed (no JSON tree) so 100,000 candidates take
 * a second or two.  With --pdf-dir a few candidates get a hand-written minimal
 * PDF 1.4 CV (with a correct xref table) as their CV attachment and an empty
 * CV Text, so the text has to come from the PDF. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TALENT_ID "tblOkLOSo4Zjwp0yF"
#define CUSTOMERS_ID "tbl9KNjT3G08f6oXh"
#define ATS_ID "tblrbhITEIBOxwcQV"
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_PDFS 5

/* ------------------------------------------------------------ PRNG -- */

typedef struct rng {
  uint64_t s;
} rng;

static uint64_t rng_u64(rng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

static int rng_int(rng *r, int n) { return n <= 0 ? 0 : (int)(rng_u64(r) % (uint64_t)n); }
static int rng_pct(rng *r, int pct) { return rng_int(r, 100) < pct; }

static uint64_t g_seed = 20261201;

static rng rng_for(const char *table, long index) {
  uint64_t h = 0xcbf29ce484222325ULL ^ g_seed;
  for (const char *p = table; *p; p++) h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
  h ^= (uint64_t)index * 0x9e3779b97f4a7c15ULL;
  rng r = {h};
  rng_u64(&r);
  return r;
}

static void make_id(const char *prefix, const char *table, long index, char out[32]) {
  static const char A[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  rng r = rng_for(table, index * 7919 + 17);
  size_t pl = strlen(prefix);
  memcpy(out, prefix, pl);
  for (int i = 0; i < 14; i++) out[pl + (size_t)i] = A[rng_int(&r, 62)];
  out[pl + 14] = '\0';
}

static void field_id(const char *table, const char *name, char out[32]) {
  uint64_t h = 0;
  for (const char *p = name; *p; p++) h = h * 31 + (unsigned char)*p;
  make_id("fld", table, (long)(h & 0x7fffffff), out);
}

/* ---------------------------------------------------------- output -- */

static char obuf[1 << 16];
static size_t olen;

static void out_flush(void) {
  if (olen && fwrite(obuf, 1, olen, stdout) != olen) {
    perror("genbase: write");
    exit(1);
  }
  olen = 0;
}

static void out_raw(const char *s, size_t n) {
  if (olen + n > sizeof obuf) out_flush();
  if (n > sizeof obuf) {
    fwrite(s, 1, n, stdout);
    return;
  }
  memcpy(obuf + olen, s, n);
  olen += n;
}

static void out_s(const char *s) { out_raw(s, strlen(s)); }

__attribute__((format(printf, 1, 2))) static void out_f(const char *fmt, ...) {
  char b[4096];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b, sizeof b, fmt, ap);
  va_end(ap);
  if (n > 0) out_raw(b, (size_t)n < sizeof b ? (size_t)n : sizeof b - 1);
}

/* A JSON string literal; the input is UTF-8 already. */
static void out_str(const char *s) {
  out_raw("\"", 1);
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    char e[8];
    if (*p == '"' || *p == '\\') {
      e[0] = '\\';
      e[1] = (char)*p;
      out_raw(e, 2);
    } else if (*p == '\n') {
      out_raw("\\n", 2);
    } else if (*p < 0x20) {
      snprintf(e, sizeof e, "\\u%04x", *p);
      out_raw(e, 6);
    } else {
      out_raw((const char *)p, 1);
    }
  }
  out_raw("\"", 1);
}

static void out_kv_str(int *first, const char *k, const char *v) {
  out_s(*first ? "" : ",");
  *first = 0;
  out_str(k);
  out_s(":");
  out_str(v);
}

static void out_kv_num(int *first, const char *k, long v) {
  out_s(*first ? "" : ",");
  *first = 0;
  out_str(k);
  out_f(":%ld", v);
}

/* ------------------------------------------------------------ text -- */

typedef struct sb {
  char b[8192];
  size_t n;
} sb;

__attribute__((format(printf, 2, 3))) static void sb_f(sb *s, const char *fmt, ...) {
  va_list ap;
  if (s->n >= sizeof s->b - 1) return;
  va_start(ap, fmt);
  int n = vsnprintf(s->b + s->n, sizeof s->b - s->n, fmt, ap);
  va_end(ap);
  if (n > 0) s->n += (size_t)n < sizeof s->b - s->n ? (size_t)n : sizeof s->b - s->n - 1;
}

/* ------------------------------------------------------------ data -- */

typedef struct skill {
  const char *canon;
  const char *alias; /* how many people write it, or NULL */
} skill;

typedef struct family {
  const char *key;
  const char *titles[6];
  skill skills[16];
  const char *duties[5]; /* {a} {b}: skills, {n}: a number */
  const char *employers_kind[3];
  const char *degree;
  int salary_eur; /* mid-level, yearly */
  int tech;
} family;

static const family FAMILIES[] = {
    {"backend",
     {"Backend Developer", "Backend Engineer", "Software Engineer", "Python Developer", "Java Developer",
      "Go Developer"},
     {{"Python", "py"}, {"Django", NULL}, {"Go", "golang"}, {"Java", NULL}, {"Spring Boot", NULL},
      {"PostgreSQL", "Postgres"}, {"Redis", NULL}, {"Docker", NULL}, {"Kubernetes", "k8s"}, {"AWS", NULL},
      {"REST APIs", NULL}, {"Node.js", "node"}, {"TypeScript", "TS"}, {"Kafka", NULL}, {"gRPC", NULL},
      {"FastAPI", NULL}},
     {"built and ran the {a} services behind a booking platform with {n}k daily users, backed by {b}",
      "designed versioned REST APIs in {a} that {n} partner systems integrate with",
      "moved the heaviest reporting queries to {a}, cutting page loads from {n} seconds to under one",
      "owned the payment service ({a}, {b}) including on-call and incident reviews",
      "split a {a} monolith into {n} services deployed with {b}"},
     {"fintech", "e-commerce", "logistics"},
     "B.Sc. Computer Science",
     65000,
     1},
    {"frontend",
     {"Frontend Developer", "Frontend Engineer", "UI Engineer", "Web Developer", "JavaScript Developer", NULL},
     {{"JavaScript", "JS"}, {"TypeScript", "TS"}, {"React", "ReactJS"}, {"Vue.js", "Vue"}, {"Angular", NULL},
      {"CSS", NULL}, {"HTML", NULL}, {"Next.js", NULL}, {"Redux", NULL}, {"Jest", NULL}, {"Webpack", NULL},
      {"GraphQL", NULL}, {"Storybook", NULL}, {"Figma", NULL}, {"Accessibility", "a11y"}, {"Node.js", "node"}},
     {"rebuilt the checkout in {a} and {b}, raising conversion by {n}%",
      "led the migration of {n} screens from jQuery to {a}",
      "set up a design system in {a} with {b}, used by {n} product teams",
      "cut the bundle size by {n}% with code splitting in {a}",
      "owned accessibility audits and fixes across the {a} web app"},
     {"media", "retail", "SaaS"},
     "B.Sc. Media Informatics",
     60000,
     1},
    {"mobile",
     {"iOS Developer", "Android Developer", "Mobile Engineer", "iOS Engineer", "Mobile Developer", NULL},
     {{"Swift", NULL}, {"SwiftUI", NULL}, {"Objective-C", "ObjC"}, {"Kotlin", NULL}, {"Android", NULL},
      {"React Native", "RN"}, {"Flutter", NULL}, {"Dart", NULL}, {"Xcode", NULL}, {"Firebase", NULL},
      {"UIKit", NULL}, {"Jetpack Compose", NULL}, {"Core Data", NULL}, {"Fastlane", NULL}, {NULL, NULL}},
     {"shipped {n} releases of a {a} app rated 4.7 in the App Store",
      "rewrote the onboarding flow in {a} with {b}",
      "built offline sync for a field-service app in {a}, used by {n}k technicians",
      "cut crash rates by {n}% after moving to {a}",
      "maintained the {a} and {b} codebases of a banking app"},
     {"banking", "audio", "mobility"},
     "B.Sc. Software Engineering",
     62000,
     1},
    {"data",
     {"Data Engineer", "Data Scientist", "Data Analyst", "Analytics Engineer", "ML Engineer", "BI Developer"},
     {{"Python", "py"}, {"SQL", NULL}, {"Spark", NULL}, {"Airflow", NULL}, {"dbt", NULL}, {"Tableau", NULL},
      {"Looker", NULL}, {"Pandas", NULL}, {"scikit-learn", "sklearn"}, {"BigQuery", NULL}, {"Snowflake", NULL},
      {"Power BI", "PowerBI"}, {"TensorFlow", "TF"}, {"Google Cloud", "GCP"}, {"PostgreSQL", "Postgres"},
      {NULL, NULL}},
     {"built the {a} pipelines feeding {n} dashboards in {b}",
      "modelled the sales warehouse in {a} on {b} for {n} analysts",
      "trained churn models in {a} that cut churn by {n}%",
      "moved nightly batch jobs from cron to {a}",
      "ran weekly category reviews with {a} and {b} for a retailer with {n} stores"},
     {"retail", "insurance", "marketplace"},
     "M.Sc. Statistics",
     63000,
     1},
    {"devops",
     {"DevOps Engineer", "Site Reliability Engineer", "Platform Engineer", "Cloud Engineer", "SRE", NULL},
     {{"Kubernetes", "k8s"}, {"Terraform", NULL}, {"Google Cloud", "GCP"}, {"AWS", NULL}, {"Azure", NULL},
      {"Docker", NULL}, {"Prometheus", NULL}, {"Grafana", NULL}, {"Ansible", NULL}, {"Linux", NULL},
      {"CI/CD", NULL}, {"Helm", NULL}, {"Go", "golang"}, {"Python", "py"}, {"GKE", NULL}, {"ArgoCD", NULL}},
     {"ran {n} {a} clusters with {b}, with SLOs and an on-call rotation",
      "wrote the {a} modules every team uses to provision {b}",
      "cut cloud spend by {n}% by right-sizing {a} workloads",
      "moved {n} services from VMs to {a}",
      "built the {a} and {b} observability stack and runbooks"},
     {"streaming", "gaming", "SaaS"},
     "B.Sc. Computer Engineering",
     68000,
     1},
    {"qa",
     {"QA Engineer", "QA Automation Engineer", "Test Engineer", "SDET", "Software Tester", NULL},
     {{"Playwright", NULL}, {"Cypress", NULL}, {"Selenium", NULL}, {"JavaScript", "JS"}, {"TypeScript", "TS"},
      {"Java", NULL}, {"Postman", NULL}, {"JMeter", NULL}, {"Jest", NULL}, {"CI/CD", NULL}, {"TestRail", NULL},
      {"Appium", NULL}, {"Cucumber", NULL}, {NULL, NULL}},
     {"automated {n}0 regression cases in {a} with {b}, running on every merge",
      "replaced a flaky {a} suite with {b} and cut run time by {n}%",
      "set up load tests in {a} before Black Friday",
      "wrote API tests in {a} for {n} microservices",
      "introduced contract tests and a test pyramid with {a}"},
     {"payments", "travel", "telecom"},
     "B.Sc. Information Systems",
     52000,
     1},
    {"nurse",
     {"Registered Nurse", "ICU Nurse", "Staff Nurse", "Nurse Practitioner", "Ward Nurse", NULL},
     {{"Patient Care", NULL}, {"Triage", NULL}, {"Wound Care", NULL}, {"Medication Administration", NULL},
      {"Electronic Health Records", "EHR"}, {"BLS", NULL}, {"ICU", NULL}, {NULL, NULL}},
     {"cared for up to {n} patients per shift on a surgical ward, with {a} and {b}",
      "trained {n} new nurses in {a}",
      "led the night shift's {a} in a {n}-bed emergency department",
      "introduced a {a} checklist that cut documentation errors by {n}%",
      "coordinated discharge planning and {a}"},
     {"hospital", "clinic", "care home"},
     "B.Sc. Nursing",
     40000,
     0},
    {"chef",
     {"Chef de Partie", "Sous Chef", "Head Chef", "Line Cook", "Pastry Chef", NULL},
     {{"Menu Planning", NULL}, {"HACCP", NULL}, {"Food Safety", NULL}, {"Kitchen Management", NULL},
      {"Pastry", NULL}, {"Inventory", NULL}, {NULL, NULL}},
     {"ran the grill section for {n} covers a night",
      "rewrote the seasonal menu and the {a} plan",
      "cut food waste by {n}% with better {a}",
      "trained a brigade of {n} cooks in {a} and {b}",
      "opened a second site and set up its {a}"},
     {"restaurant", "hotel", "catering"},
     "Culinary diploma",
     32000,
     0},
    {"accountant",
     {"Accountant", "Senior Accountant", "Financial Controller", "Bookkeeper", "Finance Manager", NULL},
     {{"Accounting", NULL}, {"IFRS", NULL}, {"SAP", NULL}, {"Excel", NULL}, {"Payroll", NULL}, {"Audit", NULL},
      {"DATEV", NULL}, {"Xero", NULL}, {"Financial Reporting", NULL}, {NULL, NULL}},
     {"closed the books monthly for {n} entities under {a}",
      "moved payroll for {n}0 staff to {a}",
      "prepared the year-end audit file in {a} and {b}",
      "built cash-flow forecasts in {a} for the board",
      "cut the month-end close from {n} days to five"},
     {"manufacturing", "retail", "audit firm"},
     "B.A. Accounting and Finance",
     48000,
     0},
    {"recruiter",
     {"Technical Recruiter", "Talent Acquisition Partner", "Recruitment Consultant", "Sourcer", NULL, NULL},
     {{"Active Sourcing", NULL}, {"LinkedIn Recruiter", NULL}, {"Interviewing", NULL},
      {"Employer Branding", NULL}, {"Greenhouse", NULL}, {"Boolean Search", NULL}, {NULL, NULL}},
     /* recruiters' CVs are full of the stacks they hire for: a matcher must not be fooled */
     {"hired {n} Python, Go and k8s engineers for a scale-up using {a}",
      "filled {n} React and TypeScript roles in one quarter with {a}",
      "ran {a} and {b} for backend, DevOps and data teams",
      "built the interview process for AWS and Kubernetes platform roles",
      "sourced iOS and Android engineers across Europe with {a}"},
     {"agency", "scale-up", "consultancy"},
     "B.A. Psychology",
     45000,
     0},
    {"sales",
     {"Account Executive", "Sales Manager", "Business Development Manager", "Key Account Manager", NULL, NULL},
     {{"Salesforce", NULL}, {"HubSpot", NULL}, {"Negotiation", NULL}, {"Account Management", NULL},
      {"Lead Generation", NULL}, {"SaaS Sales", NULL}, {NULL, NULL}},
     {"closed EUR {n}00k of new ARR selling a cloud data platform with {a}",
      "grew a territory of {n} enterprise accounts tracked in {a}",
      "sold Kubernetes and Terraform consulting to mid-market clients",
      "ran {a} and {b} for a team of {n} SDRs",
      "exceeded quota {n} quarters in a row"},
     {"software vendor", "consultancy", "distributor"},
     "B.A. Business Administration",
     55000,
     0},
};

typedef struct city {
  const char *name;
  const char *country;
  const char *currency;
  double fx;     /* units per EUR */
  double factor; /* local salary level vs. Germany */
  const char *legal; /* company legal form */
} city;

static const city CITIES[] = {
    {"Berlin", "Germany", "EUR", 1, 1.0, "GmbH"},        {"Munich", "Germany", "EUR", 1, 1.1, "GmbH"},
    {"Hamburg", "Germany", "EUR", 1, 1.0, "GmbH"},       {"Frankfurt", "Germany", "EUR", 1, 1.05, "GmbH"},
    {"Cologne", "Germany", "EUR", 1, 0.95, "GmbH"},      {"Vienna", "Austria", "EUR", 1, 0.95, "GmbH"},
    {"Zurich", "Switzerland", "CHF", 0.95, 1.7, "AG"},   {"Geneva", "Switzerland", "CHF", 0.95, 1.6, "SA"},
    {"Amsterdam", "Netherlands", "EUR", 1, 1.0, "B.V."}, {"Rotterdam", "Netherlands", "EUR", 1, 0.9, "B.V."},
    {"Utrecht", "Netherlands", "EUR", 1, 0.9, "B.V."},   {"Brussels", "Belgium", "EUR", 1, 0.95, "SRL"},
    {"Antwerp", "Belgium", "EUR", 1, 0.9, "NV"},         {"Paris", "France", "EUR", 1, 0.95, "SAS"},
    {"Lyon", "France", "EUR", 1, 0.8, "SAS"},            {"Toulouse", "France", "EUR", 1, 0.75, "SAS"},
    {"Madrid", "Spain", "EUR", 1, 0.7, "S.L."},          {"Barcelona", "Spain", "EUR", 1, 0.7, "S.L."},
    {"Valencia", "Spain", "EUR", 1, 0.6, "S.L."},        {"Lisbon", "Portugal", "EUR", 1, 0.6, "Lda"},
    {"Porto", "Portugal", "EUR", 1, 0.55, "Lda"},        {"Milan", "Italy", "EUR", 1, 0.75, "S.r.l."},
    {"Rome", "Italy", "EUR", 1, 0.7, "S.r.l."},          {"Turin", "Italy", "EUR", 1, 0.65, "S.r.l."},
    {"Dublin", "Ireland", "EUR", 1, 1.05, "Ltd"},        {"Cork", "Ireland", "EUR", 1, 0.9, "Ltd"},
    {"London", "United Kingdom", "GBP", 0.85, 1.1, "Ltd"}, {"Manchester", "United Kingdom", "GBP", 0.85, 0.9, "Ltd"},
    {"Edinburgh", "United Kingdom", "GBP", 0.85, 0.9, "Ltd"}, {"Bristol", "United Kingdom", "GBP", 0.85, 0.9, "Ltd"},
    {"Copenhagen", "Denmark", "DKK", 7.46, 1.1, "ApS"},  {"Aarhus", "Denmark", "DKK", 7.46, 1.0, "ApS"},
    {"Stockholm", "Sweden", "SEK", 11.5, 0.95, "AB"},    {"Gothenburg", "Sweden", "SEK", 11.5, 0.9, "AB"},
    {"Malmö", "Sweden", "SEK", 11.5, 0.85, "AB"},        {"Oslo", "Norway", "NOK", 11.7, 1.1, "AS"},
    {"Bergen", "Norway", "NOK", 11.7, 1.0, "AS"},        {"Helsinki", "Finland", "EUR", 1, 0.9, "Oy"},
    {"Tampere", "Finland", "EUR", 1, 0.8, "Oy"},         {"Warsaw", "Poland", "PLN", 4.3, 0.55, "sp. z o.o."},
    {"Kraków", "Poland", "PLN", 4.3, 0.5, "sp. z o.o."}, {"Wrocław", "Poland", "PLN", 4.3, 0.5, "sp. z o.o."},
    {"Łódź", "Poland", "PLN", 4.3, 0.45, "sp. z o.o."},  {"Prague", "Czechia", "CZK", 25, 0.5, "s.r.o."},
    {"Brno", "Czechia", "CZK", 25, 0.45, "s.r.o."},      {"Budapest", "Hungary", "HUF", 390, 0.45, "Kft."},
    {"Bucharest", "Romania", "RON", 5, 0.45, "S.R.L."},  {"Cluj-Napoca", "Romania", "RON", 5, 0.4, "S.R.L."},
    {"Iași", "Romania", "RON", 5, 0.35, "S.R.L."},       {"Tallinn", "Estonia", "EUR", 1, 0.6, "OÜ"},
    {"Riga", "Latvia", "EUR", 1, 0.5, "SIA"},            {"Vilnius", "Lithuania", "EUR", 1, 0.5, "UAB"},
    {"Athens", "Greece", "EUR", 1, 0.5, "S.A."},         {"New York", "USA", "USD", 1.08, 1.8, "Inc."},
    {"San Francisco", "USA", "USD", 1.08, 2.0, "Inc."},  {"Austin", "USA", "USD", 1.08, 1.5, "Inc."},
    {"Toronto", "Canada", "CAD", 1.47, 1.1, "Inc."},     {"Vancouver", "Canada", "CAD", 1.47, 1.1, "Inc."},
    {"Sydney", "Australia", "AUD", 1.65, 1.2, "Pty Ltd"}, {"Singapore", "Singapore", "SGD", 1.45, 1.1, "Pte. Ltd."},
    {"Bangalore", "India", "INR", 90, 0.3, "Pvt. Ltd."},
};

static const char *FIRST[] = {"Anna", "Lukas", "Sofia", "Mikkel", "Johanna", "Rasmus", "Emma", "Noah",
                              "Olivia", "Mateo", "Chloé", "Jakub", "Zofia", "Ioana", "Andrei", "Giulia",
                              "Marco", "Siobhán", "Liam", "Aisha", "Omar", "Priya", "Arjun", "Mei",
                              "Kenji", "Lena", "Felix", "Hannah", "Tomás", "Inés", "Pieter", "Sanne",
                              "Elif", "Mehmet", "Nora", "Erik", "Freya", "Dmitri", "Katarzyna", "Tiago",
                              "Léa", "Hugo", "Maja", "Oskar", "Eva", "Daniel", "Sara", "Jonas"};
static const char *LAST[] = {"Müller", "Schmidt", "Sørensen", "Lindgren", "Holm", "Novak", "Kowalski",
                             "Popescu", "Rossi", "Bianchi", "Murphy", "O'Brien", "García", "Fernández",
                             "Silva", "Santos", "Dubois", "Martin", "de Vries", "Jansen", "Nielsen",
                             "Andersson", "Virtanen", "Horváth", "Nowak", "Ionescu", "Papadopoulos",
                             "Kaya", "Yılmaz", "Patel", "Sharma", "Chen", "Tanaka", "Smith", "Brown",
                             "Wilson", "Taylor", "Becker", "Wagner", "Kovač", "Berg", "Hansen"};
static const char *CO_PREFIX[] = {"Nordlys", "Brightwave", "Kestrel", "Tidewell", "Sundby", "Corrib",
                                  "Bursztyn", "Sihlquai", "Alder", "Bluefin", "Cobalt", "Driftwood",
                                  "Ember", "Fjord", "Granite", "Harbor", "Iris", "Juniper", "Kiln",
                                  "Lumen", "Meridian", "Northstar", "Orchard", "Pinecrest", "Quarry",
                                  "Riverbend", "Saltmarsh", "Thistle", "Umber", "Vantage", "Willow",
                                  "Zephyr", "Acme", "Helix", "Polar", "Aurora"};
static const char *CO_SECTOR[] = {"Health", "Pay", "Logistics", "Audio", "Foods", "Systems", "Labs",
                                  "Energy", "Insurance", "Mobility", "Grocers", "Analytics", "Care",
                                  "Games", "Travel", "Media"};
static const char *MONTHS[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
static const char *UNIS[] = {"TU Munich", "KTH Stockholm", "University of Warsaw", "Trinity College Dublin",
                             "DTU", "TU Delft", "University of Lisbon", "Politecnico di Milano",
                             "University of Manchester", "ETH Zurich", "University of Helsinki",
                             "Babeș-Bolyai University", "Charles University", "University of Vienna"};
static const char *WORK_PREF[] = {"Remote", "Hybrid", "On-site"};
static const char *SOURCES[] = {"LinkedIn", "Referral", "Inbound", "Event"};
static const char *STAGES[] = {"Lead", "Qualified", "Proposal", "Active Client", "Paused", "Churned"};
static const char *JOB_STATUS[] = {"Sourcing", "Initial Recruiting", "Ongoing Recruiting", "Client Introduction",
                                   "In Interview", "Probation period", "Offer", "Hired", "On Hold", "Backlog",
                                   "Position closed", "Disqualified"};
static const char *STAGE_COLUMNS[] = {"Potential Talent Fit AI", "Recruiter AI Result Rejection",
                                      "Potential Talent Fit", "Potential Talent Fit Nick",
                                      "Potential Talent Fit NOE", "Shortlisted Talent", "Client Introduction",
                                      "In Interview 1", "Interview: Assignment", "In Interview 2",
                                      "In Interview 3", "In Interview 4", "In Negotiations", "Hired",
                                      "Introduction Rejected Talent", "Interview Rejected Talent",
                                      "Assignment Rejected Talent", "Negotiations rejection",
                                      "Talent Rejected Job", "Considered Talent (Job On Hold)"};
#define CURRENT_YEAR 2026

static size_t nskills(const family *f) {
  size_t n = 0;
  while (n < NELEM(f->skills) && f->skills[n].canon) n++;
  return n;
}

static size_t ntitles(const family *f) {
  size_t n = 0;
  while (n < NELEM(f->titles) && f->titles[n]) n++;
  return n;
}

/* Family mix: mostly tech, a fair share of everything else, as in an agency's base. */
static int pick_family(rng *r) {
  static const int weights[] = {18, 12, 8, 12, 10, 8, 6, 5, 6, 8, 7};
  int total = 0, x;
  for (size_t i = 0; i < NELEM(weights); i++) total += weights[i];
  x = rng_int(r, total);
  for (size_t i = 0; i < NELEM(weights); i++) {
    if (x < weights[i]) return (int)i;
    x -= weights[i];
  }
  return 0;
}

/* The family of candidate i without generating the candidate (first draw). */
static int candidate_family(long i) {
  rng r = rng_for(TALENT_ID, i);
  return pick_family(&r);
}

static long round_salary(double v) {
  double unit = v > 2000000 ? 100000 : v > 200000 ? 5000 : 1000;
  return (long)(v / unit + 0.5) * (long)unit;
}

static void ascii_slug(const char *in, char *out, size_t n) {
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)in; *p && k + 1 < n; p++) {
    if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) out[k++] = (char)*p;
    else if (*p >= 'A' && *p <= 'Z') out[k++] = (char)(*p - 'A' + 'a');
    else if (*p == ' ' || *p == '-' || *p == '.') out[k++] = '-';
  }
  out[k] = '\0';
}

/* A spelled skill: the alias a good share of the time, as people write them. */
static const char *spell(rng *r, const skill *s) { return s->alias && rng_pct(r, 45) ? s->alias : s->canon; }

static void expand(sb *s, rng *r, const char *tmpl, const family *f, const int *own, int nown) {
  int last = -1;
  for (const char *p = tmpl; *p; p++) {
    if (p[0] == '{' && p[1] && p[2] == '}') {
      if (p[1] == 'n') {
        sb_f(s, "%d", 2 + rng_int(r, 40));
      } else {
        /* {a} and {b} name different skills when the person has two */
        int k = rng_int(r, nown);
        if (k == last && nown > 1) k = (k + 1) % nown;
        last = k;
        sb_f(s, "%s", spell(r, &f->skills[own[k]]));
      }
      p += 2;
    } else {
      sb_f(s, "%c", *p);
    }
  }
}

static void date_range(sb *s, rng *r, int style, int y0, int m0, int y1, int m1, int current) {
  switch (style) {
  case 0:
    if (current) sb_f(s, "(%s %d - present)", MONTHS[m0], y0);
    else sb_f(s, "(%s %d - %s %d)", MONTHS[m0], y0, MONTHS[m1], y1);
    break;
  case 1:
    if (current) sb_f(s, "(%d - present)", y0);
    else sb_f(s, "(%d - %d)", y0, y1);
    break;
  case 2:
    if (current) sb_f(s, "('%02d - now)", y0 % 100);
    else sb_f(s, "('%02d - '%02d)", y0 % 100, y1 % 100);
    break;
  case 3:
    if (current) sb_f(s, "(%02d/%d - today)", m0 + 1, y0);
    else sb_f(s, "(%02d/%d - %02d/%d)", m0 + 1, y0, m1 + 1, y1);
    break;
  default:
    if (current) sb_f(s, "(since %d)", y0);
    else sb_f(s, "(%d-%d)", y0, y1);
    break;
  }
  (void)r;
}

static void company_name(rng *r, const city *c, char *out, size_t n) {
  snprintf(out, n, "%s %s %s", CO_PREFIX[rng_int(r, NELEM(CO_PREFIX))], CO_SECTOR[rng_int(r, NELEM(CO_SECTOR))],
           c->legal);
}

/* ------------------------------------------------------------- PDF -- */

static int write_pdf(const char *dir, const char *name, const char *text) {
  char path[4096], content[16384], doc[24576];
  size_t cl = 0, dl = 0, off[6];
  char text1[8192];
  size_t tl = 0;
  /* WinAnsiEncoding equals Latin-1 for U+00A0..U+00FF; anything else becomes '?' */
  for (const unsigned char *p = (const unsigned char *)text; *p && tl < sizeof text1 - 1; p++) {
    if (*p < 0x80) {
      text1[tl++] = *p == '\n' ? ' ' : (char)*p;
    } else if ((*p & 0xE0) == 0xC0 && (p[1] & 0xC0) == 0x80) {
      unsigned cp = ((unsigned)(*p & 0x1F) << 6) | (p[1] & 0x3F);
      text1[tl++] = cp >= 0xA0 && cp <= 0xFF ? (char)cp : '?';
      p++;
    } else if ((*p & 0xC0) != 0x80) {
      text1[tl++] = '?';
    }
  }
  cl += (size_t)snprintf(content + cl, sizeof content - cl, "BT /F1 10 Tf 50 760 Td 13 TL\n");
  for (size_t i = 0; i < tl && cl < sizeof content - 300;) {
    size_t len = tl - i < 95 ? tl - i : 95;
    if (i + len < tl) {
      size_t sp = len;
      while (sp > 40 && text1[i + sp] != ' ') sp--;
      if (sp > 40) len = sp;
    }
    content[cl++] = '(';
    for (size_t k = 0; k < len; k++) {
      char ch = text1[i + k];
      if (ch == '(' || ch == ')' || ch == '\\') content[cl++] = '\\';
      content[cl++] = ch;
    }
    cl += (size_t)snprintf(content + cl, sizeof content - cl, ") Tj T*\n");
    i += len;
    while (i < tl && text1[i] == ' ') i++;
  }
  cl += (size_t)snprintf(content + cl, sizeof content - cl, "ET\n");

#define EMIT(...) dl += (size_t)snprintf(doc + dl, sizeof doc - dl, __VA_ARGS__)
  EMIT("%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n");
  off[1] = dl;
  EMIT("1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n");
  off[2] = dl;
  EMIT("2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n");
  off[3] = dl;
  EMIT("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> "
       "/Contents 5 0 R >>\nendobj\n");
  off[4] = dl;
  EMIT("4 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>\nendobj\n");
  off[5] = dl;
  EMIT("5 0 obj\n<< /Length %zu >>\nstream\n", cl);
  if (dl + cl < sizeof doc) {
    memcpy(doc + dl, content, cl);
    dl += cl;
  }
  EMIT("\nendstream\nendobj\n");
  size_t xref = dl;
  EMIT("xref\n0 6\n0000000000 65535 f \n");
  for (int i = 1; i <= 5; i++) EMIT("%010zu 00000 n \n", off[i]);
  EMIT("trailer\n<< /Size 6 /Root 1 0 R >>\nstartxref\n%zu\n%%%%EOF\n", xref);
#undef EMIT
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(doc, 1, dl, f) != dl || fclose(f) != 0) {
    fprintf(stderr, "genbase: cannot write %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

/* ----------------------------------------------------------- schema -- */

typedef struct fdef {
  const char *name, *type, *options; /* options: raw JSON or NULL */
} fdef;

static const fdef TALENT_FIELDS[] = {
    {"Name", "singleLineText", NULL},
    {"Email", "email", NULL},
    {"LinkedIn", "url", NULL},
    {"Source", "singleSelect", "{\"choices\":[\"LinkedIn\",\"Referral\",\"Inbound\",\"Event\"]}"},
    {"CV", "multipleAttachments", "{\"isReversed\":false}"},
    {"CV Text", "multilineText", NULL},
    {"Skills", "multipleSelects", "SKILLS"},
    {"Current Title", "singleLineText", NULL},
    {"Years of Experience", "number", "{\"precision\":0}"},
    {"Location", "singleLineText", NULL},
    {"Work Preference", "singleSelect", "{\"choices\":[\"Remote\",\"Hybrid\",\"On-site\"]}"},
    {"Desired Salary", "number", "{\"precision\":0}"},
    {"(N) Title", "singleLineText", NULL},
    {"(N) Seniority", "singleLineText", NULL},
    {"(N) Years of Experience", "number", "{\"precision\":1}"},
    {"(N) Skills", "multilineText", NULL},
    {"(N) Location", "singleLineText", NULL},
    {"(N) Timezone", "singleLineText", NULL},
    {"(N) Salary", "number", "{\"precision\":0}"},
};

static const fdef CUSTOMER_FIELDS[] = {
    {"Company", "singleLineText", NULL},
    {"Job Description", "multilineText", NULL},
    {"Job Description Link", "url", NULL},
    {"Hiring Contact", "singleLineText", NULL},
    {"Stage", "singleSelect",
     "{\"choices\":[\"Lead\",\"Qualified\",\"Proposal\",\"Active Client\",\"Paused\",\"Churned\"]}"},
    {"ATS Jobs", "multipleRecordLinks",
     "{\"linkedTableId\":\"" ATS_ID "\",\"isReversed\":false,\"prefersSingleRecordLink\":false,"
     "\"inverseLinkFieldName\":\"Company\"}"},
    {"Start Matchmaking", "checkbox", "{\"icon\":\"check\",\"color\":\"greenBright\"}"},
    {"Location", "singleLineText", NULL},
    {"Salary Range", "singleLineText", NULL},
    {"Remote Policy", "singleSelect", "{\"choices\":[\"Remote\",\"Hybrid\",\"On-site\"]}"},
    {"(N) Job Title", "singleLineText", NULL},
    {"(N) Required Skills", "multilineText", NULL},
    {"(N) Nice-to-have Skills", "multilineText", NULL},
    {"(N) Seniority", "singleLineText", NULL},
    {"(N) Min Years", "number", "{\"precision\":0}"},
    {"(N) Location", "singleLineText", NULL},
    {"(N) Remote", "singleLineText", NULL},
    {"(N) Salary Min", "number", "{\"precision\":0}"},
    {"(N) Salary Max", "number", "{\"precision\":0}"},
};

static const fdef ATS_HEAD_FIELDS[] = {
    {"Open Position (Job Title)", "singleLineText", NULL},
    {"Company", "multipleRecordLinks",
     "{\"linkedTableId\":\"" CUSTOMERS_ID "\",\"isReversed\":false,\"prefersSingleRecordLink\":true,"
     "\"inverseLinkFieldName\":\"ATS Jobs\"}"},
    {"Job Status", "singleSelect", "STATUS"},
    {"Opened On", "date", "{\"dateFormat\":{\"name\":\"iso\",\"format\":\"YYYY-MM-DD\"}}"},
};

static const fdef ATS_TAIL_FIELDS[] = {
    {"AI PROPOSTED CANDIDATES", "singleLineText", NULL},
    {"MATCHED CANDIDATES", "singleLineText", NULL},
    {"REJECTED PROPOSTED CANDIDATES", "singleLineText", NULL},
    {"SMART IEALD CANDIDATE PROFILE", "singleLineText", NULL},
    {"Feedback", "multilineText", NULL},
};

static void out_skill_choices(void) {
  const char *seen[512];
  size_t n = 0;
  out_s("{\"choices\":[");
  for (size_t f = 0; f < NELEM(FAMILIES); f++) {
    for (size_t i = 0; i < nskills(&FAMILIES[f]); i++) {
      const char *names[2] = {FAMILIES[f].skills[i].canon, FAMILIES[f].skills[i].alias};
      for (int k = 0; k < 2; k++) {
        size_t j;
        if (!names[k]) continue;
        for (j = 0; j < n && strcmp(seen[j], names[k]) != 0; j++) {}
        if (j < n || n == NELEM(seen)) continue;
        seen[n++] = names[k];
        if (n > 1) out_s(",");
        out_str(names[k]);
      }
    }
  }
  out_s("]}");
}

static void out_field(const char *table, const fdef *d, int *first) {
  char id[32];
  field_id(table, d->name, id);
  out_s(*first ? "\n  " : ",\n  ");
  *first = 0;
  out_s("{\"id\":");
  out_str(id);
  out_s(",\"name\":");
  out_str(d->name);
  out_s(",\"type\":");
  out_str(d->type);
  if (d->options) {
    out_s(",\"options\":");
    if (strcmp(d->options, "SKILLS") == 0) {
      out_skill_choices();
    } else if (strcmp(d->options, "STATUS") == 0) {
      out_s("{\"choices\":[");
      for (size_t i = 0; i < NELEM(JOB_STATUS); i++) {
        if (i) out_s(",");
        out_str(JOB_STATUS[i]);
      }
      out_s("]}");
    } else {
      out_s(d->options);
    }
  }
  out_s("}");
}

/* -------------------------------------------------------- records -- */

static void iso_time(long base_epoch, long offset_s, char *out, size_t n) {
  time_t t = (time_t)(base_epoch + offset_s);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, n, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}

static void out_candidate(long i, const char *pdf_dir, int *npdf) {
  rng r = rng_for(TALENT_ID, i);
  int fam = pick_family(&r); /* must stay the first draw: candidate_family() relies on it */
  const family *f = &FAMILIES[fam];
  const city *c = &CITIES[rng_int(&r, NELEM(CITIES))];
  char id[32], created[40], email[160], fslug[64], lslug[64];
  const char *first_name = FIRST[rng_int(&r, NELEM(FIRST))], *last = LAST[rng_int(&r, NELEM(LAST))];
  make_id("rec", TALENT_ID, i, id);
  iso_time(1735725600L, i * 311L, created, sizeof created); /* from 2025-01-01 10:00 UTC */

  /* experience: 0-24 years, 1-4 jobs, most recent first */
  int years = rng_pct(&r, 10) ? rng_int(&r, 2) : 1 + rng_int(&r, 24);
  int njobs = years < 3 ? 1 : years < 8 ? 2 : 2 + rng_int(&r, 3);
  const char *level = years < 2 ? "Junior " : years < 5 ? "" : years < 11 ? "Senior " : (rng_pct(&r, 50) ? "Lead " : "Principal ");
  if (!f->tech && years >= 5 && rng_pct(&r, 60)) level = "";
  const char *title = f->titles[rng_int(&r, (int)ntitles(f))];
  /* own skills: 3-8 of the family's */
  int own[16], nown = 0, ns = (int)nskills(f);
  int want = 3 + rng_int(&r, 6);
  for (int k = 0; k < ns && nown < want; k++)
    if (rng_int(&r, ns - k) < want - nown) own[nown++] = k;

  sb cv = {0};
  int y_end = CURRENT_YEAR, m_end = 11;
  int left = years;
  for (int j = 0; j < njobs; j++) {
    int span = j == njobs - 1 ? left : 1 + rng_int(&r, left - (njobs - j - 1) > 1 ? left - (njobs - j - 1) : 1);
    if (span < 1) span = 1;
    left -= span;
    int y0 = years == 0 ? CURRENT_YEAR : y_end - span, m0 = years == 0 ? 3 + rng_int(&r, 6) : rng_int(&r, 12);
    int style = rng_int(&r, 5);
    char emp[128];
    company_name(&r, &CITIES[rng_int(&r, NELEM(CITIES))], emp, sizeof emp);
    const char *jt = j == 0 ? title : f->titles[rng_int(&r, (int)ntitles(f))];
    sb_f(&cv, "%s%s%s at %s ", j ? " " : "", j == 0 ? level : (j == njobs - 1 && years > 4 ? "Junior " : ""), jt, emp);
    date_range(&cv, &r, style, y0, m0, y_end, m_end, j == 0);
    sb_f(&cv, ": ");
    expand(&cv, &r, f->duties[rng_int(&r, NELEM(f->duties))], f, own, nown);
    if (rng_pct(&r, 50)) {
      sb_f(&cv, "; ");
      expand(&cv, &r, f->duties[rng_int(&r, NELEM(f->duties))], f, own, nown);
    }
    sb_f(&cv, " in the %s sector.", f->employers_kind[rng_int(&r, 3)]);
    y_end = y0;
    m_end = m0;
  }
  if (rng_pct(&r, 85)) {
    int gy = y_end - rng_int(&r, 2);
    sb_f(&cv, " %s, %s (%d - %d).", f->degree, UNIS[rng_int(&r, NELEM(UNIS))], gy - 3, gy);
  }
  if (rng_pct(&r, 60)) {
    sb_f(&cv, " Skills: ");
    for (int k = 0; k < nown; k++) sb_f(&cv, "%s%s", k ? ", " : "", spell(&r, &f->skills[own[k]]));
    sb_f(&cv, ".");
  }
  if (rng_pct(&r, 40)) sb_f(&cv, " Based in %s, %s; %s.", c->name, c->country,
                            rng_pct(&r, 50) ? "open to hybrid work" : "happy to work remotely");

  out_s(i ? ",\n  " : "\n  ");
  out_s("{\"id\":");
  out_str(id);
  out_s(",\"createdTime\":");
  out_str(created);
  out_s(",\"fields\":{");
  int first = 1;
  char name[160];
  snprintf(name, sizeof name, "%s %s", first_name, last);
  out_kv_str(&first, "Name", name);
  ascii_slug(first_name, fslug, sizeof fslug);
  ascii_slug(last, lslug, sizeof lslug);
  snprintf(email, sizeof email, "%s.%s%ld@example.com", fslug, lslug, i);
  if (rng_pct(&r, 90)) out_kv_str(&first, "Email", email);
  if (rng_pct(&r, 50)) {
    char url[200];
    snprintf(url, sizeof url, "https://linkedin.example/in/%s-%s-%ld", fslug, lslug, i);
    out_kv_str(&first, "LinkedIn", url);
  }
  out_kv_str(&first, "Source", SOURCES[rng_int(&r, NELEM(SOURCES))]);
  int pdf = pdf_dir && *npdf < MAX_PDFS && f->tech;
  if (pdf) {
    char fname[64];
    snprintf(fname, sizeof fname, "cv-%s.pdf", id);
    if (write_pdf(pdf_dir, fname, cv.b)) exit(1);
    out_s(",\"CV\":[{\"url\":");
    char url[96];
    snprintf(url, sizeof url, "emu://%s", fname);
    out_str(url);
    out_s(",\"filename\":");
    out_str(fname);
    out_s("}]");
    (*npdf)++;
  } else if (rng_pct(&r, 97)) {
    out_kv_str(&first, "CV Text", cv.b);
  }
  /* the Skills select: some of the person's skills, often fewer than the CV shows */
  if (rng_pct(&r, 80)) {
    out_s(",\"Skills\":[");
    int listed = 0;
    for (int k = 0; k < nown; k++) {
      if (!rng_pct(&r, 75)) continue;
      if (listed++) out_s(",");
      out_str(spell(&r, &f->skills[own[k]]));
    }
    if (!listed) out_str(f->skills[own[0]].canon);
    out_s("]");
  }
  if (rng_pct(&r, 90)) {
    char t[160];
    snprintf(t, sizeof t, "%s%s", level, title);
    out_kv_str(&first, "Current Title", t);
  }
  if (rng_pct(&r, 80)) {
    /* people round: the number is sometimes a year off the CV */
    int yoe = years + (rng_pct(&r, 15) ? rng_int(&r, 3) - 1 : 0);
    out_kv_num(&first, "Years of Experience", yoe < 0 ? 0 : yoe);
  }
  if (rng_pct(&r, 88)) {
    char loc[160];
    snprintf(loc, sizeof loc, "%s, %s", c->name, c->country);
    out_kv_str(&first, "Location", loc);
  }
  if (rng_pct(&r, 85)) out_kv_str(&first, "Work Preference", WORK_PREF[rng_int(&r, 3)]);
  if (rng_pct(&r, 75)) {
    double lvl = years < 2 ? 0.7 : years < 5 ? 1.0 : years < 11 ? 1.3 : 1.55;
    double eur = f->salary_eur * lvl * c->factor * (0.85 + rng_int(&r, 31) / 100.0);
    out_kv_num(&first, "Desired Salary", round_salary(eur * c->fx));
  }
  out_s("}}");
}

typedef struct company {
  int fam;
  const city *c;
  int remote; /* index into WORK_PREF */
  int npos;
  long min_eur, max_eur;
  char name[160];
} company;

static company company_of(long i) {
  company co;
  rng r = rng_for(CUSTOMERS_ID, i);
  co.npos = 1 + rng_int(&r, 3); /* first draw: ats_of() relies on it */
  co.fam = rng_pct(&r, 85) ? rng_int(&r, 6) : 6 + rng_int(&r, (int)NELEM(FAMILIES) - 6);
  co.c = &CITIES[rng_int(&r, NELEM(CITIES))];
  co.remote = rng_int(&r, 3);
  double base = FAMILIES[co.fam].salary_eur * 1.25 * co.c->factor * co.c->fx;
  co.min_eur = round_salary(base * 0.9);
  co.max_eur = round_salary(base * 1.15);
  if (co.max_eur <= co.min_eur) co.max_eur = co.min_eur + 1000;
  company_name(&r, co.c, co.name, sizeof co.name);
  return co;
}

static void money(char *out, size_t n, long v) {
  if (v >= 1000000) snprintf(out, n, "%ld,%03ld,%03ld", v / 1000000, (v / 1000) % 1000, v % 1000);
  else if (v >= 1000) snprintf(out, n, "%ld,%03ld", v / 1000, v % 1000);
  else snprintf(out, n, "%ld", v);
}

/* The position j of a company: title, required and nice-to-have skills. */
typedef struct position {
  char title[200];
  int req[4], nreq, nice[4], nnice;
  int min_years;
} position;

static position position_of(long ci, int j, const company *co) {
  position p = {0};
  rng r = rng_for(ATS_ID, ci * 8 + j);
  const family *f = &FAMILIES[co->fam];
  int ns = (int)nskills(f);
  p.min_years = 1 + rng_int(&r, 8);
  const char *lvl = p.min_years >= 7 ? "Lead " : p.min_years >= 4 ? "Senior " : "";
  int used[16] = {0};
  p.nreq = 2 + rng_int(&r, 2);
  for (int k = 0; k < p.nreq; k++) {
    int s;
    do s = rng_int(&r, ns);
    while (used[s]);
    used[s] = 1;
    p.req[k] = s;
  }
  p.nnice = 1 + rng_int(&r, 3);
  for (int k = 0; k < p.nnice; k++) {
    int s, tries = 0;
    do s = rng_int(&r, ns);
    while (used[s] && ++tries < 50);
    used[s] = 1;
    p.nice[k] = s;
  }
  const char *t = f->titles[rng_int(&r, (int)ntitles(f))];
  if (f->tech)
    snprintf(p.title, sizeof p.title, "%s%s (%s/%s)", lvl, t, f->skills[p.req[0]].canon, f->skills[p.req[1]].canon);
  else
    snprintf(p.title, sizeof p.title, "%s%s", lvl, t);
  return p;
}

static void out_company(long i) {
  company co = company_of(i);
  rng r = rng_for(CUSTOMERS_ID, i + 1000000007L);
  const family *f = &FAMILIES[co.fam];
  char id[32], buf[256], lo[32], hi[32], slug[128];
  make_id("rec", CUSTOMERS_ID, i, id);
  money(lo, sizeof lo, co.min_eur);
  money(hi, sizeof hi, co.max_eur);

  sb jd = {0};
  const char *kind = f->employers_kind[rng_int(&r, 3)];
  int num = 20 + rng_int(&r, 300);
  switch (rng_int(&r, 3)) {
  case 0:
    sb_f(&jd, "%s builds the software behind %s for customers across Europe. We are a team of %d and profitable.",
         co.name, kind, num);
    break;
  case 1: sb_f(&jd, "At %s we work in %s at scale; our platform serves %d0k people every day.", co.name, kind, num); break;
  default:
    sb_f(&jd, "%s is a family-owned %s business with %d locations and a growing digital team.", co.name, kind, num);
    break;
  }
  for (int j = 0; j < co.npos; j++) {
    position p = position_of(i, j, &co);
    sb_f(&jd, "\n\n%s: ", p.title);
    sb_f(&jd, "What you bring: %d+ years %s", p.min_years, f->tech ? "of professional experience" : "in a similar role");
    for (int k = 0; k < p.nreq; k++) sb_f(&jd, "; %s", f->skills[p.req[k]].canon);
    sb_f(&jd, ".\nNice to have: ");
    for (int k = 0; k < p.nnice; k++) sb_f(&jd, "%s%s", k ? ", " : "", f->skills[p.nice[k]].canon);
    sb_f(&jd, ".");
  }
  sb_f(&jd, "\n\n");
  if (co.remote == 0) sb_f(&jd, "Fully remote within the EU (UK welcome).");
  else if (co.remote == 1) sb_f(&jd, "Hybrid: two days a week in our office in %s.", co.c->name);
  else sb_f(&jd, "On-site in %s; we help with relocation.", co.c->name);
  sb_f(&jd, " Salary %s %s - %s, plus pension.", co.c->currency, lo, hi);

  out_s(i ? ",\n  " : "\n  ");
  out_s("{\"id\":");
  out_str(id);
  iso_time(1738400000L, i * 3607L, buf, sizeof buf);
  out_s(",\"createdTime\":");
  out_str(buf);
  out_s(",\"fields\":{");
  int first = 1;
  out_kv_str(&first, "Company", co.name);
  if (rng_pct(&r, 95)) out_kv_str(&first, "Job Description", jd.b);
  ascii_slug(co.name, slug, sizeof slug);
  snprintf(buf, sizeof buf, "https://%s.example/careers", slug);
  if (rng_pct(&r, 70)) out_kv_str(&first, "Job Description Link", buf);
  snprintf(buf, sizeof buf, "%s %s (%s)", FIRST[rng_int(&r, NELEM(FIRST))], LAST[rng_int(&r, NELEM(LAST))],
           rng_pct(&r, 50) ? "CTO" : "Head of People");
  if (rng_pct(&r, 85)) out_kv_str(&first, "Hiring Contact", buf);
  out_kv_str(&first, "Stage", rng_pct(&r, 60) ? "Active Client" : STAGES[rng_int(&r, NELEM(STAGES))]);
  out_s(",\"ATS Jobs\":[");
  for (int j = 0; j < co.npos; j++) {
    char aid[32];
    make_id("rec", ATS_ID, i * 8 + j, aid);
    if (j) out_s(",");
    out_str(aid);
  }
  out_s("]");
  if (rng_pct(&r, 10)) out_s(",\"Start Matchmaking\":true");
  snprintf(buf, sizeof buf, "%s, %s", co.c->name, co.c->country);
  out_kv_str(&first, "Location", buf);
  if (rng_pct(&r, 85)) {
    snprintf(buf, sizeof buf, "%s %s - %s", co.c->currency, lo, hi);
    out_kv_str(&first, "Salary Range", buf);
  }
  if (rng_pct(&r, 90)) out_kv_str(&first, "Remote Policy", WORK_PREF[co.remote]);
  out_s("}}");
}

static long g_status_counter;

static void out_ats(long ci, int j, long ncand, int *first_rec) {
  company co = company_of(ci);
  position p = position_of(ci, j, &co);
  rng r = rng_for(ATS_ID, ci * 8 + j + 500000003L);
  char id[32], cid[32], buf[512];
  make_id("rec", ATS_ID, ci * 8 + j, id);
  make_id("rec", CUSTOMERS_ID, ci, cid);
  out_s(*first_rec ? "\n  " : ",\n  ");
  *first_rec = 0;
  out_s("{\"id\":");
  out_str(id);
  iso_time(1738500000L, (ci * 8 + j) * 3001L, buf, sizeof buf);
  out_s(",\"createdTime\":");
  out_str(buf);
  out_s(",\"fields\":{");
  int first = 1;
  out_kv_str(&first, "Open Position (Job Title)", p.title);
  out_s(",\"Company\":[");
  out_str(cid);
  out_s("]");
  /* cycle through every status so each transition has records to act on */
  out_kv_str(&first, "Job Status", JOB_STATUS[g_status_counter++ % NELEM(JOB_STATUS)]);
  snprintf(buf, sizeof buf, "2026-%02d-%02d", 1 + rng_int(&r, 11), 1 + rng_int(&r, 28));
  out_kv_str(&first, "Opened On", buf);
  if (rng_pct(&r, 80)) {
    const family *f = &FAMILIES[co.fam];
    char where[128];
    snprintf(where, sizeof where, "%s%s", co.remote == 0 ? "remote within the EU" : co.remote == 1 ? "hybrid in " : "on-site in ",
             co.remote == 0 ? "" : co.c->name);
    snprintf(buf, sizeof buf, "%s (%d+ years) with hands-on %s and %s at work; %s.", p.title, p.min_years,
             f->skills[p.req[0]].canon, f->skills[p.req[1]].canon, where);
    out_kv_str(&first, "SMART IEALD CANDIDATE PROFILE", buf);
  }
  if (rng_pct(&r, 20))
    out_kv_str(&first, "Feedback", "Client feedback: prefers candidates who owned a production system end to end.");
  /* some stage columns already hold candidates of the job's family */
  if (ncand > 0 && rng_pct(&r, 50)) {
    int ncols = 1 + rng_int(&r, 2);
    long placed[8];
    int nplaced = 0;
    int col_used[NELEM(STAGE_COLUMNS)] = {0};
    for (int k = 0; k < ncols; k++) {
      int col = rng_int(&r, NELEM(STAGE_COLUMNS));
      if (col_used[col]) continue;
      col_used[col] = 1;
      int n = 1 + rng_int(&r, 3);
      out_s(",");
      out_str(STAGE_COLUMNS[col]);
      out_s(":[");
      int wrote = 0;
      for (int m = 0; m < n && nplaced < 8; m++) {
        long cand = 0;
        for (int tries = 0; tries < 30; tries++) {
          cand = (long)(rng_u64(&r) % (uint64_t)ncand);
          if (candidate_family(cand) == co.fam) break;
        }
        int dup = 0;
        for (int q = 0; q < nplaced; q++) dup |= placed[q] == cand;
        if (dup) continue;
        placed[nplaced++] = cand;
        char tid[32];
        make_id("rec", TALENT_ID, cand, tid);
        if (wrote++) out_s(",");
        out_str(tid);
      }
      if (!wrote) {
        /* keep the cell non-empty: empty cells are absent in Airtable */
        char tid[32];
        long cand = (ci + j + k) % ncand;
        int dup = 0;
        for (int q = 0; q < nplaced; q++) dup |= placed[q] == cand;
        if (dup) cand = (cand + 1) % ncand;
        make_id("rec", TALENT_ID, cand, tid);
        out_str(tid);
        if (nplaced < 8) placed[nplaced++] = cand;
      }
      out_s("]");
    }
  }
  out_s("}}");
}

static void usage(void) {
  fprintf(stderr, "usage: genbase --candidates N [--companies M] [--seed S] [--base-id ID] [--pdf-dir DIR]\n");
  exit(2);
}

static long arg_long(const char *s, long lo, long hi) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || *end || v < lo || v > hi) usage();
  return v;
}

static void out_table_head(const char *id, const char *name, const char *primary) {
  out_s("{\"id\":");
  out_str(id);
  out_s(",\"name\":");
  out_str(name);
  out_s(",\"primaryField\":");
  out_str(primary);
  out_s(",\"fields\":[");
}

int main(int argc, char **argv) {
  long ncand = -1, ncomp = -1;
  const char *base_id = "appGEN00000000001", *pdf_dir = NULL;
  for (int i = 1; i < argc; i++) {
    if (i + 1 >= argc) usage();
    if (strcmp(argv[i], "--candidates") == 0) ncand = arg_long(argv[++i], 0, 10000000);
    else if (strcmp(argv[i], "--companies") == 0) ncomp = arg_long(argv[++i], 0, 1000000);
    else if (strcmp(argv[i], "--seed") == 0) g_seed = (uint64_t)arg_long(argv[++i], 0, 0x7fffffffffffffffL);
    else if (strcmp(argv[i], "--base-id") == 0) base_id = argv[++i];
    else if (strcmp(argv[i], "--pdf-dir") == 0) pdf_dir = argv[++i];
    else usage();
  }
  if (ncand < 0) usage();
  if (pdf_dir && mkdir(pdf_dir, 0755) != 0 && errno != EEXIST) {
    fprintf(stderr, "genbase: cannot create %s: %s\n", pdf_dir, strerror(errno));
    return 1;
  }
  if (ncomp < 0) ncomp = ncand / 25 < 3 ? 3 : ncand / 25 > 4000 ? 4000 : ncand / 25;

  out_s("{\"base_id\":");
  out_str(base_id);
  out_s(",\"tables\":[\n");

  int first = 1;
  out_table_head(TALENT_ID, "Talent", "Name");
  for (size_t k = 0; k < NELEM(TALENT_FIELDS); k++) out_field(TALENT_ID, &TALENT_FIELDS[k], &first);
  out_s("],\"records\":[");
  int npdf = 0;
  for (long i = 0; i < ncand; i++) out_candidate(i, pdf_dir, &npdf);
  out_s("]},\n");

  first = 1;
  out_table_head(CUSTOMERS_ID, "Customers STT", "Company");
  for (size_t k = 0; k < NELEM(CUSTOMER_FIELDS); k++) out_field(CUSTOMERS_ID, &CUSTOMER_FIELDS[k], &first);
  out_s("],\"records\":[");
  for (long i = 0; i < ncomp; i++) out_company(i);
  out_s("]},\n");

  first = 1;
  out_table_head(ATS_ID, "ATS", "Open Position (Job Title)");
  for (size_t k = 0; k < NELEM(ATS_HEAD_FIELDS); k++) out_field(ATS_ID, &ATS_HEAD_FIELDS[k], &first);
  char opts[256];
  snprintf(opts, sizeof opts,
           "{\"linkedTableId\":\"%s\",\"isReversed\":false,\"prefersSingleRecordLink\":false}", TALENT_ID);
  for (size_t k = 0; k < NELEM(STAGE_COLUMNS); k++) {
    fdef d = {STAGE_COLUMNS[k], "multipleRecordLinks", opts};
    out_field(ATS_ID, &d, &first);
  }
  for (size_t k = 0; k < NELEM(ATS_TAIL_FIELDS); k++) out_field(ATS_ID, &ATS_TAIL_FIELDS[k], &first);
  out_s("],\"records\":[");
  int first_rec = 1;
  for (long i = 0; i < ncomp; i++) {
    company co = company_of(i);
    for (int j = 0; j < co.npos; j++) out_ats(i, j, ncand, &first_rec);
  }
  out_s("]}\n]}\n");
  out_flush();
  if (fflush(stdout) != 0) {
    perror("genbase: write");
    return 1;
  }
  return 0;
}
