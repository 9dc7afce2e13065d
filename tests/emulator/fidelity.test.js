// Fidelity test: the official airtable.js client against the emulator.
//
// The emulator is only useful if real clients cannot tell it from Airtable,
// so this drives it with Airtable's own npm package (airtable@0.12): list all
// pages, find one record, update several in one batch, parse a 422, and ride
// out a 429 with the client's own retry.  airtable.js is installed into
// tests/emulator/node_modules on first run; without network the test is
// skipped with a message rather than failed.
// Run from the repository root:  node --test tests/emulator/fidelity.test.js
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawn, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const BUILD = path.resolve(ROOT, process.env.TD_BUILD || 'build');
const EMULATOR = path.join(BUILD, 'airtable-emulator');
const GENBASE = path.join(BUILD, 'genbase');
const TOKEN = 'patFidelityTest.0123456789';

function ensureAirtable() {
  const dir = path.join(__dirname, 'node_modules', 'airtable');
  if (fs.existsSync(dir)) return null;
  const r = spawnSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', __dirname, 'airtable@0.12'],
    { encoding: 'utf8', timeout: 180000 });
  if (r.status !== 0 || !fs.existsSync(dir)) {
    return `airtable npm package not installable (no network?): ${(r.stderr || r.error || '').toString().trim().split('\n').pop()}`;
  }
  return null;
}

const skipReason = (() => {
  if (!fs.existsSync(EMULATOR) || !fs.existsSync(GENBASE)) return `build ${EMULATOR} and ${GENBASE} first (make build)`;
  return ensureAirtable();
})();

function startEmulator(fixture) {
  return new Promise((resolve, reject) => {
    const p = spawn(EMULATOR, ['--fixture', fixture, '--port', '0', '--token', TOKEN, '--rate-limit', '5', '--penalty', '1'],
      { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error('emulator did not start')), 20000);
    p.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/^listening on (\d+)\n/);
      if (m) {
        clearTimeout(timer);
        resolve({ proc: p, url: `http://127.0.0.1:${m[1]}` });
      }
    });
    p.on('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
}

async function control(emu, method, p, body) {
  const r = await fetch(emu.url + p, { method, body: body ? JSON.stringify(body) : undefined });
  assert.strictEqual(r.status, 200, `${method} ${p}`);
  return r.json();
}

test('airtable.js talks to the emulator', { skip: skipReason || false, timeout: 120000 }, async (t) => {
  const Airtable = require(path.join(__dirname, 'node_modules', 'airtable'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-fidelity-'));
  const fixturePath = path.join(tmp, 'base.json');
  const gen = spawnSync(GENBASE, ['--candidates', '250', '--seed', '7'], { maxBuffer: 64 << 20 });
  assert.strictEqual(gen.status, 0, 'genbase failed');
  fs.writeFileSync(fixturePath, gen.stdout);
  const fixture = JSON.parse(gen.stdout.toString());
  const baseId = fixture.base_id;
  const talentIds = fixture.tables[0].records.map((r) => r.id);

  const emu = await startEmulator(fixturePath);
  t.after(() => {
    emu.proc.kill('SIGTERM');
    fs.rmSync(tmp, { recursive: true, force: true });
  });
  const base = new Airtable({ apiKey: TOKEN, endpointUrl: emu.url }).base(baseId);

  await t.test('select().all() walks every page', async () => {
    const recs = await base('Talent').select({ pageSize: 100, fields: ['Name', 'Skills'] }).all();
    assert.deepStrictEqual(recs.map((r) => r.id), talentIds);
    assert.ok(recs.every((r) => typeof r.get('Name') === 'string'));
    const log = (await control(emu, 'GET', '/_emu/log')).requests;
    assert.strictEqual(log.length, 3);
    assert.ok(log.every((e) => e.method === 'GET' && e.status === 200));
    assert.match(log[0].query, /fields%5B%5D=Name/);
    assert.match(log[1].query, /offset=itr/);
  });

  await t.test('select with a formula and sort', async () => {
    await control(emu, 'POST', '/_emu/reset-rate');
    const recs = await base('ATS').select({
      filterByFormula: "{Job Status} = 'Sourcing'",
      sort: [{ field: 'Open Position (Job Title)', direction: 'asc' }],
    }).all();
    assert.ok(recs.length >= 1);
    assert.ok(recs.every((r) => r.get('Job Status') === 'Sourcing'));
  });

  await t.test('find() one record', async () => {
    await control(emu, 'POST', '/_emu/reset-rate');
    const rec = await base('Talent').find(talentIds[3]);
    assert.strictEqual(rec.id, talentIds[3]);
    assert.strictEqual(rec.get('Name'), fixture.tables[0].records[3].fields.Name);
  });

  await t.test('update() several records in one batch, with typecast', async () => {
    await control(emu, 'POST', '/_emu/reset-rate');
    const ats = fixture.tables[2].records[0].id;
    const updated = await base('Talent').update([
      { id: talentIds[0], fields: { '(N) Title': 'Backend Engineer', '(N) Years of Experience': 7.5 } },
      { id: talentIds[1], fields: { '(N) Skills': 'Go (5), Kubernetes (4)', 'Work Preference': 'Remote' } },
      { id: talentIds[2], fields: { '(N) Salary': '85000' } },
    ], { typecast: true });
    assert.strictEqual(updated.length, 3);
    assert.strictEqual(updated[0].get('(N) Years of Experience'), 7.5);
    assert.strictEqual(updated[2].get('(N) Salary'), 85000);
    const linked = await base('ATS').update(ats, { 'Potential Talent Fit AI': [talentIds[5], talentIds[6]] });
    assert.deepStrictEqual(linked.get('Potential Talent Fit AI'), [talentIds[5], talentIds[6]]);
    const dump = await control(emu, 'GET', '/_emu/dump');
    assert.strictEqual(dump.tables[0].records[1].fields['(N) Skills'], 'Go (5), Kubernetes (4)');
  });

  await t.test('422 errors reach the caller as airtable.js errors', async () => {
    await control(emu, 'POST', '/_emu/reset-rate');
    await assert.rejects(base('Talent').update(talentIds[0], { 'No Such Field': 'x' }), (err) => {
      assert.strictEqual(err.statusCode, 422);
      assert.strictEqual(err.error, 'UNKNOWN_FIELD_NAME');
      assert.strictEqual(err.message, 'Unknown field name: "No Such Field"');
      return true;
    });
    await assert.rejects(base('ATS').update(fixture.tables[2].records[0].id,
      { 'Potential Talent Fit AI': [{ id: talentIds[0] }] }), (err) => err.error === 'INVALID_VALUE_FOR_COLUMN');
  });

  await t.test('a 429 is retried by airtable.js itself', async () => {
    await control(emu, 'POST', '/_emu/reset-rate');
    await control(emu, 'DELETE', '/_emu/log');
    await control(emu, 'POST', '/_emu/script', { faults: [{ status: 429 }] });
    const rec = await base('Talent').find(talentIds[0]);
    assert.strictEqual(rec.id, talentIds[0]);
    const log = (await control(emu, 'GET', '/_emu/log')).requests;
    assert.deepStrictEqual(log.map((e) => e.status), [429, 200]);
  });
});
