/* norm — the normalizer: raw Airtable candidates and jobs to model_candidate
 * and model_job (skills with ratings and evidence, years, seniority, role
 * family, location and time zone, work arrangement, salary), plus the text
 * formats written back to Airtable (contract §7).
 *
 * Pure: no I/O, no clock (the "present" year is a parameter), no globals
 * beyond the shared read-only taxonomy.  Thread-safe. */
#ifndef TD_NORM_H
#define TD_NORM_H

#include <stddef.h>

#include "model.h"

/* Role families (model_candidate.role_family / model_job.role_family). */
typedef enum norm_role {
  NORM_ROLE_UNKNOWN = 0,
  NORM_ROLE_BACKEND, NORM_ROLE_FRONTEND, NORM_ROLE_FULLSTACK, NORM_ROLE_MOBILE,
  NORM_ROLE_DATA,        /* data/BI analyst, data/analytics engineer */
  NORM_ROLE_ML,          /* data scientist, ML/AI engineer */
  NORM_ROLE_DEVOPS,      /* DevOps, SRE, platform, cloud */
  NORM_ROLE_QA, NORM_ROLE_SECURITY,
  NORM_ROLE_SOFTWARE,    /* generic software engineer/developer */
  NORM_ROLE_IT_SUPPORT,  /* helpdesk, sysadmin, network, IT coordinator */
  NORM_ROLE_ENG_MGMT,    /* engineering manager, head of engineering, CTO */
  NORM_ROLE_DESIGN, NORM_ROLE_PRODUCT, /* product/project/business analysis */
  NORM_ROLE_MANAGEMENT,  /* general/operations management, owners */
  NORM_ROLE_RECRUITING,  /* recruiters, HR */
  NORM_ROLE_SALES,       /* sales, account management, customer success */
  NORM_ROLE_MARKETING, NORM_ROLE_FINANCE, NORM_ROLE_ADMIN, NORM_ROLE_HEALTHCARE,
  NORM_ROLE_HOSPITALITY, NORM_ROLE_TRADES, NORM_ROLE_EDUCATION, NORM_ROLE_LEGAL,
  NORM_ROLE_OTHER,
  NORM_ROLE__COUNT
} norm_role;

/* Normalizes a candidate.  ref_year is the "present" year (dated entries
 * ending "present"/"now" end in its middle).  out is fully overwritten;
 * out->text is malloc'd (free with model_candidate_free).  Unknown values stay
 * unknown (NAN, SEN_UNKNOWN, WORK_UNKNOWN, "", 0).  Returns TD_OK,
 * TD_ERR_INVALID (NULL in/out) or TD_ERR_NOMEM. */
int norm_candidate(const model_raw_candidate *in, int ref_year, model_candidate *out);

/* As norm_candidate with the present month known (1..12; 0 = unknown). */
int norm_candidate_at(const model_raw_candidate *in, int ref_year, int ref_month,
                      model_candidate *out);

/* Normalizes a job (ATS position + its company's Customers STT record).
 * Skills carry SKILL_REQUIRED or SKILL_NICE; alternatives share alt_group.
 * Same contract as norm_candidate. */
int norm_job(const model_raw_job *in, int ref_year, model_job *out);

/* "Go (5), Kubernetes (4), PostgreSQL (3)": strongest first (rating, then
 * evidence, then input order), ratings only when with_rating.  Stops before
 * an item that would not fit.  Returns the number of skills written. */
int norm_format_skills(const model_skill *skills, int n, int with_rating, char *buf, size_t len);

/* "Intern" … "Principal"; "" for SEN_UNKNOWN. */
const char *norm_seniority_name(model_seniority s);
/* "Remote" / "Hybrid" / "On-site"; "" unknown. */
const char *norm_workpref_name(model_workpref w);
/* "Copenhagen, DK", "DK" or "" (returns the length). */
int norm_format_location(const char *city, const char *country, char *buf, size_t len);
/* "Europe/Copenhagen (UTC+1)", "UTC+5:30" or "" (returns the length). */
int norm_format_timezone(const char *tz, double offset_hours, char *buf, size_t len);
/* Remote text for a job: "Remote (GB,EU)", "Hybrid", "On-site", "". */
int norm_format_remote(model_workpref policy, const char *region, char *buf, size_t len);

/* Role family of a title ("Senior Tech Recruiter" -> NORM_ROLE_RECRUITING). */
int norm_role_family(const char *title);
const char *norm_role_name(int role);
/* 1 for the software/IT families whose dated entries count as technical work. */
int norm_role_is_tech(int role);

/* Title clean-up: company dropped ("X at Acme"), abbreviations expanded
 * (Sr -> Senior, Eng -> Engineer, Dev -> Developer).  Returns the length. */
int norm_title(const char *in, char *out, size_t len);
/* Seniority from title words, else from years (NAN = unknown). */
model_seniority norm_seniority(const char *title, double years);
/* Work arrangement in free text or a select value. */
model_workpref norm_workpref(const char *text);

/* Salary in free text: "€80k–100k", "CHF 150-180k", "80,000 - 100,000 EUR",
 * "£70k-£90k", "$120,000", monthly amounts x12.  Writes *min and *max (equal for
 * one number) and the ISO currency ("" when none); returns 1 when found. */
int norm_parse_salary(const char *text, double *min, double *max, char currency[4]);

/* Minimum years asked: "5+ years", "at least 3 years", "3-5 years" (-> 3);
 * NAN when none. */
double norm_parse_min_years(const char *text);

#endif
