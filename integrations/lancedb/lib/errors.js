'use strict';
// Exit codes and error types shared with `vectorpin audit` (docs/CLI.md):
// 0 success, 1 verification failures found, 2 usage error, 3 I/O or runtime error.

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;
const EXIT_RUNTIME = 3;

class ToolError extends Error {
  constructor(exitCode, message) {
    super(message);
    this.exitCode = exitCode;
  }
}

const usageError = (message) => new ToolError(EXIT_USAGE, message);
const runtimeError = (message) => new ToolError(EXIT_RUNTIME, message);

// Store data (ids, names, messages of the store's client that may quote it)
// for a terminal: at most `limit` characters, control characters and DEL
// replaced by '?', so hostile text never reaches a terminal raw.
function safeText(text, limit = 64) {
  const s = String(text);
  const cut = Array.from(s).slice(0, limit).join('');
  // eslint-disable-next-line no-control-regex
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?') + (cut.length < s.length ? '...' : '');
}

module.exports = { EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_RUNTIME, ToolError, usageError, runtimeError, safeText };
