/**
 * Node/V8 options the extension starts the language server with (the standalone command
 * `node server/out/server.js --stdio` runs without them). All trade a little time for memory: a
 * small young generation, V8's memory-saving heap growth (it collects the old generation before it
 * doubles), and one background thread for V8's concurrent work (compiling, marking) instead of
 * four — each such thread keeps its own malloc arena of a few MB resident. On the large benchmark
 * the server's peak drops from about 200 MB to under 100 MB (bench/results.md, bench/analysis.md).
 */
export const serverExecArgv: readonly string[] = ['--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1'];
