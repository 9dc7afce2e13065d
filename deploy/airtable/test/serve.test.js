// The generated scripts against a real `talentd serve` (contract §4.1):
// fresh database, `talentd migrate`, then serve on a free loopback port with
// reconciliation off and Airtable pointed at a closed port (queued tasks just
// fail and wait; this test is about ingestion).  Skipped, with the reason,
// when build/talentd or the test PostgreSQL (tests/run.sh) is missing.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const net = require('net');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { ROOT, SCRIPTS, SECRET, SECRET2, BASE_ID, baseConfig, runScript } = require('./helpers.js');

const TALENTD = path.join(ROOT, process.env.TD_BUILD || 'build', 'talentd');
const PGHOST = process.env.TD_TEST_PGHOST;
const PGPORT = process.env.TD_TEST_PGPORT;
const skip = !fs.existsSync(TALENTD) ? `${TALENTD} not built (make build)`
  : !PGHOST ? 'TD_TEST_PGHOST not set (run through tests/run.sh)' : false;

const spec = (type) => SCRIPTS.find((s) => s.type === type);
const pgUrl = (db) => `postgresql:///${db}?host=${encodeURIComponent(PGHOST)}&port=${PGPORT}&user=postgres`;

function psql(sql) {
  const r = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', pgUrl('postgres'), '-c', sql], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.stderr}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitHealthy(url, proc, ms) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`talentd serve exited with ${proc.exitCode}`);
    try {
      const r = await fetch(url + '/healthz');
      if (r.status === 200) return;
    } catch (e) { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('talentd serve did not answer /healthz in time');
}

test('generated scripts against a real talentd serve', { skip }, async (t) => {
  const db = `td_airtable_scripts_${process.pid}`;
  psql(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`);
  psql(`CREATE DATABASE "${db}"`);
  const port = await freePort();
  const deadAirtable = await freePort();
  const env = Object.assign({}, process.env, {
    DATABASE_URL: pgUrl(db),
    TALENTD_WEBHOOK_SECRET: `${SECRET} ${SECRET2}`,
    AIRTABLE_TOKEN: 'patTEST.not-a-real-token',
    AIRTABLE_BASE_ID: BASE_ID,
    AIRTABLE_API_URL: `http://127.0.0.1:${deadAirtable}`,
    TALENTD_LISTEN: `127.0.0.1:${port}`,
    TALENTD_RECONCILE_INTERVAL: '0',
    TALENTD_WORKERS: '1',
  });
  const mig = spawnSync(TALENTD, ['migrate'], { env, cwd: ROOT, encoding: 'utf8', timeout: 60000 });
  assert.equal(mig.status, 0, `talentd migrate failed: ${mig.stderr}`);

  let stderr = '';
  const proc = spawn(TALENTD, ['serve'], { env, cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 200000) stderr = stderr.slice(-100000); });
  const exited = new Promise((resolve) => proc.on('exit', (code, sig) => resolve({ code, sig })));
  t.after(async () => {
    if (proc.exitCode === null) proc.kill('SIGKILL');
    await exited;
    try { psql(`DROP DATABASE IF EXISTS "${db}" WITH (FORCE)`); } catch (e) { /* best effort */ }
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(url, proc, 15000);
  } catch (e) {
    throw new Error(`${e.message}\n--- talentd stderr ---\n${stderr.slice(-4000)}`);
  }
  const run = (s, extra, fetchFn) => runScript(s.file, {
    config: baseConfig(s, Object.assign({ talentdUrl: url }, extra)),
    fetch: fetchFn || fetch, timers: 'real', abort: true,
  });

  await t.test('every script: 202 with an event id and a task id', async () => {
    for (const s of SCRIPTS) {
      const extra = s.type === 'ats.status_changed' ? { jobStatus: 'Sourcing' }
        : s.type === 'customer.start_matchmaking' ? { startMatchmaking: true } : {};
      const r = await run(s, extra);
      assert.equal(r.error, undefined, `${s.file}: ${r.error && r.error.message}\n${stderr.slice(-2000)}`);
      assert.equal(r.outputs.status, 202, s.file);
      assert.ok(r.outputs.event_id, 'event_id');
      assert.equal(typeof r.outputs.task_id, 'number', 'task_id');
    }
  });

  await t.test('answer lost after storing -> the retry is a 200 duplicate, same webhook-id', async () => {
    const seen = [];
    let first = true;
    const lossy = async (u, init) => {
      seen.push(init.headers['webhook-id']);
      const res = await fetch(u, init);
      if (first) { first = false; await res.text(); throw new TypeError('connection reset (simulated)'); }
      return res;
    };
    const r = await run(spec('talent.updated'), {}, lossy);
    assert.equal(r.error, undefined, r.error && r.error.message);
    assert.equal(seen.length, 2);
    assert.equal(seen[0], seen[1]);
    assert.equal(r.outputs.status, 200);
    assert.equal(r.outputs.duplicate, true);
  });

  await t.test('second secret of a rotation is accepted', async () => {
    const r = await run(spec('customer.updated'), { webhookSecret: SECRET2 });
    assert.equal(r.error, undefined, r.error && r.error.message);
    assert.equal(r.outputs.status, 202);
  });

  await t.test('wrong secret -> the run fails with 401 bad_signature', async () => {
    const other = 'whsec_' + Buffer.from('a-secret-talentd-does-not-know!!').toString('base64');
    const r = await run(spec('customer.updated'), { webhookSecret: other });
    assert.ok(r.error);
    assert.match(r.error.message, /HTTP 401 bad_signature/);
  });

  await t.test('wrong table for the type -> the run fails with 422 unprocessable_event', async () => {
    const r = await run(spec('talent.updated'), { tableId: 'tblrbhITEIBOxwcQV' });
    assert.ok(r.error);
    assert.match(r.error.message, /HTTP 422 unprocessable_event/);
  });

  await t.test('wrong base -> 422 unprocessable_event', async () => {
    const r = await run(spec('ats.status_changed'), { baseId: 'appOTHER000000001' });
    assert.match(r.error.message, /HTTP 422 unprocessable_event/);
  });

  await t.test('SIGTERM -> clean exit 0', async () => {
    proc.kill('SIGTERM');
    const res = await Promise.race([exited, new Promise((r) => setTimeout(() => r('timeout'), 30000))]);
    assert.notEqual(res, 'timeout', 'talentd did not stop within 30 s of SIGTERM');
    assert.equal(res.code, 0, `exit ${JSON.stringify(res)}\n${stderr.slice(-2000)}`);
  });
});
