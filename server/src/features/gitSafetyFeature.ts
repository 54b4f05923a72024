import * as fs from 'node:fs';
import * as path from 'node:path';
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { SecretsGitStatusCache, type SecretsGitStatus } from '../../../common/git/secretsGitStatus';
import { pathToUri, uriToPath } from '../documents';
import { gitSafetyDiagnostics, isGitSafetyCode } from '../service/gitSafetyDiagnostics';
import type { ServerContext } from '../serverContext';
import { addCodeActionProvider, codeActionCapabilities } from './codeActionProviders';
import type { Feature } from './feature';
import { tomlFileKind } from '../workspace/tomlFileDiagnostics';
import { isProjectSecretsFile } from '../workspace/projectSecretsFile';

/** Commands the client implements; arguments `{ uri }` of the secrets file. */
export const AddToGitignoreCommand = 'streamlitSecrets.addToGitignore';
export const UntrackSecretsFileCommand = 'streamlitSecrets.untrackSecretsFile';

function isInside(folder: string, file: string): boolean {
  const relative = path.relative(folder, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

async function isProjectSecrets(document: TextDocument, filePath: string, context: ServerContext): Promise<boolean> {
  if (tomlFileKind(document) !== 'secrets') return false;
  return isProjectSecretsFile(filePath, { workspaceFolder: context.workspaceFolderOf(filePath), home: context.workspace.home(), mergedFor: () => context.mergedFor(document.uri) });
}

/**
 * Git answers change when a `.gitignore`, `info/exclude` or the index changes, none of which the
 * client's watcher reports: the paths that decided an answer are polled (cheap stats) and any change
 * drops the cached answers and re-checks open documents.
 */
class GitAnswerWatcher {
  private readonly watched = new Map<string, () => void>();

  constructor(private readonly onChange: () => void) {}

  watchFor(status: SecretsGitStatus, workspaceFolder: string | undefined): void {
    const top = status.repositoryRoot ?? workspaceFolder;
    const paths: string[] = [];
    if (top !== undefined) {
      for (let dir = path.dirname(status.filePath); ; dir = path.dirname(dir)) {
        paths.push(path.join(dir, '.gitignore'));
        if (dir === top || !isInside(top, dir) || path.dirname(dir) === dir) break;
      }
    }
    if (status.repositoryRoot !== undefined) {
      paths.push(path.join(status.repositoryRoot, '.git', 'index'), path.join(status.repositoryRoot, '.git', 'info', 'exclude'));
    }
    if (status.ignoredBy) paths.push(status.ignoredBy.file);
    if (status.reincludedBy) paths.push(status.reincludedBy.file);
    for (const watchedPath of paths) this.watch(watchedPath);
  }

  private watch(filePath: string): void {
    if (this.watched.has(filePath) || this.watched.size > 200) return;
    const listener = (current: fs.Stats, previous: fs.Stats): void => {
      if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
      this.onChange();
    };
    fs.watchFile(filePath, { interval: 500, persistent: false }, listener);
    this.watched.set(filePath, () => fs.unwatchFile(filePath, listener));
  }

  dispose(): void {
    for (const stop of this.watched.values()) stop();
    this.watched.clear();
  }
}

/**
 * Git safety of project secrets files: a warning when git would not ignore one, an error when git
 * tracks it, with quick fixes that run the client's commands. Git runs only in a trusted
 * workspace; otherwise (and without git) the ignore files are read directly and the diagnostic says
 * the check is limited.
 */
export const gitSafetyFeature: Feature = {
  capabilities: codeActionCapabilities,
  register(context) {
    const cache = new SecretsGitStatusCache();
    let refreshTimer: NodeJS.Timeout | undefined;
    const refresh = (): void => {
      if (refreshTimer !== undefined) return;
      refreshTimer = setTimeout(() => {
        refreshTimer = undefined;
        cache.invalidate();
        context.diagnostics.scheduleAll();
      }, 50);
    };
    const watcher = new GitAnswerWatcher(refresh);
    context.onSecretsChanged((paths) => {
      // Trust or settings changed (no paths), or a secrets file appeared/vanished on disk.
      if (paths.length === 0) cache.invalidate();
      for (const changed of paths) if (context.documents.get(pathToUri(changed)) === undefined) cache.invalidate(changed);
    });
    context.connection.onShutdown(() => watcher.dispose());

    context.diagnostics.add({
      name: 'gitSafety',
      appliesTo: (document) => tomlFileKind(document) === 'secrets',
      async provide(document, _context, token): Promise<Diagnostic[]> {
        const filePath = uriToPath(document.uri);
        if (filePath === undefined || !(await isProjectSecrets(document, filePath, context))) return [];
        const workspaceFolder = context.workspaceFolderOf(filePath);
        const status = await cache.get(filePath, { trusted: context.trusted, ...(workspaceFolder ? { workspaceFolder } : {}) });
        if (token.isCancellationRequested) return [];
        watcher.watchFor(status, workspaceFolder);
        return gitSafetyDiagnostics(document, status);
      },
    });

    addCodeActionProvider(context, {
      name: 'gitSafety',
      provide(document, params): CodeAction[] {
        const actions: CodeAction[] = [];
        const uri = document.uri;
        for (const diagnostic of params.context.diagnostics) {
          if (diagnostic.source !== 'streamlit-secrets' || typeof diagnostic.code !== 'string' || !isGitSafetyCode(diagnostic.code)) continue;
          const filePath = uriToPath(uri) ?? uri;
          const label = `${path.basename(path.dirname(filePath))}/${path.basename(filePath)}`;
          if (diagnostic.code === 'git-tracked') {
            actions.push({
              title: 'Stop tracking this secrets file in git (keeps it on disk)…',
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              isPreferred: true,
              command: { title: 'Stop tracking secrets file', command: UntrackSecretsFileCommand, arguments: [{ uri }] },
            });
          }
          if (diagnostic.code === 'git-not-ignored' || diagnostic.code === 'git-ignored-locally' || (diagnostic.code === 'git-tracked' && (diagnostic.data as { ignored?: boolean } | undefined)?.ignored === false)) {
            actions.push({
              title: `Add ${label} to .gitignore`,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              isPreferred: diagnostic.code !== 'git-tracked',
              command: { title: 'Add to .gitignore', command: AddToGitignoreCommand, arguments: [{ uri }] },
            });
          }
        }
        return actions;
      },
    });
  },
};
