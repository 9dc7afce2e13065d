// ---------------------------------------------------------------------------
// talentd — shared part of the Airtable automation scripts (contract §4.1).
//
// Why this looks the way it does: Airtable's "Run a script" action runs plain
// JavaScript with `input`, `output`, `fetch` and `console`, and documents no
// crypto API, no require/import, no Buffer, no TextEncoder and (in practice)
// no setTimeout.  So UTF-8, SHA-256, HMAC and base64 are written out here in
// plain ECMAScript, using only Arrays and 32-bit integer arithmetic.  The
// tests in deploy/airtable/test/ check them against Node's crypto.
//
// Signing follows Standard Webhooks: the signed bytes are
// `webhook-id "." webhook-timestamp "." body`, the key is the base64-decoded
// part after `whsec_`, the header is `v1,<base64 HMAC-SHA256>`.  The body is
// serialized once and the webhook-id chosen once per run, so every retry of
// this run carries the same id and body (talentd's idempotency key); only the
// timestamp and signature are renewed per attempt.
//
// Edit deploy/airtable/src/common.js and run `node deploy/airtable/build.js`;
// never edit the generated scripts by hand.
// ---------------------------------------------------------------------------

var TD_MAX_ATTEMPTS = 5;          // first try + 4 retries
var TD_BUDGET_MS = 27000;         // Airtable kills a script run at 30 s
var TD_FETCH_TIMEOUT_MS = 11000;  // Airtable allows 12 s per fetch
var TD_BACKOFF_MS = [500, 1500, 3000, 5000];

// --- UTF-8 ------------------------------------------------------------------

// String -> array of UTF-8 bytes.  Lone surrogates become U+FFFD, as
// TextEncoder does.
function tdUtf8(str) {
  var out = [];
  for (var i = 0; i < str.length; i++) {
    var c = str.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < str.length) {
      var d = str.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      } else {
        c = 0xfffd;
      }
    } else if (c >= 0xd800 && c <= 0xdfff) {
      c = 0xfffd;
    }
    if (c < 0x80) {
      out.push(c);
    } else if (c < 0x800) {
      out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    } else if (c < 0x10000) {
      out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    } else {
      out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    }
  }
  return out;
}

// --- base64 (RFC 4648 standard alphabet, padded) ---------------------------

var TD_B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function tdBase64Encode(bytes) {
  var s = '';
  var i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    var n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    s += TD_B64[n >> 18] + TD_B64[(n >> 12) & 63] + TD_B64[(n >> 6) & 63] + TD_B64[n & 63];
  }
  if (bytes.length - i === 1) {
    var a = bytes[i] << 16;
    s += TD_B64[a >> 18] + TD_B64[(a >> 12) & 63] + '==';
  } else if (bytes.length - i === 2) {
    var b = (bytes[i] << 16) | (bytes[i + 1] << 8);
    s += TD_B64[b >> 18] + TD_B64[(b >> 12) & 63] + TD_B64[(b >> 6) & 63] + '=';
  }
  return s;
}

// Strict decoder: standard alphabet, length a multiple of 4 with correct
// padding (or unpadded), zero trailing bits — what talentd (libsodium) accepts.
// Returns an array of bytes, or null when the text is not canonical base64.
function tdBase64Decode(str) {
  var s = String(str);
  var pad = 0;
  if (s.length % 4 === 0 && s.length > 0) {
    if (s[s.length - 1] === '=') {
      pad++;
      if (s[s.length - 2] === '=') pad++;
    }
  } else if (s.length % 4 === 1) {
    return null;
  }
  var body = s.slice(0, s.length - pad);
  var bits = 0, acc = 0, out = [];
  for (var i = 0; i < body.length; i++) {
    var v = TD_B64.indexOf(body[i]);
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  if (bits > 0 && (acc & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

// --- SHA-256 (FIPS 180-4) ---------------------------------------------------

var TD_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
];

function tdRotr(x, n) {
  return (x >>> n) | (x << (32 - n));
}

// Array of bytes -> array of 32 bytes.
function tdSha256(bytes) {
  var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
  var len = bytes.length;
  var msg = bytes.slice();
  msg.push(0x80);
  while (msg.length % 64 !== 56) msg.push(0);
  // Message length in bits as a 64-bit big-endian number.
  var hi = Math.floor(len / 0x20000000), lo = (len * 8) >>> 0;
  msg.push((hi >>> 24) & 255, (hi >>> 16) & 255, (hi >>> 8) & 255, hi & 255,
           (lo >>> 24) & 255, (lo >>> 16) & 255, (lo >>> 8) & 255, lo & 255);
  var w = new Array(64);
  for (var off = 0; off < msg.length; off += 64) {
    for (var t = 0; t < 16; t++) {
      var j = off + 4 * t;
      w[t] = ((msg[j] << 24) | (msg[j + 1] << 16) | (msg[j + 2] << 8) | msg[j + 3]) | 0;
    }
    for (t = 16; t < 64; t++) {
      var s0 = tdRotr(w[t - 15], 7) ^ tdRotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      var s1 = tdRotr(w[t - 2], 17) ^ tdRotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (t = 0; t < 64; t++) {
      var S1 = tdRotr(e, 6) ^ tdRotr(e, 11) ^ tdRotr(e, 25);
      var ch = (e & f) ^ (~e & g);
      var t1 = (k + S1 + ch + TD_K[t] + w[t]) | 0;
      var S0 = tdRotr(a, 2) ^ tdRotr(a, 13) ^ tdRotr(a, 22);
      var maj = (a & b) ^ (a & c) ^ (b & c);
      var t2 = (S0 + maj) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0;
      d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
    h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
  }
  var out = [];
  for (var i = 0; i < 8; i++) {
    out.push((h[i] >>> 24) & 255, (h[i] >>> 16) & 255, (h[i] >>> 8) & 255, h[i] & 255);
  }
  return out;
}

// --- HMAC-SHA256 (RFC 2104) -------------------------------------------------

function tdHmacSha256(key, msg) {
  var k = key.length > 64 ? tdSha256(key) : key.slice();
  while (k.length < 64) k.push(0);
  var ipad = [], opad = [];
  for (var i = 0; i < 64; i++) {
    ipad.push(k[i] ^ 0x36);
    opad.push(k[i] ^ 0x5c);
  }
  return tdSha256(opad.concat(tdSha256(ipad.concat(msg))));
}

// --- Standard Webhooks ------------------------------------------------------

// "whsec_<base64>" -> key bytes; throws without ever echoing the secret.
function tdSecretKey(secret) {
  var s = typeof secret === 'string' ? secret.trim() : '';
  if (s.indexOf('whsec_') !== 0) {
    throw new Error('talentd: input variable webhookSecret must start with "whsec_" (value not shown)');
  }
  var key = tdBase64Decode(s.slice(6));
  if (!key || key.length === 0) {
    throw new Error('talentd: input variable webhookSecret is not "whsec_" followed by valid base64 (value not shown)');
  }
  return key;
}

// The webhook-signature header value for one attempt.
function tdSign(secret, id, timestamp, body) {
  var key = tdSecretKey(secret);
  var mac = tdHmacSha256(key, tdUtf8(id + '.' + timestamp + '.' + body));
  return 'v1,' + tdBase64Encode(mac);
}

// True when any v1 entry of a webhook-signature header matches (used by the
// tests and by anyone who wants to check a signature by hand).  Compares the
// full strings without an early exit.
function tdVerify(secret, id, timestamp, body, header) {
  var want = tdSign(secret, id, timestamp, body).slice(3);
  var parts = String(header || '').split(' ');
  var ok = false;
  for (var i = 0; i < parts.length; i++) {
    var p = parts[i];
    if (p.indexOf('v1,') !== 0) continue;
    var got = p.slice(3);
    if (got.length !== want.length) continue;
    var diff = 0;
    for (var j = 0; j < want.length; j++) diff |= want.charCodeAt(j) ^ got.charCodeAt(j);
    if (diff === 0) ok = true;
  }
  return ok;
}

// A fresh id for this event: record id, time and randomness; no "." (the
// signed string uses it as separator).  Chosen once per run, reused by retries.
function tdNewWebhookId(recordId) {
  var rnd = '';
  var c = typeof crypto !== 'undefined' ? crypto : null;
  if (c && typeof c.getRandomValues === 'function') {
    var buf = c.getRandomValues(new Uint8Array(10));
    for (var i = 0; i < buf.length; i++) rnd += (buf[i] + 256).toString(16).slice(1);
  } else {
    for (var n = 0; n < 20; n++) rnd += Math.floor(Math.random() * 16).toString(16);
  }
  return 'msg_' + recordId + '_' + Date.now().toString(36) + '_' + rnd;
}

// --- the event --------------------------------------------------------------

function tdIdOk(v, prefix) {
  return typeof v === 'string' && new RegExp('^' + prefix + '[A-Za-z0-9]{14}$').test(v);
}

// An Airtable input value -> JSON for `fields`: select options and
// collaborators by name, linked records by id; empty -> undefined.
function tdCellValue(v) {
  if (v === null || v === undefined || v === '') return undefined;
  if (Array.isArray(v)) {
    var arr = [];
    for (var i = 0; i < v.length; i++) {
      var x = v[i];
      if (x && typeof x === 'object') x = typeof x.id === 'string' && /^rec/.test(x.id) ? x.id : (x.name !== undefined ? x.name : x.id);
      if (x !== null && x !== undefined) arr.push(x);
    }
    return arr;
  }
  if (typeof v === 'object') return v.name !== undefined ? v.name : v;
  return v;
}

function tdStr(v) {
  return typeof v === 'string' ? v.trim() : (v === null || v === undefined ? '' : String(v).trim());
}

// Reads input.config(), checks it, and returns {url, secret, event}.
// spec = {type, tableName, defaultTableId, fieldInputs: {inputName: fieldName}}
function tdPrepare(cfg, spec) {
  cfg = cfg || {};
  var recordId = tdStr(cfg.recordId);
  var baseId = tdStr(cfg.baseId);
  if (!baseId && typeof base !== 'undefined' && base && typeof base.id === 'string') baseId = base.id;
  var tableId = tdStr(cfg.tableId) || spec.defaultTableId;
  var url = tdStr(cfg.talentdUrl).replace(/\/+$/, '');
  var problems = [];
  if (!tdIdOk(recordId, 'rec')) problems.push('recordId must be the Airtable record id (rec + 14 letters/digits): add it from the trigger step');
  if (!tdIdOk(baseId, 'app')) problems.push('baseId must be the base id (app + 14 letters/digits)');
  if (!tdIdOk(tableId, 'tbl')) problems.push('tableId must be the ' + spec.tableName + ' table id (tbl + 14 letters/digits)');
  if (!/^https?:\/\/[^\/\s]+/.test(url)) problems.push('talentdUrl must be the talentd address, e.g. https://talentd.example.com');
  if (problems.length) throw new Error('talentd: bad input variables: ' + problems.join('; '));
  tdSecretKey(cfg.webhookSecret); // fail early on a malformed secret
  if (!/\/hooks\/airtable$/.test(url)) url += '/hooks/airtable';

  var event = { type: spec.type, base_id: baseId, table_id: tableId, record_id: recordId };
  var fields = {}, any = false;
  var map = spec.fieldInputs || {};
  for (var name in map) {
    if (!Object.prototype.hasOwnProperty.call(map, name)) continue;
    var v = tdCellValue(cfg[name]);
    if (v !== undefined) {
      fields[map[name]] = v;
      any = true;
    }
  }
  if (any) event.fields = fields;
  return { url: url, secret: tdStr(cfg.webhookSecret), event: event };
}

// --- delivery ---------------------------------------------------------------

function tdSleep(ms) {
  if (ms <= 0) return Promise.resolve();
  if (typeof setTimeout === 'function') {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }
  // Airtable automations have no timers: wait by the clock.
  var end = Date.now() + ms;
  while (Date.now() < end) { /* wait */ }
  return Promise.resolve();
}

async function tdFetch(url, init, timeoutMs) {
  if (typeof AbortController === 'function' && typeof setTimeout === 'function') {
    var ac = new AbortController();
    var timer = setTimeout(function () { ac.abort(); }, timeoutMs);
    try {
      return await fetch(url, Object.assign({}, init, { signal: ac.signal }));
    } finally {
      clearTimeout(timer);
    }
  }
  return await fetch(url, init);
}

function tdLog(msg) {
  if (typeof console !== 'undefined' && console && typeof console.log === 'function') console.log(msg);
}

function tdOutput(key, value) {
  if (typeof output !== 'undefined' && output && typeof output.set === 'function') output.set(key, value);
}

function tdRetryable(status) {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

// Sends the event; resolves with talentd's JSON answer on 200/202, throws on
// a 4xx (at once) or when every attempt failed.
async function tdDeliver(prep, opts) {
  opts = opts || {};
  var maxAttempts = opts.maxAttempts || TD_MAX_ATTEMPTS;
  var budget = opts.budgetMs || TD_BUDGET_MS;
  var fetchTimeout = opts.fetchTimeoutMs || TD_FETCH_TIMEOUT_MS;
  var body = JSON.stringify(prep.event);
  var id = tdNewWebhookId(prep.event.record_id);
  var started = Date.now();
  var last = '';
  var tries = 0;
  tdOutput('webhook_id', id);

  for (var attempt = 1; attempt <= maxAttempts; attempt++) {
    tries = attempt;
    var ts = String(Math.floor(Date.now() / 1000));
    var headers = {
      'Content-Type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': ts,
      'webhook-signature': tdSign(prep.secret, id, ts, body)
    };
    var res = null, text = '', json = null, retryAfter = 0;
    try {
      res = await tdFetch(prep.url, { method: 'POST', headers: headers, body: body }, fetchTimeout);
      text = await res.text();
    } catch (e) {
      res = null;
      last = 'network error: ' + (e && e.message ? e.message : String(e));
    }
    if (res) {
      try { json = JSON.parse(text); } catch (e2) { json = null; }
      var err = json && json.error && typeof json.error === 'object' ? json.error : {};
      if (res.status === 200 || res.status === 202) {
        var dup = !!(json && json.duplicate);
        tdLog('talentd accepted ' + prep.event.type + ' for ' + prep.event.record_id + ': HTTP ' + res.status +
              (dup ? ' (duplicate)' : '') + (json && json.task_id !== undefined ? ', task ' + json.task_id : '') +
              ', webhook-id ' + id + ', attempt ' + attempt);
        tdOutput('status', res.status);
        tdOutput('event_id', json && json.event_id !== undefined ? String(json.event_id) : '');
        tdOutput('task_id', json && json.task_id !== undefined ? json.task_id : null);
        tdOutput('duplicate', dup);
        return json || {};
      }
      var code = err.code || 'http_' + res.status;
      var message = err.message || (text ? text.slice(0, 200) : res.statusText || '');
      last = 'HTTP ' + res.status + ' ' + code + (message ? ': ' + message : '');
      if (!tdRetryable(res.status)) {
        var hint = '';
        if (res.status === 401) hint = ' (check that webhookSecret is one of TALENTD_WEBHOOK_SECRET and that the talentd host clock is right)';
        else if (res.status === 422) hint = ' (check baseId/tableId against talentd\'s AIRTABLE_BASE_ID and table ids)';
        throw new Error('talentd rejected ' + prep.event.type + ' for ' + prep.event.record_id + ': ' + last + hint +
                        ' [webhook-id ' + id + ']');
      }
      var ra = res.headers && typeof res.headers.get === 'function' ? res.headers.get('retry-after') : null;
      if (ra && /^\d+$/.test(String(ra).trim())) retryAfter = parseInt(ra, 10) * 1000;
    }
    if (attempt === maxAttempts) break;
    var wait = Math.max(TD_BACKOFF_MS[Math.min(attempt - 1, TD_BACKOFF_MS.length - 1)], Math.min(retryAfter, 10000));
    // Start another attempt only if it can still finish inside the run limit.
    if (Date.now() - started + wait + fetchTimeout > budget) break;
    tdLog('talentd attempt ' + attempt + ' failed (' + last + '); retrying in ' + wait + ' ms');
    await tdSleep(wait);
  }
  throw new Error('talentd did not accept ' + prep.event.type + ' for ' + prep.event.record_id + ' after ' +
                  tries + ' attempt(s): ' + last + ' [webhook-id ' + id + ']');
}

// Entry point of every generated script.
async function talentdSend(spec) {
  var prep = tdPrepare(input.config(), spec);
  return await tdDeliver(prep);
}
