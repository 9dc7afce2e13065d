/* emu_formula — filterByFormula for the Airtable emulator: a recursive-descent
 * parser to an AST, then an evaluator run once per record.
 *
 * Only a deliberate subset of Airtable's formula language is accepted (see
 * FUNCS below).  Anything else is rejected as INVALID_FILTER_BY_FORMULA on
 * purpose: talentd must build its formulas from functions that are known to
 * behave here exactly as on Airtable, so an unexpected function is a bug to
 * surface, not to guess at.  Precedence follows Airtable/Excel: comparison <
 * & < + - < * / < unary minus.  Values follow Airtable: blank equals both ""
 * and 0; arrays (links, multiple selects) become ", "-joined text, and link
 * cells show the primary values of the linked records, as in the grid. */
#include "emu.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef enum { N_NUM, N_STR, N_FIELD, N_CALL, N_BIN, N_NEG } node_kind;

typedef enum {
  F_AND, F_OR, F_NOT, F_IF, F_RECORD_ID, F_BLANK, F_TRUE, F_FALSE, F_FIND, F_LOWER, F_UPPER, F_LEN,
  F_ARRAYJOIN
} func_id;

static const struct {
  const char *name;
  func_id id;
  int min, max; /* max -1 = any */
} FUNCS[] = {
    {"AND", F_AND, 1, -1},        {"OR", F_OR, 1, -1},           {"NOT", F_NOT, 1, 1},
    {"IF", F_IF, 2, 3},           {"RECORD_ID", F_RECORD_ID, 0, 0}, {"BLANK", F_BLANK, 0, 0},
    {"TRUE", F_TRUE, 0, 0},       {"FALSE", F_FALSE, 0, 0},      {"FIND", F_FIND, 2, 3},
    {"LOWER", F_LOWER, 1, 1},     {"UPPER", F_UPPER, 1, 1},      {"LEN", F_LEN, 1, 1},
    {"ARRAYJOIN", F_ARRAYJOIN, 1, 2},
};

typedef struct node {
  node_kind kind;
  double num;
  char *str;
  emu_field *field;
  func_id fn;
  int op; /* N_BIN: '=', '!', '<', '>', 'l' (<=), 'g' (>=), '&', '+', '-', '*', '/' */
  struct node **args;
  size_t nargs;
} node;

struct emu_formula {
  node *root;
};

typedef struct parser {
  const char *s;
  size_t pos;
  emu_table *t;
  char *err;
  size_t errlen;
  int failed;
} parser;

static void *xcalloc(size_t n, size_t sz) {
  void *p = calloc(n ? n : 1, sz);
  if (!p) abort();
  return p;
}

static void node_free(node *n) {
  if (!n) return;
  for (size_t i = 0; i < n->nargs; i++) node_free(n->args[i]);
  free(n->args);
  free(n->str);
  free(n);
}

__attribute__((format(printf, 2, 3))) static node *fail(parser *p, const char *fmt, ...) {
  if (!p->failed) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err, p->errlen, fmt, ap);
    va_end(ap);
  }
  p->failed = 1;
  return NULL;
}

static void skip_ws(parser *p) {
  while (p->s[p->pos] && isspace((unsigned char)p->s[p->pos])) p->pos++;
}

static int peek(parser *p) {
  skip_ws(p);
  return (unsigned char)p->s[p->pos];
}

static node *new_node(node_kind k) {
  node *n = xcalloc(1, sizeof *n);
  n->kind = k;
  return n;
}

static void add_arg(node *n, node *a) {
  n->args = realloc(n->args, (n->nargs + 1) * sizeof *n->args);
  if (!n->args) abort();
  n->args[n->nargs++] = a;
}

static node *parse_expr(parser *p);

static node *parse_string(parser *p, char quote) {
  size_t cap = 16, len = 0;
  char *buf = xcalloc(cap, 1);
  p->pos++;
  for (;;) {
    char c = p->s[p->pos];
    if (c == '\0') {
      free(buf);
      return fail(p, "unterminated string literal");
    }
    p->pos++;
    if (c == quote) break;
    if (c == '\\') {
      char e = p->s[p->pos];
      if (e == '\0') continue;
      p->pos++;
      c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
    }
    if (len + 2 > cap) {
      cap *= 2;
      buf = realloc(buf, cap);
      if (!buf) abort();
    }
    buf[len++] = c;
  }
  buf[len] = '\0';
  node *n = new_node(N_STR);
  n->str = buf;
  return n;
}

static node *field_ref(parser *p, const char *name) {
  emu_field *f = emu_field_find(p->t, name);
  if (!f) return fail(p, "Unknown field names: %s", name);
  node *n = new_node(N_FIELD);
  n->field = f;
  return n;
}

static node *parse_primary(parser *p) {
  int c = peek(p);
  if (c == '(') {
    p->pos++;
    node *n = parse_expr(p);
    if (!n) return NULL;
    if (peek(p) != ')') {
      node_free(n);
      return fail(p, "expected ')' at position %zu", p->pos);
    }
    p->pos++;
    return n;
  }
  if (c == '\'' || c == '"') return parse_string(p, (char)c);
  if (c == '{') {
    const char *start = p->s + p->pos + 1;
    const char *end = strchr(start, '}');
    if (!end) return fail(p, "unterminated field reference");
    char name[512];
    snprintf(name, sizeof name, "%.*s", (int)(end - start), start);
    p->pos += (size_t)(end - start) + 2;
    return field_ref(p, name);
  }
  if (isdigit(c) || c == '.') {
    char *end;
    double d = strtod(p->s + p->pos, &end);
    if (end == p->s + p->pos) return fail(p, "bad number at position %zu", p->pos);
    p->pos = (size_t)(end - p->s);
    node *n = new_node(N_NUM);
    n->num = d;
    return n;
  }
  if (isalpha(c) || c == '_') {
    size_t start = p->pos;
    while (isalnum((unsigned char)p->s[p->pos]) || p->s[p->pos] == '_') p->pos++;
    char name[128];
    snprintf(name, sizeof name, "%.*s", (int)(p->pos - start), p->s + start);
    if (peek(p) != '(') {
      /* Airtable accepts bare TRUE/FALSE and single-word field names */
      if (strcasecmp(name, "TRUE") == 0 || strcasecmp(name, "FALSE") == 0) {
        node *n = new_node(N_NUM);
        n->num = strcasecmp(name, "TRUE") == 0;
        return n;
      }
      if (emu_field_find(p->t, name)) return field_ref(p, name);
      return fail(p, "unknown identifier %s", name);
    }
    size_t k;
    for (k = 0; k < sizeof FUNCS / sizeof FUNCS[0]; k++)
      if (strcasecmp(FUNCS[k].name, name) == 0) break;
    if (k == sizeof FUNCS / sizeof FUNCS[0]) return fail(p, "unknown function %s", name);
    p->pos++; /* '(' */
    node *n = new_node(N_CALL);
    n->fn = FUNCS[k].id;
    if (peek(p) != ')') {
      for (;;) {
        node *a = parse_expr(p);
        if (!a) {
          node_free(n);
          return NULL;
        }
        add_arg(n, a);
        if (peek(p) == ',') {
          p->pos++;
          continue;
        }
        break;
      }
    }
    if (peek(p) != ')') {
      node_free(n);
      return fail(p, "expected ')' after the arguments of %s", FUNCS[k].name);
    }
    p->pos++;
    if ((int)n->nargs < FUNCS[k].min || (FUNCS[k].max >= 0 && (int)n->nargs > FUNCS[k].max)) {
      node_free(n);
      return fail(p, "wrong number of arguments to %s", FUNCS[k].name);
    }
    return n;
  }
  if (c == '\0') return fail(p, "unexpected end of formula");
  return fail(p, "unexpected character '%c' at position %zu", c, p->pos);
}

static node *parse_unary(parser *p) {
  int c = peek(p);
  if (c == '-' || c == '+') {
    p->pos++;
    node *a = parse_unary(p);
    if (!a) return NULL;
    if (c == '+') return a;
    node *n = new_node(N_NEG);
    add_arg(n, a);
    return n;
  }
  return parse_primary(p);
}

static node *binary(int op, node *l, node *r) {
  node *n = new_node(N_BIN);
  n->op = op;
  add_arg(n, l);
  add_arg(n, r);
  return n;
}

static node *parse_mul(parser *p) {
  node *l = parse_unary(p);
  while (l) {
    int c = peek(p);
    if (c != '*' && c != '/') break;
    p->pos++;
    node *r = parse_unary(p);
    if (!r) {
      node_free(l);
      return NULL;
    }
    l = binary(c, l, r);
  }
  return l;
}

static node *parse_add(parser *p) {
  node *l = parse_mul(p);
  while (l) {
    int c = peek(p);
    if (c != '+' && c != '-') break;
    p->pos++;
    node *r = parse_mul(p);
    if (!r) {
      node_free(l);
      return NULL;
    }
    l = binary(c, l, r);
  }
  return l;
}

static node *parse_concat(parser *p) {
  node *l = parse_add(p);
  while (l && peek(p) == '&') {
    p->pos++;
    node *r = parse_add(p);
    if (!r) {
      node_free(l);
      return NULL;
    }
    l = binary('&', l, r);
  }
  return l;
}

static node *parse_cmp(parser *p) {
  node *l = parse_concat(p);
  while (l) {
    const char *s = p->s + (skip_ws(p), p->pos);
    int op = 0;
    size_t len = 1;
    if (s[0] == '!' && s[1] == '=') op = '!', len = 2;
    else if (s[0] == '<' && s[1] == '>') op = '!', len = 2;
    else if (s[0] == '<' && s[1] == '=') op = 'l', len = 2;
    else if (s[0] == '>' && s[1] == '=') op = 'g', len = 2;
    else if (s[0] == '=') op = '=';
    else if (s[0] == '<') op = '<';
    else if (s[0] == '>') op = '>';
    if (!op) break;
    p->pos += len;
    node *r = parse_concat(p);
    if (!r) {
      node_free(l);
      return NULL;
    }
    l = binary(op, l, r);
  }
  return l;
}

static node *parse_expr(parser *p) { return parse_cmp(p); }

emu_formula *emu_formula_parse(const char *src, emu_table *t, char *err, size_t errlen) {
  parser p = {.s = src, .t = t, .err = err, .errlen = errlen};
  node *root = parse_expr(&p);
  if (root && peek(&p) != '\0') {
    node_free(root);
    root = fail(&p, "unexpected '%c' at position %zu", p.s[p.pos], p.pos);
  }
  if (!root) return NULL;
  emu_formula *f = xcalloc(1, sizeof *f);
  f->root = root;
  return f;
}

void emu_formula_free(emu_formula *f) {
  if (!f) return;
  node_free(f->root);
  free(f);
}

/* -------------------------------------------------------------- values -- */

typedef enum { V_BLANK, V_NUM, V_STR, V_BOOL, V_ARR, V_ERR } vkind;

typedef struct value {
  vkind kind;
  double num;  /* V_NUM, V_BOOL */
  char *str;   /* V_STR, V_ARR (joined text) */
  char **items; /* V_ARR */
  size_t nitems;
} value;

static char *dupstr(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (!p) abort();
  memcpy(p, s, n);
  return p;
}

static void vfree(value *v) {
  free(v->str);
  for (size_t i = 0; i < v->nitems; i++) free(v->items[i]);
  free(v->items);
  memset(v, 0, sizeof *v);
}

static value vnum(double d) { return (value){.kind = V_NUM, .num = d}; }
static value vbool(int b) { return (value){.kind = V_BOOL, .num = b ? 1 : 0}; }
static value vstr_own(char *s) { return (value){.kind = V_STR, .str = s}; }
static value verr(void) { return (value){.kind = V_ERR}; }

static int truthy(const value *v) {
  switch (v->kind) {
  case V_NUM:
  case V_BOOL: return v->num != 0 && !isnan(v->num);
  case V_STR: return v->str[0] != '\0';
  case V_ARR: return v->nitems > 0;
  default: return 0;
  }
}

static char *num_text(double d) {
  char b[64];
  if (d == floor(d) && fabs(d) < 1e15)
    snprintf(b, sizeof b, "%.0f", d);
  else
    snprintf(b, sizeof b, "%.15g", d);
  return dupstr(b);
}

static char *to_text(const value *v) {
  switch (v->kind) {
  case V_NUM: return num_text(v->num);
  case V_BOOL: return dupstr(v->num ? "1" : "0");
  case V_STR:
  case V_ARR: return dupstr(v->str);
  default: return dupstr("");
  }
}

/* 0 when v has no numeric reading (Airtable then yields #ERROR). */
static int to_num(const value *v, double *out) {
  switch (v->kind) {
  case V_NUM:
  case V_BOOL: *out = v->num; return 1;
  case V_BLANK: *out = 0; return 1;
  case V_STR: {
    char *end;
    const char *s = v->str;
    while (isspace((unsigned char)*s)) s++;
    if (*s == '\0') {
      *out = 0;
      return 1;
    }
    *out = strtod(s, &end);
    while (isspace((unsigned char)*end)) end++;
    return end != s && *end == '\0';
  }
  default: return 0;
  }
}

static value cell_value(const emu_field *f, const cJSON *c) {
  if (!c) {
    if (strcmp(f->type, "checkbox") == 0) return vbool(0);
    return (value){.kind = V_BLANK};
  }
  if (cJSON_IsNumber(c)) return vnum(c->valuedouble);
  if (cJSON_IsBool(c)) return vbool(cJSON_IsTrue(c));
  if (cJSON_IsString(c) && !f->link) return vstr_own(dupstr(c->valuestring));
  value v = {.kind = V_ARR};
  v.str = emu_cell_text(f, c);
  if (cJSON_IsArray(c)) {
    size_t n = (size_t)cJSON_GetArraySize(c);
    v.items = xcalloc(n, sizeof *v.items);
    const cJSON *e;
    cJSON_ArrayForEach(e, c) v.items[v.nitems++] = emu_cell_text(f, e);
  } else {
    v.kind = V_STR;
  }
  return v;
}

typedef struct ctx {
  const emu_table *t;
  const emu_record *r;
} ctx;

static value eval(const node *n, const ctx *c);

static int compare(const value *a, const value *b, int *cmp) {
  double x, y;
  int a_str = a->kind == V_STR || a->kind == V_ARR, b_str = b->kind == V_STR || b->kind == V_ARR;
  if (a->kind == V_ERR || b->kind == V_ERR) return 0;
  if ((!a_str || !b_str) && to_num(a, &x) && to_num(b, &y) &&
      !(a->kind == V_BLANK && b_str) && !(b->kind == V_BLANK && a_str)) {
    *cmp = x < y ? -1 : x > y;
    return 1;
  }
  char *s = to_text(a), *t = to_text(b);
  int r = strcmp(s, t);
  *cmp = r < 0 ? -1 : r > 0;
  free(s);
  free(t);
  return 1;
}

static value eval_bin(const node *n, const ctx *c) {
  value a = eval(n->args[0], c), b = eval(n->args[1], c), r;
  int cmp;
  double x, y;
  if (n->op == '&') {
    if (a.kind == V_ERR || b.kind == V_ERR) {
      r = verr();
    } else {
      char *s = to_text(&a), *t = to_text(&b);
      size_t ls = strlen(s), lt = strlen(t);
      char *u = xcalloc(ls + lt + 1, 1);
      memcpy(u, s, ls);
      memcpy(u + ls, t, lt);
      free(s);
      free(t);
      r = vstr_own(u);
    }
  } else if (strchr("+-*/", n->op)) {
    if (!to_num(&a, &x) || !to_num(&b, &y) || (n->op == '/' && y == 0))
      r = verr();
    else
      r = vnum(n->op == '+' ? x + y : n->op == '-' ? x - y : n->op == '*' ? x * y : x / y);
  } else if (!compare(&a, &b, &cmp)) {
    r = verr();
  } else {
    switch (n->op) {
    case '=': r = vbool(cmp == 0); break;
    case '!': r = vbool(cmp != 0); break;
    case '<': r = vbool(cmp < 0); break;
    case '>': r = vbool(cmp > 0); break;
    case 'l': r = vbool(cmp <= 0); break;
    default: r = vbool(cmp >= 0); break;
    }
  }
  vfree(&a);
  vfree(&b);
  return r;
}

static size_t utf8_len(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

static value eval_call(const node *n, const ctx *c) {
  value a, b, r = {.kind = V_BLANK};
  switch (n->fn) {
  case F_AND:
  case F_OR: {
    int acc = n->fn == F_AND;
    for (size_t i = 0; i < n->nargs; i++) {
      a = eval(n->args[i], c);
      int t = truthy(&a);
      vfree(&a);
      acc = n->fn == F_AND ? acc && t : acc || t;
    }
    return vbool(acc);
  }
  case F_NOT:
    a = eval(n->args[0], c);
    r = vbool(!truthy(&a));
    vfree(&a);
    return r;
  case F_IF:
    a = eval(n->args[0], c);
    {
      int t = truthy(&a);
      vfree(&a);
      if (t) return eval(n->args[1], c);
      return n->nargs > 2 ? eval(n->args[2], c) : (value){.kind = V_BLANK};
    }
  case F_RECORD_ID: return vstr_own(dupstr(c->r->id));
  case F_BLANK: return (value){.kind = V_BLANK};
  case F_TRUE: return vbool(1);
  case F_FALSE: return vbool(0);
  case F_FIND: {
    a = eval(n->args[0], c);
    b = eval(n->args[1], c);
    double start = 1;
    if (n->nargs > 2) {
      value s = eval(n->args[2], c);
      if (!to_num(&s, &start)) start = 1;
      vfree(&s);
    }
    char *needle = to_text(&a), *hay = to_text(&b);
    size_t off = start > 1 ? (size_t)start - 1 : 0;
    if (off > strlen(hay)) off = strlen(hay);
    const char *hit = strstr(hay + off, needle);
    r = vnum(hit ? (double)(hit - hay) + 1 : 0);
    free(needle);
    free(hay);
    vfree(&a);
    vfree(&b);
    return r;
  }
  case F_LOWER:
  case F_UPPER: {
    a = eval(n->args[0], c);
    char *s = to_text(&a);
    for (char *p = s; *p; p++)
      *p = (char)(n->fn == F_LOWER ? tolower((unsigned char)*p) : toupper((unsigned char)*p));
    vfree(&a);
    return vstr_own(s);
  }
  case F_LEN: {
    a = eval(n->args[0], c);
    char *s = to_text(&a);
    r = vnum((double)utf8_len(s));
    free(s);
    vfree(&a);
    return r;
  }
  case F_ARRAYJOIN: {
    a = eval(n->args[0], c);
    char *sep = dupstr(", ");
    if (n->nargs > 1) {
      b = eval(n->args[1], c);
      free(sep);
      sep = to_text(&b);
      vfree(&b);
    }
    if (a.kind != V_ARR) {
      r = vstr_own(to_text(&a));
    } else {
      size_t total = 1, ls = strlen(sep);
      for (size_t i = 0; i < a.nitems; i++) total += strlen(a.items[i]) + ls;
      char *u = xcalloc(total, 1), *p = u;
      for (size_t i = 0; i < a.nitems; i++) {
        if (i) {
          memcpy(p, sep, ls);
          p += ls;
        }
        size_t l = strlen(a.items[i]);
        memcpy(p, a.items[i], l);
        p += l;
      }
      r = vstr_own(u);
    }
    free(sep);
    vfree(&a);
    return r;
  }
  }
  return r;
}

static value eval(const node *n, const ctx *c) {
  switch (n->kind) {
  case N_NUM: return vnum(n->num);
  case N_STR: return vstr_own(dupstr(n->str));
  case N_FIELD:
    return cell_value(n->field, cJSON_GetObjectItemCaseSensitive(c->r->fields, n->field->name));
  case N_NEG: {
    value a = eval(n->args[0], c);
    double x;
    value r = to_num(&a, &x) ? vnum(-x) : verr();
    vfree(&a);
    return r;
  }
  case N_BIN: return eval_bin(n, c);
  case N_CALL: return eval_call(n, c);
  }
  return verr();
}

int emu_formula_match(const emu_formula *f, const emu_table *t, const emu_record *r) {
  ctx c = {t, r};
  value v = eval(f->root, &c);
  int ok = truthy(&v);
  vfree(&v);
  return ok;
}
