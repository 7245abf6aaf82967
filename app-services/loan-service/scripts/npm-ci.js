#!/usr/bin/env node
// `npm ci` for the loan-service on the Node.js its tests and its image run on.
//
// On Linux x64 and arm64 the service's optionalDependencies install that Node.js as the pinned
// package node-linux-<arch>, and npm puts its `node` first on PATH for every script of the
// service, the dependencies' install scripts included. better-sqlite3 ships prebuilt Node-API
// binaries, but npm still runs its `node-gyp rebuild`, which configures (and builds nothing)
// against the headers of that Node.js: node-gyp would download them from nodejs.org, or take
// whatever `nodedir` the user's npmrc names. The package ships them under include/node, so
// npm_config_nodedir points there and nothing is fetched but from the npm registry. Elsewhere
// the service runs on the Node.js on PATH and npm ci behaves as usual.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const serviceRoot = path.resolve(__dirname, '..');
const lock = require(path.join(serviceRoot, 'package-lock.json'));
const runtimePackage = `node-${process.platform}-${process.arch}`;
const environment = { ...process.env };
if (lock.packages[`node_modules/${runtimePackage}`] !== undefined) {
  environment.npm_config_nodedir = path.join(serviceRoot, 'node_modules', runtimePackage);
}
const npmArguments = ['ci', '--prefix', serviceRoot, '--no-audit', '--no-fund', ...process.argv.slice(2)];
// From an npm script (the root postinstall), the same npm; otherwise the npm on PATH.
const npm = process.env.npm_execpath;
const result = npm
  ? spawnSync(process.execPath, [npm, ...npmArguments], { cwd: serviceRoot, env: environment, stdio: 'inherit' })
  : spawnSync('npm', npmArguments, { cwd: serviceRoot, env: environment, stdio: 'inherit', shell: process.platform === 'win32' });
if (result.error !== undefined) throw result.error;
process.exit(result.status ?? 1);
