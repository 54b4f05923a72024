import * as vscode from 'vscode';
import { HIDE_SHOWN_LINES_COMMAND } from '../editor/masking';
import type { LanguageClient } from 'vscode-languageclient/node';
import type { MergedSecretsDetailEntry, MergedSecretsDetailFile, SecretTreeItem } from '../../../common/protocol';
import { fetchSecretsApps, type SecretsAppDetail } from './secretsApps';
import { entryDescription, entryExplanation, fileStatus, roleText, runConfigurationLines, type FileState } from './mergedSecretsText';

export const MERGED_VIEW_ID = 'streamlitSecrets.mergedView';

/** What the reveal command needs from a key node: the app and the key path from the root. */
export interface RevealTarget {
  uri: string;
  path: string[];
}

export type MergedSecretsNode =
  | { kind: 'app'; app: SecretsAppDetail }
  | { kind: 'problem'; app: SecretsAppDetail; severity: 'error' | 'info'; message: string }
  /** How the app is run: the modelled Streamlit version and launch configurations. */
  | { kind: 'note'; app: SecretsAppDetail; index: number; message: string; icon: string }
  | { kind: 'files'; app: SecretsAppDetail }
  | { kind: 'file'; app: SecretsAppDetail; file: MergedSecretsDetailFile }
  | { kind: 'key'; app: SecretsAppDetail; path: string[]; entry?: MergedSecretsDetailEntry; item: SecretTreeItem | MergedSecretsDetailEntry; reveal: RevealTarget };

const typeIcons: Record<string, string> = {
  string: 'symbol-string',
  integer: 'symbol-number',
  float: 'symbol-number',
  boolean: 'symbol-boolean',
  array: 'symbol-array',
  table: 'symbol-object',
};

const fileIcons: Record<FileState, vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  directory: new vscode.ThemeIcon('folder'),
  missing: new vscode.ThemeIcon('circle-slash', new vscode.ThemeColor('disabledForeground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  tracked: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  notIgnored: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
};

function openCommand(location: { path: string; line: number; character: number } | undefined): vscode.Command | undefined {
  if (location === undefined) return undefined;
  const position = new vscode.Position(location.line, location.character);
  return {
    command: 'vscode.open',
    title: 'Open Definition',
    arguments: [vscode.Uri.file(location.path), { selection: new vscode.Range(position, position), preview: true } satisfies vscode.TextDocumentShowOptions],
  };
}

/**
 * The "Streamlit Secrets" view: for every app (one root per app when the workspace holds several,
 * its content directly when it holds one) the chain of files, then every merged top-level key with
 * the file that won it, the files it hides, the sub-keys the shallow merge lost, env export and a
 * masked value — nested keys as children, a click opening the definition. Never shows a value.
 */
export class MergedSecretsTreeProvider implements vscode.TreeDataProvider<MergedSecretsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MergedSecretsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private apps: Promise<SecretsAppDetail[]> | undefined;
  private refreshGit = false;
  private debounce: NodeJS.Timeout | undefined;

  constructor(private readonly client: LanguageClient) {}

  /** Drops what is known and redraws; `refreshGit` asks git again too (the Refresh button). */
  refresh(refreshGit = false): void {
    this.apps = undefined;
    this.refreshGit ||= refreshGit;
    this.changed.fire(undefined);
  }

  /** Refresh soon, once per burst (the server notifies on every keystroke in a secrets file). */
  refreshSoon(delayMs = 250): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = undefined;
      this.refresh();
    }, delayMs);
  }

  /** The apps and their details, fetched once per refresh. */
  loadApps(): Promise<SecretsAppDetail[]> {
    if (this.apps === undefined) {
      const refreshGit = this.refreshGit;
      this.refreshGit = false;
      this.apps = fetchSecretsApps(this.client, refreshGit).catch(() => {
        // The server is not there (yet): show nothing now, try again on the next refresh.
        this.apps = undefined;
        return [];
      });
    }
    return this.apps;
  }

  async getChildren(node?: MergedSecretsNode): Promise<MergedSecretsNode[]> {
    if (node === undefined) {
      const apps = await this.loadApps();
      if (apps.length === 1) return this.appChildren(apps[0]!);
      return apps.map((app) => ({ kind: 'app', app }));
    }
    switch (node.kind) {
      case 'app':
        return this.appChildren(node.app);
      case 'files':
        return node.app.detail.files.map((file) => ({ kind: 'file', app: node.app, file }));
      case 'key':
        return (node.item.children ?? []).map((item) => this.keyNode(node.app, [...node.path, item.key], item));
      default:
        return [];
    }
  }

  getTreeItem(node: MergedSecretsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'app':
        return this.appItem(node.app);
      case 'problem': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.app.app.id}#problem`;
        item.iconPath = node.severity === 'error' ? fileIcons.error : new vscode.ThemeIcon('info');
        item.tooltip = node.message;
        item.contextValue = `secretsProblem`;
        if (node.app.detail.noSecretsFound) {
          item.command = { command: 'streamlitSecrets.createProjectSecretsFile', title: 'Create Project Secrets File' };
        }
        return item;
      }
      case 'note': {
        const item = new vscode.TreeItem(node.message, vscode.TreeItemCollapsibleState.None);
        item.id = `${node.app.app.id}#note${node.index}`;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.message;
        item.contextValue = 'secretsNote';
        return item;
      }
      case 'files':
        return this.filesItem(node.app);
      case 'file':
        return this.fileItem(node.app, node.file);
      case 'key':
        return this.keyItem(node);
    }
  }

  dispose(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.changed.dispose();
  }

  private appChildren(app: SecretsAppDetail): MergedSecretsNode[] {
    const children: MergedSecretsNode[] = [];
    const { detail } = app;
    if (detail.loadError !== undefined) {
      children.push({ kind: 'problem', app, severity: 'error', message: `Streamlit cannot load the secrets: ${detail.loadError}` });
    } else if (detail.noSecretsFound) {
      children.push({ kind: 'problem', app, severity: 'info', message: 'No secrets file: every st.secrets access raises "No secrets found"' });
    }
    const notes = [
      ...(detail.streamlitVersion ? [{ message: `Streamlit version: ${detail.streamlitVersion}`, icon: 'versions' }] : []),
      ...runConfigurationLines(detail).map((message) => ({ message, icon: 'debug-alt' })),
    ];
    children.push({ kind: 'files', app });
    notes.forEach((note, index) => children.push({ kind: 'note', app, index, ...note }));
    for (const entry of detail.entries) children.push(this.keyNode(app, [entry.key], entry, entry));
    return children;
  }

  private keyNode(app: SecretsAppDetail, path: string[], item: SecretTreeItem | MergedSecretsDetailEntry, entry?: MergedSecretsDetailEntry): MergedSecretsNode {
    return { kind: 'key', app, path, item, ...(entry ? { entry } : {}), reveal: { uri: app.app.uri.toString(), path } };
  }

  private appItem(app: SecretsAppDetail): vscode.TreeItem {
    const item = new vscode.TreeItem(app.app.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = app.app.id;
    item.iconPath = new vscode.ThemeIcon(app.app.kind === 'workspaceFolder' ? 'root-folder' : 'folder');
    const keys = app.detail.entries.length;
    const loaded = app.detail.loadError === undefined ? `${keys} ${keys === 1 ? 'key' : 'keys'}` : 'cannot load: no secrets';
    item.description = `${app.app.kind === 'entrypoint' ? 'app folder · ' : ''}${loaded}`;
    item.tooltip = app.detail.entrypointDir ? `$CWD: ${app.detail.cwd}\nEntrypoint folder: ${app.detail.entrypointDir}` : `$CWD: ${app.detail.cwd}`;
    item.contextValue = 'secretsApp';
    return item;
  }

  private filesItem(app: SecretsAppDetail): vscode.TreeItem {
    const files = app.detail.files;
    const problems = files.filter((file) => !['ok', 'missing', 'directory'].includes(fileStatus(file).state)).length;
    const existing = files.filter((file) => file.exists).length;
    const item = new vscode.TreeItem('Files', problems > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `${app.app.id}#files`;
    item.iconPath = new vscode.ThemeIcon('files');
    item.description = `${existing} of ${files.length} exist${problems > 0 ? ` · ${problems} ${problems === 1 ? 'problem' : 'problems'}` : ''}`;
    item.tooltip = 'The files Streamlit reads, first to last: a later file replaces an earlier one’s whole top-level key.';
    item.contextValue = 'secretsFiles';
    return item;
  }

  private fileItem(app: SecretsAppDetail, file: MergedSecretsDetailFile): vscode.TreeItem {
    const status = fileStatus(file);
    const index = app.detail.files.indexOf(file);
    const item = new vscode.TreeItem(file.label ?? file.path, vscode.TreeItemCollapsibleState.None);
    item.id = `${app.app.id}#file:${file.path}`;
    item.iconPath = fileIcons[status.state];
    item.description = `${index + 1}. ${roleText(file.role)} · ${status.text}`;
    const tooltip = [file.path, `Read ${index + 1} of ${app.detail.files.length} (${roleText(file.role)})`, status.text];
    if (file.gitDetail) tooltip.push(file.gitDetail);
    if (file.note) {
      // A reading budget stopped short: its keys are not all listed (README, Security).
      item.description = `${item.description} · not fully read`;
      tooltip.push(`Not fully read: ${file.note}. Streamlit reads it all; its keys may be missing here.`);
    }
    item.tooltip = tooltip.join('\n');
    item.contextValue = `secretsFile ${status.state}`;
    if (file.exists && file.directory !== true) {
      item.command = { command: 'vscode.open', title: 'Open File', arguments: [vscode.Uri.file(file.path)] };
    }
    return item;
  }

  private keyItem(node: Extract<MergedSecretsNode, { kind: 'key' }>): vscode.TreeItem {
    const { item: data, app, entry } = node;
    const hasChildren = (data.children?.length ?? 0) > 0;
    const item = new vscode.TreeItem(data.key === '' ? '""' : data.key, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `${app.app.id}#key:${JSON.stringify(node.path)}`;
    item.iconPath = new vscode.ThemeIcon(typeIcons[data.type] ?? 'symbol-constant');
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.isTrusted = false;
    if (entry) {
      item.description = entryDescription(app.detail, entry);
      tooltip.appendMarkdown(`**${escapeMarkdown(entry.key)}**\n\n`);
      for (const line of entryExplanation(app.detail, entry)) tooltip.appendMarkdown(`${escapeMarkdown(line)}  \n`);
    } else {
      item.description = data.masked;
      tooltip.appendMarkdown(`**${escapeMarkdown(node.path.join('.'))}**\n\n`);
      tooltip.appendMarkdown(`${escapeMarkdown(`Type: ${data.type}`)}  \n${escapeMarkdown(`Value: ${data.masked}`)}`);
    }
    item.tooltip = tooltip;
    // `secretValue` enables the inline Reveal action (package.json menus).
    item.contextValue = `secretKey secretValue${entry && entry.shadowed.length > 0 ? ' shadowing' : ''}${entry?.env ? ' env' : ''}`;
    const command = openCommand(data.location);
    if (command) item.command = command;
    return item;
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~&]/g, '\\$&');
}

export interface MergedSecretsViewApi {
  mergedSecretsView: {
    provider: MergedSecretsTreeProvider;
    treeView: vscode.TreeView<MergedSecretsNode>;
  };
}

export function registerMergedSecretsView(extension: vscode.ExtensionContext, provider: MergedSecretsTreeProvider): vscode.TreeView<MergedSecretsNode> {
  const treeView = vscode.window.createTreeView(MERGED_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  extension.subscriptions.push(
    provider,
    treeView,
    vscode.workspace.onDidChangeWorkspaceFolders(() => provider.refresh()),
    // Working in this view moves the focus out of the secrets editor: its lines mask again (editor/masking.ts).
    ...[treeView.onDidChangeSelection, treeView.onDidExpandElement, treeView.onDidCollapseElement].map((event) =>
      event(() => void vscode.commands.executeCommand(HIDE_SHOWN_LINES_COMMAND)),
    ),
    // Opening the view is leaving the editor too (the sidebar switched to it).
    treeView.onDidChangeVisibility((event) => {
      if (event.visible) void vscode.commands.executeCommand(HIDE_SHOWN_LINES_COMMAND);
    }),
  );
  // An app folder appearing or vanishing changes the roots.
  const watcher = vscode.workspace.createFileSystemWatcher('**/.streamlit/{secrets,config}.toml', false, true, false);
  extension.subscriptions.push(watcher, watcher.onDidCreate(() => provider.refreshSoon()), watcher.onDidDelete(() => provider.refreshSoon()));
  return treeView;
}
