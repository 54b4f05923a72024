import * as path from 'node:path';
import { CodeActionKind, DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import { uriToPath } from '../documents';
import { aiIgnoreCode, aiIgnoreTools, missingAiIgnores, type AiIgnoreData, type AiIgnoreTool, type FoundIgnoreFile } from '../service/aiIgnoreCoverage';
import type { ServerContext } from '../serverContext';
import { readFileForAnalysis } from '../workspace/fileReader';
import { isProjectSecretsFile } from '../workspace/projectSecretsFile';
import { tomlFileKind } from '../workspace/tomlFileDiagnostics';
import { addCodeActionProvider, codeActionCapabilities } from './codeActionProviders';
import type { Feature } from './feature';

/** The client's command: arguments `{ ignoreFile, line }` (it never creates the file). */
export const AddToAiIgnoreCommand = 'streamlitSecrets.addToAiIgnore';

const severities = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, information: DiagnosticSeverity.Information, hint: DiagnosticSeverity.Hint } as const;

/** Each tool's ignore files that exist between the workspace root and the secrets file's folder. */
function foundIgnoreFiles(root: string, relative: string): Map<AiIgnoreTool, FoundIgnoreFile[]> {
  const segments = relative.split('/').slice(0, -1);
  const folders = [''];
  for (let i = 1; i <= segments.length; i++) folders.push(segments.slice(0, i).join('/'));
  const found = new Map<AiIgnoreTool, FoundIgnoreFile[]>();
  for (const tool of aiIgnoreTools) {
    for (const folder of tool.nested ? folders : ['']) {
      const read = readFileForAnalysis(path.join(root, ...folder.split('/').filter(Boolean), tool.file));
      if (read.type !== 'file') continue;
      found.set(tool, [...(found.get(tool) ?? []), { folder, text: new TextDecoder().decode(read.bytes) }]);
    }
  }
  return found;
}

/**
 * An information (by default) on a project secrets file inside the workspace that an AI tool's
 * ignore file, present in the workspace, does not cover; the quick fix adds the line to that file.
 */
export const aiIgnoreFeature: Feature = {
  capabilities: codeActionCapabilities,
  register(context: ServerContext) {
    context.diagnostics.add({
      name: 'aiIgnore',
      appliesTo: (document) => tomlFileKind(document) === 'secrets',
      async provide(document): Promise<Diagnostic[]> {
        const filePath = uriToPath(document.uri);
        if (filePath === undefined) return [];
        const root = context.workspaceFolderOf(filePath);
        if (root === undefined) return [];
        const severity = (await context.settingsFor(document.uri)).diagnostics.aiIgnore;
        if (severity === 'off') return [];
        const isProject = await isProjectSecretsFile(filePath, { workspaceFolder: root, home: context.workspace.home(), mergedFor: () => context.mergedFor(document.uri) });
        if (!isProject) return [];
        const relative = path.relative(root, filePath).split(path.sep).join('/');
        const text = document.getText();
        const newline = text.indexOf('\n');
        const end = document.positionAt(newline < 0 ? text.length : newline > 0 && text[newline - 1] === '\r' ? newline - 1 : newline);
        return missingAiIgnores(relative, foundIgnoreFiles(root, relative)).map(({ tool, folder, line }): Diagnostic => {
          const ignoreFile = path.join(root, ...folder.split('/').filter(Boolean), tool.file);
          const data: AiIgnoreData = { ignoreFile, line };
          return {
            range: { start: { line: 0, character: 0 }, end },
            severity: severities[severity],
            source: 'streamlit-secrets',
            code: aiIgnoreCode,
            message: `${tool.tool} may read this secrets file into an AI model's context: ${path.relative(root, ignoreFile).split(path.sep).join('/')} does not exclude it.`,
            data,
          };
        });
      },
    });

    addCodeActionProvider(context, {
      name: 'aiIgnore',
      provide(_document, params): CodeAction[] {
        return params.context.diagnostics
          .filter((diagnostic) => diagnostic.source === 'streamlit-secrets' && diagnostic.code === aiIgnoreCode)
          .map((diagnostic) => {
            const data = diagnostic.data as AiIgnoreData;
            return {
              title: `Add ${data.line} to ${path.basename(data.ignoreFile)}`,
              kind: CodeActionKind.QuickFix,
              diagnostics: [diagnostic],
              isPreferred: true,
              command: { title: `Add to ${path.basename(data.ignoreFile)}`, command: AddToAiIgnoreCommand, arguments: [data] },
            };
          });
      },
    });
  },
};
