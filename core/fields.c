/* fields — the field-name table and TALENTD_FIELD_MAP overrides. */
#include "fields.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TXT "singleLineText|multilineText|richText"
#define SEL "singleLineText|singleSelect|multilineText"
#define NUM "number|currency|percent"
#define LNK "multipleRecordLinks"

static const fld_info infos[FLD__COUNT] = {
  [FLD_T_NAME] = {TBL_TALENT, "Name", TXT "|formula", 0},
  [FLD_T_EMAIL] = {TBL_TALENT, "Email", "email|singleLineText", 0},
  [FLD_T_CV] = {TBL_TALENT, "CV", "multipleAttachments", 0},
  [FLD_T_CV_TEXT] = {TBL_TALENT, "CV Text", TXT, 0},
  [FLD_T_SKILLS] = {TBL_TALENT, "Skills", "multipleSelects|" TXT, 0},
  [FLD_T_CURRENT_TITLE] = {TBL_TALENT, "Current Title", TXT, 0},
  [FLD_T_YEARS] = {TBL_TALENT, "Years of Experience", NUM, 0},
  [FLD_T_LOCATION] = {TBL_TALENT, "Location", TXT, 0},
  [FLD_T_WORK_PREF] = {TBL_TALENT, "Work Preference", SEL, 0},
  [FLD_T_DESIRED_SALARY] = {TBL_TALENT, "Desired Salary", NUM, 0},
  [FLD_T_N_TITLE] = {TBL_TALENT, "(N) Title", SEL, 1},
  [FLD_T_N_SENIORITY] = {TBL_TALENT, "(N) Seniority", SEL, 1},
  [FLD_T_N_YEARS] = {TBL_TALENT, "(N) Years of Experience", NUM, 1},
  [FLD_T_N_SKILLS] = {TBL_TALENT, "(N) Skills", "multilineText", 1},
  [FLD_T_N_LOCATION] = {TBL_TALENT, "(N) Location", SEL, 1},
  [FLD_T_N_TIMEZONE] = {TBL_TALENT, "(N) Timezone", SEL, 1},
  [FLD_T_N_SALARY] = {TBL_TALENT, "(N) Salary", NUM, 1},

  [FLD_C_COMPANY] = {TBL_CUSTOMERS, "Company", TXT, 0},
  [FLD_C_JOB_DESCRIPTION] = {TBL_CUSTOMERS, "Job Description", TXT, 0},
  [FLD_C_JOB_DESCRIPTION_LINK] = {TBL_CUSTOMERS, "Job Description Link", "url|singleLineText", 0},
  [FLD_C_HIRING_CONTACT] = {TBL_CUSTOMERS, "Hiring Contact", TXT "|singleCollaborator|email", 0},
  [FLD_C_STAGE] = {TBL_CUSTOMERS, "Stage", SEL, 0},
  [FLD_C_ATS_JOBS] = {TBL_CUSTOMERS, "ATS Jobs", LNK, 0},
  [FLD_C_START_MATCHMAKING] = {TBL_CUSTOMERS, "Start Matchmaking", "checkbox", 1},
  [FLD_C_LOCATION] = {TBL_CUSTOMERS, "Location", TXT, 0},
  [FLD_C_SALARY_RANGE] = {TBL_CUSTOMERS, "Salary Range", TXT, 0},
  [FLD_C_REMOTE_POLICY] = {TBL_CUSTOMERS, "Remote Policy", SEL, 0},
  [FLD_C_N_JOB_TITLE] = {TBL_CUSTOMERS, "(N) Job Title", SEL, 1},
  [FLD_C_N_REQUIRED] = {TBL_CUSTOMERS, "(N) Required Skills", "multilineText", 1},
  [FLD_C_N_NICE] = {TBL_CUSTOMERS, "(N) Nice-to-have Skills", "multilineText", 1},
  [FLD_C_N_SENIORITY] = {TBL_CUSTOMERS, "(N) Seniority", SEL, 1},
  [FLD_C_N_MIN_YEARS] = {TBL_CUSTOMERS, "(N) Min Years", NUM, 1},
  [FLD_C_N_LOCATION] = {TBL_CUSTOMERS, "(N) Location", SEL, 1},
  [FLD_C_N_REMOTE] = {TBL_CUSTOMERS, "(N) Remote", SEL, 1},
  [FLD_C_N_SALARY_MIN] = {TBL_CUSTOMERS, "(N) Salary Min", NUM, 1},
  [FLD_C_N_SALARY_MAX] = {TBL_CUSTOMERS, "(N) Salary Max", NUM, 1},

  [FLD_A_OPEN_POSITION] = {TBL_ATS, "Open Position (Job Title)", TXT, 0},
  [FLD_A_COMPANY] = {TBL_ATS, "Company", LNK, 0},
  [FLD_A_JOB_STATUS] = {TBL_ATS, "Job Status", "singleSelect", 0},
  [FLD_A_SMART_PROFILE] = {TBL_ATS, "SMART IEALD CANDIDATE PROFILE", TXT, 0},
  [FLD_A_FEEDBACK] = {TBL_ATS, "Feedback", TXT, 0},
  [FLD_A_FIT_AI] = {TBL_ATS, "Potential Talent Fit AI", LNK, 1},
  [FLD_A_AI_REJECTION] = {TBL_ATS, "Recruiter AI Result Rejection", LNK, 0},
  [FLD_A_FIT] = {TBL_ATS, "Potential Talent Fit", LNK, 1},
  [FLD_A_FIT_NICK] = {TBL_ATS, "Potential Talent Fit Nick", LNK, 1},
  [FLD_A_FIT_NOE] = {TBL_ATS, "Potential Talent Fit NOE", LNK, 1},
  [FLD_A_SHORTLISTED] = {TBL_ATS, "Shortlisted Talent", LNK, 1},
  [FLD_A_CLIENT_INTRO] = {TBL_ATS, "Client Introduction", LNK, 1},
  [FLD_A_INTERVIEW_1] = {TBL_ATS, "In Interview 1", LNK, 1},
  [FLD_A_ASSIGNMENT] = {TBL_ATS, "Interview: Assignment", LNK, 1},
  [FLD_A_INTERVIEW_2] = {TBL_ATS, "In Interview 2", LNK, 1},
  [FLD_A_INTERVIEW_3] = {TBL_ATS, "In Interview 3", LNK, 1},
  [FLD_A_INTERVIEW_4] = {TBL_ATS, "In Interview 4", LNK, 1},
  [FLD_A_NEGOTIATIONS] = {TBL_ATS, "In Negotiations", LNK, 1},
  [FLD_A_HIRED] = {TBL_ATS, "Hired", LNK, 0},
  [FLD_A_INTRO_REJECTED] = {TBL_ATS, "Introduction Rejected Talent", LNK, 0},
  [FLD_A_INTERVIEW_REJECTED] = {TBL_ATS, "Interview Rejected Talent", LNK, 0},
  [FLD_A_ASSIGNMENT_REJECTED] = {TBL_ATS, "Assignment Rejected Talent", LNK, 0},
  [FLD_A_NEGOTIATIONS_REJECTED] = {TBL_ATS, "Negotiations rejection", LNK, 0},
  [FLD_A_TALENT_REJECTED_JOB] = {TBL_ATS, "Talent Rejected Job", LNK, 0},
  [FLD_A_ON_HOLD] = {TBL_ATS, "Considered Talent (Job On Hold)", LNK, 1},
  [FLD_A_AI_PROPOSED] = {TBL_ATS, "AI PROPOSTED CANDIDATES", TXT, 1},
  [FLD_A_MATCHED] = {TBL_ATS, "MATCHED CANDIDATES", TXT, 1},
  [FLD_A_REJECTED_PROPOSED] = {TBL_ATS, "REJECTED PROPOSTED CANDIDATES", TXT, 1},
};

static char *overrides[FLD__COUNT];
static const char *const table_names[TBL__COUNT] = {"Talent", "Customers STT", "ATS"};

const fld_info *fields_info(fld_id f) { return &infos[f]; }

const char *fields_name(fld_id f)
{
  return overrides[f] ? overrides[f] : infos[f].default_name;
}

const char *fields_table_name(fld_table t) { return table_names[t]; }

int fields_is_stage(fld_id f) { return f >= FLD_A_FIRST_STAGE && f <= FLD_A_LAST_STAGE; }

int fields_is_active_stage(fld_id f)
{
  switch (f) {
  case FLD_A_FIT_AI: case FLD_A_FIT: case FLD_A_FIT_NICK: case FLD_A_FIT_NOE:
  case FLD_A_SHORTLISTED: case FLD_A_CLIENT_INTRO: case FLD_A_INTERVIEW_1:
  case FLD_A_ASSIGNMENT: case FLD_A_INTERVIEW_2: case FLD_A_INTERVIEW_3:
  case FLD_A_INTERVIEW_4: case FLD_A_NEGOTIATIONS:
    return 1;
  default:
    return 0;
  }
}

int fields_load_map(const char *path, char *err, unsigned errlen)
{
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  long n;
  cJSON *root = NULL;
  int rc = -1;

  if (!f) {
    snprintf(err, errlen, "config: TALENTD_FIELD_MAP: cannot open %s", path);
    return -1;
  }
  if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || n > 1 << 20 || fseek(f, 0, SEEK_SET)) {
    snprintf(err, errlen, "config: TALENTD_FIELD_MAP: unreadable or larger than 1 MiB");
    goto out;
  }
  buf = malloc((size_t)n + 1);
  if (!buf || fread(buf, 1, (size_t)n, f) != (size_t)n) {
    snprintf(err, errlen, "config: TALENTD_FIELD_MAP: read failed");
    goto out;
  }
  buf[n] = 0;
  root = cJSON_Parse(buf);
  if (!cJSON_IsObject(root)) {
    snprintf(err, errlen, "config: TALENTD_FIELD_MAP: not a JSON object");
    goto out;
  }
  for (cJSON *t = root->child; t; t = t->next) {
    int table = -1;
    for (int i = 0; i < TBL__COUNT; i++)
      if (strcmp(t->string, table_names[i]) == 0)
        table = i;
    if (table < 0 || !cJSON_IsObject(t)) {
      snprintf(err, errlen, "config: TALENTD_FIELD_MAP: unknown table \"%.60s\"", t->string);
      goto out;
    }
    for (cJSON *e = t->child; e; e = e->next) {
      int found = 0;
      if (!cJSON_IsString(e) || !*e->valuestring) {
        snprintf(err, errlen, "config: TALENTD_FIELD_MAP: %s.%.60s must be a non-empty string",
                 table_names[table], e->string);
        goto out;
      }
      for (int k = 0; k < FLD__COUNT; k++) {
        if ((int)infos[k].table == table && strcmp(infos[k].default_name, e->string) == 0) {
          free(overrides[k]);
          overrides[k] = strdup(e->valuestring);
          found = 1;
        }
      }
      if (!found) {
        snprintf(err, errlen, "config: TALENTD_FIELD_MAP: unknown field %s.%.60s",
                 table_names[table], e->string);
        goto out;
      }
    }
  }
  rc = 0;
out:
  cJSON_Delete(root);
  free(buf);
  fclose(f);
  return rc;
}
