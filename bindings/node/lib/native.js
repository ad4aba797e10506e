'use strict';
// Finds and loads vectorpin.node, then checks it talks to a libvectorpin of
// the ABI this package was written for.

const fs = require('node:fs');
const path = require('node:path');

const EXPECTED_ABI_VERSION = 2;
const packageRoot = path.join(__dirname, '..');

function candidates() {
  const list = [];
  // An explicit choice wins, and is never silently replaced by another copy:
  // the project's tests point this at the addon they just built.
  const fromEnv = process.env.VECTORPIN_NODE_ADDON;
  if (fromEnv) return [{ file: path.resolve(fromEnv), origin: 'VECTORPIN_NODE_ADDON' }];
  list.push({
    file: path.join(packageRoot, 'prebuilds', `${process.platform}-${process.arch}`, 'vectorpin.node'),
    origin: 'prebuild',
  });
  list.push({ file: path.join(packageRoot, 'build', 'Release', 'vectorpin.node'), origin: 'build/Release' });
  return list;
}

function load() {
  const tried = [];
  for (const c of candidates()) {
    if (!fs.existsSync(c.file)) {
      tried.push(`${c.file} (${c.origin}): not found`);
      continue;
    }
    let addon;
    try {
      addon = require(c.file);
    } catch (err) {
      const e = new Error(`vectorpin: cannot load the native addon ${c.file} (${c.origin}): ${err.message}`);
      e.code = 'ADDON_LOAD_FAILED';
      e.cause = err;
      throw e;
    }
    const v = addon.versions();
    if (v.abiVersion !== EXPECTED_ABI_VERSION) {
      const e = new Error(
        `vectorpin: the native library reports ABI version ${v.abiVersion}, but this package needs ` +
          `ABI version ${EXPECTED_ABI_VERSION}; rebuild the addon against a matching libvectorpin`,
      );
      e.code = 'ABI_MISMATCH';
      throw e;
    }
    return { addon, file: c.file, origin: c.origin };
  }
  const e = new Error(
    'vectorpin: native addon not found. Run `npm install` (or `npm run build`) in the package directory, ' +
      'or set VECTORPIN_NODE_ADDON to a built vectorpin.node. Looked at:\n  ' +
      tried.join('\n  '),
  );
  e.code = 'ADDON_NOT_FOUND';
  throw e;
}

module.exports = { load, EXPECTED_ABI_VERSION };
