import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { checkFolder, type CheckedFile } from '../../../server/src/workspace/folderCheck';
import { buildReport, displayPath, type CheckReport } from '../formats/findings';
import { formatJson } from '../formats/json';
import { formatSarif } from '../formats/sarif';
import { formatText } from '../formats/text';
import { progressLine } from '../progress';
import { UsageError, type Command, type CommandContext } from '../usage';

const formats = ['text', 'json', 'sarif'] as const;
type Format = (typeof formats)[number];

const help = `Usage: streamlit-secrets check [PATH…] [--format text|json|sarif] [--example] [--strict] [--no-git]

Checks the Streamlit apps under each PATH (default: .) the way the editor does: secrets files
Streamlit cannot load, secrets files git would commit or already tracks, reads in Python code that
would raise, and secrets.toml.example drift. Secret values are never printed.

Options:
  --format FORMAT  text (default): path:line:col: severity code message, one a line, and a summary;
                   json: the shape documented in docs/cli.md; sarif: SARIF 2.1.0 for code scanning
  --example        check the code against secrets.toml.example (or .streamlit/secrets.toml.example)
                   as the declared keys, for CI where no real secrets file exists
  --strict         warnings fail the check too
  --no-git         do not run git: read the .gitignore files instead

Exit codes: 0 nothing at error level (or warning level with --strict), 1 otherwise,
2 a usage or internal error.
`;

interface CheckArguments {
  paths: string[];
  format: Format;
  example: boolean;
  strict: boolean;
  git: boolean;
}

function parse(args: string[], cwd: string): CheckArguments {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: 'string' },
        example: { type: 'boolean' },
        strict: { type: 'boolean' },
        'no-git': { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = parsed.values.format ?? 'text';
  if (!(formats as readonly string[]).includes(format)) throw new UsageError(`unknown format "${format}" (use text, json or sarif)`);
  const paths = (parsed.positionals.length > 0 ? parsed.positionals : ['.']).map((given) => path.resolve(cwd, given));
  for (const given of paths) if (!fs.existsSync(given)) throw new UsageError(`no such file or folder: ${displayPath(given, cwd)}`);
  return { paths, format: format as Format, example: parsed.values.example === true, strict: parsed.values.strict === true, git: parsed.values['no-git'] !== true };
}

/**
 * A folder is checked as the editor's workspace folder. A file is checked within the folder the
 * CLI runs in (or its own folder when outside it), since its chain depends on files around it, and
 * only its own findings are kept (pre-commit may pass single files).
 */
async function checkPaths(options: CheckArguments, cwd: string, onProgress: (done: number, total: number) => void): Promise<{ files: CheckedFile[]; appsWithoutExample: string[] }> {
  const files = new Map<string, CheckedFile>();
  const appsWithoutExample = new Set<string>();
  const folders = new Map<string, Set<string> | undefined>();
  for (const given of options.paths) {
    if (fs.statSync(given).isDirectory()) folders.set(given, undefined);
    else {
      const inCwd = !path.relative(cwd, given).startsWith('..') && !path.isAbsolute(path.relative(cwd, given));
      const folder = inCwd ? cwd : path.dirname(given);
      if (folders.has(folder) && folders.get(folder) === undefined) continue;
      const wanted = folders.get(folder) ?? new Set<string>();
      wanted.add(given);
      folders.set(folder, wanted);
    }
  }
  for (const [folder, only] of folders) {
    const result = await checkFolder(folder, { git: options.git, example: options.example, onProgress });
    for (const file of result.files) if (only === undefined || only.has(file.filePath)) files.set(file.filePath, file);
    for (const app of result.appsWithoutExample) appsWithoutExample.add(app);
  }
  return { files: [...files.values()].sort((a, b) => (a.filePath < b.filePath ? -1 : 1)), appsWithoutExample: [...appsWithoutExample] };
}

function exitCodeOf(report: CheckReport, strict: boolean): number {
  return report.summary.errors > 0 || (strict && report.summary.warnings > 0) ? 1 : 0;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check Streamlit apps for secrets problems (CI, pre-commit)',
  help,
  async run(context: CommandContext): Promise<number> {
    const options = parse(context.args, context.cwd);
    const progress = progressLine(context.stderr);
    let checked;
    try {
      checked = await checkPaths(options, context.cwd, progress.update);
    } finally {
      progress.done();
    }
    if (options.example && checked.appsWithoutExample.length > 0) {
      const apps = checked.appsWithoutExample.map((app) => displayPath(app, context.cwd) || '.').join(', ');
      throw new UsageError(`--example: no secrets.toml.example or .streamlit/secrets.toml.example for the app at ${apps}`);
    }
    const report = buildReport(checked.files, context.cwd);
    const exitCode = exitCodeOf(report, options.strict);
    const output = options.format === 'json' ? formatJson(report, exitCode) : options.format === 'sarif' ? formatSarif(report) : formatText(report);
    context.stdout.write(output);
    return exitCode;
  },
};
