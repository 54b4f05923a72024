// Taplo's TOML formatter (@taplo/lib, WebAssembly), loaded on the first formatting request: its
// bundle is large (the wasm module is inlined), so the server starts without it. It runs in a
// sandboxed environment: no files, no environment variables, no network — it only formats text.

/** Formats TOML text; returns the text unchanged when it cannot parse it. Pure. */
export type TomlFormatter = (text: string, options: { crlf: boolean }) => string;

/**
 * What Taplo may change. Key order, array order and line structure of arrays and inline tables stay
 * as written; inline tables are never spread over lines (TOML 1.1 only, Streamlit's parser rejects it).
 */
const formatterOptions = {
  reorderKeys: false,
  reorderArrays: false,
  reorderInlineTables: false,
  inlineTableExpand: false,
  arrayAutoExpand: false,
  arrayAutoCollapse: false,
  alignEntries: false,
  alignComments: true,
  indentTables: false,
  indentEntries: false,
  allowedBlankLines: 2,
  trailingNewline: true,
};

const unavailable = (): never => {
  throw new Error('not available to the formatter');
};

/** An environment that gives Taplo nothing: it is only asked to format a string. */
const sandbox = {
  now: () => new Date(0),
  envVar: () => undefined,
  envVars: () => [] as Array<[string, string]>,
  stdErrAtty: () => false,
  stdin: () => Promise.resolve(new Uint8Array()),
  stdout: (bytes: Uint8Array) => Promise.resolve(bytes.length),
  stderr: (bytes: Uint8Array) => Promise.resolve(bytes.length),
  glob: () => [] as string[],
  readFile: () => Promise.reject(new Error('not available to the formatter')),
  writeFile: () => Promise.reject(new Error('not available to the formatter')),
  urlToFilePath: unavailable,
  isAbsolute: () => true,
  cwd: () => '/',
  findConfigFile: () => undefined,
};

let loading: Promise<TomlFormatter> | undefined;

/** The formatter, initialised once (the first call takes about half a second). */
export function loadTomlFormatter(): Promise<TomlFormatter> {
  loading ??= import('@taplo/lib').then(async (module) => {
    // Bundled, the library is a CommonJS file beside the server: its exports arrive as `default`.
    const Taplo = (module.Taplo as typeof module.Taplo | undefined) ?? module.default.Taplo;
    const taplo = await Taplo.initialize(sandbox);
    return (text: string, options: { crlf: boolean }) => taplo.format(text, { options: { ...formatterOptions, crlf: options.crlf } as never });
  });
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}
