import * as path from 'node:path';
import type { CheckAnswer, KeysAnswer } from '../../../common/agentTools';
import { AgentCheckRequestMethod, AgentKeysRequestMethod, type AgentToolParams, type AgentToolResult } from '../../../common/protocol';
import { pathToUri } from '../documents';
import type { ServerContext } from '../serverContext';
import { secretKeysFor, secretsCheckFor, type AgentToolOptions } from '../workspace/agentTools';
import type { Feature } from './feature';

/** Where an agent's path leads and how to look at it; undefined outside every workspace folder. */
async function optionsFor(context: ServerContext, given: string | undefined): Promise<{ target: string; options: AgentToolOptions } | undefined> {
  const first = context.workspaceFolders[0];
  if (first === undefined) return undefined;
  const target = path.resolve(first, given ?? '.');
  const folder = context.workspaceFolderOf(target);
  if (folder === undefined) return undefined;
  const settings = await context.settingsFor(pathToUri(target));
  // Git runs only in a trusted workspace, as everywhere else in the server.
  return { target, options: { workspaceFolder: folder, settings, home: () => context.workspace.home(), git: context.trusted } };
}

function register<T>(context: ServerContext, method: string, answer: (target: string, options: AgentToolOptions) => T | Promise<T>): void {
  context.connection.onRequest(method, (params: AgentToolParams, token) =>
    context.runSafe<AgentToolResult<T>>(method, token, { error: 'the analysis failed' }, async () => {
      const found = await optionsFor(context, params?.path);
      if (found === undefined) return { error: `${params?.path ?? '.'} is not inside a workspace folder` };
      try {
        return { answer: await answer(found.target, found.options) };
      } catch (error) {
        return { error: (error as Error)?.message ?? String(error) };
      }
    }),
  );
}

/** The language model tools' answers: the same headless analysis as `streamlit-secrets mcp`, names only. */
export const agentToolsFeature: Feature = {
  register(context) {
    register<KeysAnswer>(context, AgentKeysRequestMethod, secretKeysFor);
    register<CheckAnswer>(context, AgentCheckRequestMethod, secretsCheckFor);
  },
};
