import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** A temporary folder tree written from a `relative path → content` map; removed by `dispose`. */
export class TempTree {
  readonly root: string;

  constructor(files: Record<string, string> = {}, prefix = 'streamlit-secrets-test-') {
    this.root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
    this.write(files);
  }

  path(...parts: string[]): string {
    return path.join(this.root, ...parts);
  }

  write(files: Record<string, string>): void {
    for (const [relative, content] of Object.entries(files)) {
      const target = this.path(relative);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, content);
    }
  }

  remove(relative: string): void {
    fs.rmSync(this.path(relative), { recursive: true, force: true });
  }

  dispose(): void {
    fs.rmSync(this.root, { recursive: true, force: true });
  }
}
