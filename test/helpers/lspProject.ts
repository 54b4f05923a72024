// The setup most LSP tests share: a HOME folder and one workspace folder written from file maps,
// and a spawned server over them; plus "open a file with a cursor, ask something there".
import type { Position } from 'vscode-languageserver-protocol';
import { LspTestClient, withCursor, type StartOptions } from './lspClient';
import { TempTree } from './tempProject';

export interface ProjectOptions extends Omit<StartOptions, 'folders' | 'home'> {
  /** Files of the server's HOME (`.streamlit/secrets.toml` is the global secrets file). */
  home?: Record<string, string>;
  /** Files of the workspace folder. */
  project?: Record<string, string>;
  /** Runs once the trees are written, before the server starts (e.g. to make a git repository). */
  prepare?: (trees: { home: TempTree; project: TempTree }) => void;
}

export interface LspProject {
  client: LspTestClient;
  home: TempTree;
  project: TempTree;
  /** Stops the server and removes both trees. */
  dispose(): Promise<void>;
}

export async function startProject(options: ProjectOptions = {}): Promise<LspProject> {
  const { home: homeFiles = {}, project: projectFiles = {}, prepare, ...startOptions } = options;
  const home = new TempTree(homeFiles);
  const project = new TempTree(projectFiles);
  let client: LspTestClient;
  try {
    prepare?.({ home, project });
    client = await LspTestClient.start({ ...startOptions, folders: [project.root], home: home.root });
  } catch (error) {
    home.dispose();
    project.dispose();
    throw error;
  }
  return {
    client,
    home,
    project,
    async dispose() {
      await client.stop();
      home.dispose();
      project.dispose();
    },
  };
}

/** `startProject`, `run`, then `dispose` whatever `run` did. */
export async function withProject<T>(options: ProjectOptions, run: (lsp: LspProject) => Promise<T>): Promise<T> {
  const lsp = await startProject(options);
  try {
    return await run(lsp);
  } finally {
    await lsp.dispose();
  }
}

/**
 * Opens `filePath` with `marked` (a `|` marks the cursor), runs `request` at the cursor, closes the
 * file and returns the answer.
 */
export async function requestAt<R>(
  client: LspTestClient,
  filePath: string,
  marked: string,
  request: (uri: string, position: Position) => Promise<R>,
  languageId?: string,
): Promise<R> {
  const { text, position } = withCursor(marked);
  const uri = await client.open(filePath, text, languageId);
  const result = await request(uri, position);
  await client.close(uri);
  return result;
}
