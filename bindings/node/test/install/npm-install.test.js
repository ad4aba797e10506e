'use strict';
// What a user does: `npm install` of the packed package outside the
// repository, against an installed libvectorpin found by pkg-config, and
// against a library directory named by VECTORPIN_LIB_DIR. Run by ctest
// (node_npm_install), which names the build tree; no network is used.

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const buildDir = process.env.VECTORPIN_BUILD_DIR;
const libDir = process.env.VECTORPIN_LIB_DIR;
const includeDir = process.env.VECTORPIN_INCLUDE_DIR;
const cmake = process.env.CMAKE || 'cmake';
const packageDir = path.join(__dirname, '..', '..');

assert.ok(buildDir && libDir && includeDir, 'VECTORPIN_BUILD_DIR, VECTORPIN_LIB_DIR and VECTORPIN_INCLUDE_DIR must be set');

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'vectorpin-npm-'));
test.after(() => fs.rmSync(work, { recursive: true, force: true }));

// npm writes its cache under $HOME unless told otherwise; keep it here.
const baseEnv = { ...process.env, npm_config_cache: path.join(work, 'npm-cache'), npm_config_update_notifier: 'false' };
for (const k of ['VECTORPIN_NODE_ADDON', 'VECTORPIN_LIB_DIR', 'VECTORPIN_INCLUDE_DIR', 'VECTORPIN_SOURCE_DIR']) delete baseEnv[k];

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env: baseEnv, ...options });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

let tarball;
test('npm pack makes a package without build output or node_modules', () => {
  const out = run('npm', ['pack', '--json', '--pack-destination', work], { cwd: packageDir });
  const [info] = JSON.parse(out);
  tarball = path.join(work, info.filename);
  const files = info.files.map((f) => f.path);
  for (const f of ['package.json', 'lib/index.js', 'lib/index.mjs', 'lib/index.d.ts', 'src/addon.c', 'scripts/install.js', 'CMakeLists.txt']) {
    assert.ok(files.includes(f), `${f} is packed`);
  }
  assert.ok(!files.some((f) => f.startsWith('node_modules/') || f.startsWith('build/')), files.join(' '));
  // What a user of the registry sees: the licence, its notice and a README,
  // and none of the repository's test or interop tooling.
  for (const f of ['LICENSE', 'NOTICE', 'README.md']) assert.ok(files.includes(f), `${f} is packed`);
  const shipped = files.filter((f) => /^(tools|test|bench)\//.test(f));
  assert.deepEqual(shipped, [], 'tools/, test/ and bench/ are not packed');
  const repoRoot = path.join(packageDir, '..', '..');
  for (const f of ['LICENSE', 'NOTICE']) {
    assert.equal(fs.readFileSync(path.join(packageDir, f), 'utf8'), fs.readFileSync(path.join(repoRoot, f), 'utf8'),
      `bindings/node/${f} is a copy of the repository's ${f}`);
  }
  const meta = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  assert.equal(meta.license, 'Apache-2.0');
  assert.match(meta.repository.url, /github\.com\/vectorpin\/vectorpin/);
  assert.equal(meta.repository.directory, 'bindings/node');
});

// Installs the tarball into a fresh app and checks, in a new process, that
// the addon signs and verifies and which libvectorpin it mapped.
function installAndUse(name, env) {
  const app = path.join(work, name);
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name, version: '1.0.0', private: true }));
  run('npm', ['install', '--offline', '--omit=dev', '--no-audit', '--no-fund', tarball], {
    cwd: app,
    env: { ...baseEnv, ...env },
  });
  const script = `
    const vp = require('vectorpin-native');
    const s = vp.Signer.generate('k');
    const v = new vp.Verifier({ k: s.publicKey });
    const vector = new Float32Array([1, 2, 3]);
    const pin = s.pin({ source: 'x', model: 'm', vector });
    const maps = require('node:fs').readFileSync('/proc/self/maps', 'utf8');
    const lib = maps.split('\\n').map((l) => l.split(/\\s+/)[5]).find((p) => p && /libvectorpin\\.so/.test(p));
    console.log(JSON.stringify({ addon: vp.addonPath, lib, ok: v.verify(pin, { source: 'x', vector }).ok,
                                 tampered: v.verify(pin, { vector: new Float32Array([1, 2, 4]) }).error }));
  `;
  return JSON.parse(run(process.execPath, ['-e', script], { cwd: app }));
}

test('npm install finds an installed libvectorpin with pkg-config', () => {
  const prefix = path.join(work, 'prefix');
  run(cmake, ['--install', buildDir, '--prefix', prefix]);
  const pcDir = ['lib', 'lib64', `lib/${os.arch() === 'x64' ? 'x86_64' : os.arch()}-linux-gnu`]
    .map((d) => path.join(prefix, d, 'pkgconfig'))
    .find((d) => fs.existsSync(path.join(d, 'vectorpin.pc')));
  assert.ok(pcDir, 'cmake --install wrote vectorpin.pc');
  const r = installAndUse('app-pkgconfig', { PKG_CONFIG_PATH: pcDir });
  assert.equal(r.ok, true);
  assert.equal(r.tampered, 'VECTOR_TAMPERED');
  assert.ok(r.addon.startsWith(path.join(work, 'app-pkgconfig', 'node_modules', 'vectorpin-native', 'build', 'Release')), r.addon);
  assert.ok(r.lib && fs.realpathSync(r.lib).startsWith(fs.realpathSync(prefix)), `library loaded from ${r.lib}`);
});

test('npm install uses the library directory named by VECTORPIN_LIB_DIR', () => {
  const r = installAndUse('app-libdir', { VECTORPIN_LIB_DIR: libDir, VECTORPIN_INCLUDE_DIR: includeDir, PKG_CONFIG_PATH: '' });
  assert.equal(r.ok, true);
  assert.equal(r.tampered, 'VECTOR_TAMPERED');
  assert.ok(r.lib && fs.realpathSync(path.dirname(r.lib)) === fs.realpathSync(libDir), `library loaded from ${r.lib}`);
});
