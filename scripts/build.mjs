// Bundles the client and the language server with esbuild. Type-checking is `tsc -p . --noEmit`
// (see the `compile` script): esbuild only strips types.
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
 * Taplo's formatter inlines its WebAssembly module (tens of MB): it is its own file, loaded by the
 * server on the first formatting request, so starting the server does not parse it.
 */
const taploBeside = {
  name: 'taplo-beside',
  setup(build) {
    build.onResolve({ filter: /^@taplo\/lib$/ }, () => ({ path: './taplo.js', external: true }));
  },
};

const builds = [
  // The language server: also runs on its own as `node server/out/server.js --stdio`, and as the
  // npm package's `streamlit-secrets-language-server`. `module` first: jsonc-parser's UMD build
  // requires its parts at runtime, which a bundle cannot resolve.
  { ...common, ...executable, entryPoints: ['server/src/server.ts'], outfile: 'server/out/server.js', mainFields: ['module', 'main'], plugins: [taploBeside] },
  // The formatter the server loads lazily (see taploBeside); no source map for a generated blob.
  { ...common, entryPoints: ['node_modules/@taplo/lib/dist/index.js'], outfile: 'server/out/taplo.js', sourcemap: false, minify: true },
  // The `streamlit-secrets` CLI: the same analysis, headless.
  { ...common, ...executable, entryPoints: ['cli/src/cli.ts'], outfile: 'cli/out/cli.js', mainFields: ['module', 'main'], plugins: [taploBeside] },
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
