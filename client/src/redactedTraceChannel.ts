import * as vscode from 'vscode';

/**
 * The channel the language client writes its protocol trace to (`streamlitSecrets.trace.server`).
 * A trace normally prints every message's params and results, which would put the text of open
 * secrets files and the server's answers into an output channel. This channel keeps only the
 * header line of each entry (direction, method, id, timing) and drops every payload line.
 */
export function createRedactedTraceChannel(name: string): vscode.OutputChannel & { readonly redactedInto: vscode.OutputChannel } {
  const channel = vscode.window.createOutputChannel(name);
  const keep = (text: string): string =>
    text
      .split(/\r?\n/)
      .filter((line) => /^\[(Trace|Info|Warn|Error|Debug)\b/.test(line))
      .join('\n');
  return {
    get name() {
      return channel.name;
    },
    /** Test hook: the channel the kept lines go to (the leak audit records what reaches it). */
    get redactedInto(): vscode.OutputChannel {
      return channel;
    },
    append(value: string) {
      const kept = keep(value);
      if (kept) channel.append(kept);
    },
    appendLine(value: string) {
      const kept = keep(value);
      if (kept) channel.appendLine(kept);
    },
    replace(value: string) {
      channel.replace(keep(value));
    },
    clear: () => channel.clear(),
    show: (...args: unknown[]) => (channel.show as (...a: unknown[]) => void)(...args),
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
  };
}
