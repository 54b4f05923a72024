import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod/v4';
import { version } from '../../../package.json';
import { checkToolDescription, checkToolName, keysToolDescription, keysToolName, pathInputDescription } from '../../../common/agentTools';
import { secretKeysFor, secretsCheckFor, type AgentToolOptions } from '../../../server/src/workspace/agentTools';
import { UsageError, type Command, type CommandContext } from '../usage';

const help = `Usage: streamlit-secrets mcp [--no-git]

Serves two tools to coding agents over MCP (Model Context Protocol) on stdin/stdout:
  ${keysToolName}   the apps' secrets files and key names, types, files and how to read them
  ${checkToolName}  the problems the editor would show (codes, messages, ranges)
Secret values are never available through either tool. Paths are relative to the folder the
server starts in, which plays the workspace folder.

Options:
  --no-git  do not run git: read the .gitignore files instead
`;

type ToolAnswer = { content: { type: 'text'; text: string }[]; isError?: boolean };

/** An answer as JSON text; a failure as its message only (never a stack, never a value). */
async function answer(work: () => unknown): Promise<ToolAnswer> {
  try {
    return { content: [{ type: 'text', text: JSON.stringify(await work(), null, 2) }] };
  } catch (error) {
    return { content: [{ type: 'text', text: `streamlit-secrets: ${(error as Error)?.message ?? String(error)}` }], isError: true };
  }
}

/** The MCP server over the shared agent tools (server/src/workspace/agentTools.ts): a thin adapter. */
export function createMcpServer(options: AgentToolOptions): McpServer {
  const server = new McpServer({ name: 'streamlit-secrets', version });
  const inputSchema = { path: z.string().optional().describe(pathInputDescription) };
  server.registerTool(keysToolName, { title: 'Streamlit secrets: key names', description: keysToolDescription, inputSchema, annotations: { readOnlyHint: true, openWorldHint: false } }, ({ path }) =>
    answer(() => secretKeysFor(path ?? '.', options)),
  );
  server.registerTool(checkToolName, { title: 'Streamlit secrets: check', description: checkToolDescription, inputSchema, annotations: { readOnlyHint: true, openWorldHint: false } }, ({ path }) =>
    answer(() => secretsCheckFor(path ?? '.', options)),
  );
  return server;
}

export const mcpCommand: Command = {
  name: 'mcp',
  summary: 'serve key names and checks to coding agents over MCP (stdio); never values',
  help,
  async run(context: CommandContext): Promise<number> {
    const unknown = context.args.filter((arg) => arg !== '--no-git');
    if (unknown.length > 0) throw new UsageError(`unknown argument "${unknown[0]}"`);
    const server = createMcpServer({ workspaceFolder: context.cwd, git: !context.args.includes('--no-git') });
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
    });
    await server.connect(transport);
    await closed;
    await server.close();
    return 0;
  },
};
