/* test_norm — candidate and job normalization, table-driven where possible.
 * Every case is written for this test; nothing comes from a judged data set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "norm.h"

static const model_skill *skill(const model_skill *s, int n, const char *name) {
  for (int i = 0; i < n; i++)
    if (!strcmp(s[i].name, name)) return &s[i];
  return NULL;
}

static model_raw_candidate raw(const char *cv, const char *title) {
  model_raw_candidate r = {0};
  r.record_id = "recTEST0000000001";
  r.cv_text = cv;
  r.current_title = title;
  r.years = NAN;
  r.desired_salary = NAN;
  return r;
}

static void test_years(void **state) {
  (void)state;
  static const struct { const char *cv; double years; int last; } cases[] = {
    {"Engineer at A (2019 - present). Engineer at B (2016 - 2019).", 10.5, 2026},
    /* overlapping jobs merge */
    {"Engineer at A (2018 - 2022). Consultant at B (2020 - 2021).", 4, 2022},
    /* education excluded */
    {"Developer at A (2020 - 2024). B.Sc. Computer Science, Lund University (2016 - 2020).", 4, 2024},
    {"Analyst at A (Mar 2021 - present).", 5.33, 2026},
    {"Analyst at A (Jan '22 \xe2\x80\x93 now).", 4.5, 2026},
    {"Tester at A (2019 \xe2\x80\x94 to date). Cloud bootcamp (Jan 2019 - Jun 2019).", 7.5, 2026},
    {"Engineer at A, since 2023.", 3.5, 2026},
    {"Nothing dated here.", NAN, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    model_raw_candidate r = raw(cases[i].cv, "Engineer");
    model_candidate c;
    assert_int_equal(norm_candidate(&r, 2026, &c), 0);
    if (isnan(cases[i].years)) assert_true(isnan(c.years));
    else assert_true(fabs(c.years - cases[i].years) < 0.05);
    assert_int_equal(c.last_work_year, cases[i].last);
    model_candidate_free(&c);
  }
}

static void test_unknowns(void **state) {
  (void)state;
  model_raw_candidate r = raw(NULL, NULL);
  model_candidate c;
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_true(isnan(c.years));
  assert_true(isnan(c.salary));
  assert_true(isnan(c.tz_offset_hours));
  assert_true(isnan(c.lat) && isnan(c.lon));
  assert_int_equal(c.seniority, SEN_UNKNOWN);
  assert_int_equal(c.work_pref, WORK_UNKNOWN);
  assert_string_equal(c.title, "");
  assert_string_equal(c.country, "");
  assert_string_equal(c.currency, "");
  assert_int_equal(c.role_family, NORM_ROLE_UNKNOWN);
  assert_int_equal(c.n_skills, 0);
  model_candidate_free(&c);
  assert_int_not_equal(norm_candidate(NULL, 2026, &c), 0);
}

static void test_candidate_skills(void **state) {
  (void)state;
  const char *skills[] = {"k8s", "golang", "Postgres", "Frobnicator"};
  model_raw_candidate r = raw(
      "Senior Backend Engineer at Acme (2018 - present): Go services on Kubernetes with PostgreSQL. "
      "I am learning Rust in the evenings. I have never used Kafka at work. "
      "B.Sc. Computer Science, Example University (2014 - 2018): a compiler in Haskell.",
      "Sr. Backend Eng at Acme");
  r.skills = skills;
  r.n_skills = 4;
  r.location = "Malmö, Sweden";
  r.work_pref = "Remote";
  r.desired_salary = 70000; /* below a SEK salary floor: read as EUR */
  model_candidate c;
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_string_equal(c.title, "Senior Backend Engineer");
  assert_int_equal(c.seniority, SEN_SENIOR);
  assert_int_equal(c.role_family, NORM_ROLE_BACKEND);
  const model_skill *go = skill(c.skills, c.n_skills, "Go");
  assert_non_null(go);
  assert_true(go->flags & SKILL_LISTED);
  assert_true(go->flags & SKILL_AT_WORK);
  assert_int_equal(go->rating, 5);
  assert_int_equal(go->last_year, 2026);
  assert_non_null(skill(c.skills, c.n_skills, "Kubernetes"));
  assert_non_null(skill(c.skills, c.n_skills, "PostgreSQL"));
  const model_skill *fx = skill(c.skills, c.n_skills, "Frobnicator");
  assert_non_null(fx); /* unknown skills are kept as written */
  const model_skill *rust = skill(c.skills, c.n_skills, "Rust");
  assert_non_null(rust);
  assert_true(rust->flags & SKILL_ASPIRATIONAL);
  assert_false(rust->flags & SKILL_AT_WORK);
  assert_int_equal(rust->rating, 1);
  const model_skill *kafka = skill(c.skills, c.n_skills, "Apache Kafka");
  assert_non_null(kafka);
  assert_false(kafka->flags & SKILL_AT_WORK);
  const model_skill *hs = skill(c.skills, c.n_skills, "Haskell");
  assert_non_null(hs);
  assert_true(hs->flags & SKILL_ASPIRATIONAL);
  assert_string_equal(c.city, "Malmö");
  assert_string_equal(c.country, "SE");
  assert_true(fabs(c.lat - 55.61) < 0.015 && fabs(c.lon - 13.00) < 0.015);
  assert_string_equal(c.timezone, "Europe/Stockholm");
  assert_int_equal(c.work_pref, WORK_REMOTE);
  assert_string_equal(c.currency, "EUR");
  assert_non_null(c.text);
  char buf[256];
  assert_true(norm_format_skills(c.skills, c.n_skills, 1, buf, sizeof buf) > 0);
  assert_non_null(strstr(buf, "Go (5)"));
  model_candidate_free(&c);
}

static void test_false_positives(void **state) {
  (void)state;
  model_raw_candidate r = raw(
      "Head Chef at Trattoria Nord (2015 - present): menu planning, food safety and a team of nine. "
      "I go to the market every morning. Sous chef at a hotel (2010 - 2015).", "Head Chef");
  model_candidate c;
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_null(skill(c.skills, c.n_skills, "Chef"));
  assert_null(skill(c.skills, c.n_skills, "Go"));
  assert_int_equal(c.role_family, NORM_ROLE_HOSPITALITY);
  assert_int_equal(c.seniority, SEN_LEAD);
  model_candidate_free(&c);

  /* a recruiter naming the stack: mentioned, never at work */
  r = raw("Senior Tech Recruiter at HireCo (2019 - present): I screen Python, Django and "
          "PostgreSQL engineers for fintech clients.", "Senior Tech Recruiter");
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_int_equal(c.role_family, NORM_ROLE_RECRUITING);
  const model_skill *py = skill(c.skills, c.n_skills, "Python");
  assert_non_null(py);
  assert_false(py->flags & SKILL_AT_WORK);
  assert_true(py->rating <= 2);
  assert_int_equal(c.last_tech_year, 0);
  model_candidate_free(&c);

  /* stale: the stack a decade ago, then management */
  r = raw("Operations Director at PropCo (2015 - present): 120 staff. "
          "iOS Developer at AppStudio (2008 - 2015): Swift and UIKit. "
          "I have not written code professionally since 2015.", "Operations Director");
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_int_equal(c.role_family, NORM_ROLE_MANAGEMENT);
  assert_int_equal(c.last_tech_year, 2015);
  const model_skill *sw = skill(c.skills, c.n_skills, "Swift");
  assert_non_null(sw);
  assert_int_equal(sw->last_year, 2015);
  assert_true(sw->rating <= 3);
  model_candidate_free(&c);
}

static void test_salary(void **state) {
  (void)state;
  static const struct { const char *in; double mn, mx; const char *cur; } cases[] = {
    {"\xe2\x82\xac" "80k", 80000, 80000, "EUR"},
    {"80,000 - 100,000 EUR", 80000, 100000, "EUR"},
    {"CHF 150-180k", 150000, 180000, "CHF"},
    {"\xc2\xa3" "70k-\xc2\xa3" "90k", 70000, 90000, "GBP"},
    {"$120,000", 120000, 120000, "USD"},
    {"\xe2\x82\xac" "80k\xe2\x80\x93" "100k", 80000, 100000, "EUR"},
    {"EUR 80,000 - 100,000, paid in DKK", 80000, 100000, "EUR"},
    {"SEK 45 000 per month", 540000, 540000, "SEK"},
    {"85000", 85000, 85000, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    double mn, mx;
    char cur[4];
    assert_int_equal(norm_parse_salary(cases[i].in, &mn, &mx, cur), 1);
    assert_true(fabs(mn - cases[i].mn) < 1e-6);
    assert_true(fabs(mx - cases[i].mx) < 1e-6);
    assert_string_equal(cur, cases[i].cur);
  }
  double mn, mx;
  char cur[4];
  assert_int_equal(norm_parse_salary("competitive", &mn, &mx, cur), 0);
  assert_true(isnan(mn));
}

static void test_min_years_title(void **state) {
  (void)state;
  assert_true(norm_parse_min_years("5+ years building backends") == 5);
  assert_true(norm_parse_min_years("at least 3 years of SQL") == 3);
  assert_true(norm_parse_min_years("3-5 years experience") == 3);
  assert_true(norm_parse_min_years("five years of experience in Go") == 5);
  assert_true(isnan(norm_parse_min_years("founded 12 years ago")));
  char t[128];
  norm_title("Sr. Software Eng @ Foo", t, sizeof t);
  assert_string_equal(t, "Senior Software Engineer");
  norm_title("Jr Dev", t, sizeof t);
  assert_string_equal(t, "Junior Developer");
  assert_int_equal(norm_seniority("Principal Engineer", NAN), SEN_PRINCIPAL);
  assert_int_equal(norm_seniority("Backend Developer", 1), SEN_JUNIOR);
  assert_int_equal(norm_seniority("Backend Developer", NAN), SEN_UNKNOWN);
  assert_int_equal(norm_role_family("Account Manager (Cloud)"), NORM_ROLE_SALES);
  assert_int_equal(norm_role_family("Mobile Talent Partner"), NORM_ROLE_RECRUITING);
  assert_int_equal(norm_role_family("Site Reliability Engineer"), NORM_ROLE_DEVOPS);
  assert_int_equal(norm_role_family("QA Automation Engineer"), NORM_ROLE_QA);
  assert_int_equal(norm_role_family("Registered Nurse"), NORM_ROLE_HEALTHCARE);
}

static void test_job(void **state) {
  (void)state;
  model_raw_job in = {0};
  in.customer_record_id = "recCUST000000001";
  in.ats_record_id = "recATS0000000001";
  in.position_title = "Data Engineer (Spark)";
  in.profile = "Data engineer with 4+ years of Python and Airflow or Dagster; dbt a plus.";
  in.description =
      "Acme Retail runs 40 shops and is hiring for two roles.\n\n"
      "Frontend Developer: you need React and TypeScript.\n\n"
      "Data Engineer: you need Spark and SQL; Snowflake or BigQuery.\n\n"
      "Nice to have: Kafka, Terraform.\n\n"
      "Fully remote from the UK or the EU. Salary \xe2\x82\xac" "70k\xe2\x80\x93" "90k.";
  in.location = "Dublin, Ireland";
  model_job j;
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  const model_skill *s;
  assert_non_null(s = skill(j.skills, j.n_skills, "Apache Spark"));
  assert_true(s->flags & SKILL_REQUIRED);
  assert_non_null(s = skill(j.skills, j.n_skills, "Python"));
  assert_true(s->flags & SKILL_REQUIRED);
  assert_non_null(s = skill(j.skills, j.n_skills, "dbt"));
  assert_true(s->flags & SKILL_NICE);
  assert_non_null(s = skill(j.skills, j.n_skills, "Apache Kafka"));
  assert_true(s->flags & SKILL_NICE);
  /* the other position's paragraph is not this job's */
  assert_null(skill(j.skills, j.n_skills, "React"));
  const model_skill *sf = skill(j.skills, j.n_skills, "Snowflake"), *bq = skill(j.skills, j.n_skills, "BigQuery");
  assert_non_null(sf);
  assert_non_null(bq);
  assert_true(sf->alt_group != 0 && sf->alt_group == bq->alt_group);
  assert_true(sf->flags & SKILL_REQUIRED);
  assert_true(fabs(j.min_years - 4) < 1e-9);
  assert_int_equal(j.remote_policy, WORK_REMOTE);
  assert_string_equal(j.remote_region, "GB,EU");
  assert_true(fabs(j.salary_min - 70000) < 1e-6 && fabs(j.salary_max - 90000) < 1e-6);
  assert_string_equal(j.currency, "EUR");
  assert_string_equal(j.country, "IE");
  assert_true(fabs(j.lat - 53.33) < 0.015 && fabs(j.lon - -6.25) < 0.015); /* Dublin */
  assert_int_equal(j.role_family, NORM_ROLE_DATA);
  model_job_free(&j);
}

static model_raw_job rawjob(const char *title, const char *desc) {
  model_raw_job in = {0};
  in.customer_record_id = "recCUST000000001";
  in.ats_record_id = "recATS0000000001";
  in.position_title = title;
  in.description = desc;
  return in;
}

static int has_req(const model_job *j, const char *name) {
  const model_skill *s = skill(j->skills, j->n_skills, name);
  return s && (s->flags & SKILL_REQUIRED);
}

static int has_nice(const model_job *j, const char *name) {
  const model_skill *s = skill(j->skills, j->n_skills, name);
  return s && (s->flags & SKILL_NICE);
}

/* One description, three positions of the same family: only the section
 * headed by this position's title counts; context, remote and pay are shared. */
static void test_job_sections_inline(void **state) {
  (void)state;
  const char *desc =
      "At Northwind Foods we run streaming at scale.\n\n"
      "Senior Site Reliability Engineer (AWS/ArgoCD): What you bring: 5+ years of professional "
      "experience; AWS; ArgoCD; Go.\nNice to have: CI/CD, Linux.\n\n"
      "Platform Engineer (Kubernetes/ArgoCD): What you bring: 1+ years of professional experience; "
      "Kubernetes; ArgoCD; Google Cloud.\nNice to have: Terraform, Grafana, Azure.\n\n"
      "Platform Engineer (Prometheus/Kubernetes): What you bring: 1+ years of professional "
      "experience; Prometheus; Kubernetes; AWS.\nNice to have: Azure.\n\n"
      "Fully remote within the EU (UK welcome). Salary CAD 124,000 - 158,000, plus pension.";
  model_raw_job in = rawjob("Platform Engineer (Kubernetes/ArgoCD)", desc);
  model_job j;
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "Kubernetes") && has_req(&j, "ArgoCD") && has_req(&j, "Google Cloud"));
  assert_true(has_nice(&j, "Terraform") && has_nice(&j, "Grafana") && has_nice(&j, "Azure"));
  assert_null(skill(j.skills, j.n_skills, "AWS"));
  assert_null(skill(j.skills, j.n_skills, "Prometheus"));
  assert_null(skill(j.skills, j.n_skills, "Go"));
  assert_null(skill(j.skills, j.n_skills, "Computer aided design CAD software"));
  assert_true(fabs(j.min_years - 1) < 1e-9);
  assert_int_not_equal(j.seniority, SEN_SENIOR);
  assert_int_equal(j.remote_policy, WORK_REMOTE);
  assert_string_equal(j.currency, "CAD");
  assert_true(fabs(j.salary_min - 124000) < 1e-6);
  model_job_free(&j);

  /* "Sr" is "Senior"; the heading's own years and skills */
  in = rawjob("Sr. Site Reliability Engineer (AWS/ArgoCD)", desc);
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "AWS") && has_req(&j, "Go"));
  assert_null(skill(j.skills, j.n_skills, "Google Cloud"));
  assert_true(fabs(j.min_years - 5) < 1e-9);
  model_job_free(&j);

  /* the parenthetical tells two same-named headings apart */
  in = rawjob("Platform Engineer (Prometheus/Kubernetes)", desc);
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "Prometheus") && has_req(&j, "AWS"));
  assert_null(skill(j.skills, j.n_skills, "Google Cloud"));
  assert_null(skill(j.skills, j.n_skills, "Terraform"));
  model_job_free(&j);
}

static void test_job_sections_shapes(void **state) {
  (void)state;
  model_job j;
  /* headings on their own line, markdown and "Role 2:" labels */
  const char *md =
      "Harbor Labs builds tools for ports.\n\n"
      "## iOS Engineer\nYou need 4+ years of Swift and SwiftUI.\n\nNice to have: XCTest and Fastlane.\n\n"
      "Role 2: Backend Engineer\n- 6+ years of Java\n- Spring Boot and PostgreSQL\n\n"
      "## Benefits\nHybrid in Rotterdam. Salary EUR 70,000 - 90,000.";
  model_raw_job in = rawjob("Senior iOS Developer", md);
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "Swift"));
  assert_true(has_nice(&j, "Fastlane"));
  assert_null(skill(j.skills, j.n_skills, "Java"));
  assert_null(skill(j.skills, j.n_skills, "PostgreSQL"));
  assert_true(fabs(j.min_years - 4) < 1e-9);
  assert_int_equal(j.remote_policy, WORK_HYBRID);
  assert_true(fabs(j.salary_max - 90000) < 1e-6);
  model_job_free(&j);
  in = rawjob("Backend Engineer (Java)", md);
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "Java"));
  assert_non_null(skill(j.skills, j.n_skills, "PostgreSQL"));
  assert_null(skill(j.skills, j.n_skills, "Swift"));
  assert_true(fabs(j.min_years - 6) < 1e-9);
  model_job_free(&j);

  /* "We are hiring two roles:" with bullets */
  const char *bul =
      "Ostrava Health is hiring two roles:\n"
      "- Data Analyst (SQL/Tableau): 3+ years of SQL and Tableau.\n"
      "- ML Engineer: 5+ years of Python and PyTorch.\n"
      "Both roles are on-site in Brno.";
  in = rawjob("Data Analyst", bul);
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "SQL") && has_req(&j, "Tableau"));
  assert_null(skill(j.skills, j.n_skills, "PyTorch"));
  assert_true(fabs(j.min_years - 3) < 1e-9);
  assert_int_equal(j.remote_policy, WORK_ONSITE);
  model_job_free(&j);

  /* "For the X role we need …" sentences */
  const char *fr =
      "Kestrel Retail has two openings. For the Frontend Developer role we need 2+ years of React "
      "and TypeScript. For the Data Engineer role we need 5+ years of Spark and Airflow.\n\n"
      "Fully remote from the EU.";
  in = rawjob("Data Engineer", fr);
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "Apache Spark"));
  assert_null(skill(j.skills, j.n_skills, "React"));
  assert_true(fabs(j.min_years - 5) < 1e-9);
  assert_int_equal(j.remote_policy, WORK_REMOTE);
  model_job_free(&j);

  /* nothing headed: the whole text counts, as before */
  const char *plain = "We build payroll software. Required: 3+ years of Go and PostgreSQL. "
                      "Nice to have: Kafka and Docker.";
  in = rawjob("Backend Engineer", plain);
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_true(has_req(&j, "Go") && has_req(&j, "PostgreSQL") && has_nice(&j, "Apache Kafka"));
  model_job_free(&j);

  /* no ATS title: the older paragraph rule, nothing dropped by sections */
  in = rawjob(NULL, "We are hiring a Backend Engineer.\n\nBackend Engineer: Java and PostgreSQL.\n\n"
                    "Frontend Developer: React.");
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_non_null(skill(j.skills, j.n_skills, "Java"));
  assert_null(skill(j.skills, j.n_skills, "React"));
  model_job_free(&j);
}

static void test_currency_not_skill(void **state) {
  (void)state;
  model_raw_job in = rawjob("Site Architect",
      "We design schools. Salary CAD 95,000 - 120,000 plus pension; pay reviewed yearly in CAD.");
  model_job j;
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_null(skill(j.skills, j.n_skills, "Computer aided design CAD software"));
  assert_string_equal(j.currency, "CAD");
  model_job_free(&j);
  /* an architect's CV: CAD is a real skill there */
  model_raw_candidate r = raw("Architect at Studio Nord (2016 - present): CAD drawings for schools, "
                              "Revit and SketchUp models. Expected salary EUR 70k.", "Architect");
  model_candidate c;
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_non_null(skill(c.skills, c.n_skills, "Computer aided design CAD software"));
  model_candidate_free(&c);
}

static void test_formatting(void **state) {
  (void)state;
  model_skill s[3] = {{.name = "PostgreSQL", .rating = 3}, {.name = "Go", .rating = 5},
                      {.name = "Kubernetes", .rating = 4}};
  char buf[128];
  assert_int_equal(norm_format_skills(s, 3, 1, buf, sizeof buf), 3);
  assert_string_equal(buf, "Go (5), Kubernetes (4), PostgreSQL (3)");
  assert_int_equal(norm_format_skills(s, 3, 0, buf, 16), 2);
  assert_string_equal(buf, "Go, Kubernetes");
  assert_string_equal(norm_seniority_name(SEN_SENIOR), "Senior");
  norm_format_location("Copenhagen", "DK", buf, sizeof buf);
  assert_string_equal(buf, "Copenhagen, DK");
  norm_format_timezone("Asia/Kolkata", 5.5, buf, sizeof buf);
  assert_string_equal(buf, "Asia/Kolkata (UTC+5:30)");
  norm_format_remote(WORK_REMOTE, "GB,EU", buf, sizeof buf);
  assert_string_equal(buf, "Remote (GB,EU)");
  assert_int_equal(norm_workpref("On-site"), WORK_ONSITE);
  assert_int_equal(norm_workpref("Hybrid, two office days"), WORK_HYBRID);
}

/* "present" as European CVs write it ends an entry at the present, like
 * "present"; "since 2021 - …" with a dash and no end date runs to now. */
static void test_years_present_words(void **state) {
  (void)state;
  static const struct { const char *cv; double years; int last; } cases[] = {
    {"Entwickler bei A (2021 - heute).", 5.5, 2026},
    {"Engineer at A (2021 - aktuell).", 5.5, 2026},
    {"Engineer at A (2021 - jetzt).", 5.5, 2026},
    {"Ontwikkelaar bij A (2021 - nu).", 5.5, 2026},
    {"Engineer at A (2021 - heden).", 5.5, 2026},
    {"Utvecklare hos A (2021 - idag).", 5.5, 2026},
    {"Utvecklare hos A (2021 - i dag).", 5.5, 2026},
    {"Utvikler hos A (2021 - n\xc3\xa5).", 5.5, 2026},
    {"Programista w A (2021 - obecnie).", 5.5, 2026},
    {"Programista w A (2021 - teraz).", 5.5, 2026},
    {"Sviluppatore presso A (2021 - presente).", 5.5, 2026},
    {"Sviluppatore presso A (2021 - oggi).", 5.5, 2026},
    {"Desarrollador en A (2021 - actualidad).", 5.5, 2026},
    {"Desarrollador en A (2021 - hoy).", 5.5, 2026},
    {"Desenvolvedor na A (2021 - hoje).", 5.5, 2026},
    {"Desenvolvedor na A (2021 - atual).", 5.5, 2026},
    {"D\xc3\xa9veloppeur chez A (2021 - aujourd'hui).", 5.5, 2026},
    {"V\xc3\xbdvoj\xc3\xa1\xc5\x99 v A (2021 - sou\xc4\x8d" "asnost).", 5.5, 2026},
    {"Fejleszt\xc5\x91 A (2021 - jelenleg).", 5.5, 2026},
    {"Ohjelmoija A (2021 - nyky\xc3\xa4\xc3\xa4n).", 5.5, 2026},
    /* capitalized, en dash, month */
    {"Engineer at A (Mar 2021 \xe2\x80\x93 Heute). Engineer at B (2016 - 2019).", 8.33, 2026},
    {"Programista w A (2020 \xe2\x80\x94 Obecnie).", 6.5, 2026},
    /* a local word as a start date is not a range */
    {"Engineer at A (heute - 2021).", NAN, 0},
    /* "since" with a dash and no end date */
    {"Nurse at A since 2021 - patient app in Kotlin.", 5.5, 2026},
    {"Developer at A since March 2021 \xe2\x80\x93 payments in Go.", 5.33, 2026},
    {"Developer at A since 2021 - 2023.", 2, 2023},
    {"I have not worked as a developer since 2014 - only management.", NAN, 0},
    /* without "since", a dash and no end date is no entry */
    {"Developer at A, 2021 - payments in Go.", NAN, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    model_raw_candidate r = raw(cases[i].cv, "Engineer");
    model_candidate c;
    assert_int_equal(norm_candidate(&r, 2026, &c), 0);
    if (isnan(cases[i].years)) {
      if (!isnan(c.years)) fail_msg("case %zu: %s: years %.2f, want none", i, cases[i].cv, c.years);
    } else if (!(fabs(c.years - cases[i].years) < 0.05)) {
      fail_msg("case %zu: %s: years %.2f, want %.2f", i, cases[i].cv, c.years, cases[i].years);
    }
    if (c.last_work_year != cases[i].last)
      fail_msg("case %zu: %s: last work year %d, want %d", i, cases[i].cv, c.last_work_year, cases[i].last);
    model_candidate_free(&c);
  }
}

/* Entry headers split at '|', ',', em/en dash or " - ": the first part that
 * names a known family decides; a company or place alone is an unknown
 * family that keeps work evidence; an unknown-family entry with technical
 * skills counts as technical work. */
static void test_entry_headers(void **state) {
  (void)state;
  static const struct {
    const char *cv, *title, *sk;
    int at_work;   /* sk found inside a dated entry as work */
    int last_tech; /* c.last_tech_year */
  } cases[] = {
    {"Senior Data Engineer \xe2\x80\x94 Odra Logistics (2019 - present): Spark and Airflow pipelines.",
     "Data Engineer", "Apache Spark", 1, 2026},
    {"Acme B.V., Amsterdam | Frontend Engineer (2019 - present): React and TypeScript.",
     "Frontend Engineer", "React", 1, 2026},
    {"Kestrel Foods \xe2\x80\x93 Backend Developer (2018 - 2024): Java and Kafka services.",
     "Backend Developer", "Java", 1, 2024},
    {"Polderpost - Mobile Developer (2018 - 2023): Kotlin apps.", "Mobile Developer", "Kotlin", 1, 2023},
    /* a known non-technical family in any part: a recruiter naming the stack */
    {"HireCo, Berlin | Tech Recruiter (2019 - present): I place Python engineers.",
     "Tech Recruiter", "Python", 0, 0},
    /* an occupation without a known family is "other", not unknown */
    {"Florist \xe2\x80\x94 Bloom & Co (2019 - present): Python scripts for orders.", "Florist", "Python", 0, 0},
    /* only a company, or a company and a place: unknown, work evidence kept */
    {"At Polderpost (2019 - present): React and TypeScript.", "Developer", "React", 1, 2026},
    {"Polderpost (2019 - present): React and TypeScript.", "Developer", "React", 1, 2026},
    {"Polderpost, Rotterdam (2019 - present): React and TypeScript.", "Developer", "React", 1, 2026},
    {"Polderpost | Rotterdam (2017 - 2022): Go and gRPC services.", "Developer", "Go", 1, 2022},
    /* unknown family, no technical skill: not technical work */
    {"At Polderpost (2019 - present): menu planning and food safety.", "Cook", "Menu planning", 1, 0},
    /* stale: a titled management job now, an untitled technical one before */
    {"Operations Director at PropCo (2016 - present): 120 staff. "
     "At AppStudio (2008 - 2015): Swift and UIKit.", "Operations Director", "Swift", 1, 2015},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    model_raw_candidate r = raw(cases[i].cv, cases[i].title);
    model_candidate c;
    assert_int_equal(norm_candidate(&r, 2026, &c), 0);
    const model_skill *s = skill(c.skills, c.n_skills, cases[i].sk);
    if (!s) fail_msg("case %zu: %s: no %s", i, cases[i].cv, cases[i].sk);
    if (!!(s->flags & SKILL_AT_WORK) != cases[i].at_work)
      fail_msg("case %zu: %s: %s at work %d, want %d", i, cases[i].cv, cases[i].sk,
               !!(s->flags & SKILL_AT_WORK), cases[i].at_work);
    if (c.last_tech_year != cases[i].last_tech)
      fail_msg("case %zu: %s: last tech year %d, want %d", i, cases[i].cv, c.last_tech_year,
               cases[i].last_tech);
    model_candidate_free(&c);
  }
}

/* Field names holding "learning" are not aspirations; "I am learning X" is. */
static void test_learning_fields(void **state) {
  (void)state;
  static const struct { const char *cv, *sk; int asp; } cases[] = {
    {"Machine Learning Engineer at DataCo (2020 - present): PyTorch models in Python.", "PyTorch", 0},
    {"ML Engineer at DataCo (2020 - present): deep learning with PyTorch.", "PyTorch", 0},
    {"Data Scientist at DataCo (2020 - present): reinforcement learning in Python.", "Python", 0},
    {"Backend Developer at EduCo (2019 - present): our e-learning platform runs on Django.", "Django", 0},
    {"Backend Developer at EduCo (2019 - present): an eLearning product in Django.", "Django", 0},
    {"Developer at EduCo (2019 - present): a learning management system in PHP.", "PHP", 0},
    /* hyphenated field names */
    {"ML Engineer at DataCo (2020 - present): deep-learning models with PyTorch.", "PyTorch", 0},
    {"Machine-Learning Engineer at DataCo (2020 - present): PyTorch models.", "Machine learning", 0},
    {"Backend Developer at Acme (2019 - present): Go. I am learning Rust.", "Rust", 1},
    {"Machine Learning Engineer at DataCo (2020 - present): Python. I am learning Rust.", "Rust", 1},
    {"ML Engineer at DataCo (2020 - present): Python; learning Rust and machine learning ops.", "Rust", 1},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    model_raw_candidate r = raw(cases[i].cv, "Engineer");
    model_candidate c;
    assert_int_equal(norm_candidate(&r, 2026, &c), 0);
    const model_skill *s = skill(c.skills, c.n_skills, cases[i].sk);
    if (!s) fail_msg("case %zu: %s: no %s", i, cases[i].cv, cases[i].sk);
    if (!!(s->flags & SKILL_ASPIRATIONAL) != cases[i].asp)
      fail_msg("case %zu: %s: %s aspirational %d, want %d", i, cases[i].cv, cases[i].sk,
               !!(s->flags & SKILL_ASPIRATIONAL), cases[i].asp);
    if (!!(s->flags & SKILL_AT_WORK) == cases[i].asp)
      fail_msg("case %zu: %s: %s at work %d", i, cases[i].cv, cases[i].sk, !!(s->flags & SKILL_AT_WORK));
    model_candidate_free(&c);
  }
}

static void test_role_families(void **state) {
  (void)state;
  static const struct { const char *title; int fam; } cases[] = {
    {"Application Security Engineer", NORM_ROLE_SECURITY},
    {"Senior AppSec Engineer", NORM_ROLE_SECURITY},
    {"Product Security Lead", NORM_ROLE_SECURITY},
    {"Security Consultant", NORM_ROLE_SECURITY},
    {"Security Specialist", NORM_ROLE_SECURITY},
    {"Data Platform Engineer", NORM_ROLE_DATA},
    {"Senior Data Engineer", NORM_ROLE_DATA},
    {"Data Infrastructure Engineer", NORM_ROLE_DATA},
    {"Analytics Engineer", NORM_ROLE_DATA},
    {"ML Platform Engineer", NORM_ROLE_ML},
    {"Machine Learning Platform Engineer", NORM_ROLE_ML},
    {"MLOps Engineer", NORM_ROLE_ML},
    {"Machine Learning Engineer", NORM_ROLE_ML},
    /* platform work without data or ML stays DevOps */
    {"Platform Engineer", NORM_ROLE_DEVOPS},
    {"Cloud Platform Engineer", NORM_ROLE_DEVOPS},
    {"DevOps Engineer", NORM_ROLE_DEVOPS},
    /* product management is not product security */
    {"Product Manager", NORM_ROLE_PRODUCT},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int f = norm_role_family(cases[i].title);
    if (f != cases[i].fam)
      fail_msg("%s: %s, want %s", cases[i].title, norm_role_name(f), norm_role_name(cases[i].fam));
  }
}

/* A position's own arrangement and pay (its SMART profile, then its section
 * of a shared description) beat the company-wide Remote Policy and Salary
 * Range fields. */
static void test_job_own_terms(void **state) {
  (void)state;
  model_job j;
  /* the profile beats Remote Policy */
  model_raw_job in = rawjob("Backend Engineer", "We build payroll software. Required: Go and PostgreSQL.");
  in.remote_policy = "On-site";
  in.profile = "Backend engineer, Go. Fully remote within the EU.";
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_int_equal(j.remote_policy, WORK_REMOTE);
  assert_string_equal(j.remote_region, "EU");
  model_job_free(&j);
  /* nothing in the position's own words: the company field */
  in.profile = "Backend engineer, Go.";
  assert_int_equal(norm_job(&in, 2026, &j), 0);
  assert_int_equal(j.remote_policy, WORK_ONSITE);
  model_job_free(&j);

  const char *desc =
      "Harbor Labs builds tools for ports.\n\n"
      "## iOS Engineer\nYou need 4+ years of Swift. Hybrid in Rotterdam, two office days. "
      "Salary EUR 60,000 - 70,000.\n\n"
      "## Backend Engineer\nYou need 6+ years of Java. Fully remote from the EU. "
      "Salary EUR 90,000 - 110,000.\n\n"
      "## About us\nWe have offices in Rotterdam and Gdansk.";
  model_raw_job sh = rawjob("iOS Engineer", desc);
  sh.remote_policy = "On-site";
  sh.salary_range = "EUR 50,000 - 120,000";
  assert_int_equal(norm_job(&sh, 2026, &j), 0);
  assert_int_equal(j.remote_policy, WORK_HYBRID);
  assert_true(fabs(j.salary_min - 60000) < 1e-6 && fabs(j.salary_max - 70000) < 1e-6);
  assert_string_equal(j.currency, "EUR");
  model_job_free(&j);
  sh.position_title = "Backend Engineer (Java)";
  assert_int_equal(norm_job(&sh, 2026, &j), 0);
  assert_int_equal(j.remote_policy, WORK_REMOTE);
  assert_string_equal(j.remote_region, "EU");
  assert_true(fabs(j.salary_min - 90000) < 1e-6 && fabs(j.salary_max - 110000) < 1e-6);
  model_job_free(&j);
  /* the profile still beats the section */
  sh.profile = "Backend engineer, Java. On-site in Gdansk.";
  assert_int_equal(norm_job(&sh, 2026, &j), 0);
  assert_int_equal(j.remote_policy, WORK_ONSITE);
  model_job_free(&j);

  /* a section without terms, or a single-position text: the company fields */
  const char *bare =
      "Harbor Labs builds tools for ports.\n\n"
      "## iOS Engineer\nYou need 4+ years of Swift.\n\n"
      "## Backend Engineer\nYou need 6+ years of Java. Salary EUR 90,000 - 110,000.";
  sh = rawjob("iOS Engineer", bare);
  sh.remote_policy = "Hybrid";
  sh.salary_range = "EUR 50,000 - 80,000";
  assert_int_equal(norm_job(&sh, 2026, &j), 0);
  assert_int_equal(j.remote_policy, WORK_HYBRID);
  assert_true(fabs(j.salary_min - 50000) < 1e-6 && fabs(j.salary_max - 80000) < 1e-6);
  model_job_free(&j);
  /* amounts in the section that are not pay do not beat Salary Range */
  const char *budget =
      "Harbor Labs builds tools for ports.\n\n"
      "## iOS Engineer\nOur app moves EUR 40 million a year; a budget of EUR 2M. You need Swift.\n\n"
      "## Backend Engineer\nYou need 6+ years of Java.";
  sh = rawjob("iOS Engineer", budget);
  sh.salary_range = "EUR 50,000 - 80,000";
  assert_int_equal(norm_job(&sh, 2026, &j), 0);
  assert_true(fabs(j.salary_min - 50000) < 1e-6 && fabs(j.salary_max - 80000) < 1e-6);
  model_job_free(&j);
  sh = rawjob("Backend Engineer", "We build payroll software. Go. Salary EUR 90,000 - 110,000.");
  sh.salary_range = "EUR 50,000 - 80,000";
  assert_int_equal(norm_job(&sh, 2026, &j), 0);
  assert_true(fabs(j.salary_min - 50000) < 1e-6);
  model_job_free(&j);
}

/* Work arrangement: "remote" denied or used in a technical compound is not
 * an offer of remote work. */
static void test_workpref_negation(void **state) {
  (void)state;
  static const struct { const char *in; model_workpref want; } cases[] = {
    {"Remote", WORK_REMOTE},
    {"Fully remote within the EU", WORK_REMOTE},
    {"Remote-first team", WORK_REMOTE},
    {"work remotely from anywhere in Europe", WORK_REMOTE},
    {"We are not a remote company; office in Munich", WORK_ONSITE},
    {"No remote work, sorry", WORK_ONSITE},
    {"Non-remote position", WORK_ONSITE},
    {"Hybrid, 2 days a week at the office", WORK_HYBRID},
    {"On-site", WORK_ONSITE},
    {"remote monitoring of patients", WORK_UNKNOWN},
    {"remote access VPN administration", WORK_UNKNOWN},
    {"", WORK_UNKNOWN},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    if (norm_workpref(cases[i].in) != cases[i].want)
      fail_msg("\"%s\": got %s, want %s", cases[i].in, norm_workpref_name(norm_workpref(cases[i].in)),
               norm_workpref_name(cases[i].want));
}

/* Schooling written in the CV's own language is education, not work; the
 * years in the field cannot exceed the years the recruiter typed. */
static void test_local_education(void **state) {
  (void)state;
  static const struct { const char *cv; double years; } cases[] = {
    {"Developer at A (2022 - present). HTL Informatik, Linz (2017 - 2022).", 4.5},
    {"Developer at A (2022 - present). Fachhochschule Salzburg, Informatik (2018 - 2022).", 4.5},
    {"Developer at A (2022 - present). Universidad de Sevilla, Ingenier\xc3\xad" "a (2018 - 2022).", 4.5},
    {"Developer at A (2022 - present). Politechnika Wroc\xc5\x82" "awska (2018 - 2022).", 4.5},
    {"Developer at A (2022 - present). Grado en Inform\xc3\xa1" "tica, Valencia (2018 - 2022).", 4.5},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    model_raw_candidate r = raw(cases[i].cv, "Software Developer");
    model_candidate c;
    assert_int_equal(norm_candidate(&r, 2026, &c), 0);
    if (fabs(c.years - cases[i].years) > 0.05) fail_msg("case %zu: years %.2f", i, c.years);
    model_candidate_free(&c);
  }
  /* typed total 0 years: a first job, whatever the CV's dates add up to */
  model_raw_candidate r = raw("Junior Developer at A (Sep 2026 - present). Night school at B (2019 - 2026).",
                              "Junior Developer");
  r.years = 0;
  model_candidate c;
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_true(!isnan(c.years_recent_tech) && c.years_recent_tech <= 0.01);
  model_candidate_free(&c);
}

/* Developer titles in the languages of European CVs, and "Eng" as the
 * department in manager titles. */
static void test_local_titles(void **state) {
  (void)state;
  static const struct { const char *title; int fam; } cases[] = {
    {"Softwareentwickler", NORM_ROLE_SOFTWARE},
    {"Softwareentwicklerin", NORM_ROLE_SOFTWARE},
    {"D\xc3\xa9" "veloppeur", NORM_ROLE_SOFTWARE},
    {"Desarrolladora", NORM_ROLE_SOFTWARE},
    {"Utvecklare", NORM_ROLE_SOFTWARE},
    {"Frontend-Entwickler", NORM_ROLE_FRONTEND},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int f = norm_role_family(cases[i].title);
    if (f != cases[i].fam)
      fail_msg("%s: %s, want %s", cases[i].title, norm_role_name(f), norm_role_name(cases[i].fam));
  }
  char t[128];
  norm_title("Eng Manager", t, sizeof t);
  assert_string_equal(t, "Engineering Manager");
  norm_title("Head of Eng", t, sizeof t);
  assert_string_equal(t, "Head of Engineering");
  norm_title("Senior Software Eng", t, sizeof t);
  assert_string_equal(t, "Senior Software Engineer");
  norm_title("Eng", t, sizeof t);
  assert_string_equal(t, "Engineer");
  model_raw_candidate r = raw("Eng Manager at A (2021 - present): eight engineers.", "Eng Manager");
  model_candidate c;
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  assert_int_equal(c.role_family, NORM_ROLE_ENG_MGMT);
  model_candidate_free(&c);
}

/* A dated engineering-manager entry is team leadership at work; a recruiter
 * who hires engineering managers gets nothing from it. */
static void test_manager_entries_lead(void **state) {
  (void)state;
  model_raw_candidate r = raw("Engineering Manager at Acme (2020 - present): eight backend engineers. "
                              "Backend developer at B (2014 - 2020), Java.", "Engineering Manager");
  model_candidate c;
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  const model_skill *s = skill(c.skills, c.n_skills, "Team leadership");
  assert_non_null(s);
  assert_true(s->flags & SKILL_AT_WORK);
  model_candidate_free(&c);
  r = raw("Tech Recruiter at Acme (2020 - present): I hire engineering managers and backend engineers.",
          "Tech Recruiter");
  assert_int_equal(norm_candidate(&r, 2026, &c), 0);
  s = skill(c.skills, c.n_skills, "Team leadership");
  assert_true(!s || !(s->flags & SKILL_AT_WORK));
  model_candidate_free(&c);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_years), cmocka_unit_test(test_unknowns),
    cmocka_unit_test(test_candidate_skills), cmocka_unit_test(test_false_positives),
    cmocka_unit_test(test_salary), cmocka_unit_test(test_min_years_title),
    cmocka_unit_test(test_job), cmocka_unit_test(test_formatting),
    cmocka_unit_test(test_job_sections_inline), cmocka_unit_test(test_job_sections_shapes),
    cmocka_unit_test(test_currency_not_skill), cmocka_unit_test(test_years_present_words),
    cmocka_unit_test(test_entry_headers), cmocka_unit_test(test_learning_fields),
    cmocka_unit_test(test_role_families), cmocka_unit_test(test_job_own_terms),
    cmocka_unit_test(test_workpref_negation), cmocka_unit_test(test_local_education),
    cmocka_unit_test(test_local_titles), cmocka_unit_test(test_manager_entries_lead),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
