// What Streamlit requires of `[auth]` and `[auth.<provider>]` for `st.login()` (1.42+; see
// docs/streamlit-model.md §6 and Streamlit's auth_util.py). Pure: used by the secrets-file
// diagnostics and by the Python-side diagnostics of `st.login(...)` calls. Messages name keys only.
import type { SecretNode } from '../toml/types';
import { childOf, formatKeyPath, withArticle } from './secretNodes';
import type { SectionProblem } from './connectionRules';
import { emptySectionCalls, type SectionCalls, unusedSectionProblem } from './sectionCalls';
import { supports, type StreamlitVersion } from './streamlitVersion';

/** Keys `[auth]` itself must have, whatever the provider. */
export const authRequiredKeys: readonly string[] = ['redirect_uri', 'cookie_secret'];

/** Keys a provider needs, at the `[auth]` root (`st.login()`) or in `[auth.<provider>]`. */
export const authProviderKeys: readonly string[] = ['client_id', 'client_secret', 'server_metadata_url'];

/** Sub-tables of `[auth]` that are options, not providers. */
const authOptionTables = new Set(['client_kwargs', 'logout_params']);

/** The provider names a secrets `[auth]` table defines (its sub-tables that are not options). */
export function authProviders(auth: SecretNode | undefined): string[] {
  if (auth?.kind !== 'table') return [];
  return [...(auth.children ?? new Map<string, SecretNode>())].filter(([key, node]) => node.kind === 'table' && !authOptionTables.has(key)).map(([key]) => key);
}

function missing(path: string[], key: string, message: string): SectionProblem {
  return { path, message, severity: 'error', code: 'auth-missing-key', missingKey: key };
}

function isNonEmptyString(node: SecretNode | undefined): boolean {
  return node?.kind === 'string' && typeof node.value === 'string' && node.value.trim() !== '';
}

function checkValueTypes(table: SecretNode, base: string[], label: string, keys: readonly string[]): SectionProblem[] {
  const problems: SectionProblem[] = [];
  for (const key of keys) {
    const node = childOf(table, key);
    if (node === undefined) continue;
    if (node.kind !== 'string') {
      problems.push({ path: [...base, key], message: `"${key}" in ${label} must be a string, not ${withArticle(node.kind)}.`, severity: 'error', code: 'auth-value-type' });
    } else if (!isNonEmptyString(node)) {
      problems.push({ path: [...base, key], message: `"${key}" in ${label} is empty: st.login() cannot work without it.`, severity: 'warning', code: 'auth-empty-value' });
    }
  }
  return problems;
}

/**
 * Checks `[auth]` for `st.login()` (provider undefined) or `st.login("<provider>")`. `auth` is the
 * merged `auth` value (undefined = there is none). Problems carry key paths from the secrets root.
 */
export function checkAuthSection(auth: SecretNode | undefined, provider?: string): SectionProblem[] {
  const problems: SectionProblem[] = [];
  // The name is wrong whatever [auth] holds, so it is reported without a usable [auth] too
  // (with one, checkAuthProvider reports it).
  const nameProblems = provider?.includes('_') === true ? [providerUnderscore(provider)] : [];
  if (auth === undefined) {
    return [
      ...nameProblems,
      {
        path: [],
        message: `st.login(${provider === undefined ? '' : `"${provider}"`}) needs an [auth] section with ${authRequiredKeys.join(', ')}${provider === undefined ? ` and ${authProviderKeys.join(', ')}` : ` and an [auth.${formatKeyPath([provider])}] section`}.`,
        severity: 'error',
        code: 'auth-missing-section',
        missingKey: 'auth',
      },
    ];
  }
  if (auth.kind !== 'table') {
    return [...nameProblems, { path: ['auth'], message: '"auth" must be a table ([auth]) for st.login() to read it.', severity: 'error', code: 'auth-not-table' }];
  }
  for (const key of authRequiredKeys) {
    if (childOf(auth, key) === undefined) problems.push(missing(['auth'], key, `[auth] needs "${key}": st.login() fails without it.`));
  }
  problems.push(...checkValueTypes(auth, ['auth'], '[auth]', authRequiredKeys));
  const redirect = childOf(auth, 'redirect_uri');
  if (redirect?.kind === 'string' && typeof redirect.value === 'string' && redirect.value.trim() !== '' && !/\/oauth2callback\/?$/.test(redirect.value.trim())) {
    problems.push({ path: ['auth', 'redirect_uri'], message: '"redirect_uri" should be your app\'s address followed by /oauth2callback (e.g. http://localhost:8501/oauth2callback): that is the path Streamlit serves for the identity provider\'s answer.', severity: 'warning', code: 'auth-redirect-uri-path' });
  }
  const kwargs = childOf(auth, 'client_kwargs');
  if (kwargs !== undefined && kwargs.kind !== 'table') {
    problems.push({ path: ['auth', 'client_kwargs'], message: '"client_kwargs" in [auth] must be a table.', severity: 'error', code: 'auth-value-type' });
  }

  if (provider === undefined) {
    for (const key of authProviderKeys) {
      if (childOf(auth, key) === undefined) {
        problems.push(missing(['auth'], key, `st.login() without a provider name reads "${key}" from [auth] itself, and it is missing.`));
      }
    }
    problems.push(...checkValueTypes(auth, ['auth'], '[auth]', authProviderKeys));
    return problems;
  }
  problems.push(...checkAuthProvider(auth, provider));
  return problems;
}

function providerUnderscore(provider: string): SectionProblem {
  return {
    path: ['auth', provider],
    message: `Provider names must not contain "_": Streamlit rejects st.login("${provider}"). Rename [auth.${formatKeyPath([provider])}].`,
    severity: 'error',
    code: 'auth-provider-underscore',
  };
}

/** Checks `[auth.<provider>]` for `st.login("<provider>")`. */
export function checkAuthProvider(auth: SecretNode, provider: string): SectionProblem[] {
  const problems: SectionProblem[] = [];
  const base = ['auth', provider];
  const label = `[auth.${formatKeyPath([provider])}]`;
  if (provider.includes('_')) problems.push(providerUnderscore(provider));
  const section = childOf(auth, provider);
  if (section === undefined) {
    problems.push({ path: ['auth'], message: `st.login("${provider}") needs a ${label} section with ${authProviderKeys.join(', ')}.`, severity: 'error', code: 'auth-missing-provider', missingKey: provider });
    return problems;
  }
  if (section.kind !== 'table') {
    problems.push({ path: base, message: `${label} must be a table.`, severity: 'error', code: 'auth-not-table' });
    return problems;
  }
  for (const key of authProviderKeys) {
    if (childOf(section, key) === undefined) problems.push(missing(base, key, `${label} needs "${key}" for st.login("${provider}").`));
  }
  problems.push(...checkValueTypes(section, base, label, authProviderKeys));
  const kwargs = childOf(section, 'client_kwargs');
  if (kwargs !== undefined && kwargs.kind !== 'table') {
    problems.push({ path: [...base, 'client_kwargs'], message: `"client_kwargs" in ${label} must be a table.`, severity: 'error', code: 'auth-value-type' });
  }
  return problems;
}

/**
 * The file-side check of a whole `[auth]` table: the common keys, the default provider when the
 * root names one (or when no named provider exists), and every `[auth.<provider>]`. Without a
 * `st.login()` call in the workspace, problems are information only (`calls`).
 */
export function checkAuthTable(auth: SecretNode, calls: SectionCalls = emptySectionCalls(), streamlitVersion?: StreamlitVersion): SectionProblem[] {
  // Before 1.42 Streamlit has no st.login(): [auth] is the app's own data.
  if (streamlitVersion !== undefined && !supports(streamlitVersion, 'login')) return [];
  const problems = forVersion(authTableProblems(auth), streamlitVersion);
  // Every call names its provider (`st.login("google")`): none reads the provider keys from [auth]
  // itself; a missing [auth.<provider>] is reported at the call.
  if (calls.logins.length > 0 && !calls.loginWithoutProvider) return problems.filter((p) => !isRootProviderKey(p));
  if (calls.logins.length > 0) return problems;
  // No st.login(): an [auth] without any key st.login() reads is the app's own data (a hand-made
  // login's username and password), not a half-written configuration.
  if (!mentionsLoginKeys(auth)) return [];
  return problems.map((p) => unusedSectionProblem(p, 'st.login()'));
}

/** The problems the modelled Streamlit raises: a `_` in a provider name is accepted before 1.43. */
export function forVersion(problems: SectionProblem[], streamlitVersion: StreamlitVersion | undefined): SectionProblem[] {
  if (streamlitVersion === undefined || supports(streamlitVersion, 'loginProviderUnderscoreError')) return problems;
  return problems.filter((p) => p.code !== 'auth-provider-underscore');
}

/** A provider key missing from `[auth]` itself (what only a provider-less `st.login()` reads there). */
export function isRootProviderKey(problem: SectionProblem): boolean {
  return problem.code === 'auth-missing-key' && problem.path.length === 1 && authProviderKeys.includes(problem.missingKey ?? '');
}

function mentionsLoginKeys(auth: SecretNode): boolean {
  const tables = [auth, ...authProviders(auth).map((provider) => childOf(auth, provider))];
  return tables.some((table) => [...authRequiredKeys, ...authProviderKeys].some((key) => childOf(table, key) !== undefined));
}

function authTableProblems(auth: SecretNode): SectionProblem[] {
  if (auth.kind !== 'table') return checkAuthSection(auth);
  const providers = authProviders(auth);
  const rootHasProvider = authProviderKeys.some((key) => childOf(auth, key) !== undefined);
  const problems: SectionProblem[] = [];
  if (rootHasProvider || providers.length === 0) problems.push(...checkAuthSection(auth));
  else problems.push(...checkAuthSection(auth).filter((p) => !(p.code === 'auth-missing-key' && authProviderKeys.includes(p.missingKey ?? ''))));
  const seen = new Set(problems.map((p) => JSON.stringify([p.path, p.code, p.missingKey])));
  for (const provider of providers) {
    for (const p of checkAuthProvider(auth, provider)) {
      const id = JSON.stringify([p.path, p.code, p.missingKey]);
      if (!seen.has(id)) problems.push(p);
      seen.add(id);
    }
  }
  return problems;
}
