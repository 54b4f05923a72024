import * as vscode from 'vscode';
import { checkToolName, keysToolName } from '../../../common/agentTools';
import { AgentCheckRequestMethod, AgentKeysRequestMethod, type AgentToolParams, type AgentToolResult } from '../../../common/protocol';
import type { ClientFeature } from '../clientFeature';

/** What the language model tools' callers pass (package.json `languageModelTools` declares the schema). */
interface ToolInput {
  path?: string;
}

/**
 * The language model tools `streamlit_secrets_keys` and `streamlit_secrets_check`: thin adapters
 * over the server's answers (the same analysis as `streamlit-secrets mcp`), names only.
 * `vscode.lm.registerTool` is final since VS Code 1.95; checked at run time all the same so that
 * an editor without it (a fork) still runs the rest of the extension.
 */
export const languageModelToolsFeature: ClientFeature = ({ extension, client }) => {
  const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
  if (typeof lm?.registerTool !== 'function') return { languageModelTools: false };
  const tool = (name: string, method: string, busy: string): vscode.Disposable =>
    lm.registerTool!<ToolInput>(name, {
      prepareInvocation: () => ({ invocationMessage: busy }),
      async invoke(options, token) {
        const params: AgentToolParams = typeof options.input?.path === 'string' && options.input.path !== '' ? { path: options.input.path } : {};
        const result = await client.sendRequest<AgentToolResult<unknown>>(method, params, token);
        // A failure is an answer the model can read (never a value: paths and reasons only).
        const text = 'answer' in result ? JSON.stringify(result.answer, null, 2) : `streamlit-secrets: ${result.error}`;
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
      },
    });
  extension.subscriptions.push(
    tool(keysToolName, AgentKeysRequestMethod, 'Listing Streamlit secret names (never values)'),
    tool(checkToolName, AgentCheckRequestMethod, 'Checking Streamlit secrets use'),
  );
  return { languageModelTools: true };
};
