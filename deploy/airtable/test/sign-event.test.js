// deploy/sign-event.sh (the operators' bash + openssl signer): the published
// Standard Webhooks vectors, and a round trip to a verifying stand-in.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const { execFile, spawnSync } = require('child_process');
const { ROOT, SECRET, SECRET2, BASE_ID, nodeSign } = require('./helpers.js');

const SH = path.join(ROOT, 'deploy', 'sign-event.sh');
const missing = ['bash', 'openssl', 'curl', 'base64', 'od'].filter(
  (t) => spawnSync('sh', ['-c', `command -v ${t}`]).status !== 0);
const skip = missing.length ? `missing tools: ${missing.join(', ')}` : false;

function cleanEnv(extra) {
  const env = Object.assign({}, process.env, extra);
  for (const k of ['TALENTD_WEBHOOK_SECRET', 'TALENTD_WEBHOOK_SECRET_FILE', 'TALENTD_SIGN_SECRET_FILE']) {
    if (!(k in (extra || {}))) delete env[k];
  }
  return env;
}

function run(args, env, input) {
  return new Promise((resolve) => {
    const p = execFile('bash', [SH, ...args], { env: cleanEnv(env) }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, stdout, stderr });
    });
    if (input !== undefined) p.stdin.end(input); else p.stdin.end();
  });
}

test('published vectors: -p prints the expected signatures', { skip }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sign-event-'));
  const vectors = [
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', '1614265330',
      '{"test": 2432232314}', 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='],
    ['whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk', '1649367553',
      '{"email":"test@example.com","username":"test_user"}', 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw='],
  ];
  for (const [secret, id, ts, body, sig] of vectors) {
    const f = path.join(dir, 'body.json');
    fs.writeFileSync(f, body);
    const r = await run(['-p', '-i', id, '-t', ts, f], { TALENTD_SIGN_SECRET: secret });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes(`webhook-signature: ${sig}`), r.stdout);
    assert.ok(!r.stdout.includes(secret), 'the secret is not printed');
  }
  fs.rmSync(dir, { recursive: true });
});

test('round trip: 202, same id again -> 200 duplicate, wrong secret -> exit 1, bad secret -> exit 2', { skip }, async (t) => {
  const seen = new Map();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      const id = req.headers['webhook-id'];
      const ok = req.headers['webhook-signature'] === nodeSign(SECRET, id, req.headers['webhook-timestamp'], body);
      const send = (s, o) => { res.writeHead(s, { 'Content-Type': 'application/json' }); res.end(JSON.stringify(o)); };
      if (req.url !== '/hooks/airtable') return send(404, { ok: false, error: { code: 'not_found', message: req.url } });
      if (!ok) return send(401, { ok: false, error: { code: 'bad_signature', message: 'no' } });
      if (seen.has(id)) return send(200, { ok: true, event_id: id, duplicate: true });
      seen.set(id, JSON.parse(body));
      return send(202, { ok: true, event_id: id, task_id: seen.size });
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => server.close());
  const url = `http://127.0.0.1:${server.address().port}`;
  const env = { TALENTD_WEBHOOK_SECRET: `${SECRET} ${SECRET2}`, AIRTABLE_BASE_ID: BASE_ID };

  let r = await run(['-u', url, '-i', 'msg_fixed_1', '-e', 'ats.status_changed', 'recABCDEFGHIJ1234'], env);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /HTTP 202/);
  assert.deepEqual(seen.get('msg_fixed_1'), {
    type: 'ats.status_changed', base_id: BASE_ID, table_id: 'tblrbhITEIBOxwcQV', record_id: 'recABCDEFGHIJ1234',
  });
  r = await run(['-u', url, '-i', 'msg_fixed_1', '-e', 'ats.status_changed', 'recABCDEFGHIJ1234'], env);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /"duplicate":true/);

  // Body from stdin, signed byte for byte (unicode and a trailing newline included).
  const body = '{"type":"talent.updated","base_id":"appTEST0000000001","table_id":"tblOkLOSo4Zjwp0yF","record_id":"recABCDEFGHIJ1234","fields":{"Name":"Zoë 😀"}}\n';
  r = await run(['-u', url + '/hooks/airtable', '-i', 'msg_stdin', '-'], env, body);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.equal(seen.get('msg_stdin').fields.Name, 'Zoë 😀');

  r = await run(['-u', url, '-e', 'talent.updated', 'recABCDEFGHIJ1234'], { TALENTD_SIGN_SECRET: SECRET2, AIRTABLE_BASE_ID: BASE_ID });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /HTTP 401/);

  r = await run(['-u', url, '-e', 'talent.updated', 'recABCDEFGHIJ1234'], { TALENTD_SIGN_SECRET: 'nope', AIRTABLE_BASE_ID: BASE_ID });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /whsec_/);
  assert.ok(!r.stderr.includes('nope'));

  r = await run(['-u', url, '-i', 'bad.id', '-e', 'talent.updated', 'recABCDEFGHIJ1234'], env);
  assert.equal(r.code, 2);
});
