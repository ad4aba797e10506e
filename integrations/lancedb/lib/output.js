'use strict';
// What the tool writes: the one-line JSON summary on stdout, one JSON line
// per failed record in the report, and the progress bar on a terminal. The
// formats are those of `vectorpin audit` (docs/AUDIT.md), field for field,
// so scripts written for one read the other.

const fs = require('node:fs');
const { runtimeError } = require('./errors');

const ID_LIMIT = 1024; // bytes of a record id in a report line
const DETAIL_LIMIT = 512; // bytes of a failure's detail

// `text` cut to at most `limit` UTF-8 bytes without splitting a character.
function clipUtf8(text, limit) {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return { text, clipped: false };
  let end = limit;
  while (end > 0 && (bytes[end] & 0xc0) === 0x80) end -= 1;
  return { text: bytes.subarray(0, end).toString('utf8'), clipped: true };
}

function reportLine(id, code, detail) {
  let line = '{"id":';
  if (id === null || id === undefined) {
    line += 'null';
  } else {
    const c = clipUtf8(id, ID_LIMIT);
    line += JSON.stringify(c.text);
    if (c.clipped) line += ',"id_truncated":true';
  }
  return `${line},"error":${JSON.stringify(code)},"detail":${JSON.stringify(clipUtf8(detail || '', DETAIL_LIMIT).text)}}\n`;
}

// shard: {shard: "I/N", location} for a sharded run (the fields `vectorpin audit` adds), or null.
function auditSummaryLine(table, s, threads, elapsedSeconds, shard = null) {
  const byError = Object.keys(s.byError)
    .sort()
    .map((code) => `${JSON.stringify(code)}:${s.byError[code]}`)
    .join(',');
  return (
    `{"store":"lancedb","table":${JSON.stringify(table)},"total":${s.total},"pinned":${s.pinned},` +
    `"verified_ok":${s.verifiedOk},"verification_failed":${s.verificationFailed},"unpinned":${s.unpinned},` +
    `"by_error":{${byError}},"threads":${threads},"elapsed_seconds":${elapsedSeconds.toFixed(3)}` +
    (shard ? `,"shard":${JSON.stringify(shard.shard)},"location":${JSON.stringify(shard.location)}` : '') +
    '}\n'
  );
}

// Where report lines go: a file, or stderr (then the progress bar is erased
// before each line so the two never mix).
class Report {
  constructor(file) {
    this.toStderr = !file;
    this.fd = 2;
    if (file) {
      try {
        this.fd = fs.openSync(file, 'w', 0o644);
      } catch (err) {
        throw runtimeError(`cannot create ${file}: ${err.code || err.message}`);
      }
    }
  }

  write(line) {
    try {
      fs.writeSync(this.fd, line);
    } catch (err) {
      throw runtimeError(`cannot write the report: ${err.code || err.message}`);
    }
  }

  close() {
    if (this.toStderr) return;
    try {
      fs.fsyncSync(this.fd);
      fs.closeSync(this.fd);
    } catch (err) {
      throw runtimeError(`cannot write the report: ${err.code || err.message}`);
    }
  }
}

function formatDuration(s) {
  if (!Number.isFinite(s) || s < 0) return '--';
  const t = Math.round(s);
  if (t >= 3600) return `${Math.floor(t / 3600)}h${String(Math.floor(t / 60) % 60).padStart(2, '0')}m`;
  if (t >= 60) return `${Math.floor(t / 60)}m${String(t % 60).padStart(2, '0')}s`;
  return `${t}s`;
}

// A one-line bar with rate and ETA, drawn on stderr only when it is a terminal.
class Progress {
  constructor(enabled, verb) {
    this.enabled = enabled && process.stderr.isTTY === true;
    this.verb = verb;
    this.total = null;
    this.start = process.hrtime.bigint();
    this.lastDraw = -1;
    this.drawn = false;
  }

  elapsed() {
    return Number(process.hrtime.bigint() - this.start) / 1e9;
  }

  update(done, force = false) {
    if (!this.enabled) return;
    const now = this.elapsed();
    if (!force && this.lastDraw >= 0 && now - this.lastDraw < 0.1) return;
    this.lastDraw = now;
    const rate = now > 0 ? done / now : 0;
    let line;
    if (this.total) {
      const frac = Math.min(1, done / this.total);
      const filled = Math.floor(frac * 30);
      const eta = rate > 0 ? (this.total - Math.min(done, this.total)) / rate : -1;
      line = `\r${this.verb} [${'#'.repeat(filled)}${'-'.repeat(30 - filled)}] ${done}/${this.total} ` +
        `${(frac * 100).toFixed(0).padStart(3)}% ${rate.toFixed(0)} rec/s ETA ${formatDuration(eta)}\x1b[K`;
    } else {
      line = `\r${this.verb} ${done} records ${rate.toFixed(0)} rec/s\x1b[K`;
    }
    fs.writeSync(2, line);
    this.drawn = true;
  }

  clear() {
    if (!this.enabled || !this.drawn) return;
    fs.writeSync(2, '\r\x1b[K');
    this.drawn = false;
    this.lastDraw = -1;
  }

  finish(done) {
    if (!this.enabled) return;
    this.update(done, true);
    fs.writeSync(2, '\n');
    this.drawn = false;
  }
}

module.exports = { clipUtf8, reportLine, auditSummaryLine, Report, Progress };
