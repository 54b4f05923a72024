import { DiagnosticSeverity, Range, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import type { SeveritySetting, StreamlitSecretsSettings } from '../../../common/settings';
import type { AttributeMisread } from '../python/attributeMisreads';
import { catches, isKnown, type RaisedError, type ReadGuards } from '../python/readGuards';
import type { ConnectionCall, LoginCall, PythonSecretsAnalysis, SecretAccess } from '../python/types';
import type { SecretNode } from '../toml/types';
import type { TextRange } from '../textRange';
import { attributeAccessBlock, describeAttributeBlock, pythonStringContent, type AttributeBlock } from './attributeAccess';
import { authProviderKeys, authRequiredKeys, checkAuthSection, forVersion, isRootProviderKey } from './authRules';
import { checkConnectionSection, deprecatedConnectionTypes, sqlRequiredWithoutUrl, type SectionProblem } from './connectionRules';
import { sourceThatMayDefine, type MergedSecrets } from './mergeSecrets';
import { fileWords, labelOf, lostDefinition, placeWords } from './provenance';
import { locationsInSource } from './secretLocations';
import { positionsOfText } from './textPositions';
import { childOf, formatKeyPath, pythonTypeName, withArticle } from './secretNodes';
import { fallbackType, hasAttribute, indexError, plainTypeOf, stepPlain } from './pythonValues';
import { formatStreamlitVersion, supports } from './streamlitVersion';

export const diagnosticSource = 'streamlit-secrets';

/** Stable codes of Python-side diagnostics (quick fixes and users' filters rely on them). */
export const PythonDiagnosticCode = {
  missingKey: 'missing-key',
  notATable: 'not-a-table',
  attributeUnreachable: 'attribute-unreachable',
  arrayAttribute: 'array-attribute',
  /** `st.secrets.items` written for the key `items`: the Mapping method (does not raise). */
  methodNotKey: 'method-not-key',
  /** `[0]` on a table, a number, an empty string, past an array's end. */
  badIndex: 'bad-index',
  noSecretsFile: 'no-secrets-file',
  loadError: 'secrets-load-error',
  connectionMissingSection: 'connection-missing-section',
  connectionMissingType: 'connection-missing-type',
  connectionUnknownType: 'connection-unknown-type',
  connectionSqlMissingKeys: 'connection-sql-missing-keys',
  loginMissingAuth: 'login-missing-auth',
  loginMissingKeys: 'login-missing-keys',
  loginMissingProvider: 'login-missing-provider',
  loginInvalidProvider: 'login-invalid-provider',
  /** `st.login` in a Streamlit older than 1.42. */
  loginUnavailable: 'login-unavailable',
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

/** Mapping methods of `st.secrets` that load it (`st.secrets.keys()`, …). */
const loadingMethods = new Set(['keys', 'values', 'items', 'to_dict', 'has_key']);

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
  // `st.App(secrets=load())`, `merge_programmatic_secrets({"auth": env()})`: keys that may exist at
  // runtime, so a missing one there is not certain (§8).
  const downgraded = downgradedForUnknowableKeys(settings.diagnostics);
  const severitiesFor = (topKey: string | undefined): StreamlitSecretsSettings['diagnostics'] =>
    sourceThatMayDefine(merged, topKey) >= 0 ? downgraded : settings.diagnostics;
  /** The severities of what is being checked: set per read below (its top-level key decides). */
  let severities = severitiesFor(undefined);
  const secretsReads = analysis.accesses.filter((access) => access.kind === 'secrets');
  const readsSecrets = secretsReads.length > 0 || analysis.wholeUses.length > 0 || misreads.length > 0 || analysis.connections.length > 0 || analysis.logins.length > 0;
  if (!readsSecrets) return diagnostics;

  const searched = merged.sources.map((_, index) => labelOf(merged, index)).join(', ') || 'no file';
  // Since 1.44 a missing or unloadable secrets file raises StreamlitSecretNotFoundError (docs/streamlit-model.md §4, §7).
  const notFoundType = supports(merged.chain.streamlitVersion, 'secretNotFoundErrorType') ? 'StreamlitSecretNotFoundError' : 'FileNotFoundError';

  /** Every read that loads the secrets, in source order: what raises when there are none to load. */
  interface LoadingRead {
    range: TextRange;
    addKey?: string[];
    guards?: ReadGuards;
    /** `st.secrets.k`: attribute access turns "not found" into AttributeError (docs/streamlit-model.md §4). */
    rootAttribute?: string;
    /** A call that raises its own error without secrets (st.login: StreamlitAuthError): a handler of it catches too. */
    ownError?: RaisedError;
  }
  const loadingReads: LoadingRead[] = [
    // Reads through an alias raise where the alias was assigned (a read of its own), not again.
    ...secretsReads
      .filter((access) => access.segments[0]?.inherited !== true)
      .map((access): LoadingRead => {
        const first = access.segments[0];
        return {
          range: access.rootRange,
          addKey: pathOf(access),
          ...(access.guards ? { guards: access.guards } : {}),
          ...(first?.style === 'attribute' ? { rootAttribute: first.key } : {}),
        };
      }),
    ...analysis.wholeUses.map((use): LoadingRead => ({ range: use.range, guards: use.guards })),
    ...misreads
      .filter((misread) => misread.kind === 'reserved' && misread.called && misread.containerPath.length === 0 && loadingMethods.has(misread.name))
      .map((misread): LoadingRead => ({ range: misread.nameRange, guards: misread.guards })),
    ...analysis.connections.map((call): LoadingRead => ({ range: call.nameRange ?? call.range, ...(call.guards ? { guards: call.guards } : {}), ownError: 'StreamlitAPIException' })),
    ...analysis.logins.map((call): LoadingRead => ({ range: call.providerRange ?? call.range, ...(call.guards ? { guards: call.guards } : {}), ownError: 'StreamlitAuthError' })),
  ].sort((a, b) => a.range.start - b.range.start);
  /** The read raises when the secrets cannot be loaded: no guard proves it never runs, no handler catches it. */
  const raisesUnloaded = (read: LoadingRead): boolean => {
    const guards = read.guards;
    if (guards === undefined) return true;
    // Every guard that proves a key raises or is false when nothing loads: the read never runs. So
    // does a check that a secrets file exists when there is none (a file that fails to parse exists).
    if (guards.known.length > 0 || (guards.secretsFileChecked && merged.noSecretsFound)) return false;
    return !catches(guards, ['SecretsNotLoaded', ...(read.rootAttribute !== undefined ? ['AttributeError' as const] : []), ...(read.ownError !== undefined ? [read.ownError] : [])]);
  };

  if (merged.noSecretsFound) {
    const valid = merged.sources.map((source) => source.spec.path).join(', ');
    for (const read of loadingReads) {
      if (!raisesUnloaded(read)) continue;
      const noFile = `No secrets found. Valid paths for a secrets.toml file or secret directories are: ${valid}.`;
      const message =
        read.rootAttribute !== undefined
          ? `AttributeError: st.secrets has no attribute "${read.rootAttribute}": no secrets file exists, and attribute reads turn ${notFoundType} ("${noFile}") into AttributeError.`
          : `${notFoundType}: ${noFile} Every st.secrets read raises (also .get() and "in") until a secrets file exists when the app starts.`;
      push(severities.noSecretsFile, PythonDiagnosticCode.noSecretsFile, read.range, message, read.addKey !== undefined && read.addKey.length > 0 ? { addKey: read.addKey } : undefined);
    }
    return diagnostics;
  }

  if (merged.loadError !== undefined) {
    // One cause, one diagnostic per Python file: on the first read that raises (module level first).
    const uncaught = loadingReads.filter(raisesUnloaded);
    const target = uncaught.find((read) => !mayNotRun(read.guards)) ?? uncaught[0];
    const first = target ?? loadingReads[0];
    if (first === undefined) return diagnostics;
    const error = merged.loadError;
    const where = error.source !== undefined ? ` (${labelOf(merged, error.source)})` : '';
    // A file that fails to parse raises StreamlitSecretNotFoundError since 1.44; before, the parser's own error.
    const prefix = error.key === undefined && supports(merged.chain.streamlitVersion, 'secretNotFoundErrorType') ? `${notFoundType}: ` : '';
    const others = uncaught.length - 1;
    const consequence =
      target === undefined
        ? 'every st.secrets read in this file is guarded, so none raises, but none gets a value.'
        : `this read raises${others > 0 ? `, and so ${others === 1 ? 'does 1 other read' : `do ${others} other reads`} in this file` : ''}.`;
    const message = `${prefix}Streamlit cannot load the secrets${where}: ${error.message}. The app gets no secrets at all: ${consequence}`;
    const severity = target === undefined ? severities.noSecretsFile : mayNotRun(target.guards) ? severities.unguardedRead : severities.missingKey;
    push(severity, PythonDiagnosticCode.loadError, first.range, message, undefined, loadErrorLocation());
    return diagnostics;
  }

  // Not every source was read (a budget): any key may exist in what we skipped, so no read is
  // called wrong. The config.toml or the merged view says what was skipped.
  if (merged.incomplete !== undefined) return diagnostics;

  for (const access of secretsReads) {
    severities = severitiesFor(access.segments[0]?.key ?? access.membershipKey?.key);
    checkAccess(access);
  }
  for (const misread of misreads) {
    severities = severitiesFor(misread.containerPath[0] ?? misread.name);
    checkMisread(misread);
  }
  severities = severitiesFor('connections');
  for (const call of analysis.connections) checkConnection(call);
  severities = severitiesFor('auth');
  for (const call of analysis.logins) checkLogin(call);
  return diagnostics;

  /** Where the load fails: the bad line of the right file (Streamlit's line and column when known). */
  function loadErrorLocation(): DiagnosticRelatedInformation[] {
    const error = merged.loadError;
    const source = error?.source === undefined ? undefined : merged.sources[error.source];
    if (error === undefined || source === undefined) return [];
    const uri = URI.file(source.spec.path).toString();
    let range = Range.create(0, 0, 0, 0);
    const lineColumn = /line (\d+), column (\d+)/.exec(error.message);
    if (lineColumn) {
      const line = Number(lineColumn[1]) - 1;
      const character = Math.max(0, Number(lineColumn[2]) - 1);
      range = Range.create(line, character, line, character);
    } else if (error.key !== undefined && source.text !== undefined) {
      const location = locationsInSource(source, [error.key])[0];
      if (location !== undefined) {
        const text = positionsOfText(source.text);
        range = Range.create(text.positionAt(location.keyRange.start), text.positionAt(location.keyRange.end));
      }
    }
    return [{ location: { uri, range }, message: `${placeWords(merged, error.source!, range.start.line)}: where Streamlit fails to load the secrets` }];
  }

  /** The read does not raise where it is: a handler catches `error`. */
  function caught(guards: ReadGuards | undefined, error: RaisedError): boolean {
    return guards !== undefined && catches(guards, error);
  }

  /**
   * A missing key read in a function (a caller may check first; the analysis cannot see callers), or
   * one that runs only for some environment (unknown here): it may never run.
   */
  function missingSeverity(guards: ReadGuards | undefined): SeveritySetting {
    return callSeverity(guards, severities.missingKey);
  }

  /**
   * What may never run (in a function, behind an environment check) gets the unguarded severity
   * instead of its own: reads and st.connection / st.login calls alike.
   */
  function callSeverity(guards: ReadGuards | undefined, own: SeveritySetting): SeveritySetting {
    return mayNotRun(guards) ? severities.unguardedRead : own;
  }

  function unguardedNote(guards: ReadGuards | undefined): string {
    if (guards?.envDependent === true) return ' Whether this read runs depends on the environment (an os.environ / os.getenv check before it), which is unknown here: it raises only when it runs.';
    return guards?.inFunction === true
      ? ' Unguarded read: nothing in this function checks for the key first, so it raises whenever the function runs, unless every caller checks.'
      : '';
  }

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

  function missingMessage(keyPath: string[], style: 'attribute' | 'subscript' | 'get'): string {
    const leaf = keyPath[keyPath.length - 1]!;
    let message = style === 'attribute' ? `AttributeError: st.secrets has no attribute ${quoted(leaf)}.` : `KeyError: st.secrets has no key ${quoted(leaf)}.`;
    message += ` Searched: ${searched}.`;
    const mayDefine = sourceThatMayDefine(merged, keyPath[0]);
    if (mayDefine >= 0) message += ` ${labelOf(merged, mayDefine)} is not given a literal dict and may define it.`;
    return message + lostNote(keyPath);
  }

  function lostNote(keyPath: string[]): string {
    const lost = lostDefinition(merged, keyPath);
    if (lost === undefined) return '';
    return ` ${labelOf(merged, lost.definedIn)} defines ${formatKeyPath(keyPath)}, but ${labelOf(merged, lost.entry.winner)} replaces the whole ${formatKeyPath([lost.entry.key])} (Streamlit merges only top-level keys).`;
  }

  /**
   * `.get(k, d)` found no `k` and more is read from what it returned (`d`): the first step that raises,
   * or undefined when none does or what `d` is cannot be known.
   */
  function readFromDefault(fallback: SecretAccess['segments'][number]['fallback'], rest: SecretAccess['segments']): { error: RaisedError; message: string } | undefined {
    let type = fallbackType(fallback);
    for (const segment of rest) {
      if (type === undefined) return undefined;
      const step = stepPlain(type, segment.key, segment.style);
      if (step.kind === 'ok') return undefined;
      if (step.kind === 'raises') return step;
      type = fallbackType(segment.fallback);
    }
    return undefined;
  }

  function describeDefault(fallback: SecretAccess['segments'][number]['fallback']): string {
    switch (fallback) {
      case 'table':
        return 'an empty dict';
      case 'str':
        return 'its default str';
      default:
        return 'None';
    }
  }

  /**
   * A guard proves a key the merged secrets lack: with these secrets the guard is false (or stops the
   * app), so the read never runs — it raises nothing now (it is checked again once the key exists).
   */
  function neverRuns(guards: ReadGuards | undefined): boolean {
    return guards !== undefined && guards.known.some((path) => lookupNode(path) === undefined);
  }

  function checkAccess(access: SecretAccess): void {
    const segments = access.segments;
    const guards = access.guards;
    if (neverRuns(guards)) return;
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
        checkPlainStep(node, segment, keyPath, guards);
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
        // A guard (`if "k" in st.secrets:`) proves the key exists where this runs.
        if (guards !== undefined && isKnown(guards, keyPath)) return;
        if (last && access.tolerant && access.membershipKey === undefined) return;
        if (segment.style === 'get') {
          // What follows reads from the default `.get` returned.
          const raised = readFromDefault(segment.fallback, segments.slice(i + 1));
          if (raised === undefined || caught(guards, raised.error)) return;
          const parent = atRoot ? 'st.secrets' : formatKeyPath(keyPath.slice(0, -1));
          push(
            missingSeverity(guards),
            PythonDiagnosticCode.missingKey,
            segment.range,
            `${raised.message}: ${parent} has no key ${quoted(segment.key)}, so .get(${JSON.stringify(segment.key)}) returns ${describeDefault(segment.fallback)} here. Searched: ${searched}.${lostNote(keyPath)}${unguardedNote(guards)}`,
            { addKey: pathOf(access) },
            relatedForLost(keyPath),
          );
          return;
        }
        if (caught(guards, segment.style === 'attribute' ? 'AttributeError' : 'KeyError')) return;
        push(
          missingSeverity(guards),
          PythonDiagnosticCode.missingKey,
          segment.range,
          missingMessage(keyPath, segment.style) + unguardedNote(guards),
          // The fix adds the whole path read, so that the read works (not just its first missing key).
          { addKey: pathOf(access) },
          relatedForLost(keyPath),
        );
        return;
      }
      node = child;
    }
    // `"k" in <path>`: on a str it is a substring test and on a list a search, both fine in Python;
    // on a number, a bool or a date Python raises TypeError.
    if (access.membershipKey !== undefined && segments.length > 0 && node !== undefined && !isTable(node) && node.kind !== 'array' && node.kind !== 'string') {
      if (caught(guards, 'TypeError')) return;
      const type = pythonTypeName(node);
      push(
        severities.missingKey,
        PythonDiagnosticCode.notATable,
        access.membershipKey.range,
        `TypeError: argument of type '${type}' is not iterable: ${formatKeyPath(segments.map((s) => s.key))} is ${withArticle(type)}, not a table, so "in" cannot test it.`,
      );
    }
  }

  /** Reading `segment` from a plain value (a str, a number, a list): what Python raises, if it does. */
  function checkPlainStep(node: SecretNode, segment: SecretAccess['segments'][number], keyPath: string[], guards: ReadGuards | undefined): void {
    const type = plainTypeOf(node);
    // `.get` on a plain value is reported once, on `get`, with the attribute misreads.
    if (type === undefined || segment.style === 'get') return;
    const parentName = formatKeyPath(keyPath.slice(0, -1));
    const step = stepPlain(type, segment.key, segment.style);
    if (step.kind !== 'raises' || caught(guards, step.error)) return;
    if (node.kind === 'array' && segment.style === 'attribute') {
      push(
        severities.attributeAccess,
        PythonDiagnosticCode.arrayAttribute,
        segment.range,
        `AttributeError: ${parentName} is an array, which Streamlit returns as a plain list: it has no attribute ${quoted(segment.key)}.`,
      );
      return;
    }
    push(severities.missingKey, PythonDiagnosticCode.notATable, segment.range, `${step.message}: ${parentName} is ${withArticle(pythonTypeName(node))}, not a table, so ${quoted(segment.key)} cannot be read from it.`);
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
    if (neverRuns(misread.guards)) return;
    const atRoot = misread.containerPath.length === 0;
    const container = atRoot ? undefined : lookupNode(misread.containerPath);
    const guards = misread.guards;
    if (misread.kind === 'index') {
      const index = misread.index ?? 0;
      const target: SecretNode | undefined = atRoot ? { kind: 'table' } : container;
      if (target === undefined) return;
      const raised = indexError(target, index, atRoot ? 'st.secrets' : formatKeyPath(misread.containerPath));
      if (raised === undefined || caught(guards, raised.error)) return;
      push(severities.missingKey, PythonDiagnosticCode.badIndex, misread.nameRange, `${raised.message}.`);
      return;
    }
    if (misread.kind === 'array-element') {
      if (container?.kind !== 'array') return;
      const item = container.items?.[misread.index ?? 0];
      // Past the end: the index itself raises IndexError (reported on it).
      if (item === undefined) return;
      if (caught(guards, 'AttributeError')) return;
      if (!isTable(item)) {
        const type = plainTypeOf(item);
        if (type === undefined || hasAttribute(type, misread.name)) return;
        push(
          severities.attributeAccess,
          PythonDiagnosticCode.arrayAttribute,
          misread.nameRange,
          `AttributeError: '${type}' object has no attribute '${misread.name}' (items of the array ${formatKeyPath(misread.containerPath)} are plain values).`,
        );
        return;
      }
      // Items are plain dicts: their own methods (`.get`, `.keys`) work.
      if (hasAttribute('dict', misread.name)) return;
      const itemHasKey = item.children?.has(misread.name) === true;
      push(
        severities.attributeAccess,
        PythonDiagnosticCode.arrayAttribute,
        misread.nameRange,
        `AttributeError: items of the array ${formatKeyPath(misread.containerPath)} are plain dicts, not AttrDicts: .${misread.name} does not work${itemHasKey ? `; use ["${misread.name}"]` : ''}.`,
        rewriteData(misread.accessorRange, misread.name),
      );
      return;
    }
    // `.keys` / `.to_dict()` on a plain value: `'str' object has no attribute 'keys'`.
    if (container !== undefined && !isTable(container)) {
      const type = plainTypeOf(container);
      if (type === undefined || hasAttribute(type, misread.name) || caught(guards, 'AttributeError')) return;
      push(
        severities.missingKey,
        PythonDiagnosticCode.notATable,
        misread.nameRange,
        `AttributeError: '${type}' object has no attribute '${misread.name}': ${formatKeyPath(misread.containerPath)} is ${withArticle(pythonTypeName(container))}, not a table.`,
      );
      return;
    }
    if (misread.called) return; // `st.secrets.items()`: the Mapping method itself.
    const hasKey = atRoot ? merged.entries.has(misread.name) : isTable(container) && container.children?.has(misread.name) === true;
    if (!hasKey) return;
    // It gives the bound method, not the secret: a lint, not a runtime error.
    const block = attributeAccessBlock(misread.name, atRoot) ?? 'reserved';
    push(
      severities.methodNotKey,
      PythonDiagnosticCode.methodNotKey,
      misread.nameRange,
      `${describeAttributeBlock(block, misread.name, atRoot)} (this gives the method, it does not raise, but it is not the value).`,
      rewriteData(misread.accessorRange, misread.name),
    );
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
    // A guard proves a key these secrets lack (the call never runs), or a handler catches what it raises.
    if (neverRuns(call.guards)) return;
    const range = call.nameRange;
    const severity = callSeverity(call.guards, severities.connection);
    const connections = merged.entries.get('connections')?.node;
    const section = childOf(connections, name);
    const header = `[${formatKeyPath(['connections', name])}]`;
    const version = merged.chain.streamlitVersion;
    const problems = checkConnectionSection(name, section, call.hasType, { ...(call.typeName === undefined ? {} : { typeInCall: call.typeName }), ...(version === undefined ? {} : { streamlitVersion: version }) });
    const notBuiltIn = `"${name}" is not a built-in connection name${deprecatedConnectionTypes.includes(name) ? ' (Streamlit 1.59 removed it)' : ''}`;
    const addKeyOf = (p: SectionProblem): PythonDiagnosticData | undefined => (p.missingKey === undefined ? undefined : { addKey: [...p.path, p.missingKey] });
    const notTable = problems.find((p) => p.code === 'connection-not-table');
    if (notTable !== undefined) {
      push(severity, PythonDiagnosticCode.connectionMissingSection, range, `${formatKeyPath(['connections', name])} is ${withArticle(pythonTypeName(section!))}, not a table: Streamlit cannot read connection settings from it.`);
      return;
    }
    const missingType = problems.find((p) => p.code === 'connection-missing-type');
    if (caught(call.guards, missingType !== undefined ? 'KeyError' : 'StreamlitAPIException')) return;
    if (missingType !== undefined) {
      const message =
        section === undefined
          ? `KeyError: st.secrets has no key ${quoted(isTable(connections) ? name : 'connections')}. ${notBuiltIn}, so Streamlit reads its type from ${header}, which does not exist. Add the section with a type key, or pass type= to st.connection. Searched: ${searched}.`
          : `KeyError: st.secrets has no key "type". ${notBuiltIn}: ${header} needs a type key (e.g. "sql" or a connection class path), or pass type= to st.connection.`;
      push(severity, PythonDiagnosticCode.connectionMissingType, range, message, addKeyOf(missingType));
      return;
    }
    if (problems.some((p) => p.code === 'connection-unknown-type')) {
      push(
        severity,
        PythonDiagnosticCode.connectionUnknownType,
        range,
        `StreamlitAPIException: Invalid connection. The "type" in ${header} is not a connection type Streamlit knows: the built-in types are "sql" and "snowflake", and a custom class needs its full module path ("package.module.ClassName"). Fix the type, or pass type= to st.connection.`,
      );
      return;
    }
    // Settings given as arguments (`url=…`, `**kwargs`) fill in for the section: say nothing of it.
    if (call.settingsInCall === true) return;
    const missingSection = problems.find((p) => p.code === 'connection-missing-section');
    if (missingSection !== undefined) {
      push(severity, PythonDiagnosticCode.connectionMissingSection, range, `${missingSection.message} Searched: ${searched}.`, addKeyOf(missingSection));
      return;
    }
    const sqlMissing = problems.filter((p) => p.code === 'connection-sql-missing-key');
    if (sqlMissing.length > 0) {
      const missing = sqlMissing.map((p) => p.missingKey!);
      push(
        severity,
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
    const version = merged.chain.streamlitVersion;
    const severity = callSeverity(call.guards, severities.login);
    if (neverRuns(call.guards)) return;
    if (version !== undefined && !supports(version, 'login')) {
      if (caught(call.guards, 'AttributeError')) return;
      push(severity, PythonDiagnosticCode.loginUnavailable, call.range, `AttributeError: module 'streamlit' has no attribute 'login': st.login() exists from Streamlit 1.42, and this app runs ${formatStreamlitVersion(version)}.`);
      return;
    }
    // Every other problem is StreamlitAuthError, raised by the call.
    if (caught(call.guards, 'StreamlitAuthError')) return;
    const all = forVersion(checkAuthSection(merged.entries.get('auth')?.node, provider), version);
    // A provider given as an expression: only what every provider needs ([auth] and its own keys) is certain.
    const problems = call.providerUnknown === true ? all.filter((p) => !isRootProviderKey(p)) : all;
    if (problems.some((p) => p.code === 'auth-provider-underscore')) {
      push(
        severity,
        PythonDiagnosticCode.loginInvalidProvider,
        range,
        `Provider name "${provider}" contains "_": Streamlit does not accept it in st.login() (rename [auth.${provider}]).`,
      );
      return;
    }
    const isAuthPath = (p: SectionProblem): boolean => p.path.length <= 1;
    if (problems.some((p) => p.code === 'auth-missing-section' || (p.code === 'auth-not-table' && isAuthPath(p)))) {
      push(
        severity,
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
          severity,
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
        severity,
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

/** Missing-key, connection and login findings become information: the keys cannot be known. */
function downgradedForUnknowableKeys(severities: StreamlitSecretsSettings['diagnostics']): StreamlitSecretsSettings['diagnostics'] {
  const lower = (setting: SeveritySetting): SeveritySetting => (setting === 'error' || setting === 'warning' ? 'information' : setting);
  return { ...severities, missingKey: lower(severities.missingKey), connection: lower(severities.connection), login: lower(severities.login) };
}

/** A read that may never run: in a function (callers unknown) or behind a check of the environment (unknown). */
function mayNotRun(guards: ReadGuards | undefined): boolean {
  return guards?.inFunction === true || guards?.envDependent === true;
}
