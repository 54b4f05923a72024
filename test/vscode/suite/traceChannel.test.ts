// The protocol-trace output channel exists only while `streamlitSecrets.trace.server` is on. Seen
// the way the workbench sees it: every registered output channel gets a "show channel" command
// (`workbench.action.output.show.<channel id>`) in the Output view's list, removed with the channel.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, waitFor } from './helpers';

const TRACE_CHANNEL = 'Streamlit Secrets (protocol trace)';
const OUTPUT_CHANNEL = 'Streamlit Secrets';

/** The Output view's channels of this extension, by label. */
async function outputChannels(): Promise<string[]> {
  const prefix = 'workbench.action.output.show.extension-output-streamlit-secrets-dev.streamlit-secrets-#';
  return (await vscode.commands.getCommands(false)).filter((id) => id.startsWith(prefix)).map((id) => id.slice(prefix.length).replace(/^\d+-/, ''));
}

async function setTrace(value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('streamlitSecrets').update('trace.server', value, vscode.ConfigurationTarget.Workspace);
}

describe('the protocol-trace output channel', () => {
  before(async () => {
    await activateExtension();
    // The check itself works: the extension's main channel is listed.
    await waitFor('the extension output channel in the Output list', async () => ((await outputChannels()).includes(OUTPUT_CHANNEL) ? true : undefined));
  });

  after(async () => {
    await setTrace(undefined);
  });

  it('is absent while tracing is off, appears when it turns on, and is gone again when it turns off', async function () {
    this.timeout(60_000);
    await setTrace('off');
    await waitFor('no trace channel while tracing is off', async () => (!(await outputChannels()).includes(TRACE_CHANNEL) ? true : undefined));
    // Work that would trace if tracing were on: still no channel.
    await vscode.workspace.openTextDocument({ language: 'python', content: 'import streamlit as st\nst.secrets["db"]\n' });
    assert.ok(!(await outputChannels()).includes(TRACE_CHANNEL), `trace channel listed while off: ${(await outputChannels()).join(', ')}`);

    await setTrace('messages');
    await waitFor('the trace channel once tracing is on', async () => ((await outputChannels()).includes(TRACE_CHANNEL) ? true : undefined));

    await setTrace('off');
    await waitFor('the trace channel gone once tracing is off', async () => (!(await outputChannels()).includes(TRACE_CHANNEL) ? true : undefined));

    await setTrace('verbose');
    await waitFor('the trace channel back when tracing turns on again', async () => ((await outputChannels()).includes(TRACE_CHANNEL) ? true : undefined));
    await setTrace(undefined);
    await waitFor('the trace channel gone with the setting reset', async () => (!(await outputChannels()).includes(TRACE_CHANNEL) ? true : undefined));
  });
});
