// Generated benchmark projects: a global and a project secrets file (tables of 10 keys each, with
// nested tables), one large Python app with many `st.secrets` reads in every access style, and a
// workspace of small Python modules that read secrets too. Values are fake and recognisable.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface SizeSpec {
  name: string;
  /** Secrets tables; each holds 10 keys (6 + a nested table of 4). */
  tables: number;
  /** Blocks of 10 lines in app.py; each reads one secret. */
  blocks: number;
  /** Python files in the workspace (app.py included). */
  files: number;
}

export const sizes: Record<string, SizeSpec> = {
  small: { name: 'small', tables: 3, blocks: 30, files: 20 },
  large: { name: 'large', tables: 500, blocks: 2000, files: 2000 },
  beyond: { name: 'beyond', tables: 2000, blocks: 8000, files: 8000 },
};

/** A place in app.py worth asking about: after `st.secrets.` or inside `st.secrets["…"]`. */
export interface AccessSite {
  line: number;
  /** Column right after `st.secrets.` or after `st.secrets["`. */
  keyColumn: number;
  style: 'attribute' | 'subscript';
  key: string;
}

export interface Fixture {
  spec: SizeSpec;
  root: string;
  home: string;
  project: string;
  globalSecretsPath: string;
  projectSecretsPath: string;
  appPath: string;
  appText: string;
  projectSecretsText: string;
  sites: AccessSite[];
  /** In app.py, on `url` of `st.secrets["shared"]["url"]`, which every Python file reads once. */
  referenceSite: { line: number; character: number };
  /** Reads of `shared.url` in the workspace's Python files: a complete index finds them all. */
  sharedReads: number;
  /** Lines of app.py holding `compute(request, N)`, for one-character edits. */
  editLines: { line: number; column: number }[];
  /** Lines of the project secrets file holding a table header `[svc_NNNN]`, for key renames. */
  headerLines: { line: number; endColumn: number; key: string }[];
  secretKeys: number;
  pythonLines: number;
  pythonBytes: number;
  missingReads: number;
}

const pad = (n: number): string => String(n).padStart(4, '0');
const tableName = (t: number): string => `svc_${pad(t)}`;

function secretsTable(t: number): string {
  const name = tableName(t);
  return [
    `[${name}]`,
    `host = "${name}.internal.example"`,
    `port = ${5000 + (t % 1000)}`,
    `user = "user_${pad(t)}"`,
    `password = "bench-canary-${pad(t)}-pw"`,
    `enabled = ${t % 2 === 0}`,
    `timeout = ${(t % 60) + 0.5}`,
    `[${name}.nested]`,
    `region = "eu-west-${t % 3}"`,
    `token = "bench-canary-${pad(t)}-tok"`,
    `retries = ${t % 5}`,
    `tags = ["a", "b", "c"]`,
    '',
  ].join('\n');
}

function appBlock(i: number, tables: number): { lines: string[]; access: { prefix: string; key: string; style: 'attribute' | 'subscript' } } {
  const t = i % tables;
  const missing = i % 50 === 7;
  const key = missing ? `missing_${pad(i)}` : tableName(t);
  const style: 'attribute' | 'subscript' = i % 2 === 0 ? 'subscript' : 'attribute';
  const prefix = '    setting = st.secrets' + (style === 'subscript' ? '["' : '.');
  const rest = style === 'subscript' ? `${key}"]["${i % 4 === 0 ? 'host' : 'port'}"]` : `${key}.${i % 3 === 0 ? 'nested.region' : 'user'}`;
  return {
    access: { prefix, key, style },
    lines: [
      `def handler_${i}(request):`,
      `    """Handle request ${i}."""`,
      `    value = compute(request, ${i})`,
      `    if value > ${i % 97}:`,
      '        value = value * 2',
      prefix + rest,
      `    result = {"id": ${i}, "name": "item_${i}", "setting": setting}`,
      '    for k in range(3):',
      '        result[k] = value + k',
      '    return result',
    ],
  };
}

function moduleText(j: number, tables: number): string {
  const a = tableName(j % tables);
  const b = tableName((j * 7) % tables);
  return [
    '"""A page of the benchmark app."""',
    'import os',
    '',
    'import streamlit as st',
    '',
    '',
    `def load_${j}():`,
    `    conn = st.secrets["${a}"]["host"]`,
    `    token = st.secrets.${b}.nested.token`,
    '    shared = st.secrets["shared"]["url"]',
    '    return conn, token, shared',
    '',
    '',
    `def render_${j}(data):`,
    '    st.title("Page")',
    '    for row in data:',
    '        st.write(row)',
    `    if st.secrets.get("${a}"):`,
    '        st.caption(os.environ.get("HOME", ""))',
    '    return len(data)',
    '',
  ].join('\n');
}

export function createFixture(spec: SizeSpec): Fixture {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `streamlit-secrets-bench-${spec.name}-`));
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  fs.mkdirSync(path.join(home, '.streamlit'), { recursive: true });
  fs.mkdirSync(path.join(project, '.streamlit'), { recursive: true });

  // Global file: the first half of the tables plus a few the project file overrides (shadowing).
  const half = Math.ceil(spec.tables / 2);
  const overlap = Math.min(5, spec.tables - half);
  const globalTables: string[] = ['debug = false', 'log_level = "info"', ''];
  for (let t = 0; t < half; t++) globalTables.push(secretsTable(t));
  for (let t = half; t < half + overlap; t++) globalTables.push(secretsTable(t));
  const projectTables: string[] = ['api_key = "bench-canary-api"', 'debug = true', '', '[shared]', 'url = "bench-canary-shared-url"', ''];
  for (let t = half; t < spec.tables; t++) projectTables.push(secretsTable(t));
  const globalSecretsPath = path.join(home, '.streamlit', 'secrets.toml');
  const projectSecretsPath = path.join(project, '.streamlit', 'secrets.toml');
  const projectSecretsText = projectTables.join('\n');
  fs.writeFileSync(globalSecretsPath, globalTables.join('\n'));
  fs.writeFileSync(projectSecretsPath, projectSecretsText);

  const headerLines: Fixture['headerLines'] = [];
  projectSecretsText.split('\n').forEach((line, index) => {
    const match = /^\[(svc_\d+)\]$/.exec(line);
    if (match) headerLines.push({ line: index, endColumn: line.length - 1, key: match[1]! });
  });

  const appLines = ['import os', 'import streamlit as st', '', 'SHARED_URL = st.secrets["shared"]["url"]', ''];
  const referenceSite = { line: 3, character: 'SHARED_URL = st.secrets["shared"]["'.length + 1 };
  const sites: AccessSite[] = [];
  const editLines: Fixture['editLines'] = [];
  let missingReads = 0;
  for (let i = 0; i < spec.blocks; i++) {
    const start = appLines.length;
    const block = appBlock(i, spec.tables);
    appLines.push(...block.lines);
    if (block.access.key.startsWith('missing_')) missingReads++;
    else sites.push({ line: start + 5, keyColumn: block.access.prefix.length, style: block.access.style, key: block.access.key });
    editLines.push({ line: start + 2, column: '    value = compute(request, '.length });
  }
  const appText = appLines.join('\n') + '\n';
  const appPath = path.join(project, 'app.py');
  fs.writeFileSync(appPath, appText);

  const made = new Set<string>();
  for (let j = 1; j < spec.files; j++) {
    const dir = path.join(project, 'pages', `pkg_${pad(Math.floor(j / 100))}`);
    if (!made.has(dir)) fs.mkdirSync(dir, { recursive: true });
    made.add(dir);
    fs.writeFileSync(path.join(dir, `mod_${pad(j)}.py`), moduleText(j, spec.tables));
  }

  return {
    spec,
    root,
    home,
    project,
    globalSecretsPath,
    projectSecretsPath,
    appPath,
    appText,
    projectSecretsText,
    sites,
    referenceSite,
    sharedReads: spec.files,
    editLines,
    headerLines,
    secretKeys: spec.tables * 10 + 4,
    pythonLines: appLines.length,
    pythonBytes: Buffer.byteLength(appText),
    missingReads,
  };
}

export function removeFixture(fixture: Fixture): void {
  fs.rmSync(fixture.root, { recursive: true, force: true });
}
