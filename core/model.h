/* model — the normalized candidate and job, shared by normalize, match,
 * the database layer and sync.
 *
 * Unknown stays unknown: every numeric field that may be missing uses NAN (or
 * 0 / an _UNKNOWN enum value where documented) so that a scorer can tell
 * "not given" from a real value and treat it as neutral. */
#ifndef TD_MODEL_H
#define TD_MODEL_H

#include <stdint.h>

#define MODEL_ID_LEN 18        /* "rec" + 14 + NUL */
#define MODEL_SKILL_LEN 64
#define MODEL_MAX_SKILLS 96

typedef enum model_seniority {
  SEN_UNKNOWN = 0, SEN_INTERN, SEN_JUNIOR, SEN_MID, SEN_SENIOR, SEN_LEAD, SEN_PRINCIPAL
} model_seniority;

typedef enum model_workpref {
  WORK_UNKNOWN = 0, WORK_REMOTE, WORK_HYBRID, WORK_ONSITE
} model_workpref;

/* Where the evidence for a skill came from (bit flags). */
enum {
  SKILL_LISTED = 1,       /* in the Skills field / named as required by the job */
  SKILL_IN_CV = 2,        /* found in the CV text */
  SKILL_AT_WORK = 4,      /* found inside a dated work-experience entry */
  SKILL_ASPIRATIONAL = 8, /* only from courses, plans, "never used at work" */
  SKILL_REQUIRED = 16,    /* job side: must-have */
  SKILL_NICE = 32,        /* job side: nice-to-have */
};

typedef struct model_skill {
  char name[MODEL_SKILL_LEN]; /* canonical name from the taxonomy, or as written */
  uint8_t rating;             /* 1..5 for candidates; 0 for job skills */
  uint8_t flags;              /* SKILL_* */
  int16_t last_year;          /* last year of use seen in the CV, 0 unknown */
  float years;                /* years of use from dated entries, NAN unknown */
  uint16_t category;          /* taxonomy category id, 0 unknown */
  uint8_t alt_group;          /* job side (match): nonzero = one-of group; required
                                 skills sharing a group are alternatives, e.g.
                                 "Playwright or Cypress"; 0 = stands alone */
} model_skill;

typedef struct model_candidate {
  char record_id[MODEL_ID_LEN];
  char name[128];                 /* for the ATS summary only; never logged */
  char title[128];                /* normalized title, "" unknown */
  model_seniority seniority;
  double years;                   /* years of professional experience, NAN unknown */
  double years_recent_tech;       /* optional: years in the role family lately, NAN */
  int last_work_year;             /* end year of the latest work entry, 0 unknown */
  char city[64];                  /* "" unknown */
  char country[3];                /* ISO 3166 alpha-2, "" unknown */
  char timezone[48];              /* IANA zone, "" unknown */
  double tz_offset_hours;         /* standard UTC offset, NAN unknown */
  model_workpref work_pref;
  double salary;                  /* yearly, NAN unknown */
  char currency[4];               /* ISO 4217, "" unknown */
  int role_family;                /* normalizer's occupation family id, 0 unknown */
  int last_tech_year;             /* added by normalize: end year of the latest dated
                                     entry in a technical role family (present =
                                     ref_year), 0 none/unknown; "stale" when old */
  int n_skills;
  model_skill skills[MODEL_MAX_SKILLS];
  char *text;                     /* owned: title + skills + CV text, for similarity */
  double lead_years;              /* (match) years in roles that led people (team
                                     lead, tech lead, EM, head of ...) from dated
                                     entries; 0 none found, NAN unknown */
  float lat, lon;                 /* (match) coordinates of the city in degrees
                                     (GeoNames, ~1 km), for commuting distance;
                                     NAN unknown (no city recognized) */
} model_candidate;

typedef struct model_job {
  char customer_record_id[MODEL_ID_LEN];
  char ats_record_id[MODEL_ID_LEN];   /* "" when not known */
  char title[128];
  model_seniority seniority;
  double min_years;                   /* NAN unknown */
  char city[64];
  char country[3];
  char timezone[48];
  double tz_offset_hours;
  model_workpref remote_policy;       /* WORK_REMOTE / HYBRID / ONSITE / UNKNOWN */
  char remote_region[64];             /* e.g. "UK,EU" when remote is limited; "" any */
  double salary_min, salary_max;      /* NAN unknown */
  char currency[4];
  int role_family;
  int n_skills;                       /* flags carry SKILL_REQUIRED or SKILL_NICE */
  model_skill skills[MODEL_MAX_SKILLS];
  char *text;                         /* owned: title + profile + description */
  float lat, lon;                     /* (match) coordinates of the office's city in
                                         degrees, NAN unknown (no city recognized) */
} model_job;

/* Raw values read from Airtable, input of the normalizer.  Strings may be
 * NULL (cell empty); numbers NAN when empty. */
typedef struct model_raw_candidate {
  const char *record_id;
  const char *name;
  const char *cv_text;          /* CV Text field and/or text extracted from CV files */
  const char *const *skills;    /* Skills multiple select, as typed */
  int n_skills;
  const char *current_title;
  double years;                 /* Years of Experience */
  const char *location;
  const char *work_pref;        /* "Remote" / "Hybrid" / "On-site" or free text */
  double desired_salary;
} model_raw_candidate;

typedef struct model_raw_job {
  const char *customer_record_id;
  const char *ats_record_id;    /* NULL when normalizing the company alone */
  const char *company;
  const char *position_title;   /* ATS Open Position (Job Title) */
  const char *profile;          /* ATS SMART IEALD CANDIDATE PROFILE */
  const char *description;      /* Customers STT Job Description */
  const char *location;
  const char *salary_range;
  const char *remote_policy;
} model_raw_job;

void model_candidate_free(model_candidate *c);  /* frees text, keeps struct */
void model_job_free(model_job *j);

#endif
