import { DiagnosticSeverity, Range, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { SeveritySetting, StreamlitSecretsSettings } from '../../../common/settings';
import type { AttributeMisread } from '../python/attributeMisreads';
import type { ConnectionCall, LoginCall, PythonSecretsAnalysis, SecretAccess } from '../python/types';
import type { SecretNode } from '../toml/types';
import type { TextRange } from '../textRange';
import { attributeAccessBlock, describeAttributeBlock, pythonStringContent, type AttributeBlock } from './attributeAccess';
import { authProviderKeys, authRequiredKeys, checkAuthSection } from './authRules';
import { checkConnectionSection, sqlRequiredWithoutUrl, type SectionProblem } from './connectionRules';
import type { MergedSecrets } from './mergeSecrets';
import { fileWords, labelOf, lostDefinition, placeWords } from './provenance';
import { locationsInSource } from './secretLocations';
import { positionsOfText } from './textPositions';
import { childOf, formatKeyPath, pythonTypeName } from './secretNodes';

export const diagnosticSource = 'streamlit-secrets';

/** Stable codes of Python-side diagnostics (quick fixes and users' filters rely on them). */
export const PythonDiagnosticCode = {
  missingKey: 'missing-key',
  notATable: 'not-a-table',
  attributeUnreachable: 'attribute-unreachable',
  arrayAttribute: 'array-attribute',
  noSecretsFile: 'no-secrets-file',
  loadError: 'secrets-load-error',
  connectionMissingSection: 'connection-missing-section',
  connectionMissingType: 'connection-missing-type',
  connectionSqlMissingKeys: 'connection-sql-missing-keys',
  loginMissingAuth: 'login-missing-auth',
  loginMissingKeys: 'login-missing-keys',
  loginMissingProvider: 'login-missing-provider',
  loginInvalidProvider: 'login-invalid-provider',
} as const;

/** What a quick fix needs, in `diagnostic.data`. */
export interface PythonDiagnosticData {
  /** Key path (from the root) a fix may add to a secrets file. */
  addKey?: string[];
  /**
   * Several keys of one table a fix may add together (a whole `[auth]` section, every missing SQL
   * key); `addKey` is then the first of them.
   */
  addKeys?: string[][];
  /** Replacing `range` with `newText` makes the read work (`.items` → `["items"]`). */
  rewrite?: { range: Range; newText: string };
}

const severityOf: Record<Exclude<SeveritySetting, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

function quoted(key: string): string {
  return `"${key}"`;
}

function isTable(node: SecretNode | undefined): node is SecretNode & { kind: 'table' } {
  return node?.kind === 'table';
}

/**
 * Diagnostics for the secrets reads of one Python document, predicting what Streamlit raises at
 * runtime. Messages name keys and files, never values.
 */
export function computePythonDiagnostics(
  document: TextDocument,
  analysis: PythonSecretsAnalysis,
  misreads: readonly AttributeMisread[],
  merged: MergedSecrets,
  settings: Pick<StreamlitSecretsSettings, 'diagnostics'>,
): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const toRange = (range: TextRange): Range => Range.create(document.positionAt(range.start), document.positionAt(range.end));
  const push = (
    setting: SeveritySetting,
    code: string,
    range: TextRange,
    message: string,
    data?: PythonDiagnosticData,
    related?: DiagnosticRelatedInformation[],
  ): void => {
    if (setting === 'off') return;
    const diagnostic: Diagnostic = { range: toRange(range), severity: severityOf[setting], source: diagnosticSource, code, message };
    if (data !== undefined) diagnostic.data = data;
    if (related !== undefined && related.length > 0) diagnostic.relatedInformation = related;
    diagnostics.push(diagnostic);
  };
  const severities = settings.diagnostics;
  const secretsReads = analysis.accesses.filter((access) => access.kind === 'secrets');
  const readsSecrets = secretsReads.length > 0 || misreads.length > 0 || analysis.connections.length > 0 || analysis.logins.length > 0;
  if (!readsSecrets) return diagnostics;

  const searched = merged.sources.map((_, index) => labelOf(merged, index)).join(', ') || 'no file';
  const readRanges = [
    // Reads through an alias raise where the alias was assigned (a read of its own), not again.
    ...secretsReads.filter((access) => access.segments[0]?.inherited !== true).map((access) => ({ range: access.rootRange, addKey: pathOf(access) })),
    ...analysis.connections.map((call) => ({ range: call.nameRange ?? call.range, addKey: undefined })),
    ...analysis.logins.map((call) => ({ range: call.providerRange ?? call.range, addKey: undefined })),
  ];

  if (merged.noSecretsFound) {
    const valid = merged.sources.map((source) => source.spec.path).join(', ');
    for (const read of readRanges) {
      push(
        severities.noSecretsFile,
        PythonDiagnosticCode.noSecretsFile,
        read.range,
        `FileNotFoundError: No secrets found. Valid paths for a secrets.toml file or secret directories are: ${valid}. ` +
          'Every st.secrets read raises (also .get() and "in") until a secrets file exists when the app starts.',
        read.addKey !== undefined && read.addKey.length > 0 ? { addKey: read.addKey } : undefined,
      );
    }
    return diagnostics;
  }

  if (merged.loadError !== undefined) {
    const error = merged.loadError;
    const where = error.source !== undefined ? ` (${labelOf(merged, error.source)})` : '';
    const message = `Streamlit cannot load the secrets${where}: ${error.message}. The app gets no secrets at all: this read raises.`;
    const related: DiagnosticRelatedInformation[] =
      error.source !== undefined
        ? [{ location: { uri: URI.file(merged.sources[error.source]!.spec.path).toString(), range: Range.create(0, 0, 0, 0) }, message: `${fileWords(merged, error.source)}: the file Streamlit cannot load` }]
        : [];
    for (const read of readRanges) push(severities.missingKey, PythonDiagnosticCode.loadError, read.range, message, undefined, related);
    return diagnostics;
  }

  for (const access of secretsReads) checkAccess(access);
  for (const misread of misreads) checkMisread(misread);
  for (const call of analysis.connections) checkConnection(call);
  for (const call of analysis.logins) checkLogin(call);
  return diagnostics;

  function pathOf(access: SecretAccess): string[] {
    const keys = access.segments.map((s) => s.key);
    return access.membershipKey ? [...keys, access.membershipKey.key] : keys;
  }

  function relatedForLost(keyPath: string[]): DiagnosticRelatedInformation[] {
    const lost = lostDefinition(merged, keyPath);
    if (lost === undefined) return [];
    const related: DiagnosticRelatedInformation[] = [];
    const add = (index: number, path: string[], message: string): void => {
      const source = merged.sources[index]!;
      const location = locationsInSource(source, path)[0];
      if (location === undefined || source.text === undefined) return;
      const text = positionsOfText(source.text);
      const start = text.positionAt(location.keyRange.start);
      // VS Code shows only the file's base name beside a related location: the message names the file.
      related.push({
        location: { uri: URI.file(source.spec.path).toString(), range: Range.create(start, text.positionAt(location.keyRange.end)) },
        message: `${placeWords(merged, index, start.line)}: ${message}`,
      });
    };
    add(lost.definedIn, keyPath, `defines ${formatKeyPath(keyPath)}, replaced by the ${fileWords(merged, lost.entry.winner)}`);
    add(lost.entry.winner, [lost.entry.key], `its ${formatKeyPath([lost.entry.key])} replaces the whole ${formatKeyPath([lost.entry.key])} of earlier files`);
    return related;
  }

  function missingMessage(keyPath: string[], style: 'attribute' | 'subscript' | 'get', getThenMore: boolean): string {
    const leaf = keyPath[keyPath.length - 1]!;
    let message: string;
    if (getThenMore) {
      message = `st.secrets has no key ${quoted(leaf)}: .get(${JSON.stringify(leaf)}) returns None here and the next access raises.`;
    } else if (style === 'attribute') {
      message = `AttributeError: st.secrets has no attribute ${quoted(leaf)}.`;
    } else {
      message = `KeyError: st.secrets has no key ${quoted(leaf)}.`;
    }
    message += ` Searched: ${searched}.`;
    const lost = lostDefinition(merged, keyPath);
    if (lost !== undefined) {
      message += ` ${labelOf(merged, lost.definedIn)} defines ${formatKeyPath(keyPath)}, but ${labelOf(merged, lost.entry.winner)} replaces the whole ${formatKeyPath([lost.entry.key])} (Streamlit merges only top-level keys).`;
    }
    return message;
  }

  function checkAccess(access: SecretAccess): void {
    const segments = access.segments;
    let node: SecretNode | undefined;
    for (let i = 0; i < segments.length; i++) {
      const segment = segments[i]!;
      const keyPath = segments.slice(0, i + 1).map((s) => s.key);
      const last = i === segments.length - 1;
      const atRoot = i === 0;
      // Read where an alias was assigned (`db = st.secrets["db"]`): reported there, not at each use.
      const inherited = segment.inherited === true;
      if (!atRoot && node !== undefined && !isTable(node)) {
        if (inherited) return;
        const parentName = formatKeyPath(keyPath.slice(0, -1));
        if (node.kind === 'array' && segment.style === 'attribute') {
          push(
            severities.attributeAccess,
            PythonDiagnosticCode.arrayAttribute,
            segment.range,
            `AttributeError: ${parentName} is an array, which Streamlit returns as a plain list: it has no attribute ${quoted(segment.key)}.`,
          );
        } else {
          push(
            severities.missingKey,
            PythonDiagnosticCode.notATable,
            segment.range,
            `${parentName} is a ${pythonTypeName(node)}, not a table: reading ${quoted(segment.key)} from it fails at runtime.`,
          );
        }
        return;
      }
      if (segment.style === 'attribute' && !inherited) {
        const block = attributeAccessBlock(segment.key, atRoot);
        if (block !== undefined) {
          pushUnreachable(block, segment.key, atRoot, segment.range, segment.accessorRange);
          return;
        }
      }
      const child: SecretNode | undefined = atRoot ? merged.entries.get(segment.key)?.node : node?.children?.get(segment.key);
      if (child === undefined) {
        if (inherited) return;
        const tolerated = last && access.tolerant && access.membershipKey === undefined;
        if (!tolerated) {
          push(
            severities.missingKey,
            PythonDiagnosticCode.missingKey,
            segment.range,
            missingMessage(keyPath, segment.style, segment.style === 'get' && !last),
            // The fix adds the whole path read, so that the read works (not just its first missing key).
            { addKey: pathOf(access) },
            relatedForLost(keyPath),
          );
        }
        return;
      }
      node = child;
    }
    // `"k" in <path>`: the container must be a table for the test to mean anything.
    if (access.membershipKey !== undefined && segments.length > 0 && node !== undefined && !isTable(node) && node.kind !== 'array') {
      push(
        severities.missingKey,
        PythonDiagnosticCode.notATable,
        access.membershipKey.range,
        `${formatKeyPath(segments.map((s) => s.key))} is a ${pythonTypeName(node)}, not a table: "in" tests its text, not its keys.`,
      );
    }
  }

  function rewriteData(accessorRange: TextRange | undefined, key: string): PythonDiagnosticData | undefined {
    if (accessorRange === undefined) return undefined;
    return { rewrite: { range: toRange(accessorRange), newText: `["${pythonStringContent(key, '"')}"]` } };
  }

  /** `.key` that attribute access cannot reach; the fix rewrites it as `["key"]`. */
  function pushUnreachable(block: AttributeBlock, key: string, atRoot: boolean, range: TextRange, accessorRange: TextRange | undefined): void {
    push(severities.attributeAccess, PythonDiagnosticCode.attributeUnreachable, range, describeAttributeBlock(block, key, atRoot), rewriteData(accessorRange, key));
  }

  function checkMisread(misread: AttributeMisread): void {
    const container = misread.containerPath.length === 0 ? undefined : lookupNode(misread.containerPath);
    if (misread.kind === 'array-element') {
      if (container?.kind !== 'array') return;
      const item = container.items?.[misread.index ?? 0];
      const itemHasKey = isTable(item) && item.children?.has(misread.name) === true;
      push(
        severities.attributeAccess,
        PythonDiagnosticCode.arrayAttribute,
        misread.nameRange,
        `AttributeError: items of the array ${formatKeyPath(misread.containerPath)} are plain dicts, not AttrDicts: .${misread.name} does not work${itemHasKey ? `; use ["${misread.name}"]` : ''}.`,
        rewriteData(misread.accessorRange, misread.name),
      );
      return;
    }
    if (misread.called) return; // `st.secrets.items()`: the Mapping method itself.
    const atRoot = misread.containerPath.length === 0;
    const hasKey = atRoot ? merged.entries.has(misread.name) : isTable(container) && container.children?.has(misread.name) === true;
    if (!hasKey) return;
    pushUnreachable(attributeAccessBlock(misread.name, atRoot) ?? 'reserved', misread.name, atRoot, misread.nameRange, misread.accessorRange);
  }

  function lookupNode(keyPath: readonly string[]): SecretNode | undefined {
    let node: SecretNode | undefined = merged.entries.get(keyPath[0] ?? '')?.node;
    for (const key of keyPath.slice(1)) {
      node = isTable(node) ? node.children?.get(key) : undefined;
      if (node === undefined) return undefined;
    }
    return node;
  }

  // The rules are connectionRules.ts / authRules.ts (shared with the secrets-file diagnostics). Here
  // their problems become one diagnostic per call, on the name argument, in the words of what the
  // call raises. Problems of a value's shape are left to the secrets file, where they are shown at
  // the key.
  function checkConnection(call: ConnectionCall): void {
    const name = call.name;
    if (name === undefined || call.nameRange === undefined || name.startsWith('env:')) return;
    const range = call.nameRange;
    const connections = merged.entries.get('connections')?.node;
    const section = childOf(connections, name);
    const header = `[${formatKeyPath(['connections', name])}]`;
    const problems = checkConnectionSection(name, section, call.hasType, call.typeName === undefined ? {} : { typeInCall: call.typeName });
    const addKeyOf = (p: SectionProblem): PythonDiagnosticData | undefined => (p.missingKey === undefined ? undefined : { addKey: [...p.path, p.missingKey] });
    const notTable = problems.find((p) => p.code === 'connection-not-table');
    if (notTable !== undefined) {
      push(severities.connection, PythonDiagnosticCode.connectionMissingSection, range, `${formatKeyPath(['connections', name])} is a ${pythonTypeName(section!)}, not a table: Streamlit cannot read connection settings from it.`);
      return;
    }
    const missingType = problems.find((p) => p.code === 'connection-missing-type');
    if (missingType !== undefined) {
      const message =
        section === undefined
          ? `KeyError: st.secrets has no key ${quoted(isTable(connections) ? name : 'connections')}. "${name}" is not a built-in connection name, so Streamlit reads its type from ${header}, which does not exist. Add the section with a type key, or pass type= to st.connection. Searched: ${searched}.`
          : `KeyError: st.secrets has no key "type". "${name}" is not a built-in connection name: ${header} needs a type key (e.g. "sql" or a connection class path), or pass type= to st.connection.`;
      push(severities.connection, PythonDiagnosticCode.connectionMissingType, range, message, addKeyOf(missingType));
      return;
    }
    const missingSection = problems.find((p) => p.code === 'connection-missing-section');
    if (missingSection !== undefined) {
      push(severities.connection, PythonDiagnosticCode.connectionMissingSection, range, `${missingSection.message} Searched: ${searched}.`, addKeyOf(missingSection));
      return;
    }
    const sqlMissing = problems.filter((p) => p.code === 'connection-sql-missing-key');
    if (sqlMissing.length > 0) {
      const missing = sqlMissing.map((p) => p.missingKey!);
      push(
        severities.connection,
        PythonDiagnosticCode.connectionSqlMissingKeys,
        range,
        `${header} has no url, so Streamlit needs ${sqlRequiredWithoutUrl.join(', ')}: missing ${missing.join(', ')} ("Missing SQL DB connection param: ${missing[0]}").`,
        addKeysData(sqlMissing[0]!.path, missing),
      );
    }
  }

  /** Quick-fix data adding `leaves` below `table` (those the merge lacks), first one as `addKey`. */
  function addKeysData(table: readonly string[], leaves: readonly string[]): PythonDiagnosticData {
    const paths = leaves.map((leaf) => [...table, leaf]);
    return paths.length > 1 ? { addKey: paths[0]!, addKeys: paths } : { addKey: paths[0]! };
  }

  function checkLogin(call: LoginCall): void {
    const range = call.providerRange ?? call.range;
    const provider = call.provider;
    const problems = checkAuthSection(merged.entries.get('auth')?.node, provider);
    if (problems.some((p) => p.code === 'auth-provider-underscore')) {
      push(
        severities.login,
        PythonDiagnosticCode.loginInvalidProvider,
        range,
        `Provider name "${provider}" contains "_": Streamlit does not accept it in st.login() (rename [auth.${provider}]).`,
      );
      return;
    }
    const isAuthPath = (p: SectionProblem): boolean => p.path.length <= 1;
    if (problems.some((p) => p.code === 'auth-missing-section' || (p.code === 'auth-not-table' && isAuthPath(p)))) {
      push(
        severities.login,
        PythonDiagnosticCode.loginMissingAuth,
        range,
        `st.login() needs an [auth] section with ${authRequiredKeys.join(', ')} and the provider's ${authProviderKeys.join(', ')}; the merged secrets have none. Searched: ${searched}.`,
        // Without a provider, st.login() reads the provider keys from [auth] itself.
        addKeysData(['auth'], provider === undefined ? [...authRequiredKeys, ...authProviderKeys] : authRequiredKeys),
      );
      return;
    }
    const missing = problems.filter((p) => p.code === 'auth-missing-key');
    const keysAt = (inAuth: boolean, keys: readonly string[]): string[] =>
      missing.filter((p) => isAuthPath(p) === inAuth && keys.includes(p.missingKey!)).map((p) => p.missingKey!);
    const parts: string[] = [];
    const missingRoot = keysAt(true, authRequiredKeys);
    if (missingRoot.length > 0) parts.push(`[auth] lacks ${missingRoot.join(', ')}`);
    if (provider !== undefined) {
      const providerHeader = `[${formatKeyPath(['auth', provider])}]`;
      if (problems.some((p) => p.code === 'auth-missing-provider' || (p.code === 'auth-not-table' && !isAuthPath(p)))) {
        push(
          severities.login,
          PythonDiagnosticCode.loginMissingProvider,
          range,
          `st.login("${provider}") needs an ${providerHeader} section with ${authProviderKeys.join(', ')}${parts.length > 0 ? `; also ${parts.join('; ')}` : ''}.`,
          addKeysData(['auth', provider], authProviderKeys),
        );
        return;
      }
      const missingInProvider = keysAt(false, authProviderKeys);
      if (missingInProvider.length > 0) parts.push(`${providerHeader} lacks ${missingInProvider.join(', ')}`);
    } else {
      const missingProviderKeys = keysAt(true, authProviderKeys);
      if (missingProviderKeys.length > 0) parts.push(`[auth] lacks the provider keys ${missingProviderKeys.join(', ')} that st.login() without a provider reads`);
    }
    if (missing.length > 0) {
      push(
        severities.login,
        PythonDiagnosticCode.loginMissingKeys,
        range,
        `${provider === undefined ? 'st.login()' : `st.login("${provider}")`} fails: ${parts.join('; ')}.`,
        // The keys missing in the same table as the first one, together.
        addKeysData(
          missing[0]!.path,
          missing.filter((p) => p.path.length === missing[0]!.path.length && p.path.every((key, i) => key === missing[0]!.path[i])).map((p) => p.missingKey!),
        ),
      );
    }
  }
}
