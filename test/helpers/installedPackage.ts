// The npm package as a user gets it: `npm pack` of this repository (the bundles `node
// scripts/build.mjs` made; run it first, as for the LSP tests), then `npm install -g` of the
// tarball into a temporary prefix, offline. Tests run the installed commands, not the sources.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export interface InstalledPackage {
  /** The tarball npm pack made. */
  tarball: string;
  /** Absolute paths of the installed `bin` commands. */
  cli: string;
  languageServer: string;
  dispose(): void;
}

const repository = path.resolve(__dirname, '..', '..');

export function installPackage(): InstalledPackage {
  const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'streamlit-secrets-package-')));
  try {
    for (const bundle of ['cli/out/cli.js', 'server/out/server.js']) {
      if (!fs.existsSync(path.join(repository, bundle))) throw new Error(`${bundle} is missing: run \`node scripts/build.mjs\` first`);
    }
    // --ignore-scripts: prepack's production build would rewrite the bundles other tests are using.
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', scratch], { cwd: repository, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const tarball = path.join(scratch, (JSON.parse(packed) as { filename: string }[])[0]!.filename);
    const prefix = path.join(scratch, 'prefix');
    execFileSync('npm', ['install', '-g', '--offline', '--no-audit', '--no-fund', '--prefix', prefix, tarball], { cwd: scratch, stdio: ['ignore', 'pipe', 'pipe'] });
    return {
      tarball,
      cli: path.join(prefix, 'bin', 'streamlit-secrets'),
      languageServer: path.join(prefix, 'bin', 'streamlit-secrets-language-server'),
      dispose: () => fs.rmSync(scratch, { recursive: true, force: true }),
    };
  } catch (error) {
    fs.rmSync(scratch, { recursive: true, force: true });
    throw error;
  }
}
