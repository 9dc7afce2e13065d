// Each generated script run in a node:vm sandbox with Airtable's globals
// shimmed: the event it builds, its signature, retries, and failure on 4xx.
// No talentd needed (serve.test.js runs them against the real one).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const {
  SCRIPTS, SECRET, SECRET2, BASE_ID, RECORD_ID, nodeSign, headersOf, response, runScript, baseConfig,
} = require('./helpers.js');

const spec = (type) => SCRIPTS.find((s) => s.type === type);

// A fetch shim that records every call and answers from a list.
function recorder(answers) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init, headers: headersOf(init), body: init.body });
    const a = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (a instanceof Error) throw a;
    return typeof a === 'function' ? a(calls[calls.length - 1]) : a;
  };
  return { calls, fetch };
}

const accepted = () => response(202, { ok: true, event_id: 'ev1', task_id: 7 });

for (const s of SCRIPTS) {
  test(`${s.file}: signed ${s.type} event for the record, fields from the inputs`, async () => {
    const extra = {};
    const wantFields = {};
    for (const [input, field] of Object.entries(s.fieldInputs)) {
      extra[input] = input === 'jobStatus' ? { id: 'selX', name: 'Sourcing' } : true;
      wantFields[field] = input === 'jobStatus' ? 'Sourcing' : true;
    }
    const r = recorder([accepted()]);
    const run = await runScript(s.file, { config: baseConfig(s, extra), fetch: r.fetch });
    assert.equal(run.error, undefined, run.error && run.error.stack);
    assert.equal(r.calls.length, 1);
    const c = r.calls[0];
    assert.equal(c.url, 'https://talentd.example.test/hooks/airtable');
    assert.equal(c.init.method, 'POST');
    assert.equal(c.headers['content-type'], 'application/json');
    const ev = JSON.parse(c.body);
    const want = { type: s.type, base_id: BASE_ID, table_id: s.defaultTableId, record_id: RECORD_ID };
    if (Object.keys(wantFields).length) want.fields = wantFields;
    assert.deepEqual(ev, want);
    const ts = Number(c.headers['webhook-timestamp']);
    assert.ok(Math.abs(ts - Date.now() / 1000) < 5, 'timestamp is now, in seconds');
    assert.match(c.headers['webhook-id'], /^msg_rec[A-Za-z0-9]{14}_/);
    assert.equal(c.headers['webhook-signature'],
      nodeSign(SECRET, c.headers['webhook-id'], c.headers['webhook-timestamp'], c.body));
    assert.equal(run.outputs.status, 202);
    assert.equal(run.outputs.task_id, 7);
    assert.equal(run.outputs.webhook_id, c.headers['webhook-id']);
    assert.equal(run.result, undefined); // a script's return value is not used
  });
}

test('each run gets a fresh webhook-id', async () => {
  const s = spec('talent.updated');
  const ids = new Set();
  for (let i = 0; i < 5; i++) {
    const r = recorder([accepted()]);
    await runScript(s.file, { config: baseConfig(s), fetch: r.fetch });
    ids.add(r.calls[0].headers['webhook-id']);
  }
  assert.equal(ids.size, 5);
});

test('retry: 503, 503, then 202 -> three sends of one event with the same webhook-id and body', async () => {
  const s = spec('ats.status_changed');
  const r = recorder([
    response(503, { ok: false, error: { code: 'unavailable', message: 'database down' } }, { 'retry-after': '1' }),
    response(503, { ok: false, error: { code: 'unavailable', message: 'database down' } }),
    accepted(),
  ]);
  const run = await runScript(s.file, { config: baseConfig(s, { jobStatus: 'On Hold' }), fetch: r.fetch });
  assert.equal(run.error, undefined, run.error && run.error.stack);
  assert.equal(r.calls.length, 3);
  const ids = new Set(r.calls.map((c) => c.headers['webhook-id']));
  const bodies = new Set(r.calls.map((c) => c.body));
  assert.equal(ids.size, 1, 'same webhook-id on every retry');
  assert.equal(bodies.size, 1, 'same body on every retry');
  for (const c of r.calls) {
    assert.equal(c.headers['webhook-signature'],
      nodeSign(SECRET, c.headers['webhook-id'], c.headers['webhook-timestamp'], c.body), 'each attempt signed');
  }
  assert.deepEqual(run.delays, [1000, 1500], 'backoff, with Retry-After honoured');
  assert.equal(run.outputs.status, 202);
});

test('retry: a network error then 200 duplicate -> success', async () => {
  const s = spec('customer.updated');
  const r = recorder([new TypeError('fetch failed'),
    response(200, { ok: true, event_id: 'ev1', duplicate: true })]);
  const run = await runScript(s.file, { config: baseConfig(s), fetch: r.fetch });
  assert.equal(run.error, undefined);
  assert.equal(r.calls.length, 2);
  assert.equal(r.calls[0].headers['webhook-id'], r.calls[1].headers['webhook-id']);
  assert.equal(run.outputs.duplicate, true);
  assert.ok(run.logs.some((l) => /duplicate/.test(l)));
});

test('retry gives up after 5 attempts and fails the run with the last error', async () => {
  const s = spec('talent.updated');
  const r = recorder([response(502, '<html>Bad Gateway</html>')]);
  const run = await runScript(s.file, { config: baseConfig(s), fetch: r.fetch });
  assert.equal(r.calls.length, 5);
  assert.ok(run.error instanceof Error || (run.error && run.error.message));
  assert.match(run.error.message, /after 5 attempt\(s\): HTTP 502 http_502/);
  assert.equal(run.delays.reduce((a, b) => a + b, 0) < 27000, true, 'stays inside the 30 s limit');
});

test('fail on 4xx: 422 -> no retry, the run throws with status, code and message', async () => {
  const s = spec('customer.start_matchmaking');
  const r = recorder([response(422, { ok: false, error: { code: 'unprocessable_event', message: 'table_id is not the Customers STT table' } })]);
  const run = await runScript(s.file, { config: baseConfig(s), fetch: r.fetch });
  assert.equal(r.calls.length, 1);
  assert.ok(run.error, 'the automation run must fail');
  assert.match(run.error.message, /HTTP 422 unprocessable_event: table_id is not the Customers STT table/);
  assert.match(run.error.message, /baseId\/tableId/);
});

test('fail on 4xx: 401 bad_signature hints at the secret and the clock; 409 and 400 do not retry', async () => {
  const s = spec('ats.stages_changed');
  for (const [status, code] of [[401, 'bad_signature'], [409, 'event_id_conflict'], [400, 'invalid_event'], [413, 'body_too_large']]) {
    const r = recorder([response(status, { ok: false, error: { code, message: 'm' } })]);
    const run = await runScript(s.file, { config: baseConfig(s), fetch: r.fetch });
    assert.equal(r.calls.length, 1, `${status} is not retried`);
    assert.match(run.error.message, new RegExp(`HTTP ${status} ${code}`));
    if (status === 401) assert.match(run.error.message, /webhookSecret.*clock/);
    assert.ok(!run.error.message.includes(SECRET.slice(6)), 'secret not in the error');
  }
});

test('a 4xx without a JSON body still fails with the status', async () => {
  const s = spec('ats.stages_changed');
  const r = recorder([response(404, 'Not Found')]);
  const run = await runScript(s.file, { config: baseConfig(s), fetch: r.fetch });
  assert.match(run.error.message, /HTTP 404 http_404: Not Found/);
});

test('bad input variables fail before anything is sent, naming the variable but not the secret', async () => {
  const s = spec('ats.status_changed');
  const cases = [
    [{ recordId: '' }, /recordId/],
    [{ recordId: 'rec123' }, /recordId/],
    [{ baseId: 'base' }, /baseId/],
    [{ tableId: 'tblshort' }, /tableId/],
    [{ talentdUrl: 'talentd.example.com' }, /talentdUrl/],
    [{ webhookSecret: 'hunter2hunter2' }, /webhookSecret/],
    [{ webhookSecret: 'whsec_@@@@' }, /webhookSecret/],
  ];
  for (const [bad, re] of cases) {
    const r = recorder([accepted()]);
    const run = await runScript(s.file, { config: baseConfig(s, bad), fetch: r.fetch });
    assert.ok(run.error, JSON.stringify(bad));
    assert.match(run.error.message, re);
    assert.ok(!run.error.message.includes('hunter2'));
    assert.equal(r.calls.length, 0);
  }
});

test('tableId defaults to the contract\'s table; talentdUrl may already end in /hooks/airtable', async () => {
  const s = spec('talent.updated');
  const cfg = baseConfig(s, { talentdUrl: 'https://x.test/hooks/airtable/' });
  delete cfg.tableId;
  const r = recorder([accepted()]);
  const run = await runScript(s.file, { config: cfg, fetch: r.fetch });
  assert.equal(run.error, undefined);
  assert.equal(r.calls[0].url, 'https://x.test/hooks/airtable');
  assert.equal(JSON.parse(r.calls[0].body).table_id, 'tblOkLOSo4Zjwp0yF');
});

test('without setTimeout (as in Airtable) the retry waits by the clock', async () => {
  const s = spec('talent.updated');
  const r = recorder([response(500, {}), accepted()]);
  const t0 = Date.now();
  const run = await runScript(s.file, { config: baseConfig(s), fetch: r.fetch, timers: 'none' });
  assert.equal(run.error, undefined);
  assert.equal(r.calls.length, 2);
  assert.ok(Date.now() - t0 >= 450, 'waited about 500 ms');
});

// A stand-in for talentd's POST /hooks/airtable, verifying with node:crypto.
function fakeTalentd(secrets) {
  const seen = new Map();
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      const ts = req.headers['webhook-timestamp'];
      const sigs = String(req.headers['webhook-signature'] || '').split(' ');
      const send = (status, obj) => { res.writeHead(status, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(obj)); };
      const ok = secrets.some((sec) => sigs.includes(nodeSign(sec, id, ts, body)));
      if (!ok) return send(401, { ok: false, error: { code: 'bad_signature', message: 'no signature matches' } });
      if (seen.has(id)) return send(200, { ok: true, event_id: id, duplicate: true });
      seen.set(id, JSON.parse(body));
      return send(202, { ok: true, event_id: id, task_id: seen.size });
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, seen, port: server.address().port })));
}

test('over real HTTP (Node fetch) to a verifying stand-in: accepted; wrong secret -> 401 fails the run', async (t) => {
  const f = await fakeTalentd([SECRET]);
  t.after(() => f.server.close());
  const s = spec('ats.status_changed');
  const url = `http://127.0.0.1:${f.port}`;
  const ok = await runScript(s.file, {
    config: baseConfig(s, { talentdUrl: url, jobStatus: 'Sourcing' }), fetch, timers: 'real', abort: true,
  });
  assert.equal(ok.error, undefined, ok.error && ok.error.stack);
  assert.equal(f.seen.size, 1);
  assert.deepEqual([...f.seen.values()][0].fields, { 'Job Status': 'Sourcing' });
  const bad = await runScript(s.file, {
    config: baseConfig(s, { talentdUrl: url, webhookSecret: SECRET2 }), fetch, timers: 'real', abort: true,
  });
  assert.match(bad.error.message, /HTTP 401 bad_signature/);
  assert.equal(f.seen.size, 1);
});
