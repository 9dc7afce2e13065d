// The committed, paste-ready scripts are exactly what build.js makes from
// src/common.js, and they use nothing Airtable's scripting runtime lacks.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const vm = require('vm');
const { outputs } = require('../build.js');

test('committed scripts are up to date with src/common.js (run: node deploy/airtable/build.js)', () => {
  for (const o of outputs()) {
    assert.ok(fs.existsSync(o.file), `${path.basename(o.file)} missing`);
    assert.equal(fs.readFileSync(o.file, 'utf8'), o.text, `${path.basename(o.file)} is stale`);
  }
});

test('five scripts, one per event type of contract §4.1', () => {
  const types = outputs().map((o) => o.spec.type).sort();
  assert.deepEqual(types, ['ats.stages_changed', 'ats.status_changed', 'customer.start_matchmaking',
    'customer.updated', 'talent.updated']);
});

test('scripts are self-contained: no require/import/Buffer/TextEncoder/crypto.subtle, no secret', () => {
  for (const o of outputs()) {
    const code = o.text.replace(/^\s*\/\/.*$/gm, ''); // comments may mention these words
    for (const bad of [/\brequire\s*\(/, /^\s*import\b/m, /\bimport\s*\(/, /\bBuffer\b/, /\bTextEncoder\b/,
      /\bsubtle\b/, /\bprocess\./, /\batob\b/, /\bbtoa\b/]) {
      assert.doesNotMatch(code, bad, `${path.basename(o.file)} uses ${bad}`);
    }
    assert.doesNotMatch(o.text, /whsec_[A-Za-z0-9+/]{8,}/, 'a secret is hard-coded');
    // Valid as the body of an async function (Airtable allows top-level await).
    assert.doesNotThrow(() => new vm.Script(`(async () => {\n${o.text}\n})`), path.basename(o.file));
  }
});
