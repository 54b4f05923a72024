import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyzePythonSecrets } from '../../../server/src/python/analyzePythonSecrets';
import { findAttributeMisreads } from '../../../server/src/python/attributeMisreads';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import { mergeSecrets, type LoadedSecretsSource, type MergedSecrets } from '../../../server/src/service/mergeSecrets';
import { resolveSecretsChain } from '../../../server/src/service/secretsChain';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';

/** Merged secrets of a global (`/h`) and a project (`/p`) file given as TOML text (undefined: missing). */
export function mergedOf(global: string | undefined, project: string | undefined): MergedSecrets {
  const chain = resolveSecretsChain({ home: '/h', cwd: '/p' }, []);
  const load = (index: number, text: string | undefined): LoadedSecretsSource => {
    const spec = chain.sources[index]!;
    if (text === undefined) return { spec, kind: 'missing' };
    const parsed = parseSecretsToml(text);
    return { spec, kind: 'file', parsed, text, ...(parsed.root ? { root: parsed.root } : {}), ...(parsed.streamlitError ? { error: parsed.streamlitError } : {}) };
  };
  return mergeSecrets(chain, [load(0, global), load(1, project)]);
}

/** A Python document, its analysis and misreads, with `|` marking the cursor (optional). */
export function python(marked: string): { document: TextDocument; offset: number; analysis: ReturnType<typeof analyzePythonSecrets>; misreads: ReturnType<typeof findAttributeMisreads> } {
  const offset = Math.max(0, marked.indexOf('|'));
  const text = marked.replace('|', '');
  const source = createPythonSource(text);
  return { document: TextDocument.create('file:///p/app.py', 'python', 1, text), offset, analysis: analyzePythonSecrets(source), misreads: findAttributeMisreads(source) };
}

export const globalToml = 'shared = "G-SECRET-1"\n[db]\nuser = "G-SECRET-2"\nport = 5432\n';
export const projectToml = 'api_key = "P-SECRET-1"\nflag = true\nservers = [{ host = "P-SECRET-2" }]\n[db]\nuser = "P-SECRET-3"\n';
export const canaries = ['G-SECRET-1', 'G-SECRET-2', 'P-SECRET-1', 'P-SECRET-2', 'P-SECRET-3', '5432'];
