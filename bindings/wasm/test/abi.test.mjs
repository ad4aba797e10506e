// The wrapper speaks C ABI 2 only: a module reporting another ABI number is
// refused by init() with an error naming both, and a later init() with a
// good module still works. Its own file: node --test runs each file in a
// fresh process, and init() loads the module once per process.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import init, { version } from '../lib/index.js';

// The module's export behind vectorpin_abi_version, as emscripten's glue
// names it (its export names are minified at -O3).
function abiExportName() {
  const glue = fs.readFileSync(new URL('../dist/vectorpin-core.mjs', import.meta.url), 'utf8');
  const m = glue.match(/Module\["_vectorpin_abi_version"\]=Module\["asm"\]\["([^"]+)"\]/);
  assert.ok(m, 'the glue names the export of vectorpin_abi_version');
  return m[1];
}

test('a module of another ABI is refused, and a good one loads afterwards', async () => {
  const name = abiExportName();
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (module, imports) => {
    const instance = await instantiate(module, imports);
    return { exports: { ...instance.exports, [name]: () => 1 } };
  };
  try {
    await assert.rejects(init(), /the module has C ABI 1, this wrapper needs ABI 2/);
  } finally {
    WebAssembly.instantiate = instantiate;
  }
  await init();
  assert.match(version(), /^\d+\.\d+\.\d+/);
});
