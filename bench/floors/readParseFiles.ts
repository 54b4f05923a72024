// Floor for `streamlit-secrets check`: a process that walks the same folder the same way (the same
// skipped folders), reads every Python and secrets/config file, and parses each — Python with
// lezer, TOML with smol-toml — and nothing else: the least work any check of those files must do.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parser } from '@lezer/python';
import { parse as parseToml } from 'smol-toml';

const skipped = new Set(['node_modules', '.venv', 'venv', '.git', '__pycache__', 'site-packages', '.tox', '.mypy_cache', '.pytest_cache']);
let files = 0;
const pending = [path.resolve(process.argv[2] ?? '.')];
while (pending.length > 0) {
  const dir = pending.pop()!;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!skipped.has(entry.name)) pending.push(full);
    } else if (entry.name.endsWith('.py')) {
      parser.parse(fs.readFileSync(full, 'utf8'));
      files++;
    } else if (entry.name.endsWith('.toml') || entry.name.endsWith('.toml.example')) {
      try {
        parseToml(fs.readFileSync(full, 'utf8'), { integersAsBigInt: true });
      } catch {
        // a file that does not parse was still read and parsed
      }
      files++;
    }
  }
}
process.stdout.write(`${files}\n`);
