/* norm — candidate and job normalization (pure; see norm.h).
 *
 * DESIGN.  A CV is read as a sequence of dated entries: every date range
 * ("(Mar 2021 - present)", "2016–2019", "since '22") opens an entry whose
 * header is the sentence it sits in ("Backend Engineer at Acme") and whose
 * body runs to the next entry or to a "Skills:" list.  Headers decide whether
 * an entry is education (degree, university, bootcamp, course) or work, and
 * which role family the work was in.  Skills found by the taxonomy scanner
 * then get their evidence from where they occur:
 *   - inside a work entry of a technical (or unknown) family -> SKILL_AT_WORK,
 *     with that entry's interval counted towards the skill's years;
 *   - inside a work entry of a non-technical family (a recruiter screening for
 *     Django, a salesperson selling to SRE teams) -> mentioned only;
 *   - in education, or in a sentence about learning/plans, or negated ("I
 *     have never used X at work") -> SKILL_ASPIRATIONAL, and a negation
 *     removes work evidence.
 * Recruiters and salespeople are the classic false positive; their skills
 * are kept (the matcher may want them) but never as work evidence.
 *
 * Jobs: the ATS title and SMART profile are authoritative; the company's
 * description is context.  A description paragraph headed by another role
 * ("Site Reliability Engineer: …" when normalizing the iOS position) is
 * skipped, so one company text can describe several positions. */
#include "norm.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"
#include "geo.h"
#include "tax.h"

#define MAX_ENTRIES 48
#define MAX_HITS 1024
#define MAX_IV 12

/* ------------------------------------------------------------ helpers */

static size_t lower_copy(const char *in, size_t n, char *out, size_t cap) {
  return geo_fold(in, n, out, cap);
}

static int is_wordch(char c) { return isalnum((unsigned char)c) || (unsigned char)c >= 0x80; }

/* Case-insensitive whole-word search of a lower-case needle in a lower-case
 * haystack.  A trailing '*' in the needle allows any word ending. */
static const char *find_word(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  int prefix = n && needle[n - 1] == '*';
  if (prefix) n--;
  if (!n || n >= 64) return NULL;
  char nd[64];
  memcpy(nd, needle, n);
  nd[n] = '\0';
  for (const char *p = hay; (p = strstr(p, nd)) != NULL; p++) {
    if (p > hay && is_wordch(p[-1]) && is_wordch(nd[0])) continue;
    if (!prefix && is_wordch(p[n]) && is_wordch(nd[n - 1])) continue;
    return p;
  }
  return NULL;
}

static int has_any(const char *hay, const char *const *words) {
  for (int i = 0; words[i]; i++)
    if (find_word(hay, words[i])) return 1;
  return 0;
}

/* A parsed location into a candidate or a job (same field names in both). */
#define SET_PLACE(out, gp)                                                     \
  do {                                                                         \
    copy_str((out)->city, sizeof (out)->city, (gp).city);                      \
    copy_str((out)->country, sizeof (out)->country, (gp).country);             \
    copy_str((out)->timezone, sizeof (out)->timezone, (gp).timezone);          \
    (out)->tz_offset_hours = (gp).tz_offset_hours;                             \
    (out)->lat = (float)(gp).lat;                                              \
    (out)->lon = (float)(gp).lon;                                              \
  } while (0)

static void copy_str(char *dst, size_t cap, const char *src) {
  if (!cap) return;
  snprintf(dst, cap, "%s", src ? src : "");
}

/* ------------------------------------------------------- role families */

typedef struct role_rule { int role; const char *const *words; } role_rule;

static const char *const R_RECRUIT[] = {"recruit*", "talent partner", "talent acquisition", "sourcer",
  "resourcer", "headhunter", "hr", "human resources", "people partner", "people operations",
  "talent manager", NULL};
static const char *const R_SALES[] = {"sales*", "account executive", "account manager",
  "business development", "bdr", "sdr", "customer success", "key account", "presales", "pre sales",
  "solutions consultant", "account director", NULL};
static const char *const R_MARKETING[] = {"marketing", "seo", "growth", "social media", "copywriter",
  "brand manager", "content manager", "content writer", NULL};
static const char *const R_HEALTH[] = {"nurse", "nursing", "doctor", "physician", "surgeon", "dentist",
  "pharmacist", "physiotherapist", "therapist", "veterinarian", "vet", "midwife", "paramedic",
  "caregiver", "care assistant", "radiographer", "psychologist", "medical", "clinical", "gp",
  "healthcare assistant", "optician", NULL};
static const char *const R_HOSP[] = {"chef", "cook", "barista", "waiter", "waitress", "bartender",
  "sommelier", "hotel", "housekeeper", "housekeeping", "kitchen", "restaurant", "catering", "baker",
  "pastry", "host", "hostess", "concierge", NULL};
static const char *const R_TRADES[] = {"carpenter", "joiner", "electrician", "plumber", "welder",
  "mechanic", "driver", "courier", "warehouse", "forklift", "construction", "builder", "painter",
  "operative", "cleaner", "gardener", "farmer", "logistics", "bricklayer", "roofer", "machinist",
  "civil engineer", "mechanical engineer", "structural engineer", "chemical engineer",
  "electrical engineer", "process engineer", "maintenance", NULL};
static const char *const R_EDU[] = {"teacher", "lecturer", "professor", "tutor", "instructor",
  "teaching", NULL};
static const char *const R_LEGAL[] = {"lawyer", "solicitor", "attorney", "paralegal", "legal", NULL};
static const char *const R_FIN[] = {"accountant", "bookkeeper", "controller", "auditor",
  "financial analyst", "finance", "payroll", "treasury", NULL};
static const char *const R_ENGM[] = {"engineering manager", "head of engineering", "vp engineering",
  "vp of engineering", "cto", "chief technology officer", "director of engineering",
  "head of development", "development manager", "head of software", NULL};
static const char *const R_SEC[] = {"security engineer", "security analyst", "penetration",
  "pentester", "soc analyst", "appsec", "cybersecurity", "cyber security", "infosec",
  "security architect", "application security", "product security", "security lead",
  "security consultant", "security specialist", NULL};
/* titles that name a data or ML platform are data / ML work, not DevOps */
static const char *const R_DATA_PLATFORM[] = {"data platform", "data engineer", "data infrastructure",
  "analytics engineer", NULL};
static const char *const R_ML_PLATFORM[] = {"ml platform", "machine learning platform", "mlops", NULL};
static const char *const R_QA[] = {"qa", "quality assurance", "test", "tester", "testing", "sdet",
  "quality engineer", "test automation", NULL};
static const char *const R_DEVOPS[] = {"devops", "sre", "site reliability", "platform engineer",
  "cloud engineer", "cloud architect", "infrastructure", "reliability", "build engineer",
  "release engineer", "systems engineer", "devsecops", "kubernetes", NULL};
static const char *const R_MOBILE[] = {"ios", "android", "mobile", "flutter", "react native",
  "swift", "kotlin developer", NULL};
static const char *const R_ML[] = {"data scientist", "machine learning", "ml engineer", "ai engineer",
  "research scientist", "deep learning", "mlops", "ml", "computer vision", "nlp", NULL};
static const char *const R_DATA[] = {"data", "analytics", "bi", "business intelligence", "insights",
  "reporting analyst", "statistician", "dbt", "dba", "database administrator", NULL};
static const char *const R_FRONT[] = {"frontend", "front end", "ui developer", "ui engineer",
  "javascript", "react", "angular", "vue", "web designer", NULL};
static const char *const R_FULL[] = {"full stack", "fullstack", "web developer", "web engineer", NULL};
static const char *const R_BACK[] = {"backend", "back end", "server", "api", "java", "python",
  "django", "php", "golang", "go developer", "go engineer", ".net", "c#", "ruby", "rails",
  "node.js", "nodejs", "scala", "spring", "laravel", "elixir", "rust", "c++", "erlang", NULL};
static const char *const R_SOFT[] = {"software", "developer", "programmer", "engineer", "swe", "coder",
  "architect", "tech lead", "technical lead", "lead developer", "sde", "development", "abap",
  "dynamics 365", "salesforce developer",
  /* local-language titles: "Softwareentwickler", "Développeur", "Utvecklare" */
  "softwareentwickler*", "entwickler*", "softwareingenieur*", "informatiker*", "ontwikkelaar",
  "programmeur", "utvecklare", "udvikler", "utvikler", "ohjelmistokehittäjä", "desarrollador*",
  "programador*", "développeur*", "developpeur*", "ingénieur logiciel", "sviluppatore",
  "programmatore", "programista", "vývojář", "programátor", "fejlesztő", "programator", NULL};
static const char *const R_IT[] = {"it", "helpdesk", "help desk", "service desk", "system administrator",
  "systems administrator", "sysadmin", "network engineer", "network administrator",
  "network technician", "network specialist", "computer technician", "computer service",
  "desktop support", "technical support",
  "it support", "support engineer", "technician", "support associate", "noc", NULL};
static const char *const R_DESIGN[] = {"designer", "ux", "ui", "design", NULL};
static const char *const R_PRODUCT[] = {"product manager", "product owner", "project manager",
  "program manager", "programme manager", "scrum master", "business analyst", "delivery manager",
  "product lead", "agile coach", NULL};
static const char *const R_ADMIN[] = {"administrative", "administrator", "admin", "receptionist",
  "office manager", "secretary", "assistant", "clerk", "coordinator", "data entry", "office", NULL};
static const char *const R_MGMT[] = {"director", "manager", "head", "owner", "founder", "ceo", "coo",
  "managing", "operations", "chief", "president", "supervisor", "general manager", NULL};

/* Order matters: recruiters and salespeople first (their titles name the
 * stack they hire for: "Mobile Talent Partner", "IT Recruiter (QA)"), then
 * occupations outside tech, then the specific tech families, then generic. */
static const role_rule ROLE_RULES[] = {
  {NORM_ROLE_RECRUITING, R_RECRUIT}, {NORM_ROLE_SALES, R_SALES}, {NORM_ROLE_HEALTHCARE, R_HEALTH},
  {NORM_ROLE_HOSPITALITY, R_HOSP}, {NORM_ROLE_TRADES, R_TRADES}, {NORM_ROLE_LEGAL, R_LEGAL},
  {NORM_ROLE_FINANCE, R_FIN}, {NORM_ROLE_MARKETING, R_MARKETING}, {NORM_ROLE_ENG_MGMT, R_ENGM},
  {NORM_ROLE_SECURITY, R_SEC}, {NORM_ROLE_QA, R_QA}, {NORM_ROLE_ML, R_ML_PLATFORM},
  {NORM_ROLE_DATA, R_DATA_PLATFORM}, {NORM_ROLE_DEVOPS, R_DEVOPS},
  {NORM_ROLE_MOBILE, R_MOBILE}, {NORM_ROLE_ML, R_ML}, {NORM_ROLE_DATA, R_DATA},
  {NORM_ROLE_FULLSTACK, R_FULL}, {NORM_ROLE_FRONTEND, R_FRONT}, {NORM_ROLE_BACKEND, R_BACK},
  {NORM_ROLE_DESIGN, R_DESIGN}, {NORM_ROLE_PRODUCT, R_PRODUCT}, {NORM_ROLE_EDUCATION, R_EDU},
  {NORM_ROLE_IT_SUPPORT, R_IT}, {NORM_ROLE_SOFTWARE, R_SOFT}, {NORM_ROLE_ADMIN, R_ADMIN},
  {NORM_ROLE_MANAGEMENT, R_MGMT},
};

static int role_of_lower(const char *t) {
  if (!t[0]) return NORM_ROLE_UNKNOWN;
  for (size_t i = 0; i < sizeof ROLE_RULES / sizeof ROLE_RULES[0]; i++)
    if (has_any(t, ROLE_RULES[i].words)) return ROLE_RULES[i].role;
  return NORM_ROLE_OTHER;
}

int norm_role_family(const char *title) {
  char t[256];
  if (!title) return NORM_ROLE_UNKNOWN;
  lower_copy(title, strlen(title), t, sizeof t);
  for (char *p = t; *p; p++)
    if (*p == '-' || *p == '/' || *p == '&' || *p == '(' || *p == ')' || *p == ',') *p = ' ';
  return role_of_lower(t);
}

static const char *const ROLE_NAMES[NORM_ROLE__COUNT] = {
  "", "Backend", "Frontend", "Full-stack", "Mobile", "Data/Analytics", "ML/Data science",
  "DevOps/SRE", "QA", "Security", "Software", "IT support", "Engineering management", "Design",
  "Product/Project", "Management", "Recruiting/HR", "Sales/Account management", "Marketing",
  "Finance", "Administration", "Healthcare", "Hospitality", "Trades/Logistics", "Education",
  "Legal", "Other"};

const char *norm_role_name(int role) {
  return role > 0 && role < NORM_ROLE__COUNT ? ROLE_NAMES[role] : "";
}

int norm_role_is_tech(int r) {
  return (r >= NORM_ROLE_BACKEND && r <= NORM_ROLE_ENG_MGMT);
}

/* ------------------------------------------------------ title, seniority */

static const struct { const char *abbr, *full; } TITLE_ABBR[] = {
  {"sr", "Senior"}, {"snr", "Senior"}, {"jr", "Junior"}, {"jnr", "Junior"}, {"eng", "Engineer"},
  {"engr", "Engineer"}, {"dev", "Developer"}, {"mgr", "Manager"}, {"swe", "Software Engineer"},
  {"sde", "Software Development Engineer"}, {"assoc", "Associate"}, {"dir", "Director"},
  {"mgmt", "Management"}, {"sw", "Software"}, {"admin", "Administrator"}, {"asst", "Assistant"},
  {"exec", "Executive"}, {"ops", "Operations"}, {"devops", "DevOps"}, {NULL, NULL}};

int norm_title(const char *in, char *out, size_t len) {
  if (!out || !len) return 0;
  out[0] = '\0';
  if (!in) return 0;
  size_t n = strlen(in);
  /* drop the company: "X at Acme", "X @ Acme", "X | Acme", "X - Acme", "X, Acme" */
  static const char *const CUTS[] = {" at ", " @ ", " | ", " - ", " \xe2\x80\x93 ", " \xe2\x80\x94 ", ", ", NULL};
  for (int i = 0; CUTS[i]; i++) {
    const char *p = strstr(in, CUTS[i]);
    if (p && (size_t)(p - in) < n && p > in) n = (size_t)(p - in);
  }
  size_t o = 0;
  size_t i = 0;
  while (i < n) {
    while (i < n && isspace((unsigned char)in[i])) i++;
    if (i >= n) break;
    size_t a = i;
    while (i < n && !isspace((unsigned char)in[i])) i++;
    size_t wl = i - a;
    const char *w = in + a;
    /* strip a trailing '.' of an abbreviation for the lookup */
    size_t kl = wl && w[wl - 1] == '.' ? wl - 1 : wl;
    const char *rep = NULL;
    for (int k = 0; TITLE_ABBR[k].abbr; k++) {
      if (strlen(TITLE_ABBR[k].abbr) == kl && strncasecmp(w, TITLE_ABBR[k].abbr, kl) == 0) {
        rep = TITLE_ABBR[k].full;
        break;
      }
    }
    /* "Eng Manager", "Head of Eng": the abbreviation names the department
     * (Engineering), not a person, when a manager word follows or "of"
     * precedes it */
    if (rep && !strcmp(rep, "Engineer")) {
      size_t j = i;
      while (j < n && isspace((unsigned char)in[j])) j++;
      size_t b = j;
      while (j < n && !isspace((unsigned char)in[j])) j++;
      static const char *const DEPT_NEXT[] = {"manager", "director", "lead", "head", "vp", "mgr", NULL};
      int dept = o >= 2 && !strncasecmp(out + o - 2, "of", 2) && (o == 2 || out[o - 3] == ' ');
      for (int k = 0; !dept && DEPT_NEXT[k]; k++)
        dept = j - b == strlen(DEPT_NEXT[k]) && !strncasecmp(in + b, DEPT_NEXT[k], j - b);
      if (dept) rep = "Engineering";
    }
    const char *src = rep ? rep : w;
    size_t sl = rep ? strlen(rep) : wl;
    if (o + sl + 2 > len) break;
    if (o) out[o++] = ' ';
    memcpy(out + o, src, sl);
    o += sl;
  }
  while (o && strchr(",;:-", out[o - 1])) o--;
  out[o] = '\0';
  return (int)o;
}

static model_seniority sen_from_words(const char *t) {
  static const char *const INTERN[] = {"intern", "internship", "trainee", "apprentice", "working student", "werkstudent", NULL};
  static const char *const JUNIOR[] = {"junior", "jr", "graduate", "entry level", "associate", NULL};
  static const char *const PRINCIPAL[] = {"principal", "distinguished", "fellow", NULL};
  static const char *const LEAD[] = {"lead", "head", "director", "vp", "chief", "cto", "manager", "staff", "architect", NULL};
  static const char *const SENIOR[] = {"senior", "sr", "snr", NULL};
  static const char *const MID[] = {"mid", "intermediate", "medior", "mid level", NULL};
  if (has_any(t, INTERN)) return SEN_INTERN;
  if (has_any(t, PRINCIPAL)) return SEN_PRINCIPAL;
  if (has_any(t, LEAD) && !find_word(t, "associate director")) return SEN_LEAD;
  if (has_any(t, SENIOR)) return SEN_SENIOR;
  if (has_any(t, JUNIOR)) return SEN_JUNIOR;
  if (has_any(t, MID)) return SEN_MID;
  return SEN_UNKNOWN;
}

model_seniority norm_seniority(const char *title, double years) {
  model_seniority s = SEN_UNKNOWN;
  if (title && title[0]) {
    char t[256];
    lower_copy(title, strlen(title), t, sizeof t);
    for (char *p = t; *p; p++)
      if (*p == '-' || *p == '/' || *p == '(' || *p == ')' || *p == ',' || *p == '.') *p = ' ';
    s = sen_from_words(t);
  }
  if (s != SEN_UNKNOWN || isnan(years)) return s;
  if (years < 2) return SEN_JUNIOR;
  if (years < 5) return SEN_MID;
  return SEN_SENIOR;
}

static const char *const SEN_NAMES[] = {"", "Intern", "Junior", "Mid", "Senior", "Lead", "Principal"};

const char *norm_seniority_name(model_seniority s) {
  return (unsigned)s < sizeof SEN_NAMES / sizeof SEN_NAMES[0] ? SEN_NAMES[s] : "";
}

const char *norm_workpref_name(model_workpref w) {
  switch (w) {
  case WORK_REMOTE: return "Remote";
  case WORK_HYBRID: return "Hybrid";
  case WORK_ONSITE: return "On-site";
  default: return "";
  }
}

/* "remote" as a way of working, not "not a remote job", "no remote work",
 * "non-remote" or a technical compound ("remote monitoring", "remote
 * access"): 1 when some occurrence says remote work is offered, -1 when
 * remote is only mentioned to deny it, 0 when not mentioned as work. */
static int remote_mentioned(const char *t) {
  static const char *const tech[] = {"monitoring", "sensing", "control", "access", "desktop",
                                     "support", "device", "devices", "management", "procedure",
                                     "call", "calls", "server", "servers", "shell", NULL};
  int pos = 0, neg = 0;
  for (const char *p = t; (p = find_word(p, "remote*")) != NULL; p++) {
    const char *q = p + 6;
    while (isalpha((unsigned char)*q)) q++; /* remotely, remote-first */
    while (*q == ' ' || *q == '-') q++;
    int technical = 0;
    for (int i = 0; tech[i]; i++) {
      size_t n = strlen(tech[i]);
      if (strncmp(q, tech[i], n) == 0 && !isalpha((unsigned char)q[n])) technical = 1;
    }
    if (technical) continue;
    /* look back a few words for a negation */
    const char *b = p - 1 > t ? p - 1 : t;
    int words = 0;
    int negated = 0;
    while (b > t && words < 3) {
      while (b > t && (*b == ' ' || *b == '-')) b--;
      const char *e = b + 1;
      while (b > t && isalpha((unsigned char)b[-1])) b--;
      size_t n = (size_t)(e - b);
      if ((n == 3 && !strncmp(b, "not", 3)) || (n == 2 && !strncmp(b, "no", 2)) ||
          (n == 3 && !strncmp(b, "non", 3)) || (n == 5 && !strncmp(b, "never", 5)))
        negated = 1;
      words++;
      b--;
    }
    if (!negated && (strstr(q, "not possible") == q || strstr(q, "is not") == q))
      negated = 1;
    if (negated)
      neg = 1;
    else
      pos = 1;
  }
  return pos ? 1 : neg ? -1 : 0;
}

model_workpref norm_workpref(const char *text) {
  char t[1024];
  if (!text || !text[0]) return WORK_UNKNOWN;
  lower_copy(text, strlen(text), t, sizeof t);
  int h = find_word(t, "hybrid") != NULL || find_word(t, "office days") || find_word(t, "days a week at") ||
          find_word(t, "days a week in");
  int rm = remote_mentioned(t);
  int r = rm > 0 || find_word(t, "work from home") || find_word(t, "wfh") || find_word(t, "anywhere");
  if (rm < 0 && !r && !h)
    return WORK_ONSITE; /* "this is not a remote role" */
  int o = find_word(t, "on site") || find_word(t, "on-site") || find_word(t, "onsite") ||
          find_word(t, "in office") || find_word(t, "in-office") || find_word(t, "office based") ||
          find_word(t, "office-based") || find_word(t, "five days a week");
  if (h) return WORK_HYBRID;
  if (r && !o) return WORK_REMOTE;
  if (o && !r) return WORK_ONSITE;
  if (r && o) return WORK_HYBRID;
  return WORK_UNKNOWN;
}

/* -------------------------------------------------------------- salary */

static const struct { const char *sym; const char *code; } CURRENCIES[] = {
  {"\xe2\x82\xac", "EUR"}, {"\xc2\xa3", "GBP"}, {"$", "USD"}, {"eur", "EUR"}, {"euro", "EUR"},
  {"euros", "EUR"}, {"gbp", "GBP"}, {"usd", "USD"}, {"chf", "CHF"}, {"sek", "SEK"}, {"dkk", "DKK"},
  {"nok", "NOK"}, {"pln", "PLN"}, {"czk", "CZK"}, {"huf", "HUF"}, {"ron", "RON"}, {"cad", "CAD"},
  {"aud", "AUD"}, {"inr", "INR"}, {"jpy", "JPY"}, {"zar", "ZAR"}, {"mxn", "MXN"}, {"brl", "BRL"},
  {"nzd", "NZD"}, {"sgd", "SGD"}, {"bgn", "BGN"}, {"isk", "ISK"}, {"uah", "UAH"}, {"try", "TRY"},
  {"aed", "AED"}, {"ils", "ILS"}, {"zl", "PLN"}, {"z\xc5\x82", "PLN"}, {"kr", "SEK"},
  {"\xe2\x82\xb9", "INR"}, {"\xc2\xa5", "JPY"}, {"fr", "CHF"}, {NULL, NULL}};

/* Currency named at t (a symbol or a code as a whole word); its length. */
static size_t currency_at(const char *t, const char *start, char cur[4]) {
  for (int i = 0; CURRENCIES[i].sym; i++) {
    size_t n = strlen(CURRENCIES[i].sym);
    if (strncasecmp(t, CURRENCIES[i].sym, n) != 0) continue;
    if (isalpha((unsigned char)CURRENCIES[i].sym[0])) {
      if ((t > start && isalpha((unsigned char)t[-1])) || isalpha((unsigned char)t[n])) continue;
      /* "try" and "fr" are words too: only in capitals */
      if ((!strcmp(CURRENCIES[i].code, "TRY") || !strcmp(CURRENCIES[i].sym, "fr") ||
           !strcmp(CURRENCIES[i].sym, "kr")) && !isupper((unsigned char)t[0]))
        continue;
    }
    memcpy(cur, CURRENCIES[i].code, 4);
    return n;
  }
  return 0;
}

/* A number with thousands separators ("80,000", "80.000", "80 000") and an
 * optional k/m suffix.  Returns chars consumed, 0 if none. */
static size_t parse_amount(const char *t, double *v, int *has_k) {
  size_t i = 0;
  double x = 0;
  if (!isdigit((unsigned char)t[0])) return 0;
  while (isdigit((unsigned char)t[i])) x = x * 10 + (t[i++] - '0');
  for (;;) {
    /* a separator followed by exactly three digits is a thousands group */
    if ((t[i] == ',' || t[i] == '.' || t[i] == ' ' || (unsigned char)t[i] == 0xC2) &&
        isdigit((unsigned char)t[i + 1 + ((unsigned char)t[i] == 0xC2)])) {
      size_t s = i + 1 + ((unsigned char)t[i] == 0xC2); /* NBSP is C2 A0 */
      if ((unsigned char)t[i] == 0xC2 && (unsigned char)t[i + 1] != 0xA0) break;
      if (isdigit((unsigned char)t[s]) && isdigit((unsigned char)t[s + 1]) &&
          isdigit((unsigned char)t[s + 2]) && !isdigit((unsigned char)t[s + 3])) {
        x = x * 1000 + (t[s] - '0') * 100 + (t[s + 1] - '0') * 10 + (t[s + 2] - '0');
        i = s + 3;
        continue;
      }
      if (t[i] == '.' && x < 1000) { /* decimal: "1.5k", "92.5k" */
        double f = 0.1;
        i++;
        while (isdigit((unsigned char)t[i])) {
          x += (t[i++] - '0') * f;
          f /= 10;
        }
      }
    }
    break;
  }
  *has_k = 0;
  size_t j = i;
  while (t[j] == ' ') j++;
  if ((t[j] == 'k' || t[j] == 'K') && !isalpha((unsigned char)t[j + 1])) {
    *has_k = 1;
    i = j + 1;
  } else if ((t[j] == 'm' || t[j] == 'M') && !isalpha((unsigned char)t[j + 1]) && x < 100) {
    *has_k = 2;
    i = j + 1;
  }
  *v = x;
  return i;
}

int norm_parse_salary(const char *text, double *min, double *max, char currency[4]) {
  *min = *max = NAN;
  currency[0] = '\0';
  if (!text) return 0;
  size_t len = strlen(text);
  char cur[4] = "";
  for (size_t i = 0; i < len; i++) {
    if (!isdigit((unsigned char)text[i]) || (i > 0 && (isalnum((unsigned char)text[i - 1])))) {
      if (!cur[0]) {
        size_t c = currency_at(text + i, text, cur);
        if (c) i += c - 1;
      }
      continue;
    }
    double a, b = NAN;
    int ka, kb = 0;
    size_t n = parse_amount(text + i, &a, &ka);
    size_t j = i + n;
    /* currency right after the number ("80,000 EUR", "80k€") */
    size_t k = j;
    while (text[k] == ' ') k++;
    if (!cur[0]) currency_at(text + k, text, cur);
    /* a range: -, –, —, "to" */
    k = j;
    while (text[k] == ' ') k++;
    size_t sep = 0;
    if (text[k] == '-') sep = 1;
    else if (!strncmp(text + k, "\xe2\x80\x93", 3) || !strncmp(text + k, "\xe2\x80\x94", 3)) sep = 3;
    else if (!strncasecmp(text + k, "to ", 3)) sep = 2;
    if (sep) {
      size_t m = k + sep;
      while (text[m] == ' ') m++;
      char c2[4] = "";
      size_t c = currency_at(text + m, text, c2);
      if (c) {
        m += c;
        while (text[m] == ' ') m++;
        if (!cur[0]) memcpy(cur, c2, 4);
      }
      size_t n2 = parse_amount(text + m, &b, &kb);
      if (n2) {
        j = m + n2;
        k = j;
        while (text[k] == ' ') k++;
        if (!cur[0]) currency_at(text + k, text, cur);
      } else {
        b = NAN;
      }
    }
    /* "150-180k": the suffix of the second number applies to both */
    if (!isnan(b) && kb && !ka && a < 1000) ka = kb;
    double mul_a = ka == 1 ? 1e3 : ka == 2 ? 1e6 : 1, mul_b = kb == 1 ? 1e3 : kb == 2 ? 1e6 : 1;
    a *= mul_a;
    if (!isnan(b)) b *= mul_b;
    /* too small to be a salary (years, counts) unless written with k */
    if (a < 1000 && !ka) {
      i = j;
      continue;
    }
    /* per month / per day / per hour */
    char tail[48];
    lower_copy(text + j, strnlen(text + j, 40), tail, sizeof tail);
    double per = 1;
    if (strstr(tail, "month") || strstr(tail, "/mo") || strstr(tail, "p.m.") || strstr(tail, "pcm")) per = 12;
    else if (strstr(tail, "per day") || strstr(tail, "/day") || strstr(tail, "a day") || strstr(tail, "daily")) per = 220;
    else if (strstr(tail, "per hour") || strstr(tail, "/h") || strstr(tail, "an hour") || strstr(tail, "hourly")) per = 1800;
    *min = a * per;
    *max = (isnan(b) ? a : b) * per;
    if (*max < *min) {
      double tmp = *min;
      *min = *max;
      *max = tmp;
    }
    memcpy(currency, cur, 4);
    return 1;
  }
  return 0;
}

/* ------------------------------------------------------------ min years */

static int word_number(const char *w, size_t n) {
  static const char *const NUM[] = {"zero", "one", "two", "three", "four", "five", "six", "seven",
                                    "eight", "nine", "ten", "eleven", "twelve", "thirteen",
                                    "fourteen", "fifteen", NULL};
  for (int i = 0; NUM[i]; i++)
    if (strlen(NUM[i]) == n && strncasecmp(w, NUM[i], n) == 0) return i;
  return -1;
}

double norm_parse_min_years(const char *text) {
  if (!text) return NAN;
  char t[8192];
  size_t len = lower_copy(text, strlen(text), t, sizeof t);
  double best = NAN;
  for (size_t i = 0; i < len; i++) {
    if (i && is_wordch(t[i - 1])) continue;
    int v = -1;
    size_t j = i;
    if (isdigit((unsigned char)t[i])) {
      char *end;
      long x = strtol(t + i, &end, 10);
      j = (size_t)(end - t);
      if (x > 0 && x <= 30) v = (int)x;
    } else if (isalpha((unsigned char)t[i])) {
      size_t a = i;
      while (j < len && isalpha((unsigned char)t[j])) j++;
      v = word_number(t + a, j - a);
      if (v <= 0) continue;
    } else {
      continue;
    }
    if (v < 0) continue;
    /* "3-5 years", "3 to 5 years": the lower bound */
    size_t k = j;
    if (t[k] == '+') k++;
    while (t[k] == ' ') k++;
    if (t[k] == '-' || !strncmp(t + k, "to ", 3) || !strncmp(t + k, "\xe2\x80\x93", 3)) {
      size_t m = k + (t[k] == '-' ? 1 : t[k] == 't' ? 3 : 3);
      while (t[m] == ' ') m++;
      while (isdigit((unsigned char)t[m])) m++;
      k = m;
      if (t[k] == '+') k++;
      while (t[k] == ' ') k++;
    }
    size_t resume = k > i ? k - 1 : i; /* never read the upper bound as a new minimum */
    if (strncmp(t + k, "year", 4) != 0 && strncmp(t + k, "yrs", 3) != 0 && strncmp(t + k, "yr ", 3) != 0) {
      i = resume;
      continue;
    }
    /* a duration in a company blurb ("for 3 years we have…") is not a demand:
     * require an experience word shortly after, or "+", or "at least" before */
    char after[64];
    size_t al = strnlen(t + k, 60);
    memcpy(after, t + k, al);
    after[al] = '\0';
    int plus = t[j] == '+';
    int least = (i >= 9 && strstr(t + (i >= 20 ? i - 20 : 0), "at least") && strstr(t + (i >= 20 ? i - 20 : 0), "at least") < t + i) ||
                (i >= 8 && strstr(t + (i >= 20 ? i - 20 : 0), "minimum") && strstr(t + (i >= 20 ? i - 20 : 0), "minimum") < t + i);
    int exp = strstr(after, " of ") || strstr(after, "experience") || strstr(after, " in ") ||
              strstr(after, " as ") || strstr(after, " building") || strstr(after, " with ");
    i = resume;
    if (!(plus || least || exp)) continue;
    if (isnan(best) || v > best) best = v;
  }
  return best;
}

/* --------------------------------------------------------------- dates */

typedef struct date_pt { int abs; int has_month; int present; size_t end; } date_pt;

static const char *const MONTHS[] = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};

/* Month name at t ("Mar", "March", "Sept."), 1..12 and its length; 0 none. */
static int month_at(const char *t, size_t *len) {
  for (int m = 0; m < 12; m++) {
    if (strncmp(t, MONTHS[m], 3) != 0) continue;
    size_t n = 3;
    while (isalpha((unsigned char)t[n])) n++;
    static const char *const FULL[] = {"january", "february", "march", "april", "may", "june", "july",
                                       "august", "september", "october", "november", "december"};
    if (n != 3 && !(n == strlen(FULL[m]) && !strncmp(t, FULL[m], n)) && !(m == 8 && n == 4 && !strncmp(t, "sept", 4)))
      continue;
    if (t[n] == '.') n++;
    *len = n;
    return m + 1;
  }
  return 0;
}

static int year_ok(long y, int ref_year) { return y >= 1950 && y <= ref_year + 1; }

/* A date point in lower-case text t at i: "2019", "mar 2021", "03/2021",
 * "2021-03", "'22", "mar '22", or a present word.  ok=0 when none. */
static int date_at(const char *t, size_t i, int ref_year, int present_abs, date_pt *p) {
  /* "present" as CVs write it, English and the local words of European CVs
   * ("2021 - heute", "2019 - nu", "2020 - obecnie", "2018 - presente") */
  static const char *const PRESENT[] = {"present", "now", "current", "currently", "today", "to date",
                                        "date", "ongoing", "till date", "heute", "jetzt", "aktuell", "nu",
                                        "idag", "i dag", "nå", "nyt", "nykyään", "obecnie", "teraz",
                                        "presente", "actualidad", "actual", "hoy", "atual", "hoje",
                                        "oggi", "aujourd'hui", "maintenant", "heden", "dosud",
                                        "současnost", "jelenleg", "prezent", NULL};
  memset(p, 0, sizeof *p);
  size_t k = i;
  for (int w = 0; PRESENT[w]; w++) {
    size_t n = strlen(PRESENT[w]);
    if (!strncmp(t + k, PRESENT[w], n) && !is_wordch(t[k + n])) {
      p->abs = present_abs;
      p->present = 1;
      p->has_month = 1;
      p->end = k + n;
      return 1;
    }
  }
  int month = 0;
  size_t ml = 0;
  if ((month = month_at(t + k, &ml)) != 0) {
    k += ml;
    while (t[k] == ' ' || t[k] == ',') k++;
  }
  if (t[k] == '\'' || !strncmp(t + k, "\xe2\x80\x99", 3)) {
    size_t q = t[k] == '\'' ? 1 : 3;
    if (isdigit((unsigned char)t[k + q]) && isdigit((unsigned char)t[k + q + 1]) && !isdigit((unsigned char)t[k + q + 2])) {
      int yy = (t[k + q] - '0') * 10 + (t[k + q + 1] - '0');
      int y = 2000 + yy <= ref_year + 1 ? 2000 + yy : 1900 + yy;
      p->abs = y * 12 + (month ? month - 1 : 0);
      p->has_month = month != 0;
      p->end = k + q + 2;
      return 1;
    }
    return 0;
  }
  if (!isdigit((unsigned char)t[k])) return 0;
  if (k > 0 && (isalnum((unsigned char)t[k - 1]) || t[k - 1] == ',' || t[k - 1] == '.') && !month) return 0;
  char *end;
  long v = strtol(t + k, &end, 10);
  size_t nd = (size_t)(end - (t + k));
  if (!month && nd <= 2 && v >= 1 && v <= 12 && *end == '/') { /* 03/2021 */
    long y = strtol(end + 1, &end, 10);
    if (!year_ok(y, ref_year)) return 0;
    p->abs = (int)y * 12 + (int)v - 1;
    p->has_month = 1;
    p->end = (size_t)(end - t);
    return 1;
  }
  if (nd != 4 || !year_ok(v, ref_year)) return 0;
  if (isalnum((unsigned char)*end)) return 0;
  /* "2021-03" (a month, no spaces) vs "2019-22" (a short year range) */
  if (!month && end[0] == '-' && isdigit((unsigned char)end[1]) && isdigit((unsigned char)end[2]) && !isdigit((unsigned char)end[3])) {
    int two = (end[1] - '0') * 10 + (end[2] - '0');
    if (two >= 1 && two <= 12 && two <= v % 100) {
      p->abs = (int)v * 12 + two - 1;
      p->has_month = 1;
      p->end = (size_t)(end + 3 - t);
      return 1;
    }
  }
  p->abs = (int)v * 12 + (month ? month - 1 : 0);
  p->has_month = month != 0;
  p->end = (size_t)(end - t);
  return 1;
}

static size_t sentence_start(const char *t, size_t pos);

typedef struct range {
  int start, end;     /* absolute months, end exclusive */
  int present;
  size_t pos, pos_end;/* span in the text */
  int single;         /* one date only ("(2026)") */
  int end_year;       /* last calendar year of the range as written */
} range;

/* All date ranges in lower-case text t. */
static int find_ranges(const char *t, size_t len, int ref_year, int present_abs, range *out, int max) {
  int n = 0;
  for (size_t i = 0; i < len && n < max; i++) {
    if (i && is_wordch(t[i - 1]) && t[i] != '\'') continue;
    int since = 0;
    size_t s = i;
    if (!strncmp(t + i, "since ", 6)) {
      since = 1;
      s = i + 6;
    } else if (!strncmp(t + i, "from ", 5)) {
      s = i + 5;
    }
    date_pt a;
    if (!date_at(t, s, ref_year, present_abs, &a) || a.present) continue;
    size_t k = a.end;
    while (t[k] == ' ') k++;
    size_t sep = 0;
    if (t[k] == '-' || t[k] == '~') sep = 1;
    else if (!strncmp(t + k, "\xe2\x80\x93", 3) || !strncmp(t + k, "\xe2\x80\x94", 3) || !strncmp(t + k, "\xe2\x80\x92", 3)) sep = 3;
    else if (!strncmp(t + k, "to ", 3)) sep = 3;
    else if (!strncmp(t + k, "until ", 6)) sep = 6;
    else if (!strncmp(t + k, "till ", 5)) sep = 5;
    range r = {0};
    r.pos = i;
    if (sep) {
      size_t m = k + sep;
      while (t[m] == ' ') m++;
      date_pt b;
      if (!date_at(t, m, ref_year, present_abs, &b)) {
        /* "since 2021 - patient app in Kotlin": a dash after the date, but
         * no end date; "since" still opens an entry up to now */
        if (!since) continue;
        sep = 0;
      }
    }
    if (sep) {
      size_t m = k + sep;
      while (t[m] == ' ') m++;
      date_pt b;
      date_at(t, m, ref_year, present_abs, &b);
      r.start = a.abs;
      /* a bare end year counts up to its January ("2016 - 2019" = 3 years) */
      r.end = b.present ? b.abs : b.has_month ? b.abs + 1 : b.abs;
      if (!b.has_month && !a.has_month && r.end <= r.start) r.end = r.start + 6;
      r.present = b.present;
      r.pos_end = b.end;
      r.end_year = b.present ? ref_year : b.abs / 12;
    } else if (since) {
      /* "I have not worked as a developer since 2014" is not an entry */
      size_t ss = sentence_start(t, i);
      char sent[256];
      size_t sl = i - ss < sizeof sent - 1 ? i - ss : sizeof sent - 1;
      memcpy(sent, t + ss, sl);
      sent[sl] = '\0';
      static const char *const NOT[] = {"not", "never", "no longer", "n't", NULL};
      if (has_any(sent, NOT) || strstr(sent, "n't")) continue;
      r.start = a.abs;
      r.end = present_abs;
      r.present = 1;
      r.end_year = ref_year;
      r.pos_end = a.end;
    } else {
      /* a single date counts as an entry only in brackets: "(2026)" */
      if (!(i > 0 && t[i - 1] == '(' && t[a.end] == ')')) continue;
      r.start = a.abs;
      r.end = a.abs + (a.has_month ? 1 : 6);
      r.single = 1;
      r.pos_end = a.end;
      r.end_year = a.abs / 12;
    }
    if (r.end < r.start) continue;
    out[n++] = r;
    i = r.pos_end;
  }
  return n;
}

typedef struct iv { int a, b; } iv;

static int cmp_iv(const void *x, const void *y) {
  const iv *p = x, *q = y;
  return p->a != q->a ? (p->a < q->a ? -1 : 1) : (p->b < q->b ? -1 : p->b > q->b);
}

/* Total months covered by intervals, overlaps merged; sorts in place. */
static int merged_months(iv *v, int n) {
  if (n <= 0) return 0;
  qsort(v, (size_t)n, sizeof *v, cmp_iv);
  int total = 0, ca = v[0].a, cb = v[0].b;
  for (int i = 1; i < n; i++) {
    if (v[i].a <= cb) {
      if (v[i].b > cb) cb = v[i].b;
    } else {
      total += cb - ca;
      ca = v[i].a;
      cb = v[i].b;
    }
  }
  return total + (cb - ca);
}

/* ------------------------------------------------------------- entries */

typedef struct entry {
  int start, end;        /* months */
  size_t hdr, body, stop;/* header start, body start (after the dates), body end */
  int edu;               /* education / course / certificate */
  int nonprof;           /* summer or student job: not counted as experience */
  int family;
  int lead;              /* the entry led people */
  int present;
  int end_year;
} entry;

static int is_abbrev_before(const char *t, size_t dot) {
  /* the word before a '.' is an abbreviation when it holds another '.' (B.Sc.)
   * or is a short title/degree word */
  size_t a = dot;
  while (a > 0 && !isspace((unsigned char)t[a - 1])) a--;
  if (memchr(t + a, '.', dot - a)) return 1;
  static const char *const AB[] = {"mr", "mrs", "ms", "dr", "st", "sr", "jr", "vs", "e.g", "i.e", "etc", "inc", "co", "no", "approx", "incl", NULL};
  for (int i = 0; AB[i]; i++)
    if (dot - a == strlen(AB[i]) && !strncmp(t + a, AB[i], dot - a)) return 1;
  return 0;
}

static int is_sentence_end(const char *t, size_t i, size_t len) {
  char c = t[i];
  if (c == '\n' || c == ';' || c == '!' || c == '?') return 1;
  if (c == '.' && (i + 1 >= len || t[i + 1] == '\0' || isspace((unsigned char)t[i + 1])) && !is_abbrev_before(t, i))
    return 1;
  return 0;
}

static size_t sentence_start(const char *t, size_t pos) {
  size_t len = (size_t)-1; /* t is NUL-terminated; strlen here made scans quadratic */
  size_t i = pos;
  while (i > 0) {
    if (is_sentence_end(t, i - 1, len)) break;
    /* "Title at X (2019 - present): body" — the colon ends the previous
     * entry's header only when it follows a closing bracket */
    if (t[i - 1] == ':' && i >= 2 && t[i - 2] == ')') break;
    i--;
  }
  while (isspace((unsigned char)t[i]) && i < pos) i++;
  return i;
}

static size_t sentence_end(const char *t, size_t pos, size_t len) {
  for (size_t i = pos; i < len; i++)
    if (is_sentence_end(t, i, len)) return i + 1;
  return len;
}

static const char *const EDU_WORDS[] = {"b.sc", "bsc", "m.sc", "msc", "ba", "ma", "mba", "phd", "ph.d",
  "bachelor*", "master*", "degree", "diploma", "university", "college", "school", "academy",
  "institute", "bootcamp", "boot camp", "course", "courses", "programme", "certificat*", "training",
  "studies", "student", "graduated", "beng", "meng", "b.a", "m.a", "b.eng", "m.eng", "b.s", "m.s",
  "hnd", "gcse", "a levels", "exam",
  /* the same in the languages CVs are written in across Europe */
  "universit*", "universidad*", "universidade", "uniwersytet*", "hochschule", "fachhochschule", "fh",
  "htl", "hak", "gymnasium", "lyceum", "liceo", "lycée", "ausbildung", "studium", "politechnika",
  "politecnico", "polytechni*", "laurea", "grado", "licenciatura", "formation", "opleiding", NULL};
static const char *const EDU_TITLE_WORDS[] = {"b.sc", "bsc", "m.sc", "msc", "ba", "ma", "mba", "phd",
  "bachelor*", "master*", "degree", "diploma", "bootcamp", "boot camp", "course", "programme",
  "certificat*", "student", "beng", "meng", NULL};
static const char *const NONPROF_WORDS[] = {"summer job*", "summer", "part time", "weekend job*",
  "holiday job*", "student job*", "side job*", "civilian service", "military service", NULL};
static const char *const LEAD_WORDS[] = {"i lead", "i led", "leading a team", "led a team", "team of",
  "report to me", "reporting to me", "line manag*", "i manage", "managed a team", "managing a team",
  "head a team", "mentor*", NULL};
static const char *const ASP_WORDS[] = {"learning", "teaching myself", "taught myself", "studying",
  "course", "courses", "tutorial", "bootcamp", "certificat*", "plan to", "planning to", "want to",
  "would like", "hope to", "hoping to", "aspir*", "interested in", "looking for", "open to",
  "hobby", "side project", "personal project", "spare time", "in the evenings", "evening course",
  "exam", "preparing for", "keen to", "eager to", "next job", NULL};
static const char *const NEG_WORDS[] = {"never", "have not used", "haven't used", "not used",
  "no experience", "have not worked with", "not worked with", "no professional", "not professionally",
  "without professional", "have not written", "never written", "no hands on", NULL};

/* lower-case text, header span [a,b) -> title part before " at " */
static int header_family(const char *t, size_t a, size_t b, int *lead) {
  /* a leading space, so that a header that is only "At Acme (2019 -
   * present) I lead ..." leaves an empty title (unknown family, as when no
   * title is written) instead of a company name read as an occupation */
  char h[257];
  size_t n = b - a < sizeof h - 2 ? b - a : sizeof h - 2;
  h[0] = ' ';
  memcpy(h + 1, t + a, n);
  h[n + 1] = '\0';
  char *at = strstr(h, " at ");
  if (!at) at = strstr(h, " in ");
  if (!at) at = strstr(h, " for ");
  if (at) *at = '\0';
  /* "Senior Data Engineer — Odra Logistics", "Acme B.V., Amsterdam | Frontend
   * Engineer": the title is one of the parts; a company or a place must not
   * be read as the occupation, so the first part that names a known family
   * decides */
  int fam = NORM_ROLE_OTHER, occupational = 0;
  char *parts = h;
  for (char *p = h; *p; p++)
    if (*p == '|' || *p == ',' || !strncmp(p, "\xe2\x80\x94", 3) || !strncmp(p, "\xe2\x80\x93", 3) ||
        !strncmp(p, " - ", 3)) {
      if ((unsigned char)*p == 0xe2) p[1] = p[2] = ' ';
      *p = '\n';
    }
  for (char *part = parts; part && fam == NORM_ROLE_OTHER;) {
    char *nl = strchr(part, '\n');
    if (nl) *nl = '\0';
    for (char *p = part; *p; p++)
      if (*p == '-' || *p == '/' || *p == '&' || *p == '(' || *p == ')') *p = ' ';
    int f = role_of_lower(part);
    if (f != NORM_ROLE_OTHER && f != NORM_ROLE_UNKNOWN) {
      fam = f;
      *lead = sen_from_words(part) >= SEN_LEAD;
    }
    /* an occupation noun ("florist", "driver", "pharmacist") */
    for (char *w = part; *w;) {
      while (*w == ' ') w++;
      char *e = w;
      while (*e && *e != ' ') e++;
      size_t wl = (size_t)(e - w);
      if (wl >= 4 && (!strncmp(e - 2, "er", 2) || !strncmp(e - 2, "or", 2) || !strncmp(e - 3, "ist", 3) ||
                      !strncmp(e - 3, "ian", 3) || !strncmp(e - 3, "ant", 3)))
        occupational = 1;
      w = e;
    }
    if (nl) *nl = ' ';
    part = nl ? nl + 1 : NULL;
  }
  if (fam != NORM_ROLE_OTHER) return fam;
  *lead = sen_from_words(h) >= SEN_LEAD;
  /* no title at all, only a company or a place: unknown, not "other" */
  int empty = 1;
  for (char *p = h; *p; p++)
    if (is_wordch(*p)) empty = 0;
  if (empty || !occupational) return NORM_ROLE_UNKNOWN;
  return NORM_ROLE_OTHER;
}

static int find_entries(const char *t, size_t len, int ref_year, int present_abs, entry *e, int max) {
  range r[MAX_ENTRIES];
  int nr = find_ranges(t, len, ref_year, present_abs, r, MAX_ENTRIES);
  int n = 0;
  for (int i = 0; i < nr && n < max; i++) {
    entry *x = &e[n];
    memset(x, 0, sizeof *x);
    x->start = r[i].start;
    x->end = r[i].end;
    x->present = r[i].present;
    x->end_year = r[i].end_year;
    x->hdr = sentence_start(t, r[i].pos);
    /* "Experience\n2019 - present" on its own line: take the line above */
    int only_punct = 1;
    for (size_t k = x->hdr; k < r[i].pos; k++)
      if (isalnum((unsigned char)t[k])) only_punct = 0;
    if (only_punct && x->hdr > 0) x->hdr = sentence_start(t, x->hdr - 1);
    x->body = r[i].pos_end;
    char h[512];
    size_t hn = r[i].pos - x->hdr < sizeof h - 1 ? r[i].pos - x->hdr : sizeof h - 1;
    memcpy(h, t + x->hdr, hn);
    h[hn] = '\0';
    char *at = strstr(h, " at ");
    char title[512];
    snprintf(title, sizeof title, "%s", h);
    if (at) title[at - h] = '\0';
    x->edu = has_any(title, EDU_TITLE_WORDS) || (!at && has_any(h, EDU_WORDS));
    x->nonprof = !x->edu && has_any(h, NONPROF_WORDS);
    if (r[i].single && !x->edu) x->nonprof = 1; /* a lone year is not a job span */
    x->family = x->edu ? NORM_ROLE_UNKNOWN : header_family(t, x->hdr, r[i].pos, &x->lead);
    n++;
  }
  /* bodies end at the next header, at a "skills:" list, or (education) at
   * the end of their sentence */
  for (int i = 0; i < n; i++) {
    size_t stop = i + 1 < n ? e[i + 1].hdr : len;
    if (stop < e[i].body) stop = e[i].body;
    const char *sk = strstr(t + e[i].body, "skills:");
    if (sk && (size_t)(sk - t) < stop) stop = (size_t)(sk - t);
    if (e[i].edu) {
      size_t se = sentence_end(t, e[i].body, len);
      if (se < stop) stop = se;
    }
    e[i].stop = stop;
    if (!e[i].lead && !e[i].edu) {
      char b[2048];
      size_t bn = stop - e[i].body < sizeof b - 1 ? stop - e[i].body : sizeof b - 1;
      memcpy(b, t + e[i].body, bn);
      b[bn] = '\0';
      e[i].lead = has_any(b, LEAD_WORDS);
    }
  }
  return n;
}

/* --------------------------------------------------------- skill bag */

typedef struct acc {
  int id;                  /* taxonomy id or -1 */
  char name[MODEL_SKILL_LEN];
  int flags;
  int mentions;
  int in_title;
  int negated;
  int last_year;
  int order;
  iv work[MAX_IV];
  int nwork;
  int alt;                 /* job side */
  int req, nice;
} acc;

typedef struct bag { acc a[MODEL_MAX_SKILLS]; int n; } bag;

static acc *bag_get(bag *b, int id, const char *name) {
  for (int i = 0; i < b->n; i++) {
    if (id >= 0 ? b->a[i].id == id : (b->a[i].id < 0 && !strcasecmp(b->a[i].name, name))) return &b->a[i];
  }
  if (b->n >= MODEL_MAX_SKILLS) return NULL;
  acc *x = &b->a[b->n];
  memset(x, 0, sizeof *x);
  x->id = id;
  x->order = b->n;
  copy_str(x->name, sizeof x->name, id >= 0 ? tax_skill_name(id) : name);
  b->n++;
  return x;
}

static int sentence_has(const char *t, size_t len, size_t pos, const char *const *words) {
  size_t a = sentence_start(t, pos), z = sentence_end(t, pos, len);
  char s[1024];
  size_t n = z - a < sizeof s - 1 ? z - a : sizeof s - 1;
  memcpy(s, t + a, n);
  s[n] = '\0';
  /* names of fields and products that contain an aspiration word are not an
   * aspiration: "Machine Learning Engineer", "deep learning", "a learning
   * platform", "training and deployment" */
  static const char *const FIELDS[] = {"machine learning", "deep learning", "reinforcement learning",
    "transfer learning", "federated learning", "supervised learning", "unsupervised learning",
    "statistical learning", "representation learning", "e-learning", "elearning", "learning platform",
    "learning management", "learning analytics", NULL};
  for (int i = 0; FIELDS[i]; i++) {
    /* written with a space or a hyphen: "machine-learning", "deep-learning" */
    char f[32];
    copy_str(f, sizeof f, FIELDS[i]);
    for (int v = 0; v < 2; v++) {
      for (char *p = s; (p = (char *)find_word(p, f)) != NULL;) memset(p, ' ', strlen(f));
      for (char *c = f; *c; c++)
        if (*c == ' ') *c = '-';
    }
  }
  return has_any(s, words);
}

static int rating_of(const acc *x, int ref_year, int has_cv) {
  int months = merged_months((iv *)x->work, x->nwork);
  double years = months / 12.0;
  int r;
  if ((x->flags & SKILL_AT_WORK) && !x->negated) {
    r = years >= 6 ? 5 : years >= 3 ? 4 : years >= 1 ? 3 : 2;
    if (x->in_title || x->mentions >= 3) r++;
    if (x->last_year && ref_year - x->last_year >= 8) r -= 2;
    else if (x->last_year && ref_year - x->last_year >= 4) r -= 1;
  } else if (x->negated || ((x->flags & SKILL_ASPIRATIONAL) && !(x->flags & SKILL_LISTED))) {
    r = 1;
  } else if (x->flags & SKILL_ASPIRATIONAL) {
    r = 1;
  } else {
    /* listed or mentioned without dated use: weak evidence, weaker still when
     * a CV exists and never shows it at work */
    r = has_cv ? 2 : 3;
    if (x->in_title) r++;
  }
  return r < 1 ? 1 : r > 5 ? 5 : r;
}

static void fill_skills(bag *b, model_skill *out, int *nout, int ref_year, int has_cv, int job) {
  int n = 0;
  for (int i = 0; i < b->n && n < MODEL_MAX_SKILLS; i++) {
    acc *x = &b->a[i];
    model_skill *s = &out[n++];
    memset(s, 0, sizeof *s);
    copy_str(s->name, sizeof s->name, x->name);
    s->category = (uint16_t)(x->id >= 0 ? tax_skill_category(x->id) : 0);
    s->years = NAN;
    if (job) {
      s->flags = (uint8_t)(x->req ? SKILL_REQUIRED : SKILL_NICE);
      if (x->flags & SKILL_LISTED) s->flags |= SKILL_LISTED;
      s->alt_group = (uint8_t)x->alt;
      continue;
    }
    int fl = x->flags;
    if (x->negated) fl &= ~SKILL_AT_WORK;
    /* aspirational only when nothing better exists */
    if ((fl & SKILL_AT_WORK)) fl &= ~SKILL_ASPIRATIONAL;
    if (x->negated) fl |= SKILL_ASPIRATIONAL;
    s->flags = (uint8_t)fl;
    s->rating = (uint8_t)rating_of(x, ref_year, has_cv);
    if (x->nwork && (fl & SKILL_AT_WORK)) s->years = (float)(merged_months(x->work, x->nwork) / 12.0);
    s->last_year = (int16_t)x->last_year;
  }
  *nout = n;
}

/* Plausible yearly salary floor in local currency.  Recruiters often type
 * a yearly figure in EUR for candidates in non-euro countries; a number below
 * the local annual minimum wage cannot be local, so it is read as EUR. */
static double local_floor(const char *cur) {
  static const struct { const char *c; double v; } F[] = {
    {"SEK", 200000}, {"DKK", 200000}, {"NOK", 200000}, {"PLN", 80000}, {"CZK", 400000},
    {"HUF", 5000000}, {"RON", 60000}, {"INR", 100000}, {"MXN", 80000}, {"ZAR", 60000},
    {"JPY", 2000000}, {"BRL", 18000}, {"TRY", 200000}, {"UAH", 80000}, {"BGN", 10000},
    {"ISK", 3000000}, {"RSD", 600000}, {"KRW", 20000000}, {"CNY", 30000}, {NULL, 0}};
  for (int i = 0; F[i].c; i++)
    if (!strcmp(F[i].c, cur)) return F[i].v;
  return 0;
}

static char *join_text(const char *a, const char *const *list, int nlist, const char *c, const char *d) {
  size_t n = 4;
  if (a) n += strlen(a) + 1;
  for (int i = 0; i < nlist; i++) n += list[i] ? strlen(list[i]) + 2 : 0;
  if (c) n += strlen(c) + 1;
  if (d) n += strlen(d) + 1;
  char *s = malloc(n);
  if (!s) return NULL;
  size_t o = 0;
#define APPEND(str, sep)                                                                           \
  do {                                                                                             \
    if (str && (str)[0]) {                                                                         \
      size_t l_ = strlen(str);                                                                     \
      if (o) s[o++] = sep;                                                                         \
      memcpy(s + o, str, l_);                                                                      \
      o += l_;                                                                                     \
    }                                                                                              \
  } while (0)
  APPEND(a, '\n');
  for (int i = 0; i < nlist; i++) APPEND(list[i], i ? ',' : '\n');
  APPEND(c, '\n');
  APPEND(d, '\n');
#undef APPEND
  s[o] = '\0';
  return s;
}

int norm_candidate(const model_raw_candidate *in, int ref_year, model_candidate *out) {
  return norm_candidate_at(in, ref_year, 0, out);
}

int norm_candidate_at(const model_raw_candidate *in, int ref_year, int ref_month, model_candidate *out) {
  if (!in || !out) return TD_ERR_INVALID;
  if (tax_init() != TD_OK) return TD_ERR_NOMEM;
  memset(out, 0, sizeof *out);
  out->years = out->years_recent_tech = out->tz_offset_hours = out->salary = out->lead_years = NAN;
  out->lat = out->lon = NAN;
  copy_str(out->record_id, sizeof out->record_id, in->record_id);
  copy_str(out->name, sizeof out->name, in->name);
  /* unknown month: the middle of the year */
  int present_abs = ref_year * 12 + (ref_month >= 1 && ref_month <= 12 ? ref_month - 1 : 6);

  int rc = TD_OK;
  char *t = NULL;
  tax_hit *hits = NULL;
  bag *b = calloc(1, sizeof *b);
  entry *e = calloc(MAX_ENTRIES, sizeof *e);
  if (!b || !e) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  const char *cv = in->cv_text ? in->cv_text : "";
  size_t cvlen = strlen(cv);
  t = malloc(cvlen * 2 + 1);
  hits = malloc(MAX_HITS * sizeof *hits);
  if (!t || !hits) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  /* ASCII lower-casing keeps byte offsets equal to the original's */
  for (size_t i = 0; i <= cvlen; i++) t[i] = (char)((unsigned char)cv[i] < 0x80 ? tolower((unsigned char)cv[i]) : cv[i]);

  int ne = find_entries(t, cvlen, ref_year, present_abs, e, MAX_ENTRIES);

  /* title, role family, seniority */
  if (in->current_title && in->current_title[0]) {
    norm_title(in->current_title, out->title, sizeof out->title);
  } else {
    /* the most recent work entry's header, before " at " */
    int best = -1;
    for (int i = 0; i < ne; i++)
      if (!e[i].edu && !e[i].nonprof && (best < 0 || e[i].end > e[best].end)) best = i;
    if (best >= 0) {
      char h[256];
      size_t a = e[best].hdr, z = a;
      while (z < cvlen && z - a < sizeof h - 1 && cv[z] != '(' && strncmp(cv + z, " at ", 4)) z++;
      memcpy(h, cv + a, z - a);
      h[z - a] = '\0';
      norm_title(h, out->title, sizeof out->title);
    }
  }
  out->role_family = norm_role_family(out->title);

  /* experience */
  iv all[MAX_ENTRIES], fam[MAX_ENTRIES], lead[MAX_ENTRIES];
  int nall = 0, nfam = 0, nlead = 0;
  for (int i = 0; i < ne; i++) {
    if (e[i].edu || e[i].nonprof) continue;
    iv v = {e[i].start, e[i].end > present_abs ? present_abs : e[i].end};
    if (v.b < v.a) v.b = v.a;
    all[nall++] = v;
    int endy = e[i].end_year;
    if (endy > out->last_work_year) out->last_work_year = endy;
    if (norm_role_is_tech(e[i].family) && endy > out->last_tech_year) out->last_tech_year = endy;
    int same = e[i].family == NORM_ROLE_UNKNOWN || e[i].family == out->role_family ||
               (norm_role_is_tech(e[i].family) && norm_role_is_tech(out->role_family) &&
                e[i].family != NORM_ROLE_IT_SUPPORT && out->role_family != NORM_ROLE_IT_SUPPORT);
    if (same || out->role_family == NORM_ROLE_UNKNOWN) fam[nfam++] = v;
    if (e[i].lead) lead[nlead++] = v;
  }
  if (!isnan(in->years) && in->years >= 0) out->years = in->years;
  else if (nall) out->years = merged_months(all, nall) / 12.0;
  if (nall) {
    out->years_recent_tech = merged_months(fam, nfam) / 12.0;
    out->lead_years = merged_months(lead, nlead) / 12.0;
    /* years in the field lately are part of all the years: when the
     * recruiter typed the total, the dated CV (which may count schooling
     * written in a way we do not recognise) cannot exceed it */
    if (!isnan(in->years) && in->years >= 0 && out->years_recent_tech > in->years)
      out->years_recent_tech = in->years;
  }
  out->seniority = norm_seniority(out->title, out->years);

  /* skills: listed first, then the CV, then the title for prominence */
  for (int i = 0; i < in->n_skills; i++) {
    if (!in->skills || !in->skills[i] || !in->skills[i][0]) continue;
    char nm[MODEL_SKILL_LEN];
    int id = tax_canonical(in->skills[i], nm, sizeof nm);
    if (!nm[0]) continue;
    acc *x = bag_get(b, id, nm);
    if (x) x->flags |= SKILL_LISTED;
  }
  int nh = tax_scan(cv, cvlen, TAX_SCAN_CV, hits, MAX_HITS);
  if (nh < 0) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  size_t cached_ss = (size_t)-1;
  int cached_asp = 0, cached_neg = 0;
  for (int h = 0; h < nh; h++) {
    acc *x = bag_get(b, hits[h].skill, NULL);
    if (!x) continue;
    x->flags |= SKILL_IN_CV;
    x->mentions++;
    size_t pos = hits[h].start;
    int ei = -1;
    for (int i = 0; i < ne; i++)
      if (pos >= e[i].hdr && pos < e[i].stop) ei = i;
    /* hits cluster in sentences: classify each sentence once */
    size_t ss = sentence_start(t, pos);
    if (ss != cached_ss) {
      cached_ss = ss;
      cached_asp = sentence_has(t, cvlen, pos, ASP_WORDS);
      cached_neg = sentence_has(t, cvlen, pos, NEG_WORDS);
    }
    int asp = cached_asp;
    int neg = cached_neg;
    if (neg) x->negated = 1;
    if (ei >= 0 && e[ei].edu) asp = 1;
    if (asp || neg) {
      x->flags |= SKILL_ASPIRATIONAL;
      continue;
    }
    if (ei < 0 || e[ei].nonprof) continue;
    int fam_ok = e[ei].family == NORM_ROLE_UNKNOWN || norm_role_is_tech(e[ei].family) ||
                 !tax_skill_is_tech(hits[h].skill);
    if (!fam_ok) continue; /* a recruiter or seller naming the stack */
    /* a language spoken is not a skill used in that job's dates */
    if (!strcmp(tax_category_name(tax_skill_category(hits[h].skill)), "Human language")) continue;
    x->flags |= SKILL_AT_WORK;
    /* an entry without a readable title ("Acme (2019 - present): React,
     * TypeScript") is technical work when it shows technical skills */
    if (e[ei].family == NORM_ROLE_UNKNOWN && tax_skill_is_tech(hits[h].skill) &&
        e[ei].end_year > out->last_tech_year)
      out->last_tech_year = e[ei].end_year;
    if (x->nwork < MAX_IV) {
      iv v = {e[ei].start, e[ei].end > present_abs ? present_abs : e[ei].end};
      x->work[x->nwork++] = v;
    }
    int endy = e[ei].end_year;
    if (endy > x->last_year) x->last_year = endy;
  }
  /* a dated entry as an engineering manager (head of engineering, CTO) is
   * leading people at work, whatever words the body uses for it */
  for (int i = 0; i < ne; i++) {
    if (e[i].edu || e[i].nonprof || e[i].family != NORM_ROLE_ENG_MGMT) continue;
    char nm[MODEL_SKILL_LEN];
    int id = tax_canonical("Team leadership", nm, sizeof nm);
    acc *x = id >= 0 ? bag_get(b, id, nm) : NULL;
    if (!x || x->negated) continue;
    x->flags |= SKILL_IN_CV | SKILL_AT_WORK;
    x->flags &= ~SKILL_ASPIRATIONAL;
    if (x->nwork < MAX_IV) {
      iv v = {e[i].start, e[i].end > present_abs ? present_abs : e[i].end};
      x->work[x->nwork++] = v;
    }
    if (e[i].end_year > x->last_year) x->last_year = e[i].end_year;
  }
  if (in->current_title) {
    int nt = tax_scan(in->current_title, strlen(in->current_title), TAX_SCAN_JOB, hits, 16);
    for (int h = 0; h < nt; h++) {
      acc *x = bag_get(b, hits[h].skill, NULL);
      if (x) x->in_title = 1;
    }
  }
  fill_skills(b, out->skills, &out->n_skills, ref_year, cvlen > 0, 0);

  /* location, work preference */
  geo_place gp;
  if (in->location && geo_parse_location(in->location, &gp))
    SET_PLACE(out, gp);
  out->work_pref = norm_workpref(in->work_pref);
  if (out->work_pref == WORK_UNKNOWN && in->location && (gp.remote)) out->work_pref = WORK_REMOTE;

  /* salary: the number field has no currency; it is the candidate's
   * country's, unless implausibly low for it (then EUR, see local_floor) */
  if (!isnan(in->desired_salary) && in->desired_salary > 0) {
    out->salary = in->desired_salary;
    const char *cur = geo_country_currency(out->country);
    if (cur[0] && in->desired_salary < local_floor(cur)) cur = "EUR";
    copy_str(out->currency, sizeof out->currency, cur);
  } else if (cvlen) {
    /* "My salary expectation is GBP 180,000" */
    const char *p = t;
    while ((p = strstr(p, "expect")) != NULL) {
      size_t a = sentence_start(t, (size_t)(p - t)), z = sentence_end(t, (size_t)(p - t), cvlen);
      char s[512];
      size_t n = z - a < sizeof s - 1 ? z - a : sizeof s - 1;
      memcpy(s, cv + a, n);
      s[n] = '\0';
      double mn, mx;
      char cur[4];
      if (norm_parse_salary(s, &mn, &mx, cur)) {
        out->salary = mx;
        copy_str(out->currency, sizeof out->currency, cur[0] ? cur : geo_country_currency(out->country));
        break;
      }
      p++;
    }
  }

  out->text = join_text(out->title, in->skills, in->skills ? in->n_skills : 0, cv, NULL);
  if (!out->text) rc = TD_ERR_NOMEM;
out:
  free(t);
  free(hits);
  free(b);
  free(e);
  return rc;
}

/* ----------------------------------------------------------------- jobs */

static const char *const NICE_CUES[] = {"nice to have", "nice-to-have", "a plus", "plus", "bonus",
  "good to have", "would help", "would be great", "preferred", "ideally", "desirable", "advantage",
  "helpful", "not required", "optional", "fine too", "is a bonus", "welcome", "appreciated", NULL};
static const char *const REQ_CUES[] = {"required", "requirements", "must", "need", "needs",
  "you bring", "what you bring", "you have", "strong", "solid", "proven", "experience with",
  "experience in", "proficien*", "expert*", "years", "essential", "we expect", NULL};

typedef struct jobctx { bag *b; int next_alt; } jobctx;

static void job_take_hits(jobctx *jc, const tax_hit *hits, int n, int req, int listed, int slash_alt) {
  int group = 0;
  for (int h = 0; h < n; h++) {
    acc *x = bag_get(jc->b, hits[h].skill, NULL);
    if (!x) continue;
    if (listed) x->flags |= SKILL_LISTED;
    if (req) x->req = 1;
    else x->nice = 1;
    /* "Tableau or Looker": one-of group.  "Tableau/Looker" in a title only
     * when both are of the same kind ("Python/Django" are both needed) */
    int joined = h > 0 && (hits[h - 1].or_next ||
                           (slash_alt && hits[h - 1].slash_next &&
                            tax_skill_category(hits[h - 1].skill) == tax_skill_category(hits[h].skill)));
    if (joined) {
      acc *p = bag_get(jc->b, hits[h - 1].skill, NULL);
      if (p) {
        if (!group) group = p->alt ? p->alt : ++jc->next_alt;
        p->alt = group;
        if (!x->alt) x->alt = group;
      }
    } else {
      group = 0;
    }
  }
}

static void job_add_hits(jobctx *jc, const char *text, size_t a, size_t z, int req, int listed, int slash_alt) {
  tax_hit hits[128];
  int n = tax_scan(text + a, z - a, TAX_SCAN_JOB, hits, 128);
  job_take_hits(jc, hits, n, req, listed, slash_alt);
}

/* Splits [a,z) into clauses (sentences and ';') and classifies each.  The
 * line is scanned once, so "AWS; ArgoCD; Go" keeps the neighbours that tell
 * Go the language from "go" the verb; each clause then takes its own hits. */
static void job_clauses(jobctx *jc, const char *text, const char *low, size_t a, size_t z, int mode, int listed) {
  tax_hit all[256];
  int nall = tax_scan(text + a, z - a, TAX_SCAN_JOB, all, 256);
  if (nall < 0) nall = 0;
  int h0 = 0;
  size_t i = a;
  int prev = -2; /* class of the previous clause of the same sentence */
  while (i < z) {
    size_t j = i;
    while (j < z && low[j] != ';' && !(low[j] == '.' && (j + 1 >= z || isspace((unsigned char)low[j + 1])) && !is_abbrev_before(low, j)) && low[j] != '\n')
      j++;
    char c[1024];
    size_t n = j - i < sizeof c - 1 ? j - i : sizeof c - 1;
    memcpy(c, low + i, n);
    c[n] = '\0';
    int req = mode;
    if (has_any(c, NICE_CUES)) req = 0;
    else if (has_any(c, REQ_CUES)) req = 1;
    else if (prev != -2) req = prev; /* "You need X; Y; Z" */
    else if (mode < 0) req = 0;      /* context: counts as nice */
    int h1 = h0;
    while (h1 < nall && a + all[h1].start < j) h1++;
    job_take_hits(jc, all + h0, h1 - h0, req > 0, listed, 0);
    h0 = h1;
    prev = j < z && low[j] == ';' ? req : -2;
    i = j + 1;
  }
}

/* Paragraph mode from its opening words: 1 required, 0 nice, -1 context. */
static int para_mode(const char *p) {
  static const char *const REQ_HEAD[] = {"what you bring", "requirements", "required", "must have",
    "must-have", "you have", "you need", "we expect", "what we are looking for", "what we're looking for",
    "your profile", "qualifications", "essential", NULL};
  static const char *const NICE_HEAD[] = {"nice to have", "nice-to-have", "good to have", "bonus",
    "plus", "preferred", "desirable", "would be great", NULL};
  char h[64];
  size_t n = strnlen(p, sizeof h - 1);
  memcpy(h, p, n);
  h[n] = '\0';
  for (int i = 0; NICE_HEAD[i]; i++)
    if (!strncmp(h, NICE_HEAD[i], strlen(NICE_HEAD[i]))) return 0;
  for (int i = 0; REQ_HEAD[i]; i++)
    if (!strncmp(h, REQ_HEAD[i], strlen(REQ_HEAD[i]))) return 1;
  return -1;
}

/* ---------------------------------------------- description sections
 *
 * A company has one Job Description but may have several ATS positions, so
 * the text often describes all of them: "Backend Engineer (Go): you need …",
 * a "## iOS Engineer" heading, bullets under "We are hiring two roles:", or
 * "For the Data Analyst role we need …".  The description is cut into
 * sections; a section opened by a role heading belongs to that role, the rest
 * (company context, remote, salary, "both roles are …") to every position.
 * The position keeps the section(s) whose heading best matches its own ATS
 * title, so the other positions' skills, years and seniority do not leak in. */

#define SEC_MAX 96
#define SEC_HEADS 32
#define SEC_HEAD_LEN 128

typedef struct jsec { size_t a, z; int head; } jsec; /* head -1: shared */

typedef struct jsegs {
  jsec s[SEC_MAX];
  int n;
  char head[SEC_HEADS][SEC_HEAD_LEN];
  int nhead;
  int overflow;
} jsegs;

/* Last word of a job title.  Titles name the role last in English ("Senior
 * Backend Engineer"), which is what tells a heading from a sentence. */
static const char *const ROLE_NOUNS[] = {"engineer", "developer", "programmer", "analyst", "scientist",
  "architect", "manager", "designer", "lead", "administrator", "specialist", "consultant", "tester",
  "sre", "devops", "nurse", "doctor", "physician", "chef", "cook", "technician", "coordinator",
  "officer", "director", "owner", "accountant", "recruiter", "writer", "editor", "assistant",
  "associate", "representative", "executive", "intern", "trainee", "apprentice", "teacher",
  "lawyer", "counsel", "electrician", "driver", "mechanic", "operator", "therapist", "pharmacist",
  "controller", "strategist", "researcher", "statistician", "dba", "marketer", "partner",
  "advisor", "adviser", "planner", "supervisor", "expert", "agent", "clerk", "receptionist",
  "carpenter", "welder", "plumber", "caregiver", "midwife", "paramedic", "barista", "waiter",
  "bartender", "housekeeper", "auditor", "bookkeeper", "surgeon", "dentist", "psychologist",
  "radiographer", "hygienist", "instructor", "lecturer", "tutor", "steward", "producer", "buyer",
  "sourcer", "generalist", "head", "principal", "founder", "cto", "ciso", "vp", NULL};
/* Words a title never contains but a sentence or a section label does. */
static const char *const NOT_TITLE[] = {"a", "an", "the", "we", "you", "our", "your", "is", "are",
  "was", "will", "to", "with", "for", "as", "in", "on", "at", "who", "this", "that", "be", "have",
  "has", "need", "needs", "looking", "hiring", "join", "i", "my", "it", "if", "what", "how", "why",
  "about", "nice", "must", "required", "requirements", "experience", "years", "team", "reporting",
  "responsibilities", "skills", "stack", "profile", "offer", "benefits", NULL};
/* Role words that say little about which of several roles is meant. */
static const char *const GENERIC_TOK[] = {"engineer", "developer", "programmer", "manager", "analyst",
  "specialist", "consultant", "senior", "junior", "lead", "principal", "staff", "mid", "associate",
  "intern", "head", "ii", "iii", "iv", "1", "2", "3", NULL};
static const char *const STOP_TOK[] = {"of", "and", "the", "for", "with", "in", "at", "to", "a",
  "an", "m", "f", "d", "w", "x", "h", "role", "position", "remote", "hybrid", "onsite", NULL};
/* A line or sentence starting with these is about the company, not a role. */
static const char *const COMPANY_HEADS[] = {"about us", "about the company", "who we are",
  "benefits", "perks", "what we offer", "we offer", "our offer", "compensation", "salary",
  "location", "how to apply", "why join", "why us", "working here", "life at", NULL};
static const char *const SHARED_CUES[] = {"both roles", "both positions", "both openings", "all roles",
  "all positions", "all openings", "all our roles", "all of our roles", "all our positions",
  "each role", "every role", "either role", "each position", "either position", "for all roles",
  NULL};

static int in_list(const char *w, const char *const *list) {
  for (int i = 0; list[i]; i++)
    if (!strcmp(w, list[i])) return 1;
  return 0;
}

/* has_any on the bounded lower-case span [a,z) (the description is one long
 * string; a cue after the span must not count). */
static int span_has_any(const char *low, size_t a, size_t z, const char *const *words, char *scratch) {
  memcpy(scratch, low + a, z - a);
  scratch[z - a] = '\0';
  return has_any(scratch, words);
}

static int starts_with_any(const char *low, size_t a, size_t z, const char *const *words) {
  for (int i = 0; words[i]; i++) {
    size_t n = strlen(words[i]);
    if (z - a >= n && !strncmp(low + a, words[i], n) && (z - a == n || !is_wordch(low[a + n])))
      return 1;
  }
  return 0;
}

/* Does s[0,n) read as a job title ("Senior Backend Engineer (Go/gRPC)",
 * "Head of Data", "iOS Engineer")?  The core before a parenthetical, comma or
 * dash has one to seven words, none of them sentence words, and ends with a
 * role noun, capitalised unless relaxed ("for the backend engineer role"). */
static int title_like(const char *s, size_t n, int relaxed) {
  size_t e = 0;
  while (e < n && s[e] != '(' && s[e] != ',' && s[e] != '|' && s[e] != '[' && s[e] != ':') {
    if (s[e] == ' ' && e + 2 < n && s[e + 1] == '-' && s[e + 2] == ' ') break;
    if (s[e] == ' ' && e + 3 < n && (unsigned char)s[e + 1] == 0xE2 && (unsigned char)s[e + 2] == 0x80 &&
        ((unsigned char)s[e + 3] == 0x93 || (unsigned char)s[e + 3] == 0x94))
      break;
    e++;
  }
  int nw = 0, last_ok = 0, head_of = 0;
  for (size_t i = 0; i < e;) {
    while (i < e && (s[i] == ' ' || s[i] == '\t' || s[i] == '*')) i++;
    if (i >= e) break;
    size_t a = i;
    while (i < e && s[i] != ' ' && s[i] != '\t') i++;
    size_t b = i;
    while (b > a && strchr(".*:;", s[b - 1])) b--;
    if (b == a) continue;
    if (isdigit((unsigned char)s[a])) return 0; /* "5+ years" */
    char w[32];
    size_t wl = lower_copy(s + a, b - a, w, sizeof w);
    if (wl >= sizeof w - 1) return 0;
    if (in_list(w, NOT_TITLE)) return 0;
    nw++;
    int up = isupper((unsigned char)s[a]) || relaxed;
    if (nw == 1) head_of = up && (!strcmp(w, "head") || !strcmp(w, "director") || !strcmp(w, "vp") || !strcmp(w, "chief"));
    last_ok = up && in_list(w, ROLE_NOUNS);
  }
  if (nw < 1 || nw > 7) return 0;
  /* "For the Backend role": the word "role" already says it is one */
  if (relaxed) return nw <= 5;
  return last_ok || (head_of && nw >= 2);
}

/* Index of a heading (the same heading twice is one role), -1 when full. */
static int sec_head(jsegs *g, const char *s, size_t n) {
  while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ':' || s[n - 1] == '*')) n--;
  char h[SEC_HEAD_LEN];
  if (n >= sizeof h) n = sizeof h - 1;
  memcpy(h, s, n);
  h[n] = '\0';
  for (int i = 0; i < g->nhead; i++)
    if (!strcasecmp(g->head[i], h)) return i;
  if (g->nhead == SEC_HEADS) {
    g->overflow = 1;
    return -1;
  }
  memcpy(g->head[g->nhead], h, n + 1);
  return g->nhead++;
}

static void sec_emit(jsegs *g, size_t a, size_t z, int head) {
  if (z <= a) return;
  if (g->n == SEC_MAX) {
    g->overflow = 1;
    return;
  }
  g->s[g->n++] = (jsec){a, z, head};
}

/* Skips bullets, markdown '#', bold, numbering and "Role 2:" labels. */
static size_t strip_lead(const char *t, const char *low, size_t i, size_t z) {
  for (int again = 1; again;) {
    again = 0;
    while (i < z && (t[i] == ' ' || t[i] == '\t' || t[i] == '#' || t[i] == '*' || t[i] == '>')) i++;
    if (i + 1 < z && (t[i] == '-' || t[i] == '+') && t[i + 1] == ' ') i += 2, again = 1;
    else if (i + 2 < z && (unsigned char)t[i] == 0xE2 && (unsigned char)t[i + 1] == 0x80 &&
             ((unsigned char)t[i + 2] == 0xA2 || (unsigned char)t[i + 2] == 0x93))
      i += 3, again = 1; /* bullet, en dash */
    else if (i < z && isdigit((unsigned char)t[i])) {
      size_t k = i;
      while (k < z && isdigit((unsigned char)t[k])) k++;
      if (k + 1 < z && (t[k] == '.' || t[k] == ')') && t[k + 1] == ' ') i = k + 2, again = 1;
    }
  }
  static const char *const LABELS[] = {"role", "position", "opening", "vacancy", "job", NULL};
  for (int l = 0; LABELS[l]; l++) {
    size_t n = strlen(LABELS[l]);
    if (z - i <= n || strncmp(low + i, LABELS[l], n) || is_wordch(low[i + n])) continue;
    size_t k = i + n;
    while (k < z && (t[k] == ' ' || t[k] == '#' || isdigit((unsigned char)t[k]))) k++;
    if (k < z && (t[k] == ':' || t[k] == '-')) {
      k++;
      while (k < z && t[k] == ' ') k++;
      return k;
    }
  }
  return i;
}

/* A role named at sentence start: "Backend Engineer (Go): …" or "For the
 * Data Analyst role, …".  Writes the heading span; returns 1 when found. */
static int sentence_role(const char *t, const char *low, size_t s, size_t z, size_t *ha, size_t *hz) {
  const char *colon = memchr(t + s, ':', z - s);
  if (colon && (size_t)(colon - (t + s)) <= 80 && colon > t + s) {
    size_t c = (size_t)(colon - t);
    if (title_like(t + s, c - s, 0) && para_mode(low + s) == -1) {
      *ha = s;
      *hz = c;
      return 1;
    }
  }
  static const char *const FOR[] = {"for the ", "for our ", "for this ", NULL};
  static const char *const ROLEW[] = {" role", " position", " opening", " vacancy", NULL};
  for (int f = 0; FOR[f]; f++) {
    size_t n = strlen(FOR[f]);
    if (z - s <= n || strncmp(low + s, FOR[f], n)) continue;
    size_t lim = s + n + 80 < z ? s + n + 80 : z;
    for (size_t k = s + n; k < lim; k++)
      for (int r = 0; ROLEW[r]; r++) {
        size_t rn = strlen(ROLEW[r]);
        if (k + rn <= z && !strncmp(low + k, ROLEW[r], rn) && (k + rn == z || !is_wordch(low[k + rn])) &&
            k > s + n && title_like(t + s + n, k - s - n, 1)) {
          *ha = s + n;
          *hz = k;
          return 1;
        }
      }
  }
  return 0;
}

/* Cuts the description into sections.  Returns the number of role headings
 * (0: nothing is headed; -1: too fragmented to trust, use the older rule). */
static int job_sections(const char *t, const char *low, size_t len, jsegs *g, char *scratch) {
  g->n = g->nhead = g->overflow = 0;
  int cur = -1;
  int mode = 0;      /* 0 shared, 1 heading line (to the next heading), 2 inline (to the paragraph end) */
  int para_end = 0;  /* a blank line was seen */
  for (size_t la = 0; la < len;) {
    size_t lz = la;
    while (lz < len && t[lz] != '\n') lz++;
    size_t next = lz + 1;
    size_t s = strip_lead(t, low, la, lz);
    size_t e = lz;
    while (e > s && (isspace((unsigned char)t[e - 1]) || t[e - 1] == '*' || t[e - 1] == '#')) e--;
    if (e == s) {
      para_end = 1;
      la = next;
      continue;
    }
    if (para_end && mode == 2 && para_mode(low + s) == -1) cur = -1, mode = 0;
    para_end = 0;
    if (starts_with_any(low, s, e, COMPANY_HEADS) || span_has_any(low, s, e, SHARED_CUES, scratch)) {
      cur = -1, mode = 0;
      sec_emit(g, la, lz, -1);
      la = next;
      continue;
    }
    /* a heading on its own line: "## iOS Engineer", "Role 1: Backend Engineer" */
    size_t ee = e;
    while (ee > s && t[ee - 1] == ':') ee--;
    if (ee - s <= SEC_HEAD_LEN && !memchr(t + s, ':', ee - s) && !memchr(t + s, '.', ee - s) &&
        title_like(t + s, ee - s, 0)) {
      int h = sec_head(g, t + s, ee - s);
      if (h < 0) return -1;
      cur = h, mode = 1;
      sec_emit(g, la, lz, h);
      la = next;
      continue;
    }
    /* sentence by sentence: a role may be introduced mid-paragraph */
    size_t seg = la;
    for (size_t ss = s; ss < e;) {
      size_t ha, hz;
      if (sentence_role(t, low, ss, e, &ha, &hz)) {
        int h = sec_head(g, t + ha, hz - ha);
        if (h < 0) return -1;
        sec_emit(g, seg, ss, cur);
        seg = ss;
        cur = h, mode = 2;
      }
      size_t k = ss;
      while (k < e && !((t[k] == '.' || t[k] == '!' || t[k] == '?') && k + 1 < e && t[k + 1] == ' ' &&
                        !(t[k] == '.' && is_abbrev_before(low, k))))
        k++;
      ss = k + 1;
      while (ss < e && t[ss] == ' ') ss++;
    }
    sec_emit(g, seg, lz, cur);
    la = next;
  }
  return g->overflow ? -1 : g->nhead;
}

/* Words and skills of a title or heading, for matching one to the other.
 * "Sr" and "Senior" are one word; "GCP" and "Google Cloud" one skill. */
typedef struct toks { char w[32][24]; double wt[32]; int n; } toks;

static void toks_add(toks *k, const char *w, double wt) {
  if (k->n == 32 || !w[0]) return;
  for (int i = 0; i < k->n; i++)
    if (!strcmp(k->w[i], w)) return;
  snprintf(k->w[k->n], sizeof k->w[0], "%s", w);
  k->wt[k->n++] = wt;
}

static void title_toks(const char *s, toks *k) {
  k->n = 0;
  size_t n = strlen(s);
  for (size_t i = 0; i < n;) {
    while (i < n && !(isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80)) i++;
    size_t a = i;
    while (i < n && (isalnum((unsigned char)s[i]) || (unsigned char)s[i] >= 0x80 || s[i] == '+' || s[i] == '#')) i++;
    if (i == a) continue;
    char w[24];
    size_t wl = lower_copy(s + a, i - a, w, sizeof w);
    if (!wl) continue;
    for (int t = 0; TITLE_ABBR[t].abbr; t++)
      if (!strcmp(w, TITLE_ABBR[t].abbr) && !strchr(TITLE_ABBR[t].full, ' ')) {
        lower_copy(TITLE_ABBR[t].full, strlen(TITLE_ABBR[t].full), w, sizeof w);
        break;
      }
    if (in_list(w, STOP_TOK)) continue;
    toks_add(k, w, in_list(w, GENERIC_TOK) ? 0.5 : 1.0);
  }
  tax_hit hits[16];
  int nh = tax_scan(s, n, TAX_SCAN_JOB, hits, 16);
  for (int h = 0; h < nh; h++) {
    char w[24];
    snprintf(w, sizeof w, "#%d", hits[h].skill);
    toks_add(k, w, 1.0);
  }
}

/* Dice overlap of weighted tokens; *strong when a specific (non-generic)
 * token is shared. */
static double toks_match(const toks *a, const toks *b, int *strong) {
  double common = 0, wa = 0, wb = 0;
  *strong = 0;
  for (int i = 0; i < a->n; i++) wa += a->wt[i];
  for (int j = 0; j < b->n; j++) wb += b->wt[j];
  for (int i = 0; i < a->n; i++)
    for (int j = 0; j < b->n; j++)
      if (!strcmp(a->w[i], b->w[j])) {
        common += a->wt[i];
        if (a->wt[i] >= 1.0) *strong = 1;
      }
  return wa + wb > 0 ? 2 * common / (wa + wb) : 0;
}

/* Which headings belong to this position: keep[h] = 1.  The best-matching
 * heading by token overlap (a shared specific word or skill, or the same
 * role family, is required); ties go to the same family, then to the first
 * heading in the text.  When no heading matches, only headings of another
 * known family are dropped, as before sections existed. */
static void choose_sections(const jsegs *g, const char *title, int family, int *keep) {
  toks tt, th;
  title_toks(title, &tt);
  int best = -1, best_fam = 0;
  double best_sc = -1;
  for (int h = 0; h < g->nhead; h++) {
    title_toks(g->head[h], &th);
    int strong;
    double sc = toks_match(&tt, &th, &strong);
    int fam = norm_role_family(g->head[h]);
    int same = family && fam == family;
    if (!strong && !same) continue;
    if (sc > best_sc + 1e-9 || (fabs(sc - best_sc) <= 1e-9 && same && !best_fam)) {
      best = h;
      best_sc = sc;
      best_fam = same;
    }
  }
  for (int h = 0; h < g->nhead; h++) {
    if (best >= 0) {
      keep[h] = h == best;
    } else {
      int fam = norm_role_family(g->head[h]);
      keep[h] = !(family && fam != NORM_ROLE_UNKNOWN && fam != NORM_ROLE_OTHER && fam != family);
    }
  }
}

int norm_job(const model_raw_job *in, int ref_year, model_job *out) {
  (void)ref_year; /* jobs carry no dated history; kept for symmetry and future use */
  if (!in || !out) return TD_ERR_INVALID;
  if (tax_init() != TD_OK) return TD_ERR_NOMEM;
  memset(out, 0, sizeof *out);
  out->min_years = out->tz_offset_hours = out->salary_min = out->salary_max = NAN;
  out->lat = out->lon = NAN;
  copy_str(out->customer_record_id, sizeof out->customer_record_id, in->customer_record_id);
  copy_str(out->ats_record_id, sizeof out->ats_record_id, in->ats_record_id);
  int rc = TD_OK;
  bag *b = calloc(1, sizeof *b);
  const char *desc = in->description ? in->description : "";
  size_t dlen = strlen(desc);
  char *low = malloc(dlen + 1);
  char *keep = malloc(dlen + 1); /* the description minus other positions' paragraphs */
  char *own = malloc(dlen + 1);  /* this position's own section when the text describes several */
  if (own) own[0] = '\0';
  if (!b || !low || !keep || !own) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  for (size_t i = 0; i <= dlen; i++) low[i] = (char)((unsigned char)desc[i] < 0x80 ? tolower((unsigned char)desc[i]) : desc[i]);

  /* title */
  if (in->position_title && in->position_title[0]) {
    copy_str(out->title, sizeof out->title, in->position_title);
    size_t l = strlen(out->title);
    while (l && isspace((unsigned char)out->title[l - 1])) out->title[--l] = '\0';
  } else {
    static const char *const LEADS[] = {"hiring a ", "hiring an ", "looking for a ", "looking for an ",
                                        "seeking a ", "seeking an ", NULL};
    for (int i = 0; LEADS[i] && !out->title[0]; i++) {
      const char *p = strstr(low, LEADS[i]);
      if (!p) continue;
      size_t a = (size_t)(p - low) + strlen(LEADS[i]), z = a;
      while (z < dlen && desc[z] != ',' && desc[z] != '.' && strncmp(low + z, " to ", 4) &&
             strncmp(low + z, " who ", 5) && strncmp(low + z, " with ", 6) && strncmp(low + z, " for ", 5))
        z++;
      char tt[128];
      size_t n = z - a < sizeof tt - 1 ? z - a : sizeof tt - 1;
      memcpy(tt, desc + a, n);
      tt[n] = '\0';
      norm_title(tt, out->title, sizeof out->title);
    }
  }
  out->role_family = norm_role_family(out->title);

  /* which parts of the description belong to this position: sections when
   * the ATS title is known and the text is headed by role, else the older
   * paragraph rule (skip "Other Role: …" paragraphs of another family) */
  size_t kn = 0;
  int sectioned = 0;
  if (in->position_title && in->position_title[0]) {
    jsegs *g = malloc(sizeof *g);
    char *scratch = malloc(dlen + 1);
    unsigned char *mask = malloc(dlen + 1);
    if (!g || !scratch || !mask) {
      free(g);
      free(scratch);
      free(mask);
      rc = TD_ERR_NOMEM;
      goto out;
    }
    /* With the ATS title known and no role heading found, nothing is
     * another position's: the older rule would drop a whole paragraph for
     * "We build payroll software. Required: …" (a family read from a
     * sentence, not a heading). */
    if (job_sections(desc, low, dlen, g, scratch) >= 0) {
      int hk[SEC_HEADS];
      choose_sections(g, out->title, out->role_family, hk);
      memset(mask, 1, dlen + 1);
      int dropped = 0;
      for (int k = 0; k < g->n; k++)
        if (g->s[k].head >= 0 && !hk[g->s[k].head]) {
          memset(mask + g->s[k].a, 0, g->s[k].z - g->s[k].a);
          dropped = 1;
        }
      /* one company text, several positions: what this position's own
       * section says about arrangement and pay is more specific than the
       * company-wide fields */
      size_t on = 0;
      for (int k = 0; dropped && k < g->n; k++)
        if (g->s[k].head >= 0 && hk[g->s[k].head]) {
          size_t sn = g->s[k].z - g->s[k].a;
          if (sn > dlen - on) sn = dlen - on;
          memcpy(own + on, desc + g->s[k].a, sn);
          on += sn;
          if (on < dlen) own[on++] = '\n';
        }
      own[on < dlen ? on : dlen] = '\0';
      /* drop whole lines of other roles; blank out parts of shared lines */
      for (size_t i = 0; i < dlen;) {
        size_t z = i;
        int any = 0;
        while (z < dlen && desc[z] != '\n') any |= mask[z++];
        if (any || z == i) {
          for (size_t k = i; k < z; k++) keep[kn++] = mask[k] ? desc[k] : ' ';
          if (z < dlen) keep[kn++] = '\n';
        }
        i = z + 1;
      }
      sectioned = 1;
    }
    free(g);
    free(scratch);
    free(mask);
  }
  for (size_t i = 0; !sectioned && i < dlen;) {
    size_t z = i;
    while (z < dlen && desc[z] != '\n') z++;
    int skip = 0;
    const char *colon = memchr(desc + i, ':', z - i);
    if (colon && (size_t)(colon - (desc + i)) < 60 && out->role_family) {
      char h[64];
      size_t n = (size_t)(colon - (desc + i));
      memcpy(h, desc + i, n);
      h[n] = '\0';
      int fam = para_mode(low + i) == -1 ? norm_role_family(h) : 0;
      if (fam != NORM_ROLE_UNKNOWN && fam != NORM_ROLE_OTHER && fam != out->role_family) skip = 1;
    }
    if (!skip) {
      memcpy(keep + kn, desc + i, z - i);
      kn += z - i;
      if (z < dlen) keep[kn++] = '\n';
    }
    i = z + 1;
  }
  keep[kn] = '\0';
  char *klow = low; /* reuse: lower-case copy of keep */
  for (size_t i = 0; i <= kn; i++) klow[i] = (char)((unsigned char)keep[i] < 0x80 ? tolower((unsigned char)keep[i]) : keep[i]);

  jobctx jc = {b, 0};
  if (out->title[0]) job_add_hits(&jc, out->title, 0, strlen(out->title), 1, 1, 1);
  const char *prof = in->profile ? in->profile : "";
  size_t plen = strlen(prof);
  if (plen) {
    char *plow = malloc(plen + 1);
    if (!plow) {
      rc = TD_ERR_NOMEM;
      goto out;
    }
    for (size_t i = 0; i <= plen; i++) plow[i] = (char)((unsigned char)prof[i] < 0x80 ? tolower((unsigned char)prof[i]) : prof[i]);
    job_clauses(&jc, prof, plow, 0, plen, 1, 1);
    free(plow);
  }
  for (size_t i = 0; i < kn;) {
    size_t z = i;
    while (z < kn && keep[z] != '\n') z++;
    if (z > i) job_clauses(&jc, keep, klow, i, z, para_mode(klow + i), 0);
    i = z + 1;
  }
  /* what the title or profile requires stays required */
  for (int i = 0; i < b->n; i++)
    if (b->a[i].req) b->a[i].nice = 0;
  /* required first in the output, in order of appearance */
  bag *sorted = calloc(1, sizeof *sorted);
  if (!sorted) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < b->n; i++)
      if ((pass == 0) == (b->a[i].req != 0)) sorted->a[sorted->n++] = b->a[i];
  fill_skills(sorted, out->skills, &out->n_skills, ref_year, 0, 1);
  free(sorted);

  /* years, seniority */
  char head[1024];
  snprintf(head, sizeof head, "%s. %s", out->title, prof);
  out->min_years = norm_parse_min_years(head);
  if (isnan(out->min_years)) out->min_years = norm_parse_min_years(keep);
  out->seniority = norm_seniority(out->title, out->min_years);

  /* location */
  geo_place gp;
  if (in->location && geo_parse_location(in->location, &gp))
    SET_PLACE(out, gp);

  /* remote policy and region */
  /* the position's own words (its SMART profile, its section of a shared
   * description) before the company-wide Remote Policy field */
  out->remote_policy = norm_workpref(prof);
  if (out->remote_policy == WORK_UNKNOWN) out->remote_policy = norm_workpref(own);
  if (out->remote_policy == WORK_UNKNOWN) out->remote_policy = norm_workpref(in->remote_policy);
  if (out->remote_policy == WORK_UNKNOWN) out->remote_policy = norm_workpref(keep);
  /* arrangement and pay are company-wide even when a closing paragraph sat
   * under another role's heading */
  if (out->remote_policy == WORK_UNKNOWN) out->remote_policy = norm_workpref(desc);
  if (out->remote_policy == WORK_REMOTE) {
    const char *srcs[4] = {prof, own, keep, desc};
    for (int s = 0; s < 4 && !out->remote_region[0]; s++) {
      const char *src = srcs[s];
      size_t sl = strlen(src);
      for (size_t i = 0; i < sl; i++) {
        if (strncasecmp(src + i, "remote", 6) != 0) continue;
        size_t a = i, z = i;
        while (a > 0 && src[a - 1] != '.' && src[a - 1] != '\n' && src[a - 1] != ';') a--;
        while (z < sl && src[z] != '.' && src[z] != '\n' && src[z] != ';') z++;
        geo_find_regions(src + a, z - a, out->remote_region, sizeof out->remote_region);
        if (out->remote_region[0]) break;
        i = z;
      }
    }
  }

  /* salary */
  char cur[4] = "";
  double mn, mx;
  /* a range with a currency in this position's own section beats the
   * company's Salary Range, which may span several positions */
  /* read from its pay clause only: "moves EUR 40M a year", "a budget of
   * EUR 2M" in the section are not pay */
  const char *own_pay = strcasestr(own, "salary");
  const char *own_comp = strcasestr(own, "compensation");
  if (!own_pay || (own_comp && own_comp < own_pay)) own_pay = own_comp;
  if ((own_pay && norm_parse_salary(own_pay, &mn, &mx, cur) && cur[0]) ||
      (in->salary_range && norm_parse_salary(in->salary_range, &mn, &mx, cur)) ||
      norm_parse_salary(strstr(klow, "salary") ? keep + (strstr(klow, "salary") - klow) : "", &mn, &mx, cur) ||
      (plen && norm_parse_salary(prof, &mn, &mx, cur)) ||
      norm_parse_salary(strcasestr(desc, "salary") ? strcasestr(desc, "salary") : "", &mn, &mx, cur)) {
    out->salary_min = mn;
    out->salary_max = mx;
    copy_str(out->currency, sizeof out->currency, cur[0] ? cur : geo_country_currency(out->country));
  }

  out->text = join_text(out->title, NULL, 0, prof, desc);
  if (!out->text) rc = TD_ERR_NOMEM;
out:
  free(b);
  free(low);
  free(keep);
  free(own);
  return rc;
}

/* ----------------------------------------------------------- formatting */

typedef struct sidx { const model_skill *s; int i; } sidx;

static int cmp_strength(const void *x, const void *y) {
  const sidx *a = x, *b = y;
  if (a->s->rating != b->s->rating) return b->s->rating - a->s->rating;
  int ea = (a->s->flags & SKILL_AT_WORK) != 0, eb = (b->s->flags & SKILL_AT_WORK) != 0;
  if (ea != eb) return eb - ea;
  int ra = (a->s->flags & SKILL_REQUIRED) != 0, rb = (b->s->flags & SKILL_REQUIRED) != 0;
  if (ra != rb) return rb - ra;
  return a->i - b->i;
}

int norm_format_skills(const model_skill *skills, int n, int with_rating, char *buf, size_t len) {
  if (!buf || !len) return 0;
  buf[0] = '\0';
  if (!skills || n <= 0) return 0;
  if (n > MODEL_MAX_SKILLS) n = MODEL_MAX_SKILLS;
  sidx v[MODEL_MAX_SKILLS];
  for (int i = 0; i < n; i++) v[i] = (sidx){&skills[i], i};
  qsort(v, (size_t)n, sizeof v[0], cmp_strength);
  size_t o = 0;
  int w = 0;
  for (int i = 0; i < n; i++) {
    char item[MODEL_SKILL_LEN + 16];
    int il = with_rating && v[i].s->rating ? snprintf(item, sizeof item, "%s (%u)", v[i].s->name, (unsigned)v[i].s->rating)
                                           : snprintf(item, sizeof item, "%s", v[i].s->name);
    if (il <= 0) continue;
    size_t need = (size_t)il + (o ? 2 : 0);
    if (o + need + 1 > len) break;
    if (o) {
      buf[o++] = ',';
      buf[o++] = ' ';
    }
    memcpy(buf + o, item, (size_t)il);
    o += (size_t)il;
    buf[o] = '\0';
    w++;
  }
  return w;
}

int norm_format_location(const char *city, const char *country, char *buf, size_t len) {
  if (!buf || !len) return 0;
  int n;
  if (city && city[0] && country && country[0]) n = snprintf(buf, len, "%s, %s", city, country);
  else if (city && city[0]) n = snprintf(buf, len, "%s", city);
  else n = snprintf(buf, len, "%s", country ? country : "");
  return n < 0 ? 0 : (size_t)n >= len ? (int)len - 1 : n;
}

int norm_format_timezone(const char *tz, double off, char *buf, size_t len) {
  if (!buf || !len) return 0;
  buf[0] = '\0';
  char o[32] = "";
  if (!isnan(off) && fabs(off) <= 14) {
    int mins = (int)lround(fabs(off) * 60);
    if (mins % 60) snprintf(o, sizeof o, "UTC%c%d:%02d", off < 0 ? '-' : '+', mins / 60, mins % 60);
    else if (mins) snprintf(o, sizeof o, "UTC%c%d", off < 0 ? '-' : '+', mins / 60);
    else snprintf(o, sizeof o, "UTC");
  }
  int n;
  if (tz && tz[0] && o[0]) n = snprintf(buf, len, "%s (%s)", tz, o);
  else if (tz && tz[0]) n = snprintf(buf, len, "%s", tz);
  else n = snprintf(buf, len, "%s", o);
  return n < 0 ? 0 : (size_t)n >= len ? (int)len - 1 : n;
}

int norm_format_remote(model_workpref policy, const char *region, char *buf, size_t len) {
  if (!buf || !len) return 0;
  int n;
  if (policy == WORK_REMOTE && region && region[0]) n = snprintf(buf, len, "Remote (%s)", region);
  else n = snprintf(buf, len, "%s", norm_workpref_name(policy));
  return n < 0 ? 0 : (size_t)n >= len ? (int)len - 1 : n;
}
