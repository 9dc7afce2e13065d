/* feedback — the pure part of recruiter feedback (issue 7): what a move
 * between ATS stage columns means, the diff of two stage snapshots of one ATS
 * record, the signed Rocchio weights handed to match_feedback, and the
 * parser of skill corrections written in the ATS `Feedback` field.
 *
 * Pure: no I/O, no clock (the caller passes `now`), no globals beyond the
 * read-only taxonomy.  Thread-safe.  The caller (the ATS feedback task) reads
 * Airtable and PostgreSQL, calls these functions, and stores what they
 * return; nothing here decides whether to apply anything.
 *
 * ---- The Feedback-field syntax (as the README shows it to recruiters) ----
 *
 * One correction per line:
 *
 *     <candidate>: <Skill> <+N|-N>[, <Skill> <+N|-N> ...]
 *
 *     Jane Doe: Kubernetes -1
 *     José Álvarez: Go +2, k8s -1, PostgreSQL +1
 *     recA1b2C3d4E5f6G7: React -2
 *
 *   <candidate>  the candidate's full name exactly as in the Talent `Name`
 *                field (case, accents and repeated spaces do not matter), or
 *                the Talent record id (`rec` + 14 letters/digits).  A name that
 *                matches nobody, or several people, is reported back and
 *                never guessed.
 *   <Skill>      any spelling the taxonomy knows (`k8s` adjusts Kubernetes,
 *                `golang` adjusts Go); an unknown skill is kept as written.
 *   <+N|-N>      an explicit sign and one digit 1..4 (the rating, 1..5,
 *                moves by N and stays within 1..5).  `−` (U+2212) and `–`
 *                (U+2013) count as minus.
 *   Items are separated by commas; a skill may appear once per line.  A
 *   skill ending in + or - needs a space before its change (`C++ +1`;
 *   `C+++1` and `Go ++1` are rejected as a doubled sign).  A leading bullet
 *   (`- `, `* `, `• `) and a trailing `.` are allowed.
 *
 * Lines that are not corrections (free prose such as "Client feedback
 * 2026-11-12: prioritise people who owned an API.", "Meeting at 10:30",
 * "Budget: max 100k") are ignored.  A line is taken as an attempted
 * correction when the text before the first colon is a record id, or looks
 * like a name (letters, spaces, ' - . only; no digits; at most six words)
 * AND the text after it holds a rating-like number: a sign glued to digits
 * (`+2`, `-1`, `+2.5`, not inside `2026-11-12`) or a bare number ending an
 * item (`Go 5`).  An attempted correction that does not parse exactly is
 * reported as malformed with a reason and none of its items are applied
 * ("Budget: max 100" is thus reported, never applied).
 *
 * Identity: the SHA-256 (hex) of the ATS record id, the line's normalized
 * text (trimmed, spaces collapsed, ASCII lower case) and how many equal
 * lines precede it in the field.  Editing other lines keeps it; writing the
 * same correction a second time (a new line) applies again. */
#ifndef TD_FEEDBACK_H
#define TD_FEEDBACK_H

#include <stddef.h>
#include <time.h>

#include "err.h"
#include "fields.h"
#include "model.h"

/* ---- stage signals ------------------------------------------------------ */

/* What entering a stage column says about the candidate for this job. */
typedef enum fb_signal {
  FB_NONE = 0,    /* no signal: AI proposals, parking while on hold, non-stage fields */
  FB_PROGRESS,    /* a recruiter or the client moved the candidate forward */
  FB_HIRED,       /* hired for this job */
  FB_NOT_A_FIT,   /* recruiter rejected the AI proposal ("Recruiter AI Result Rejection") */
  FB_REJECTED,    /* rejected at a stage (see fb_column_stage) */
  FB_DECLINED     /* the candidate declined the job: not a skill signal */
} fb_signal;

/* Coarse stages, in pipeline order; the weights are per stage. */
typedef enum fb_stage {
  FB_STAGE_NONE = 0,
  FB_STAGE_PROPOSED,     /* Potential Talent Fit AI / its rejection column */
  FB_STAGE_POTENTIAL,    /* the manual Potential Talent Fit columns */
  FB_STAGE_SHORTLIST,
  FB_STAGE_INTRO,        /* Client Introduction */
  FB_STAGE_INTERVIEW,    /* In Interview 1..4 */
  FB_STAGE_ASSIGNMENT,   /* Interview: Assignment */
  FB_STAGE_NEGOTIATION,
  FB_STAGE_HIRED
} fb_stage;

/* Signal for a candidate who ENTERED `column`; FB_NONE for any field that
 * is not a stage column (and for a bad id). */
fb_signal fb_column_signal(fld_id column);

/* The stage a column belongs to: for progress columns the stage reached,
 * for rejection columns the stage the candidate was rejected at
 * ("Interview Rejected Talent" -> FB_STAGE_INTERVIEW), FB_STAGE_NONE for
 * "Talent Rejected Job", the on-hold column and non-stage fields. */
fb_stage fb_column_stage(fld_id column);

/* Pipeline depth of a column, finer than the stage (In Interview 1 <
 * Interview: Assignment < In Interview 2 < ... < In Negotiations < Hired);
 * rejection columns get the depth of the stage they end; 0 when none. */
int fb_column_rank(fld_id column);

/* "none", "progress", "hired", "not_a_fit", "rejected", "declined";
 * "unknown" for a bad value.  Never NULL. */
const char *fb_signal_name(fb_signal s);
/* "none", "proposed", "potential", "shortlist", "intro", "interview",
 * "assignment", "negotiation", "hired"; "unknown" for a bad value. */
const char *fb_stage_name(fb_stage s);

/* 1 when a candidate who ever entered a column with this signal must never
 * be proposed for that job again, even after leaving the column: not-a-fit,
 * every stage rejection, and a declined job (asking again is a nuisance).
 * 0 otherwise; a candidate still sitting in any stage column is excluded
 * anyway (contract §7.3), which is the caller's current-snapshot check. */
int fb_signal_excludes(fb_signal s);

/* ---- snapshot diff ------------------------------------------------------ */

/* One candidate in one stage column of an ATS record. */
typedef struct fb_link {
  fld_id column;           /* a stage column (fields_is_stage) */
  const char *candidate;   /* Talent record id */
} fb_link;

typedef enum fb_dir { FB_LEFT = 0, FB_ENTERED = 1 } fb_dir;

typedef struct fb_move {
  char candidate[MODEL_ID_LEN];
  fld_id column;
  fb_dir dir;
} fb_move;

/* The moves that turn snapshot `prev` into `cur` (both the full stage
 * content of one ATS record, in any order, duplicates allowed).  Equal sets
 * give no move; a candidate moved from A to B gives "left A" and "entered
 * B".  Output order: by candidate id, then LEFT before ENTERED, then column.
 * *n_out always gets the number of moves; when it exceeds `cap` nothing is
 * promised about `out` and TD_ERR_INVALID is returned (n_prev + n_cur is
 * always enough).  TD_ERR_INVALID also for a NULL array with a nonzero
 * count, a non-stage column, or an empty / over-long candidate id;
 * TD_ERR_NOMEM. */
td_err fb_diff(const fb_link *prev, size_t n_prev, const fb_link *cur, size_t n_cur,
               fb_move *out, size_t cap, size_t *n_out);

/* ---- Rocchio weights ---------------------------------------------------- */

/* Signed weight per stage, before decay.  The defaults (fb_params_default):
 *
 *   entered                           weight  why
 *   Hired                             +1.0    the outcome we want more of
 *   In Negotiations                   +0.8    the client wants them
 *   In Interview 1..4, Assignment     +0.6    the client tests them
 *   Client Introduction               +0.5    the recruiter vouches for them
 *   Shortlisted Talent                +0.3    a recruiter's first cut
 *   Potential Talent Fit (manual x3)  +0.2    a recruiter's hunch
 *   Recruiter AI Result Rejection     -1.0    the proposal itself was wrong
 *   Assignment Rejected Talent        -0.6    failed a skill test
 *   Interview Rejected Talent         -0.5    skills tested and found short
 *   Introduction Rejected Talent      -0.4    the client read the profile only
 *   Negotiations rejection            -0.1    usually money or terms, not skills
 *   Talent Rejected Job                0      the candidate's choice (transparent)
 *   Potential Talent Fit AI, On Hold   0      no signal
 *
 * times 0.5 ^ (age / half_life): a 90-day-old move weighs half. */
typedef struct fb_params {
  double w_hired, w_negotiation, w_interview, w_intro, w_shortlist, w_potential;
  double w_not_a_fit, w_rej_assignment, w_rej_interview, w_rej_intro, w_rej_negotiation;
  double half_life_days;      /* <= 0: no decay */
  /* optional: stage rejections lower the job's required skills for that
   * candidate (fb_rejection_decrements) */
  int reject_lowers_skills;   /* default 0 (off) */
  int reject_skill_step;      /* default 1 */
} fb_params;

void fb_params_default(fb_params *p);

/* Base weight of entering `column` (the table above); 0 for no signal,
 * for "Talent Rejected Job" and for non-stage fields.  p NULL = defaults. */
double fb_column_weight(const fb_params *p, fld_id column);

/* Decay factor in (0,1] for a move at `at` seen at `now`; a move in the
 * future (clock skew) counts as now.  p NULL = defaults. */
double fb_decay(const fb_params *p, time_t at, time_t now);

/* One recorded entry of a candidate into a stage column. */
typedef struct fb_event {
  const char *candidate;   /* Talent record id */
  fld_id column;           /* the column entered */
  time_t at;               /* when talentd saw it */
} fb_event;

/* One candidate's feedback weight: the caller looks up the candidate's
 * skills and passes {skills, n_skills, weight} as a match_feedback_example. */
typedef struct fb_weight {
  char candidate[MODEL_ID_LEN];
  fld_id column;           /* the column that decided the weight */
  fb_signal signal;
  time_t at;               /* time used for the decay */
  double weight;           /* signed, decayed, never 0 */
} fb_weight;

/* Collapse a job's events into one signed weight per candidate.  Rule, in
 * event time order per candidate: a terminal signal (hired, not-a-fit,
 * rejected) replaces what came before; progress after it starts over (an
 * undo); among progress moves the deepest column reached counts, timed at
 * the latest progress move (a demotion without a rejection does not erase
 * how far the candidate got).  Declined and no-signal moves are transparent.
 * Moves at the same second: progress before terminal.  Candidates whose
 * weight is 0 are left out.  Output sorted by candidate id; at most one per
 * distinct candidate, so cap = n always suffices; *n_out gets the count.
 * TD_ERR_INVALID for NULL events with n > 0, a NULL/empty/over-long
 * candidate id, or cap too small; TD_ERR_NOMEM.  p NULL = defaults. */
td_err fb_build(const fb_event *events, size_t n, time_t now, const fb_params *p,
                fb_weight *out, size_t cap, size_t *n_out);

/* ---- skill corrections -------------------------------------------------- */

typedef struct fb_adjust {
  char skill[MODEL_SKILL_LEN];  /* canonical (taxonomy) name, or as written */
  int skill_id;                 /* taxonomy id, -1 when unknown */
  int delta;                    /* signed: -4..-1 or 1..4 (parser), <0 (decrements) */
} fb_adjust;

/* Optional "a stage rejection lowers the job's required skills slightly":
 * when p->reject_lowers_skills is set and `column` is "Interview Rejected
 * Talent" or "Assignment Rejected Talent" (where skills were actually
 * tested), one decrement of -p->reject_skill_step per required job skill
 * (SKILL_REQUIRED) that the candidate has, never below rating 1 (a skill
 * already at 1 gets none).  Names compare case-insensitively (both sides are
 * canonical).  Writes at most `cap` entries in the job's skill order and
 * returns how many; 0 when off, for other columns, or for NULL input.
 * Pure: the caller decides whether to apply them (fb_apply_rating). */
int fb_rejection_decrements(const fb_params *p, fld_id column, const model_skill *cand,
                            int n_cand, const model_skill *job, int n_job, fb_adjust *out,
                            int cap);

/* New rating after a change: current (clamped to 0..5, 0 = not rated) +
 * delta, clamped to 1..5. */
int fb_apply_rating(int current, int delta);

/* A person the Feedback field may name: the caller passes the job's
 * candidates or all candidates. */
typedef struct fb_person {
  const char *record_id;   /* Talent record id */
  const char *name;        /* Talent `Name`; NULL or "" never matches */
} fb_person;

typedef enum fb_line_status {
  FB_LINE_OK = 0,       /* parsed and resolved to exactly one candidate */
  FB_LINE_IGNORED,      /* not a correction (prose); only fb_parse_line returns it */
  FB_LINE_MALFORMED,    /* looks like a correction but does not parse: see reason */
  FB_LINE_UNRESOLVED,   /* parsed; the candidate matches nobody in the list */
  FB_LINE_AMBIGUOUS     /* parsed; the name matches several record ids */
} fb_line_status;

#define FB_MAX_ITEMS 16
#define FB_ID_HEX 65   /* 64 hex digits + NUL */

typedef struct fb_line {
  fb_line_status status;
  unsigned line_no;                 /* 1-based line in the field */
  char id[FB_ID_HEX];               /* the line identity (see the top) */
  char candidate[MODEL_ID_LEN];     /* the resolved record id, "" unless OK */
  int n_items;                      /* items parsed (OK / UNRESOLVED / AMBIGUOUS) */
  fb_adjust items[FB_MAX_ITEMS];
  char reason[160];                 /* why MALFORMED / UNRESOLVED / AMBIGUOUS;
                                       holds skill text, never the name */
} fb_line;

/* "ok", "ignored", "malformed", "unresolved", "ambiguous"; never NULL. */
const char *fb_line_status_name(fb_line_status s);

/* Parse one line (no newline inside; `len` bytes, a trailing CR ignored).
 * Fills *out (status, items, candidate, reason; id and line_no are left
 * empty / 0 — fb_parse_feedback sets them) and returns out->status.
 * `people` may be NULL when n_people is 0 (then nothing resolves). */
fb_line_status fb_parse_line(const char *line, size_t len, const fb_person *people,
                             size_t n_people, fb_line *out);

/* Parse the whole Feedback text of ATS record `ats_record_id`: every line
 * that is not ignored goes to `out` in text order with its identity and
 * line number.  *n_out gets how many such lines there are; when that exceeds
 * cap, the first cap are written and TD_ERR_INVALID is returned.
 * TD_ERR_INVALID also for a NULL/empty ats_record_id; text NULL = empty. */
td_err fb_parse_feedback(const char *ats_record_id, const char *text, const fb_person *people,
                         size_t n_people, fb_line *out, size_t cap, size_t *n_out);

/* The identity of a line as fb_parse_feedback computes it (for tests and
 * for the caller that re-derives it): SHA-256 hex of ats_record_id, the
 * normalized line and the occurrence number (0 = first equal line). */
void fb_line_identity(const char *ats_record_id, const char *line, size_t len,
                      unsigned occurrence, char out[FB_ID_HEX]);

#endif
