/* fields — every Airtable field talentd reads or writes (contract §7).
 *
 * Code never spells a field name: it asks fields_name(FLD_...), so that
 * TALENTD_FIELD_MAP can rename any of them.  The table also records the
 * expected type of each field, which verify-schema checks. */
#ifndef TD_FIELDS_H
#define TD_FIELDS_H

typedef enum fld_table { TBL_TALENT = 0, TBL_CUSTOMERS, TBL_ATS, TBL__COUNT } fld_table;

typedef enum fld_id {
  /* Talent */
  FLD_T_NAME, FLD_T_EMAIL, FLD_T_CV, FLD_T_CV_TEXT, FLD_T_SKILLS, FLD_T_CURRENT_TITLE,
  FLD_T_YEARS, FLD_T_LOCATION, FLD_T_WORK_PREF, FLD_T_DESIRED_SALARY,
  FLD_T_N_TITLE, FLD_T_N_SENIORITY, FLD_T_N_YEARS, FLD_T_N_SKILLS, FLD_T_N_LOCATION,
  FLD_T_N_TIMEZONE, FLD_T_N_SALARY,
  /* Customers STT */
  FLD_C_COMPANY, FLD_C_JOB_DESCRIPTION, FLD_C_JOB_DESCRIPTION_LINK, FLD_C_HIRING_CONTACT,
  FLD_C_STAGE, FLD_C_ATS_JOBS, FLD_C_START_MATCHMAKING, FLD_C_LOCATION, FLD_C_SALARY_RANGE,
  FLD_C_REMOTE_POLICY,
  FLD_C_N_JOB_TITLE, FLD_C_N_REQUIRED, FLD_C_N_NICE, FLD_C_N_SENIORITY, FLD_C_N_MIN_YEARS,
  FLD_C_N_LOCATION, FLD_C_N_REMOTE, FLD_C_N_SALARY_MIN, FLD_C_N_SALARY_MAX,
  /* ATS */
  FLD_A_OPEN_POSITION, FLD_A_COMPANY, FLD_A_JOB_STATUS, FLD_A_SMART_PROFILE, FLD_A_FEEDBACK,
  /* ATS stage columns (links to Talent), in pipeline order */
  FLD_A_FIT_AI, FLD_A_AI_REJECTION, FLD_A_FIT, FLD_A_FIT_NICK, FLD_A_FIT_NOE, FLD_A_SHORTLISTED,
  FLD_A_CLIENT_INTRO, FLD_A_INTERVIEW_1, FLD_A_ASSIGNMENT, FLD_A_INTERVIEW_2, FLD_A_INTERVIEW_3,
  FLD_A_INTERVIEW_4, FLD_A_NEGOTIATIONS, FLD_A_HIRED, FLD_A_INTRO_REJECTED,
  FLD_A_INTERVIEW_REJECTED, FLD_A_ASSIGNMENT_REJECTED, FLD_A_NEGOTIATIONS_REJECTED,
  FLD_A_TALENT_REJECTED_JOB, FLD_A_ON_HOLD,
  /* ATS summaries written by talentd */
  FLD_A_AI_PROPOSED, FLD_A_MATCHED, FLD_A_REJECTED_PROPOSED,
  FLD__COUNT
} fld_id;

#define FLD_A_FIRST_STAGE FLD_A_FIT_AI
#define FLD_A_LAST_STAGE FLD_A_ON_HOLD

/* Accepted Airtable types, '|'-separated, e.g. "singleLineText|singleSelect". */
typedef struct fld_info {
  fld_table table;
  const char *default_name;
  const char *types;
  int written;   /* talentd writes this field */
} fld_info;

const fld_info *fields_info(fld_id f);
/* The field's name after TALENTD_FIELD_MAP. */
const char *fields_name(fld_id f);
/* Human name of a table ("Talent", "Customers STT", "ATS"). */
const char *fields_table_name(fld_table t);

/* Load overrides from a JSON file of the form
 *   {"Talent": {"Skills": "Tech Skills"}, "ATS": {...}, "Customers STT": {...}}
 * keyed by the default names.  Returns 0, or -1 with a message in err.
 * Call once at start-up, before any thread reads names. */
int fields_load_map(const char *path, char *err, unsigned errlen);

/* Stage-column helpers. */
int fields_is_stage(fld_id f);
/* Active columns moved to "Considered Talent (Job On Hold)" (contract §7.3). */
int fields_is_active_stage(fld_id f);

#endif
