// Bundles the client and the language server with esbuild. Type-checking is `tsc -p . --noEmit`
// (see the `compile` script): esbuild only strips types.
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

// The npm package's commands run these two files directly (package.json `bin`).
const executable = { banner: { js: '#!/usr/bin/env node' } };

/**
 * The TOML formatter's WebAssembly module (@dprint/toml's plugin.wasm, 0.5 MB) ships as a file
 * beside the server, named for what it is; `getPath()` points there in the bundle. It is read on the
 * first formatting request only.
 */
const formatterWasm = 'toml-formatter.wasm';
const formatterBeside = (outdir) => ({
  name: 'toml-formatter-beside',
  setup(build) {
    build.onResolve({ filter: /^@dprint\/toml$/ }, () => ({ path: '@dprint/toml', namespace: 'toml-formatter-beside' }));
    build.onLoad({ filter: /.*/, namespace: 'toml-formatter-beside' }, async () => {
      await mkdir(outdir, { recursive: true });
      await copyFile(createRequire(import.meta.url).resolve('@dprint/toml/plugin.wasm'), `${outdir}/${formatterWasm}`);
      return { contents: `module.exports = { getPath: () => require('node:path').join(__dirname, ${JSON.stringify(formatterWasm)}) };`, loader: 'js' };
    });
  },
});

const builds = [
  // The language server: also runs on its own as `node server/out/server.js --stdio`, and as the
  // npm package's `streamlit-secrets-language-server`. `module` first: jsonc-parser's UMD build
  // requires its parts at runtime, which a bundle cannot resolve.
  { ...common, ...executable, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js', mainFields: ['module', 'main'], plugins: [formatterBeside('server/out')] },
  // The `streamlit-secrets` CLI: the same analysis, headless.
  { ...common, ...executable, entryPoints: ['cli/src/cli.ts'], outfile: 'cli/out/cli.js', mainFields: ['module', 'main'] },
  // The VS Code client: `vscode` is provided by the extension host.
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'client/out/extension.js', external: ['vscode'] },
];

if (watch) {
  for (const options of builds) {
    const context = await esbuild.context(options);
    await context.watch();
  }
  console.log('watching client and server sources…');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
