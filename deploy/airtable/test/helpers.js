// Test helpers: run the generated Airtable scripts in a node:vm sandbox that
// offers only what Airtable's "Run a script" action offers (input.config(),
// output.set(), console, fetch), plus a Node-side Standard Webhooks verifier.
'use strict';

const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const vm = require('vm');

const DIR = path.join(__dirname, '..');
const ROOT = path.join(DIR, '..', '..');
const SCRIPTS = require('../build.js').SCRIPTS;

const SECRET = 'whsec_' + Buffer.from('talentd-test-secret-0123456789ab').toString('base64');
const SECRET2 = 'whsec_' + Buffer.from('second-secret-for-rotation-tests').toString('base64');
const BASE_ID = 'appTEST0000000001';
const RECORD_ID = 'recABCDEFGHIJ1234';

// The shared source in a bare context: its function declarations become the
// context's globals.
function loadCommon() {
  const ctx = vm.createContext({});
  vm.runInContext(fs.readFileSync(path.join(DIR, 'src', 'common.js'), 'utf8'), ctx, { filename: 'common.js' });
  return ctx;
}

// Node's reference implementation of the Standard Webhooks signature.
function nodeSign(secret, id, ts, body) {
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  return 'v1,' + crypto.createHmac('sha256', key).update(`${id}.${ts}.${body}`, 'utf8').digest('base64');
}

// Headers of a fetch init as a lower-case plain object.
function headersOf(init) {
  const out = {};
  const h = init.headers || {};
  for (const k of Object.keys(h)) out[k.toLowerCase()] = h[k];
  return out;
}

// A fetch Response-like object.
function response(status, json, headers) {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  const hs = Object.assign({}, headers || {});
  return {
    status,
    ok: status >= 200 && status < 300,
    statusText: String(status),
    headers: { get: (k) => hs[k.toLowerCase()] ?? null },
    text: async () => text,
    json: async () => JSON.parse(text),
  };
}

// Runs one generated script.  opts: {config, fetch, timers: 'instant'|'real'|'none',
// abort: bool}.  Resolves to {error, result, outputs, logs, delays}.
async function runScript(file, opts) {
  const src = fs.readFileSync(path.join(DIR, file), 'utf8');
  const outputs = {};
  const logs = [];
  const delays = [];
  const sandbox = {
    input: { config: () => Object.assign({}, opts.config) },
    output: { set: (k, v) => { outputs[k] = v; } },
    console: { log: (...a) => logs.push(a.join(' ')), error: (...a) => logs.push(a.join(' ')) },
    fetch: opts.fetch,
  };
  const timers = opts.timers || 'instant';
  if (timers === 'instant') {
    // Record the delay, run at once: retry tests need no wall-clock time.
    sandbox.setTimeout = (fn, ms) => { delays.push(ms); setImmediate(fn); return 0; };
    sandbox.clearTimeout = () => {};
  } else if (timers === 'real') {
    sandbox.setTimeout = setTimeout;
    sandbox.clearTimeout = clearTimeout;
    if (opts.abort) sandbox.AbortController = AbortController;
  }
  const ctx = vm.createContext(sandbox);
  // Airtable runs the script body as an async function (top-level await).
  const wrapped = `(async () => {\n${src}\n})()`;
  let result, error;
  try {
    result = await vm.runInContext(wrapped, ctx, { filename: file });
  } catch (e) {
    error = e;
  }
  return { error, result, outputs, logs, delays };
}

function baseConfig(spec, extra) {
  return Object.assign({
    recordId: RECORD_ID,
    talentdUrl: 'https://talentd.example.test',
    webhookSecret: SECRET,
    baseId: BASE_ID,
    tableId: spec.defaultTableId,
  }, extra || {});
}

module.exports = {
  DIR, ROOT, SCRIPTS, SECRET, SECRET2, BASE_ID, RECORD_ID,
  loadCommon, nodeSign, headersOf, response, runScript, baseConfig,
};
