#!/usr/bin/env node
'use strict';
// `npm install` hook: builds vectorpin.node with CMake unless a usable addon
// is already there (a prebuild, or an earlier build). Nothing is downloaded:
// the addon is compiled against Node's own headers and a libvectorpin found
// in one of these ways, the first that applies:
//
//   VECTORPIN_LIB_DIR=/path/lib    a directory holding libvectorpin.so (and
//                                  VECTORPIN_INCLUDE_DIR, default ../include)
//   the repository around this     the core is compiled from source (needs
//   package (or VECTORPIN_SOURCE_DIR)  libsodium-dev and libutf8proc-dev)
//   pkg-config vectorpin           an installed library (PKG_CONFIG_PATH)
//
// VECTORPIN_NODE_LIBRARY=source|pkg-config|cmake|dir forces one of them
// (cmake: the installed CMake package, found through CMAKE_PREFIX_PATH).
//
//   node scripts/install.js              build into build/Release if needed
//   node scripts/install.js --force      rebuild even if an addon exists
//   node scripts/install.js --prebuild   build into prebuilds/<platform>-<arch>
//
// Other environment: VECTORPIN_BUILD_JOBS, CMAKE (the cmake program),
// VECTORPIN_NODE_ADDON (skip the build: use that addon).

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.join(__dirname, '..');
const args = new Set(process.argv.slice(2));
const platformDir = `${process.platform}-${process.arch}`;
const prebuildDir = path.join(root, 'prebuilds', platformDir);
const releaseDir = path.join(root, 'build', 'Release');

function log(message) {
  console.log(`vectorpin-native: ${message}`);
}

function fail(message) {
  console.error(`vectorpin-native: ${message}`);
  process.exit(1);
}

function run(cmd, argv) {
  log(`${cmd} ${argv.join(' ')}`);
  const r = spawnSync(cmd, argv, { stdio: 'inherit' });
  if (r.error) fail(`cannot run ${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} failed with exit code ${r.status}`);
}

function has(cmd) {
  const r = spawnSync(cmd, ['--version'], { stdio: 'ignore' });
  return !r.error && r.status === 0;
}

if (process.env.VECTORPIN_NODE_ADDON && !args.has('--force')) {
  log(`using VECTORPIN_NODE_ADDON=${process.env.VECTORPIN_NODE_ADDON}; nothing to build`);
  process.exit(0);
}
if (!args.has('--force') && !args.has('--prebuild')) {
  for (const dir of [prebuildDir, releaseDir]) {
    if (fs.existsSync(path.join(dir, 'vectorpin.node'))) {
      log(`found ${path.relative(root, path.join(dir, 'vectorpin.node'))}; nothing to build (use --force to rebuild)`);
      process.exit(0);
    }
  }
}

const cmake = process.env.CMAKE || 'cmake';
if (!has(cmake)) {
  fail(
    'CMake is needed to build the native addon (no prebuilt addon for ' +
      `${platformDir}). Install cmake, a C/C++ compiler, pkg-config, libsodium-dev and libutf8proc-dev.`,
  );
}

const sourceDir = path.resolve(process.env.VECTORPIN_SOURCE_DIR || path.join(root, '..', '..'));
const haveSources = fs.existsSync(path.join(sourceDir, 'include', 'vectorpin.h')) && fs.existsSync(path.join(sourceDir, 'src'));
let mode = process.env.VECTORPIN_NODE_LIBRARY;
if (args.has('--use-installed')) mode = 'cmake';
if (!mode) {
  if (process.env.VECTORPIN_LIB_DIR) mode = 'dir';
  else if (haveSources) mode = 'source';
  else mode = 'pkg-config';
}
if (!['source', 'pkg-config', 'cmake', 'dir'].includes(mode)) {
  fail(`VECTORPIN_NODE_LIBRARY must be source, pkg-config, cmake or dir (got '${mode}')`);
}
if (mode === 'source' && !haveSources) {
  fail(
    `the vectorpin sources were not found at ${sourceDir}. Set VECTORPIN_SOURCE_DIR to a checkout of the ` +
      'repository, VECTORPIN_LIB_DIR to a directory holding libvectorpin, or install libvectorpin where ' +
      'pkg-config finds it.',
  );
}
if (mode === 'dir' && !process.env.VECTORPIN_LIB_DIR) fail('VECTORPIN_NODE_LIBRARY=dir needs VECTORPIN_LIB_DIR');
if (mode === 'pkg-config') {
  const pc = spawnSync('pkg-config', ['--modversion', 'vectorpin'], { encoding: 'utf8' });
  if (pc.error || pc.status !== 0) {
    fail(
      'no libvectorpin found: `pkg-config vectorpin` failed. Install the library (cmake --install) and set ' +
        'PKG_CONFIG_PATH=<prefix>/lib/pkgconfig, or set VECTORPIN_LIB_DIR to the directory holding ' +
        'libvectorpin.so, or VECTORPIN_SOURCE_DIR to a checkout of the repository.',
    );
  }
  log(`using libvectorpin ${pc.stdout.trim()} found by pkg-config`);
}

const outputDir = args.has('--prebuild') ? prebuildDir : releaseDir;
const buildDir = path.join(root, 'build', 'cmake');
const configure = [
  '-S',
  root,
  '-B',
  buildDir,
  '-DCMAKE_BUILD_TYPE=Release',
  `-DVECTORPIN_NODE_OUTPUT_DIR=${outputDir}`,
  `-DVECTORPIN_NODE_EXECUTABLE=${process.execPath}`,
];
configure.push(`-DVECTORPIN_NODE_LIBRARY=${mode}`);
if (mode === 'source') configure.push(`-DVECTORPIN_SOURCE_DIR=${sourceDir}`);
if (mode === 'dir') {
  configure.push(`-DVECTORPIN_LIB_DIR=${path.resolve(process.env.VECTORPIN_LIB_DIR)}`);
  if (process.env.VECTORPIN_INCLUDE_DIR) configure.push(`-DVECTORPIN_INCLUDE_DIR=${path.resolve(process.env.VECTORPIN_INCLUDE_DIR)}`);
}
if (!fs.existsSync(path.join(buildDir, 'CMakeCache.txt')) && has('ninja')) configure.push('-G', 'Ninja');

const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
const jobs = String(Number(process.env.VECTORPIN_BUILD_JOBS) || cpus || 1);

run(cmake, configure);
run(cmake, ['--build', buildDir, '--target', 'vectorpin_node', '--parallel', jobs]);

// Load what was built, from a clean process, the way users will.
const env = { ...process.env };
delete env.VECTORPIN_NODE_ADDON;
const check = spawnSync(process.execPath, ['-p', `require(${JSON.stringify(path.join(root, 'lib'))}).addonPath`], {
  env,
  encoding: 'utf8',
});
if (check.status !== 0) fail(`the built addon does not load:\n${check.stderr}`);
log(`built ${check.stdout.trim()}`);
