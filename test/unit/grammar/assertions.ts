// Inline scope assertions for grammar fixtures, in the style of vscode-tmgrammar-test.
//
// A fixture is a TOML file in which some lines are assertions about the nearest preceding source
// line. Assertion lines are removed before the fixture is tokenised, so they may sit anywhere, even
// inside a multi-line string. Forms:
//
//   #    ^^^ scope.a scope.b -scope.c    the columns under the carets
//   # <---- scope.a                      columns 0..n-1, n being the number of dashes
//
// Columns are UTF-16 code units, as in the editor. A plain scope must be in the token's scope stack exactly; `-prefix` means no scope in the stack
// may equal it or start with `prefix.`.
import { tokenAt, type TokenizedLine } from './tokenize';

export interface Assertion {
  /** 1-based line of the assertion in the fixture file, for messages. */
  fixtureLine: number;
  /** 0-based line of the source it applies to, in the text handed to the tokenizer. */
  line: number;
  columns: number[];
  present: string[];
  absent: string[];
}

export interface Fixture {
  source: string;
  assertions: Assertion[];
}

const ASSERTION = /^#(\s*)(<-+|\^+)\s+(\S.*)$/;

export function parseFixture(text: string): Fixture {
  const source: string[] = [];
  const assertions: Assertion[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const m = ASSERTION.exec(raw);
    if (!m || source.length === 0) {
      source.push(raw);
      return;
    }
    const marker = m[2];
    const start = marker.startsWith('<') ? 0 : 1 + m[1].length;
    const width = marker.startsWith('<') ? marker.length - 1 : marker.length;
    const words = m[3].trim().split(/\s+/);
    assertions.push({
      fixtureLine: i + 1,
      line: source.length - 1,
      columns: Array.from({ length: width }, (_, k) => start + k),
      present: words.filter((w) => !w.startsWith('-')),
      absent: words.filter((w) => w.startsWith('-')).map((w) => w.slice(1)),
    });
  });
  return { source: source.join('\n'), assertions };
}

/** Every failed check, as readable messages (empty when all hold). */
export function checkAssertions(lines: TokenizedLine[], assertions: Assertion[]): string[] {
  const failures: string[] = [];
  for (const a of assertions) {
    const line = lines[a.line];
    for (const col of a.columns) {
      const token = line ? tokenAt(line, col) : undefined;
      const where = `fixture line ${a.fixtureLine}, column ${col}`;
      if (!line || !token) {
        failures.push(`${where}: no token there (line ${JSON.stringify(line?.text)})`);
        continue;
      }
      const missing = a.present.filter((s) => !token.scopes.includes(s));
      const unwanted = a.absent.filter((p) => token.scopes.some((s) => s === p || s.startsWith(p + '.')));
      if (missing.length || unwanted.length) {
        failures.push(
          `${where}: token ${JSON.stringify(token.text)} in ${JSON.stringify(line.text)} has [${token.scopes.join(' ')}]` +
            (missing.length ? `; missing ${missing.join(' ')}` : '') +
            (unwanted.length ? `; unwanted ${unwanted.join(' ')}` : ''),
        );
        break; // one message per assertion line is enough
      }
    }
  }
  return failures;
}
