import { version } from '../../package.json';
import { checkCommand } from './commands/check';
import { exportCommand } from './commands/export';
import { mcpCommand } from './commands/mcp';
import { UsageError, type Command } from './usage';

/** Every subcommand, each in its own module (a new one is added here). */
const commands: readonly Command[] = [checkCommand, exportCommand, mcpCommand];

function overview(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return [
    'Usage: streamlit-secrets <command> [options]',
    '',
    'Commands:',
    ...commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Run `streamlit-secrets <command> --help` for a command\'s options.',
    'The language server for editors is `streamlit-secrets-language-server --stdio`.',
    '',
  ].join('\n');
}

/** Runs the CLI; resolves to the exit code (0 fine, 1 problems found, 2 usage or internal error). */
export async function main(argv: readonly string[], io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WriteStream | NodeJS.WritableStream; cwd: string }): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(overview());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${version}\n`);
    return 0;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (command === undefined) {
    io.stderr.write(`streamlit-secrets: unknown command "${name}"\n\n${overview()}`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout.write(command.help);
    return 0;
  }
  try {
    return await command.run({ args, ...io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`streamlit-secrets ${command.name}: ${error.message}\nRun \`streamlit-secrets ${command.name} --help\` for usage.\n`);
      return 2;
    }
    // An internal error: its message only (a stack could quote paths, never values; keep it short).
    io.stderr.write(`streamlit-secrets ${command.name}: internal error: ${(error as Error)?.message ?? String(error)}\n`);
    return 2;
  }
}
