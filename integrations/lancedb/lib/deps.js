'use strict';
// Loads the three libraries this tool stands on, each with a message that
// says how to get it when it is missing (exit 3, as for any runtime error).

const path = require('node:path');
const { runtimeError } = require('./errors');

const packageDir = path.join(__dirname, '..');

function missing(what, err, hint) {
  const e = runtimeError(`${what} is not installed (${err.code || err.message}); ${hint}`);
  e.cause = err;
  return e;
}

function lancedb() {
  try {
    return require('@lancedb/lancedb');
  } catch (err) {
    throw missing('@lancedb/lancedb', err, `run \`npm ci\` in ${packageDir}`);
  }
}

function arrow() {
  try {
    return require('apache-arrow');
  } catch (err) {
    throw missing('apache-arrow', err, `run \`npm ci\` in ${packageDir}`);
  }
}

// The Node binding of libvectorpin: an installed `vectorpin-native`
// package, else the package directory named by VECTORPIN_NODE_PACKAGE, else
// the binding in the repository this tool sits in (bindings/node).
function vectorpin() {
  const tried = [];
  const candidates = [];
  if (process.env.VECTORPIN_NODE_PACKAGE) candidates.push(path.resolve(process.env.VECTORPIN_NODE_PACKAGE));
  candidates.push('vectorpin-native');
  candidates.push(path.join(packageDir, '..', '..', 'bindings', 'node'));
  for (const c of candidates) {
    try {
      return require(c);
    } catch (err) {
      // A binding that is there but cannot load its addon says so itself.
      if (err.code !== 'MODULE_NOT_FOUND' || !String(err.message).includes(c)) throw runtimeError(err.message);
      tried.push(c);
    }
  }
  throw runtimeError(
    'the Node binding vectorpin-native is not installed (looked for ' + tried.join(', ') + '); install it ' +
      '(bindings/node: npm install), or set VECTORPIN_NODE_PACKAGE to its directory',
  );
}

module.exports = { lancedb, arrow, vectorpin };
