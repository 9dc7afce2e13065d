/* feedback — stage signals, snapshot diffs, Rocchio weights and the
 * Feedback-field parser (contract in feedback.h).
 *
 * DESIGN.  Everything here is a pure function of its arguments so the ATS
 * feedback task can be replayed: the same snapshots and the same Feedback
 * text always give the same moves, weights and line identities.
 *
 * The parser errs on the side of doing nothing.  A recruiter's Feedback
 * field mixes prose with corrections, and a misread correction silently
 * corrupts a candidate's ratings, while an ignored or reported line costs a
 * recruiter one look.  So a line is applied only when every item after the
 * colon is exactly `<skill words> <sign><digit>`; a line that merely
 * resembles one is reported as malformed, and prose is left alone.  Names are
 * resolved by exact folded equality against the caller's list, never by
 * prefix or similarity: a wrong guess would adjust the wrong person. */
#include "feedback.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tax.h"

/* ---- stage signals -------------------------------------------------------- */

typedef struct col_info {
  fb_signal signal;
  fb_stage stage;
  int rank;
} col_info;

static col_info column_info(fld_id c)
{
  col_info none = {FB_NONE, FB_STAGE_NONE, 0};
  switch (c) {
  case FLD_A_FIT_AI: return (col_info){FB_NONE, FB_STAGE_PROPOSED, 1};
  case FLD_A_AI_REJECTION: return (col_info){FB_NOT_A_FIT, FB_STAGE_PROPOSED, 1};
  case FLD_A_FIT: case FLD_A_FIT_NICK: case FLD_A_FIT_NOE:
    return (col_info){FB_PROGRESS, FB_STAGE_POTENTIAL, 2};
  case FLD_A_SHORTLISTED: return (col_info){FB_PROGRESS, FB_STAGE_SHORTLIST, 3};
  case FLD_A_CLIENT_INTRO: return (col_info){FB_PROGRESS, FB_STAGE_INTRO, 4};
  case FLD_A_INTERVIEW_1: return (col_info){FB_PROGRESS, FB_STAGE_INTERVIEW, 5};
  case FLD_A_ASSIGNMENT: return (col_info){FB_PROGRESS, FB_STAGE_ASSIGNMENT, 6};
  case FLD_A_INTERVIEW_2: return (col_info){FB_PROGRESS, FB_STAGE_INTERVIEW, 7};
  case FLD_A_INTERVIEW_3: return (col_info){FB_PROGRESS, FB_STAGE_INTERVIEW, 8};
  case FLD_A_INTERVIEW_4: return (col_info){FB_PROGRESS, FB_STAGE_INTERVIEW, 9};
  case FLD_A_NEGOTIATIONS: return (col_info){FB_PROGRESS, FB_STAGE_NEGOTIATION, 10};
  case FLD_A_HIRED: return (col_info){FB_HIRED, FB_STAGE_HIRED, 11};
  case FLD_A_INTRO_REJECTED: return (col_info){FB_REJECTED, FB_STAGE_INTRO, 4};
  /* the column does not say which round; the first is the conservative depth */
  case FLD_A_INTERVIEW_REJECTED: return (col_info){FB_REJECTED, FB_STAGE_INTERVIEW, 5};
  case FLD_A_ASSIGNMENT_REJECTED: return (col_info){FB_REJECTED, FB_STAGE_ASSIGNMENT, 6};
  case FLD_A_NEGOTIATIONS_REJECTED: return (col_info){FB_REJECTED, FB_STAGE_NEGOTIATION, 10};
  case FLD_A_TALENT_REJECTED_JOB: return (col_info){FB_DECLINED, FB_STAGE_NONE, 0};
  case FLD_A_ON_HOLD: return none;  /* parking, says nothing about fit */
  default: return none;
  }
}

fb_signal fb_column_signal(fld_id column) { return column_info(column).signal; }
fb_stage fb_column_stage(fld_id column) { return column_info(column).stage; }
int fb_column_rank(fld_id column) { return column_info(column).rank; }

const char *fb_signal_name(fb_signal s)
{
  static const char *const names[] = {"none", "progress", "hired", "not_a_fit", "rejected",
                                      "declined"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

const char *fb_stage_name(fb_stage s)
{
  static const char *const names[] = {"none",      "proposed",  "potential",
                                      "shortlist", "intro",     "interview",
                                      "assignment", "negotiation", "hired"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

int fb_signal_excludes(fb_signal s)
{
  return s == FB_NOT_A_FIT || s == FB_REJECTED || s == FB_DECLINED;
}

/* ---- snapshot diff -------------------------------------------------------- */

static int valid_id(const char *id)
{
  if (!id || !id[0])
    return 0;
  return strnlen(id, MODEL_ID_LEN) < MODEL_ID_LEN;
}

static int link_cmp(const void *a, const void *b)
{
  const fb_link *x = a, *y = b;
  if (x->column != y->column)
    return x->column < y->column ? -1 : 1;
  return strcmp(x->candidate, y->candidate);
}

static int move_cmp(const void *a, const void *b)
{
  const fb_move *x = a, *y = b;
  int c = strcmp(x->candidate, y->candidate);
  if (c)
    return c;
  if (x->dir != y->dir)
    return x->dir < y->dir ? -1 : 1;
  return x->column < y->column ? -1 : x->column > y->column;
}

/* Sorts and removes duplicates in place; returns the new count. */
static size_t sort_unique(fb_link *v, size_t n)
{
  if (n == 0)
    return 0;
  qsort(v, n, sizeof *v, link_cmp);
  size_t k = 1;
  for (size_t i = 1; i < n; i++)
    if (link_cmp(&v[i], &v[k - 1]))
      v[k++] = v[i];
  return k;
}

static td_err check_links(const fb_link *v, size_t n)
{
  if (n && !v)
    return TD_ERR_INVALID;
  for (size_t i = 0; i < n; i++)
    if (!fields_is_stage(v[i].column) || !valid_id(v[i].candidate))
      return TD_ERR_INVALID;
  return TD_OK;
}

static void put_move(fb_move *out, size_t cap, size_t *k, const fb_link *l, fb_dir dir)
{
  if (*k < cap) {
    snprintf(out[*k].candidate, sizeof out[*k].candidate, "%s", l->candidate);
    out[*k].column = l->column;
    out[*k].dir = dir;
  }
  (*k)++;
}

td_err fb_diff(const fb_link *prev, size_t n_prev, const fb_link *cur, size_t n_cur,
               fb_move *out, size_t cap, size_t *n_out)
{
  td_err rc;
  fb_link *a = NULL, *b;
  size_t k = 0;

  if (n_out)
    *n_out = 0;
  if (!n_out || (cap && !out))
    return TD_ERR_INVALID;
  if ((rc = check_links(prev, n_prev)) || (rc = check_links(cur, n_cur)))
    return rc;
  if (n_prev + n_cur == 0)
    return TD_OK;
  a = malloc((n_prev + n_cur) * sizeof *a);
  if (!a)
    return TD_ERR_NOMEM;
  b = a + n_prev;
  if (n_prev)
    memcpy(a, prev, n_prev * sizeof *a);
  if (n_cur)
    memcpy(b, cur, n_cur * sizeof *b);
  size_t na = sort_unique(a, n_prev), nb = sort_unique(b, n_cur);

  size_t i = 0, j = 0;
  while (i < na || j < nb) {
    int c = i == na ? 1 : j == nb ? -1 : link_cmp(&a[i], &b[j]);
    if (c < 0)
      put_move(out, cap, &k, &a[i++], FB_LEFT);
    else if (c > 0)
      put_move(out, cap, &k, &b[j++], FB_ENTERED);
    else
      i++, j++;
  }
  free(a);
  *n_out = k;
  if (k > cap)
    return TD_ERR_INVALID;
  if (k > 1)
    qsort(out, k, sizeof *out, move_cmp);
  return TD_OK;
}

/* ---- Rocchio weights ------------------------------------------------------ */

void fb_params_default(fb_params *p)
{
  /* Positives grow with how far the client took the candidate; negatives
   * with how directly the rejection speaks about skills (feedback.h has the
   * table).  Negotiation rejections are nearly always about money or terms,
   * so they barely count against the skill profile. */
  p->w_hired = 1.0;
  p->w_negotiation = 0.8;
  p->w_interview = 0.6;
  p->w_intro = 0.5;
  p->w_shortlist = 0.3;
  p->w_potential = 0.2;
  p->w_not_a_fit = -1.0;
  p->w_rej_assignment = -0.6;
  p->w_rej_interview = -0.5;
  p->w_rej_intro = -0.4;
  p->w_rej_negotiation = -0.1;
  /* the research note's ~90-day window for recruiter feedback */
  p->half_life_days = 90.0;
  p->reject_lowers_skills = 0;
  p->reject_skill_step = 1;
}

static const fb_params *params_or_default(const fb_params *p, fb_params *tmp)
{
  if (p)
    return p;
  fb_params_default(tmp);
  return tmp;
}

double fb_column_weight(const fb_params *p, fld_id column)
{
  fb_params tmp;
  p = params_or_default(p, &tmp);
  col_info ci = column_info(column);
  switch (ci.signal) {
  case FB_HIRED: return p->w_hired;
  case FB_NOT_A_FIT: return p->w_not_a_fit;
  case FB_PROGRESS:
    switch (ci.stage) {
    case FB_STAGE_POTENTIAL: return p->w_potential;
    case FB_STAGE_SHORTLIST: return p->w_shortlist;
    case FB_STAGE_INTRO: return p->w_intro;
    case FB_STAGE_INTERVIEW: case FB_STAGE_ASSIGNMENT: return p->w_interview;
    case FB_STAGE_NEGOTIATION: return p->w_negotiation;
    default: return 0;
    }
  case FB_REJECTED:
    switch (ci.stage) {
    case FB_STAGE_INTRO: return p->w_rej_intro;
    case FB_STAGE_INTERVIEW: return p->w_rej_interview;
    case FB_STAGE_ASSIGNMENT: return p->w_rej_assignment;
    case FB_STAGE_NEGOTIATION: return p->w_rej_negotiation;
    default: return 0;
    }
  default:
    return 0;
  }
}

double fb_decay(const fb_params *p, time_t at, time_t now)
{
  fb_params tmp;
  p = params_or_default(p, &tmp);
  if (!(p->half_life_days > 0) || at >= now)
    return 1.0;
  double age_days = difftime(now, at) / 86400.0;
  return pow(0.5, age_days / p->half_life_days);
}

typedef struct ev_ref {
  const fb_event *e;
  int key;  /* order of moves at the same second */
} ev_ref;

static int ev_cmp(const void *a, const void *b)
{
  const ev_ref *x = a, *y = b;
  int c = strcmp(x->e->candidate, y->e->candidate);
  if (c)
    return c;
  if (x->e->at != y->e->at)
    return x->e->at < y->e->at ? -1 : 1;
  if (x->key != y->key)
    return x->key < y->key ? -1 : 1;
  return x->e->column < y->e->column ? -1 : x->e->column > y->e->column;
}

static int is_terminal(fb_signal s)
{
  return s == FB_HIRED || s == FB_NOT_A_FIT || s == FB_REJECTED;
}

td_err fb_build(const fb_event *events, size_t n, time_t now, const fb_params *p,
                fb_weight *out, size_t cap, size_t *n_out)
{
  fb_params tmp;
  ev_ref *v;
  size_t k = 0;

  if (n_out)
    *n_out = 0;
  if (!n_out || (n && !events) || (cap && !out))
    return TD_ERR_INVALID;
  for (size_t i = 0; i < n; i++)
    if (!valid_id(events[i].candidate))
      return TD_ERR_INVALID;
  if (n == 0)
    return TD_OK;
  p = params_or_default(p, &tmp);
  v = malloc(n * sizeof *v);
  if (!v)
    return TD_ERR_NOMEM;
  for (size_t i = 0; i < n; i++) {
    fb_signal s = fb_column_signal(events[i].column);
    v[i].e = &events[i];
    /* progress sorts before a terminal move of the same second (the
     * terminal one then wins); terminal ones by strength, strongest last */
    v[i].key = is_terminal(s) ? 100 + (int)lround(fabs(fb_column_weight(p, events[i].column)) * 100)
                              : fb_column_rank(events[i].column);
  }
  qsort(v, n, sizeof *v, ev_cmp);

  for (size_t g = 0; g < n;) {
    size_t end = g;
    while (end < n && strcmp(v[end].e->candidate, v[g].e->candidate) == 0)
      end++;
    const fb_event *term = NULL, *prog = NULL;
    time_t prog_at = 0;
    for (size_t i = g; i < end; i++) {
      const fb_event *e = v[i].e;
      fb_signal s = fb_column_signal(e->column);
      if (is_terminal(s)) {
        term = e;
        prog = NULL;
      } else if (s == FB_PROGRESS) {
        if (!prog || fb_column_rank(e->column) > fb_column_rank(prog->column))
          prog = e;
        prog_at = e->at;
        term = NULL;
      }
    }
    const fb_event *d = prog ? prog : term;
    if (d) {
      time_t at = prog ? prog_at : d->at;
      double w = fb_column_weight(p, d->column) * fb_decay(p, at, now);
      if (w != 0) {
        if (k < cap) {
          fb_weight *o = &out[k];
          snprintf(o->candidate, sizeof o->candidate, "%s", d->candidate);
          o->column = d->column;
          o->signal = fb_column_signal(d->column);
          o->at = at;
          o->weight = w;
        }
        k++;
      }
    }
    g = end;
  }
  free(v);
  *n_out = k;
  return k > cap ? TD_ERR_INVALID : TD_OK;
}

/* ---- rating changes ------------------------------------------------------- */

int fb_apply_rating(int current, int delta)
{
  if (current < 0)
    current = 0;
  if (current > 5)
    current = 5;
  /* deltas are tiny in practice; clamp first so no overflow is possible */
  if (delta > 5)
    delta = 5;
  if (delta < -5)
    delta = -5;
  int r = current + delta;
  return r < 1 ? 1 : r > 5 ? 5 : r;
}

int fb_rejection_decrements(const fb_params *p, fld_id column, const model_skill *cand,
                            int n_cand, const model_skill *job, int n_job, fb_adjust *out,
                            int cap)
{
  fb_params tmp;
  int k = 0;

  p = params_or_default(p, &tmp);
  if (!p->reject_lowers_skills || p->reject_skill_step <= 0 || !cand || !job || !out)
    return 0;
  if (column != FLD_A_INTERVIEW_REJECTED && column != FLD_A_ASSIGNMENT_REJECTED)
    return 0;
  for (int j = 0; j < n_job && k < cap; j++) {
    if (!(job[j].flags & SKILL_REQUIRED))
      continue;
    const model_skill *cs = NULL;
    for (int i = 0; i < n_cand; i++)
      if (strcasecmp(cand[i].name, job[j].name) == 0) {
        cs = &cand[i];
        break;
      }
    if (!cs || cs->rating <= 1)
      continue;
    int dup = 0;
    for (int i = 0; i < k; i++)
      dup |= strcasecmp(out[i].skill, cs->name) == 0;
    if (dup)
      continue;
    int r = fb_apply_rating(cs->rating, -p->reject_skill_step);
    snprintf(out[k].skill, sizeof out[k].skill, "%s", cs->name);
    out[k].skill_id = tax_lookup(cs->name, strlen(cs->name));
    out[k].delta = r - cs->rating;
    k++;
  }
  return k;
}

/* ---- text folding --------------------------------------------------------- */

/* Decodes one UTF-8 sequence; an invalid byte decodes as itself (so folding
 * never loses input) and counts 1. */
static size_t u8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
  unsigned char c = s[0];
  size_t n;
  uint32_t v;
  if (c < 0x80) {
    *cp = c;
    return 1;
  } else if ((c & 0xE0) == 0xC0) {
    n = 2, v = c & 0x1F;
  } else if ((c & 0xF0) == 0xE0) {
    n = 3, v = c & 0x0F;
  } else if ((c & 0xF8) == 0xF0) {
    n = 4, v = c & 0x07;
  } else {
    *cp = c;
    return 1;
  }
  if (n > len) {
    *cp = c;
    return 1;
  }
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) {
      *cp = c;
      return 1;
    }
    v = (v << 6) | (s[i] & 0x3F);
  }
  *cp = v;
  return n;
}

/* ASCII base letters of U+00C0..U+00FF ('\0' = keep as is; '*' = two letters). */
static const char latin1[65] =
    "aaaaaa*ceeeeiiii" /* C0..CF: À..Ï, Æ */
    "dnooooo\0ouuuuy**" /* D0..DF: Ð..ß (× kept, Þ, ß) */
    "aaaaaa*ceeeeiiii" /* E0..EF */
    "dnooooo\0ouuuuy*y"; /* F0..FF (÷ kept, þ) */
/* U+0100..U+017F, Latin Extended-A ('*' = two letters). */
static const char latin_ext_a[129] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii**jjkkklllllll"  /* 100..13F */
    "lllnnnnnnnnnoooooo**rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs"; /* 140..17F */
_Static_assert(sizeof latin1 == 65, "Latin-1 table covers 64 code points");
_Static_assert(sizeof latin_ext_a == 129, "Latin Extended-A table covers 128 code points");

static const char *two_letters(uint32_t cp)
{
  switch (cp) {
  case 0xC6: case 0xE6: return "ae";
  case 0xDE: case 0xFE: return "th";
  case 0xDF: return "ss";
  case 0x132: case 0x133: return "ij";
  case 0x152: case 0x153: return "oe";
  default: return "?";
  }
}

/* Folds a name for comparison: ASCII lower case, Latin accents removed
 * (precomposed, and combining marks dropped), typographic apostrophes and
 * hyphens made ASCII, whitespace runs collapsed, ends trimmed.  Returns the
 * length written, or -1 when it does not fit (then it never matches). */
static int fold_name(const char *in, size_t len, char *out, size_t cap)
{
  const unsigned char *s = (const unsigned char *)in;
  size_t o = 0, i = 0;
  int pending_space = 0;

  while (i < len) {
    uint32_t cp;
    size_t n = u8_next(s + i, len - i, &cp);
    char buf[4];
    const char *rep = NULL;
    size_t rlen = 0;

    if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0) {
      pending_space = o > 0;
      i += n;
      continue;
    }
    if (cp >= 0x300 && cp <= 0x36F) {  /* combining diacritics (NFD input) */
      i += n;
      continue;
    }
    if (cp < 0x80) {
      buf[0] = (char)tolower((int)cp);
      rep = buf, rlen = 1;
    } else if (cp >= 0xC0 && cp <= 0xFF && latin1[cp - 0xC0]) {
      char c = latin1[cp - 0xC0];
      if (c == '*')
        rep = two_letters(cp), rlen = 2;
      else
        buf[0] = c, rep = buf, rlen = 1;
    } else if (cp >= 0x100 && cp <= 0x17F) {
      char c = latin_ext_a[cp - 0x100];
      if (c == '*')
        rep = two_letters(cp), rlen = 2;
      else
        buf[0] = c, rep = buf, rlen = 1;
    } else if (cp == 0x2018 || cp == 0x2019 || cp == 0x02BC) {
      rep = "'", rlen = 1;
    } else if (cp == 0x2010 || cp == 0x2011) {
      rep = "-", rlen = 1;
    } else {
      rep = in + i, rlen = n;  /* other scripts: compared byte for byte */
    }
    if (o + pending_space + rlen >= cap)
      return -1;
    if (pending_space)
      out[o++] = ' ';
    pending_space = 0;
    memcpy(out + o, rep, rlen);
    o += rlen;
    i += n;
  }
  out[o] = '\0';
  return (int)o;
}

/* Identity normalization: ends trimmed, whitespace runs collapsed to one
 * space, ASCII lower case.  Never longer than the input. */
static size_t norm_line(const char *s, size_t len, char *out)
{
  size_t o = 0;
  int space = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      space = o > 0;
      continue;
    }
    if (space)
      out[o++] = ' ';
    space = 0;
    out[o++] = (char)tolower(c);
  }
  return o;
}

void fb_line_identity(const char *ats_record_id, const char *line, size_t len,
                      unsigned occurrence, char out[FB_ID_HEX])
{
  crypto_hash_sha256_state st;
  unsigned char h[crypto_hash_sha256_BYTES];
  char occ[16];
  char chunk[256];
  const char *id = ats_record_id ? ats_record_id : "";

  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, (const unsigned char *)id, strlen(id));
  /* unit separators keep (id, line) pairs from colliding by concatenation */
  crypto_hash_sha256_update(&st, (const unsigned char *)"\x1f", 1);
  /* normalize in chunks so a line of any length needs no allocation; a
   * whitespace run across a chunk border is handled by carrying state */
  int space = 0, started = 0;
  size_t o = 0;
  for (size_t i = 0; i < (line ? len : 0); i++) {
    unsigned char c = (unsigned char)line[i];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') {
      space = started;
      continue;
    }
    if (o + 2 > sizeof chunk) {
      crypto_hash_sha256_update(&st, (const unsigned char *)chunk, o);
      o = 0;
    }
    if (space)
      chunk[o++] = ' ';
    space = 0;
    started = 1;
    chunk[o++] = (char)tolower(c);
  }
  crypto_hash_sha256_update(&st, (const unsigned char *)chunk, o);
  int n = snprintf(occ, sizeof occ, "\x1f%u", occurrence);
  crypto_hash_sha256_update(&st, (const unsigned char *)occ, (size_t)n);
  crypto_hash_sha256_final(&st, h);
  sodium_bin2hex(out, FB_ID_HEX, h, sizeof h);
}

/* ---- the line parser ------------------------------------------------------ */

const char *fb_line_status_name(fb_line_status s)
{
  static const char *const names[] = {"ok", "ignored", "malformed", "unresolved", "ambiguous"};
  return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

static int is_ws(unsigned char c) { return c == ' ' || c == '\t' || c == '\r'; }
static int is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int is_alpha(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
}

/* Bytes of a sign at s[i] ('+', '-', U+2212 minus, U+2013 en dash), or 0. */
static size_t sign_len(const char *s, size_t i, size_t len, int *neg)
{
  const unsigned char *u = (const unsigned char *)s;
  if (u[i] == '+' || u[i] == '-') {
    *neg = u[i] == '-';
    return 1;
  }
  if (i + 2 < len && u[i] == 0xE2 &&
      ((u[i + 1] == 0x88 && u[i + 2] == 0x92) || (u[i + 1] == 0x80 && u[i + 2] == 0x93))) {
    *neg = 1;
    return 3;
  }
  return 0;
}

/* The end of a number: nothing, space, an item or clause separator, or a
 * full stop that does not start a decimal part. */
static int num_boundary(const char *s, size_t i, size_t len)
{
  if (i >= len)
    return 1;
  unsigned char c = (unsigned char)s[i];
  if (is_ws(c) || c == ',' || c == ';' || c == ')')
    return 1;
  return c == '.' && (i + 1 >= len || !is_digit((unsigned char)s[i + 1]));
}

/* 1 when [s, s+len) holds a sign glued to digits that end at a boundary
 * ("+2", "-1,", "−3"), the sign not following a digit (so "2026-11-12" and
 * "10-20" are not changes). */
static int has_signed_number(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    int neg;
    size_t sl = sign_len(s, i, len, &neg);
    if (!sl || (i > 0 && is_digit((unsigned char)s[i - 1])))
      continue;
    size_t j = i + sl;
    if (j >= len || !is_digit((unsigned char)s[j]))
      continue;
    while (j < len && is_digit((unsigned char)s[j]))
      j++;
    /* "+2.5" is a change written wrong, not prose: report it */
    if (j + 1 < len && s[j] == '.' && is_digit((unsigned char)s[j + 1]))
      for (j++; j < len && is_digit((unsigned char)s[j]);)
        j++;
    if (num_boundary(s, j, len))
      return 1;
  }
  return 0;
}

/* 1 when the tail holds something a recruiter probably meant as a rating
 * change: a signed number anywhere, or a bare number that ends an item
 * ("Go 5", "Go 5, Rust +1").  A bare number inside prose ("2 candidates
 * withdrew") does not count, so such lines stay ignored. */
static int looks_like_change(const char *s, size_t len)
{
  if (has_signed_number(s, len))
    return 1;
  for (size_t i = 0; i < len; i++) {
    if (!is_digit((unsigned char)s[i]) || (i > 0 && !is_ws((unsigned char)s[i - 1]) && s[i - 1] != ','))
      continue;
    size_t j = i;
    while (j < len && is_digit((unsigned char)s[j]))
      j++;
    size_t k = j;
    while (k < len && is_ws((unsigned char)s[k]))
      k++;
    if (k == len || s[k] == ',' || s[k] == ';')
      return 1;
    i = j;
  }
  return 0;
}

static int is_record_id(const char *s, size_t len)
{
  if (len != 17 || memcmp(s, "rec", 3) != 0)
    return 0;
  for (size_t i = 3; i < len; i++)
    if (!isalnum((unsigned char)s[i]))
      return 0;
  return 1;
}

/* A person's name as recruiters write it: letters (any script), spaces,
 * apostrophes, hyphens and dots; no digits; at most six words. */
static int name_like(const char *s, size_t len)
{
  int letters = 0, words = 0, in_word = 0;
  if (len == 0 || len > 200)
    return 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (is_ws(c)) {
      in_word = 0;
      continue;
    }
    if (!is_alpha(c) && c != '\'' && c != '-' && c != '.')
      return 0;
    letters += is_alpha(c);
    if (!in_word)
      words++;
    in_word = 1;
  }
  return letters > 0 && words <= 6;
}

static void trim(const char **s, size_t *len)
{
  while (*len && is_ws((unsigned char)(*s)[0]))
    (*s)++, (*len)--;
  while (*len && is_ws((unsigned char)(*s)[*len - 1]))
    (*len)--;
}

static int skill_char_ok(unsigned char c)
{
  return isalnum(c) || c >= 0x80 || c == ' ' || c == '.' || c == '+' || c == '#' || c == '-' ||
         c == '/' || c == '_' || c == '&' || c == '\'';
}

#define SHOW 60 /* item text quoted in a reason, at most */

static fb_line_status malformed(fb_line *out, const char *fmt_item, const char *item,
                                size_t item_len)
{
  int n = item_len > SHOW ? SHOW : (int)item_len;
  out->status = FB_LINE_MALFORMED;
  out->n_items = 0;
  /* every reason is "'<item>': <why>"; fmt_item is a fixed string */
  snprintf(out->reason, sizeof out->reason, "'%.*s%s': %s", n, item,
           item_len > SHOW ? "..." : "", fmt_item);
  return out->status;
}

/* Parses one comma-separated item "<skill> <sign><digit>" into out->items. */
static fb_line_status parse_item(const char *it, size_t len, fb_line *out)
{
  size_t end, d;
  trim(&it, &len);
  end = len;
  if (len == 0)
    return malformed(out, "empty item (two commas in a row or a trailing comma)", it, 0);
  d = end;
  while (d > 0 && is_digit((unsigned char)it[d - 1]))
    d--;
  if (d == end)
    return malformed(out, "no rating change at the end (write e.g. 'Go +1')", it, len);
  if (d >= 2 && it[d - 1] == '.' && is_digit((unsigned char)it[d - 2]))
    return malformed(out, "the change must be one digit from 1 to 4", it, len);
  /* the sign, possibly separated from the digit by spaces ("Go - 2") */
  size_t p = d;
  while (p > 0 && is_ws((unsigned char)it[p - 1]))
    p--;
  int neg = 0;
  size_t sl = 0;
  if (p >= 1 && (it[p - 1] == '+' || it[p - 1] == '-'))
    sl = sign_len(it, p - 1, len, &neg);
  else if (p >= 3)
    sl = sign_len(it, p - 3, len, &neg) == 3 ? 3 : 0;
  if (!sl)
    return malformed(out, "needs an explicit + or - before the number", it, len);
  if (end - d != 1 || it[d] < '1' || it[d] > '4')
    return malformed(out, "the change must be one digit from 1 to 4", it, len);
  int delta = (it[d] - '0') * (neg ? -1 : 1);

  /* "Go ++2" or "Go + +2": a doubled sign, not the skill "Go +"; so "C++"
   * needs a space before its change ("C++ +1") */
  if (p - sl > 0 && (it[p - sl - 1] == '+' || it[p - sl - 1] == '-'))
    return malformed(out, "doubled sign; write e.g. 'Go +1' (and 'C++ +1')", it, len);
  const char *sk = it;
  size_t sklen = p - sl;
  trim(&sk, &sklen);
  if (sklen >= 2 && (sk[sklen - 1] == '+' || sk[sklen - 1] == '-') && is_ws((unsigned char)sk[sklen - 2]))
    return malformed(out, "doubled sign; write e.g. 'Go +1' (and 'C++ +1')", it, len);
  if (sklen == 0)
    return malformed(out, "missing skill name", it, len);
  int letter = 0;
  for (size_t i = 0; i < sklen; i++) {
    if (!skill_char_ok((unsigned char)sk[i]))
      return malformed(out, "unexpected character in the skill name", it, len);
    letter |= is_alpha((unsigned char)sk[i]);
  }
  if (!letter)
    return malformed(out, "missing skill name", it, len);
  if (has_signed_number(sk, sklen))
    return malformed(out, "one change per skill; separate skills with commas", it, len);
  if (sklen >= MODEL_SKILL_LEN)
    return malformed(out, "skill name too long", it, len);
  if (out->n_items >= FB_MAX_ITEMS)
    return malformed(out, "more than 16 skills on one line", it, len);

  char raw[MODEL_SKILL_LEN];
  memcpy(raw, sk, sklen);
  raw[sklen] = '\0';
  fb_adjust *a = &out->items[out->n_items];
  a->skill_id = tax_canonical(raw, a->skill, sizeof a->skill);
  a->delta = delta;
  for (int i = 0; i < out->n_items; i++)
    if (strcasecmp(out->items[i].skill, a->skill) == 0)
      return malformed(out, "this skill appears twice on the line", it, len);
  out->n_items++;
  return FB_LINE_OK;
}

static void resolve(const char *who, size_t wlen, int rec, const fb_person *people,
                    size_t n_people, fb_line *out)
{
  const char *found = NULL;

  if (rec) {
    for (size_t i = 0; i < n_people; i++)
      if (people[i].record_id && strlen(people[i].record_id) == wlen &&
          memcmp(people[i].record_id, who, wlen) == 0) {
        found = people[i].record_id;
        break;
      }
    if (!found) {
      out->status = FB_LINE_UNRESOLVED;
      snprintf(out->reason, sizeof out->reason, "record id not among the candidates");
      return;
    }
  } else {
    char want[256], have[256];
    if (fold_name(who, wlen, want, sizeof want) <= 0) {
      out->status = FB_LINE_UNRESOLVED;
      snprintf(out->reason, sizeof out->reason, "name too long");
      return;
    }
    size_t hits = 0;
    for (size_t i = 0; i < n_people; i++) {
      const fb_person *pp = &people[i];
      if (!pp->name || !pp->record_id || !valid_id(pp->record_id))
        continue;
      if (fold_name(pp->name, strlen(pp->name), have, sizeof have) <= 0 || strcmp(want, have))
        continue;
      /* the same person listed twice is one person */
      if (found && strcmp(found, pp->record_id) == 0)
        continue;
      found = pp->record_id;
      hits++;
    }
    if (hits == 0) {
      out->status = FB_LINE_UNRESOLVED;
      snprintf(out->reason, sizeof out->reason, "no candidate has this name");
      return;
    }
    if (hits > 1) {
      out->status = FB_LINE_AMBIGUOUS;
      snprintf(out->reason, sizeof out->reason,
               "%zu candidates have this name; write the record id instead", hits);
      return;
    }
  }
  if (!valid_id(found)) {
    out->status = FB_LINE_UNRESOLVED;
    snprintf(out->reason, sizeof out->reason, "record id too long");
    return;
  }
  snprintf(out->candidate, sizeof out->candidate, "%s", found);
  out->status = FB_LINE_OK;
}

fb_line_status fb_parse_line(const char *line, size_t len, const fb_person *people,
                             size_t n_people, fb_line *out)
{
  memset(out, 0, sizeof *out);
  out->status = FB_LINE_IGNORED;
  if (!line)
    return out->status;
  if (n_people && !people)
    n_people = 0;

  const char *s = line;
  trim(&s, &len);
  /* list bullets recruiters type out of habit */
  if (len >= 2 && (s[0] == '-' || s[0] == '*') && is_ws((unsigned char)s[1]))
    s += 2, len -= 2;
  else if (len >= 4 && memcmp(s, "\xE2\x80\xA2", 3) == 0 && is_ws((unsigned char)s[3]))
    s += 4, len -= 4;
  trim(&s, &len);
  if (len && s[len - 1] == '.')
    len--;

  const char *colon = memchr(s, ':', len);
  if (!colon)
    return out->status;
  const char *who = s, *tail = colon + 1;
  size_t wlen = (size_t)(colon - s), tlen = len - wlen - 1;
  trim(&who, &wlen);
  trim(&tail, &tlen);

  int rec = is_record_id(who, wlen);
  if (!rec && (!name_like(who, wlen) || !looks_like_change(tail, tlen)))
    return out->status;

  if (tlen == 0)
    return malformed(out, "no skill changes after the colon", tail, 0);
  size_t start = 0;
  for (size_t i = 0; i <= tlen; i++) {
    if (i < tlen && tail[i] != ',')
      continue;
    if (parse_item(tail + start, i - start, out) != FB_LINE_OK)
      return out->status;
    start = i + 1;
  }
  resolve(who, wlen, rec, people, n_people, out);
  return out->status;
}

td_err fb_parse_feedback(const char *ats_record_id, const char *text, const fb_person *people,
                         size_t n_people, fb_line *out, size_t cap, size_t *n_out)
{
  size_t k = 0, nlines = 1, tlen;
  char *norm = NULL;
  size_t *off = NULL, *nlen = NULL;
  td_err rc = TD_OK;

  if (n_out)
    *n_out = 0;
  if (!n_out || !ats_record_id || !ats_record_id[0] || (cap && !out))
    return TD_ERR_INVALID;
  if (!text)
    return TD_OK;
  tlen = strlen(text);
  for (size_t i = 0; i < tlen; i++)
    nlines += text[i] == '\n';
  /* normalized lines, to number equal lines (the identity's occurrence) */
  norm = malloc(tlen + 1);
  off = malloc(nlines * sizeof *off);
  nlen = malloc(nlines * sizeof *nlen);
  if (!norm || !off || !nlen) {
    rc = TD_ERR_NOMEM;
    goto out;
  }
  size_t pos = 0, o = 0;
  for (size_t ln = 0; ln < nlines; ln++) {
    const char *nl = memchr(text + pos, '\n', tlen - pos);
    size_t l = nl ? (size_t)(nl - (text + pos)) : tlen - pos;
    off[ln] = o;
    nlen[ln] = norm_line(text + pos, l, norm + o);
    o += nlen[ln];

    fb_line tmp;
    fb_line *dst = k < cap ? &out[k] : &tmp;
    if (fb_parse_line(text + pos, l, people, n_people, dst) != FB_LINE_IGNORED) {
      unsigned occ = 0;
      for (size_t j = 0; j < ln; j++)
        occ += nlen[j] == nlen[ln] && memcmp(norm + off[j], norm + off[ln], nlen[ln]) == 0;
      dst->line_no = (unsigned)(ln + 1);
      fb_line_identity(ats_record_id, text + pos, l, occ, dst->id);
      k++;
    }
    pos += l + 1;
  }
  *n_out = k;
  if (k > cap)
    rc = TD_ERR_INVALID;
out:
  free(norm);
  free(off);
  free(nlen);
  return rc;
}
