#!/usr/bin/env node
'use strict';
// The Node side of the cross-language test (contract in testvectors/README.md):
//   interop.js sign OUT_FILE        pin every record of crosslang.json
//   interop.js verify IN_FILE...    verify every language's pins

const fs = require('node:fs');
const path = require('node:path');
const vp = require('../lib');

const LANG = 'node';

function records() {
  const dir = process.env.VECTORPIN_TESTVECTORS || path.join(__dirname, '..', '..', '..', 'testvectors');
  const file = path.join(dir, 'crosslang.json');
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    console.error(`cannot read ${file} (set VECTORPIN_TESTVECTORS): ${err.message}`);
    process.exit(2);
  }
}

function vectorOf(record) {
  const bytes = vp.base64urlDecode(record.vector_b64);
  const copy = new Uint8Array(bytes); // aligned, and ours to modify
  if (record.dtype === 'f32') return new Float32Array(copy.buffer);
  if (record.dtype === 'f64') return new Float64Array(copy.buffer);
  throw new Error(`record ${record.name}: unknown dtype ${record.dtype}`);
}

function sign(outFile) {
  const doc = records();
  const kid = `crosslang-${LANG}`;
  const signer = vp.Signer.fromSeed(kid, vp.base64urlDecode(doc.seed_b64));
  const publicKey = vp.base64urlEncode(signer.publicKey);
  const lines = doc.records.map((r) => {
    const pin = signer.pin({ source: r.source, model: r.model, vector: vectorOf(r), extra: r.extra, protocol: 2 });
    const line = JSON.stringify({ lang: LANG, kid, public_key_b64: publicKey, name: r.name, pin_json: pin.toString() });
    pin.close();
    return line;
  });
  signer.close();
  fs.writeFileSync(outFile, `${lines.join('\n')}\n`);
  console.log(`signed ${lines.length} records`);
  return lines.length > 0 ? 0 : 1;
}

async function verify(files) {
  const byName = new Map(records().records.map((r) => [r.name, r]));
  let passed = 0;
  let failed = 0;
  const fail = (label, why) => {
    failed++;
    console.error(`FAIL ${label}: ${why}`);
  };
  for (const file of files) {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      fail(file, err.message);
      continue;
    }
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      let item;
      try {
        item = JSON.parse(line);
      } catch (err) {
        fail(file, `bad line: ${err.message}`);
        continue;
      }
      const label = `${item.lang}/${item.name}`;
      const record = byName.get(item.name);
      if (!record) {
        fail(label, 'unknown record');
        continue;
      }
      let verifier;
      try {
        verifier = new vp.Verifier({ [item.kid]: item.public_key_b64 });
        const vector = vectorOf(record);
        const opts = { source: record.source, vector, expectedRecordId: record.extra['vectorpin.record_id'] };
        const tampered = vector.slice();
        tampered[0] += 0.5;
        const sync = verifier.verify(item.pin_json, opts);
        // The same two checks on the thread pool, with the parsed pin.
        const pin = vp.Pin.parse(item.pin_json);
        const [good, bad] = await verifier.verifyBatchAsync([
          { pin, ...opts },
          { pin, ...opts, vector: tampered },
        ]);
        pin.close();
        if (!sync.ok) fail(label, `${sync.error}: ${sync.detail}`);
        else if (!good.ok) fail(label, `batch: ${good.error}: ${good.detail}`);
        else if (bad.error !== 'VECTOR_TAMPERED') fail(label, `tampered vector gave ${bad.error ?? 'OK'}`);
        else passed++;
      } catch (err) {
        fail(label, `${err.code ?? ''} ${err.message}`);
      } finally {
        if (verifier) verifier.close();
      }
    }
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

async function main(argv) {
  if (argv[0] === 'sign' && argv.length === 2) return sign(argv[1]);
  if (argv[0] === 'verify' && argv.length >= 2) return verify(argv.slice(1));
  console.error('usage: interop.js sign OUT_FILE | verify IN_FILE...');
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 3;
  },
);
