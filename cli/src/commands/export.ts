import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { communityCloudExport } from '../../../server/src/service/communityCloudExport';
import { mergedSecretsOfApp } from '../../../server/src/workspace/appSecrets';
import { UsageError, type Command, type CommandContext } from '../usage';

const help = `Usage: streamlit-secrets export --for community-cloud [APP]

Writes the secrets the app at APP (its entrypoint script or folder; default: .) sees locally, every
file of its chain merged as Streamlit merges them, as one TOML document for the "Secrets" field of
a Streamlit Community Cloud app. The document goes to stdout only; warnings about what will not
work once deployed go to stderr and never quote a value.

Exit codes: 0 written, 1 nothing written (no secrets, or a file Streamlit cannot load), 2 a usage error.
`;

function inside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

export const exportCommand: Command = {
  name: 'export',
  summary: 'print the app\'s merged secrets as TOML for Streamlit Community Cloud (stdout only)',
  help,
  run(context: CommandContext): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args: context.args, allowPositionals: true, strict: true, options: { for: { type: 'string' } } });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    if (parsed.values.for !== 'community-cloud') throw new UsageError('--for community-cloud is required (the only target)');
    if (parsed.positionals.length > 1) throw new UsageError('one APP at most');
    const app = path.resolve(context.cwd, parsed.positionals[0] ?? '.');
    if (!fs.existsSync(app)) throw new UsageError(`no such file or folder: ${parsed.positionals[0]}`);
    // `streamlit run` starts where the command runs, when the app is below it.
    const folder = inside(context.cwd, app) ? context.cwd : fs.statSync(app).isDirectory() ? app : path.dirname(app);
    const result = communityCloudExport(mergedSecretsOfApp(app, folder));
    if (!result.ok) {
      context.stderr.write(`streamlit-secrets export: nothing written: ${result.reason}\n`);
      return Promise.resolve(1);
    }
    for (const warning of result.warnings) context.stderr.write(`warning: ${warning.message}\n`);
    context.stdout.write(result.toml);
    return Promise.resolve(0);
  },
};
