// The hand-written UTF-8, base64, SHA-256 and HMAC-SHA256 of src/common.js
// against Node's crypto and the published Standard Webhooks vectors.
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const { loadCommon, nodeSign } = require('./helpers.js');

const C = loadCommon();
const arr = (buf) => Array.from(buf);
// Arrays made inside the vm context have another Array.prototype: compare copies.
const same = (got, want, msg) => assert.deepEqual(got === null ? null : Array.from(got), Array.from(want), msg);

// Deterministic PRNG so a failure can be reproduced (seed printed on failure).
function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

function randomString(r, n) {
  // Mix of ASCII, 2-, 3- and 4-byte characters, and lone surrogates.
  let s = '';
  for (let i = 0; i < n; i++) {
    const k = r();
    if (k < 0.5) s += String.fromCharCode(32 + Math.floor(r() * 95));
    else if (k < 0.65) s += String.fromCharCode(0x80 + Math.floor(r() * 0x780));
    else if (k < 0.8) s += String.fromCharCode(0x800 + Math.floor(r() * 0xd000));
    else if (k < 0.95) s += String.fromCodePoint(0x10000 + Math.floor(r() * 0xfffff));
    else s += String.fromCharCode(0xd800 + Math.floor(r() * 0x800));
  }
  return s;
}

test('UTF-8 encoding matches Buffer.from(s, "utf8") (lone surrogates -> U+FFFD)', () => {
  const r = rng(12345);
  for (let i = 0; i < 500; i++) {
    const s = randomString(r, Math.floor(r() * 40));
    same(C.tdUtf8(s), arr(Buffer.from(s, 'utf8')), JSON.stringify(s));
  }
  same(C.tdUtf8('é€😀'), arr(Buffer.from('é€😀')));
});

test('base64 encode/decode match Node on random byte strings', () => {
  for (let n = 0; n < 300; n++) {
    const bytes = crypto.randomBytes(n % 100);
    const b64 = bytes.toString('base64');
    assert.equal(C.tdBase64Encode(arr(bytes)), b64);
    same(C.tdBase64Decode(b64), arr(bytes));
  }
});

test('base64 decoder rejects what talentd would reject', () => {
  for (const bad of ['A', 'AB=C', 'A===', '@@@@', 'AB C', 'QQ=a', 'QR==']) {
    assert.equal(C.tdBase64Decode(bad), null, bad);
  }
  same(C.tdBase64Decode('QQ=='), [65]);
  same(C.tdBase64Decode('QQ'), [65]); // unpadded is tolerated
});

test('SHA-256 matches node:crypto on many random inputs, including block edges', () => {
  const lengths = [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 4097];
  for (let i = 0; i < 200; i++) lengths.push(Math.floor(Math.random() * 300));
  for (const n of lengths) {
    const b = crypto.randomBytes(n);
    same(C.tdSha256(arr(b)), arr(crypto.createHash('sha256').update(b).digest()), `length ${n}`);
  }
  assert.equal(Buffer.from(C.tdSha256(C.tdUtf8('abc'))).toString('hex'),
    'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
});

test('HMAC-SHA256 matches node:crypto for random keys (0..200 bytes) and messages', () => {
  for (let i = 0; i < 300; i++) {
    const key = crypto.randomBytes(Math.floor(Math.random() * 200));
    const msg = crypto.randomBytes(Math.floor(Math.random() * 500));
    same(C.tdHmacSha256(arr(key), arr(msg)),
      arr(crypto.createHmac('sha256', key).update(msg).digest()), `key ${key.length} msg ${msg.length}`);
  }
});

test('RFC 4231 test case 2 and the GitHub vector', () => {
  const hex = (b) => Buffer.from(b).toString('hex');
  assert.equal(hex(C.tdHmacSha256(C.tdUtf8('Jefe'), C.tdUtf8('what do ya want for nothing?'))),
    '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  assert.equal(hex(C.tdHmacSha256(C.tdUtf8("It's a Secret to Everybody"), C.tdUtf8('Hello, World!'))),
    '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17');
});

test('full signature equals Node\'s for random ids, timestamps, secrets and unicode bodies', () => {
  const r = rng(4242);
  for (let i = 0; i < 200; i++) {
    const secret = 'whsec_' + crypto.randomBytes(24 + Math.floor(r() * 41)).toString('base64');
    const id = 'msg_' + crypto.randomBytes(8).toString('hex');
    const ts = String(1600000000 + Math.floor(r() * 1e8));
    const body = JSON.stringify({ type: 'talent.updated', note: randomString(r, 60) });
    assert.equal(C.tdSign(secret, id, ts, body), nodeSign(secret, id, ts, body));
  }
});

// docs/reference/webhooks.md §1.
const V1 = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  ts: '1614265330', body: '{"test": 2432232314}', sig: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const V2 = {
  secret: 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD', id: 'msg_27UH4WbU6Z5A5EzD8u03UvzRbpk',
  ts: '1649367553', body: '{"email":"test@example.com","username":"test_user"}',
  sig: 'v1,tZ1I4/hDygAJgO5TYxiSd6Sd0kDW6hPenDe+bTa3Kkw=',
};

test('Standard Webhooks vectors: both published signatures are reproduced', () => {
  for (const v of [V1, V2]) {
    assert.equal(C.tdSecretKey(v.secret).length, 24);
    assert.equal(C.tdSign(v.secret, v.id, v.ts, v.body), v.sig);
    assert.equal(C.tdVerify(v.secret, v.id, v.ts, v.body, v.sig), true);
  }
});

test('Standard Webhooks vectors: the must-fail signatures fail, the decoys pass', () => {
  const fail = (v, h) => assert.equal(C.tdVerify(v.secret, v.id, v.ts, v.body, h), false, h);
  fail(V1, 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA=');
  fail(V1, 'v1,');
  fail(V1, V1.sig.slice(0, 20));
  fail(V2, 'v1,R3PTzyfHASBKHH98a7yexTwaJ4yNIcGhFQc1yuN+BPU=');
  fail(V1, V1.sig.replace('v1,', 'v2,'));
  fail(V1, '');
  const decoy = 'Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
  assert.equal(C.tdVerify(V1.secret, V1.id, V1.ts, V1.body, `v1,${decoy} ${V1.sig} v2,${decoy}`), true);
  // A changed body, id or timestamp invalidates the signature.
  fail({ ...V1, body: V1.body + ' ' }, V1.sig);
  fail({ ...V1, ts: '1614265331' }, V1.sig);
  fail({ ...V1, id: V1.id + 'x' }, V1.sig);
});

test('malformed secrets are refused without echoing them', () => {
  for (const s of ['', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_', 'whsec_not*base64', undefined]) {
    assert.throws(() => C.tdSecretKey(s), (e) => {
      assert.match(e.message, /webhookSecret/);
      const part = s && s.startsWith('whsec_') ? s.slice(6) : s;
      if (part) assert.ok(!e.message.includes(part), 'secret echoed');
      return true;
    });
  }
});

test('webhook ids are unique, carry the record id and contain no "."', () => {
  const seen = new Set();
  for (let i = 0; i < 1000; i++) {
    const id = C.tdNewWebhookId('recABCDEFGHIJ1234');
    assert.ok(!id.includes('.'));
    assert.match(id, /^msg_recABCDEFGHIJ1234_[0-9a-z]+_[0-9a-f]{20}$/);
    seen.add(id);
  }
  assert.equal(seen.size, 1000);
});
