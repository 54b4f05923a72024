// Bundles the client and the language server with esbuild. Type-checking is `tsc -p . --noEmit`
// (see the `compile` script): esbuild only strips types.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
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
 * @taplo/lib ships its WebAssembly module as one base64 string inside its JavaScript (36 MB). The
 * formatter bundle gets it as a binary file beside it instead (server/out/taplo.wasm): a third
 * smaller than base64 and compressible in the .vsix, read only when taplo.js loads (the first
 * formatting request). Its custom sections (function names for stack traces, producer notes) are
 * dropped: the engine ignores them. The build fails when the library's layout changes.
 */
const taploWasmBeside = {
  name: 'taplo-wasm-beside',
  setup(build) {
    build.onLoad({ filter: /@taplo[\\/]lib[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      // The call decoding it: `decode("AGFzbQ…")` ("AGFzbQ" is the module's magic number in base64).
      const open = source.indexOf('("AGFzbQ');
      if (open < 0 || source.indexOf('("AGFzbQ', open + 1) >= 0) throw new Error('@taplo/lib: expected exactly one inlined WebAssembly module');
      const close = source.indexOf('")', open);
      const decoder = /[A-Za-z_$][\w$]*$/.exec(source.slice(open - 40, open))?.[0];
      if (!decoder || close < 0) throw new Error('@taplo/lib: the inlined WebAssembly module is not a call of a decoder');
      const call = source.slice(open - decoder.length, close + 2);
      const wasm = withoutCustomSections(Buffer.from(source.slice(open + 2, close), 'base64'));
      await mkdir('server/out', { recursive: true });
      await writeFile('server/out/taplo.wasm', wasm);
      const load = 'require("node:fs").readFileSync(require("node:path").join(__dirname, "taplo.wasm"))';
      return { contents: source.replace(call, () => load), loader: 'js' };
    });
  },
};

/** A WebAssembly module without its custom sections (id 0); throws on anything but a module. */
function withoutCustomSections(bytes) {
  if (bytes.readUInt32BE(0) !== 0x0061736d) throw new Error('@taplo/lib: the inlined data is not a WebAssembly module');
  const kept = [bytes.subarray(0, 8)];
  let offset = 8;
  while (offset < bytes.length) {
    const start = offset;
    const id = bytes[offset++];
    let size = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = bytes[offset++];
      size += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) break;
    }
    offset += size;
    if (offset > bytes.length) throw new Error('@taplo/lib: truncated WebAssembly section');
    if (id !== 0) kept.push(bytes.subarray(start, offset));
  }
  return Buffer.concat(kept);
}

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
  // The formatter the server loads lazily (see taploBeside), its module in taplo.wasm beside it
  // (see taploWasmBeside); no source map for a generated blob.
  { ...common, entryPoints: ['node_modules/@taplo/lib/dist/index.js'], outfile: 'server/out/taplo.js', sourcemap: false, minify: true, plugins: [taploWasmBeside] },
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
