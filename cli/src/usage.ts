/** A mistake in how the CLI was called: printed with the usage hint, exit code 2. */
export class UsageError extends Error {}

/** What a subcommand gets: its own arguments and where to write. */
export interface CommandContext {
  args: string[];
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Where relative paths in the output are relative to. */
  cwd: string;
}

/** A subcommand: one module each, dispatched by name from `main.ts`. Resolves to the exit code. */
export interface Command {
  name: string;
  /** One line for the overview. */
  summary: string;
  /** Its own `--help` text. */
  help: string;
  run(context: CommandContext): Promise<number>;
}
