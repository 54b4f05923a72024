import * as vscode from 'vscode';

/**
 * The channel the language client writes its protocol trace to (`streamlitSecrets.trace.server`).
 * A trace normally prints every message's params and results, which would put the text of open
 * secrets files and the server's answers into an output channel. This channel keeps only the
 * header line of each entry (direction, method, id, timing) and drops every payload line.
 *
 * The real output channel exists only while tracing is on: `open()` creates it when the setting
 * turns on, `close()` removes it when it turns `off`, so the Output view's list does not carry an
 * empty "protocol trace" channel for every user. A line traced while it is closed opens it too.
 */
export function createRedactedTraceChannel(name: string): vscode.OutputChannel & { readonly redactedInto: vscode.OutputChannel; open(): void; close(): void } {
  let channel: vscode.OutputChannel | undefined;
  const open = (): vscode.OutputChannel => (channel ??= vscode.window.createOutputChannel(name));
  const close = (): void => {
    channel?.dispose();
    channel = undefined;
  };
  /** Where kept lines go (the leak audit records what reaches it): the channel, opened on demand. */
  const sink = {
    append: (value: string) => open().append(value),
    appendLine: (value: string) => open().appendLine(value),
    replace: (value: string) => open().replace(value),
  };
  const keep = (text: string): string =>
    text
      .split(/\r?\n/)
      .filter((line) => /^\[(Trace|Info|Warn|Error|Debug)\b/.test(line))
      .join('\n');
  return {
    get name() {
      return name;
    },
    /** Test hook: the sink the kept lines go to. */
    get redactedInto(): vscode.OutputChannel {
      return sink as unknown as vscode.OutputChannel;
    },
    append(value: string) {
      const kept = keep(value);
      if (kept) sink.append(kept);
    },
    appendLine(value: string) {
      const kept = keep(value);
      if (kept) sink.appendLine(kept);
    },
    replace(value: string) {
      sink.replace(keep(value));
    },
    clear: () => channel?.clear(),
    show: (...args: unknown[]) => (open().show as (...a: unknown[]) => void)(...args),
    hide: () => channel?.hide(),
    open: () => void open(),
    close,
    dispose: close,
  };
}
