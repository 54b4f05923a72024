// `postinstall`: in a checkout of this repository (npm ci, and the pre-commit framework's
// `npm install` of this repository as a hook), build the bundles so `npm pack` has them; in the
// installed npm package (no build script, no esbuild) do nothing: it ships built.
// Not `prepack`/`prepare`: npm prints their banners on stdout during `npm pack`, where pre-commit
// reads the tarball's name.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
let esbuildFound = true;
try {
  require.resolve('esbuild', { paths: [root] });
} catch {
  esbuildFound = false;
}
if (existsSync(join(root, 'scripts', 'build.mjs')) && esbuildFound) {
  const result = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  process.exitCode = result.status ?? 1;
}
