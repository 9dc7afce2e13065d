/* test_tax — the skill taxonomy: aliases, tokenization of C++/C#/.NET,
 * longest multi-word match, and the free-text false positives it must avoid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tax.h"

static void test_aliases(void **state) {
  (void)state;
  static const struct { const char *in, *want; } cases[] = {
    {"k8s", "Kubernetes"}, {"Postgres", "PostgreSQL"}, {"psql", "PostgreSQL"}, {"golang", "Go"},
    {"JS", "JavaScript"}, {"TS", "TypeScript"}, {"py", "Python"}, {"DRF", "Django REST Framework"},
    {"GCP", "Google Cloud"}, {"node", "Node.js"}, {"nodejs", "Node.js"}, {"ReactJS", "React"},
    {"ObjC", "Objective-C"}, {"RN", "React Native"}, {"Amazon Web Services AWS software", "AWS"},
    {"Oracle Java", "Java"}, {"  kubernetes ", "Kubernetes"}, {"GKE", "GKE"}, {"EKS", "Amazon EKS"},
    {"c#", "C#"}, {".net core", ".NET"}, {"obj-c", "Objective-C"}, {"Spring-Boot", "Spring Boot"},
    /* security, MLOps and embedded names */
    {"appsec", "Application security"}, {"AppSec", "Application security"},
    {"product security", "Application security"}, {"threat modelling", "Threat modeling"},
    {"FreeRTOS", "RTOS"}, {"Zephyr RTOS", "RTOS"}, {"zephyr", "RTOS"}, {"embedded c", "C"},
    {"Embedded C", "C"}, {"MLflow", "MLflow"}, {"ml flow", "MLflow"}, {"Kubeflow", "Kubeflow"},
    {"kubeflow pipelines", "Kubeflow"}, {"MLOps", "MLOps"}, {"Google Play Store", "Google Play"},
    {"play console", "Google Play"},
    /* research is research, not UX design; people leadership is team leadership */
    {"UX Research", "User research"}, {"user testing", "User research"},
    {"Usability Testing", "User research"}, {"UX/UI", "UX design"},
    {"People Leadership", "Team leadership"}, {"Engineering Management", "Team leadership"},
    {"People Management", "Team leadership"}};
  char out[64];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int id = tax_canonical(cases[i].in, out, sizeof out);
    assert_true(id >= 0);
    assert_string_equal(out, cases[i].want);
  }
}

static void test_unknown_kept(void **state) {
  (void)state;
  char out[64];
  assert_int_equal(tax_canonical("  Frobnicator 3000 ", out, sizeof out), -1);
  assert_string_equal(out, "Frobnicator 3000");
  assert_int_equal(tax_lookup("", 0), -1);
  assert_int_equal(tax_canonical(NULL, out, sizeof out), -1);
  assert_string_equal(out, "");
}

/* scan text, return the canonical names joined with '|' */
static const char *scan(const char *text, int mode, char *buf, size_t len) {
  tax_hit h[64];
  int n = tax_scan(text, strlen(text), mode, h, 64);
  buf[0] = '\0';
  for (int i = 0; i < n; i++) {
    strncat(buf, tax_skill_name(h[i].skill), len - strlen(buf) - 2);
    strncat(buf, "|", len - strlen(buf) - 1);
  }
  return buf;
}

static void test_scan(void **state) {
  (void)state;
  static const struct { const char *text, *want; } cases[] = {
    {"C++, C#, .NET, Node.js, CI/CD and A/B testing", "C++|C#|.NET|Node.js|CI/CD|A/B testing|"},
    {"Spring Boot on Google Cloud; REST API design.", "Spring Boot|Google Cloud|REST API design|"},
    {"Python/Django services", "Python|Django|"},
    {"Go and Python tooling on Kubernetes", "Go|Python|Kubernetes|"},
    /* false positives */
    {"I go to the market. Go live next week.", ""},
    {"Head Chef at Bistro Nord: menu planning and food safety.", "Menu planning|Food safety|"},
    {"Chef and Puppet manifests next to Ansible and Terraform", "Chef|Puppet|Ansible|Terraform|"},
    {"The rest of the team; a swift response; I excel at this.", ""},
    {"Spring 2020 intake", ""},
    {"Vitamin C and R&D budget", ""},
    {"R and Python for statistics", "R|Python|Statistics|"},
    /* currency codes next to an amount or in a pay clause are money */
    {"Salary CAD 124,000 - 158,000 with Python", "Python|"},
    {"124,000 CAD a year, Kubernetes", "Kubernetes|"},
    {"Salary paid in CAD; SQL", "SQL|"},
    {"CAD and Revit for drafting", "Computer aided design CAD software|Autodesk Revit|"},
    {"Spring 2025 graduate with Java", "Java|"},
    {"Swift delivery of projects with Python", "Python|"},
    {"C-level stakeholders; I grew up in the Rust Belt", ""},
    {"We value clean code and a clean architecture in Python", "Python|"},
    {"Python 5, R 2, SQL 4", "Python|R|SQL|"},
    /* Google Play is the store, not Google */
    {"Published apps on Google Play and the App Store", "Google Play|App Store|"},
    {"Released to the Google Play Store with Kotlin", "Google Play|Kotlin|"},
    {"AppSec reviews and threat modelling with OWASP",
     "Application security|Threat modeling|OWASP|"},
    {"Firmware in Embedded C on FreeRTOS", "firmware|C|RTOS|"},
    {"Sensor nodes on Zephyr RTOS in C", "RTOS|C|"},
    {"Model tracking in MLflow, pipelines on Kubeflow", "MLflow|Kubeflow|"},
  };
  char buf[512];
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
    assert_string_equal(scan(cases[i].text, TAX_SCAN_CV, buf, sizeof buf), cases[i].want);
}

static void test_scan_relations(void **state) {
  (void)state;
  tax_hit h[16];
  const char *t = "Playwright or Cypress, Tableau/Looker";
  int n = tax_scan(t, strlen(t), TAX_SCAN_JOB, h, 16);
  assert_int_equal(n, 4);
  assert_true(h[0].or_next);
  assert_false(h[1].or_next);
  assert_true(h[2].slash_next);
  /* the list mode ignores context rules */
  n = tax_scan("Chef", 4, TAX_SCAN_LIST, h, 16);
  assert_int_equal(n, 1);
  assert_int_equal(tax_scan(NULL, 0, TAX_SCAN_CV, h, 16), 0);
}

static void test_categories(void **state) {
  (void)state;
  int go = tax_lookup("golang", 6);
  assert_true(tax_skill_is_tech(go));
  assert_true(tax_category_name(tax_skill_category(go))[0] != '\0');
  assert_false(tax_skill_is_tech(tax_lookup("patient care", 12)));
  assert_string_equal(tax_skill_name(-1), "");
  assert_true(tax_skill_count() > 1000);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_aliases), cmocka_unit_test(test_unknown_kept), cmocka_unit_test(test_scan),
    cmocka_unit_test(test_scan_relations), cmocka_unit_test(test_categories),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
