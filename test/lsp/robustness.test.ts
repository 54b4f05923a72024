// Random and mutated documents against the spawned server (fewer runs than the unit properties):
// each is opened, edited incrementally and queried with every advertised provider; the process
// must stay alive, every request must answer within a bound, and every published diagnostic must
// lie inside the document version it was computed for. Fixed seed: failures reproduce.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Range } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../helpers/lspClient';
import type { TempTree } from '../helpers/tempProject';
import { startProject, type LspProject } from '../helpers/lspProject';
import { documentText, pythonSeeds, seed, tomlSeeds } from '../unit/robustness/seeds';
import { assertDiagnosticsInside, diagnosticsFor, probeDocument, timedRequest } from './featureProbe';

const runs = Number(process.env.LSP_ROBUSTNESS_RUNS ?? 12);

/** The LSP position of a UTF-16 offset. */
function positionAt(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

function applyEdit(text: string, start: number, end: number, insert: string): string {
  return text.slice(0, start) + insert + text.slice(end);
}

describe('robustness: random documents against the spawned server', () => {
  let project: TempTree;
  let client: LspTestClient;
  let lsp: LspProject;
  let counter = 0;
  let wellFormedOutput: string | undefined;

  before(async () => {
    lsp = await startProject({
      home: { '.streamlit/secrets.toml': 'token = "g"\n[db]\nuser = "u"\n' },
      project: { '.streamlit/secrets.toml': 'api_key = "p"\n[db]\npassword = "x"\n', 'app.py': 'import streamlit as st\n' },
    });
    ({ client, project } = lsp);
  });

  after(async () => {
    // runSafe turns a handler's exception into a logged fallback: none may have happened while
    // serving well-formed requests (malformed ones, last, may legitimately end there).
    const failures = (wellFormedOutput ?? client.output()).match(/"message":"[^"]* failed: [^"]*"/g) ?? [];
    await lsp.dispose();
    assert.deepEqual(failures, [], 'handlers threw (caught by runSafe)');
  });

  async function exercise(file: string, language: string, text: string, edits: { at: number; remove: number; insert: string }[]): Promise<void> {
    const uri = await client.open(file, text, language);
    let current = text;
    let version = 1;
    for (const edit of edits) {
      // No LSP position lies between \r and \n: such offsets move to before the pair. (Edits that
      // split a surrogate pair are kept: clients send them too.)
      const snap = (offset: number): number => (current[offset - 1] === '\r' && current[offset] === '\n' ? offset - 1 : offset);
      const start = snap(edit.at % (current.length + 1));
      const end = Math.max(start, snap(Math.min(current.length, start + edit.remove)));
      const range: Range = { start: positionAt(current, start), end: positionAt(current, end) };
      const next = applyEdit(current, start, end, edit.insert);
      await client.change(uri, edit.insert, range);
      current = next;
      version++;
    }
    const diagnostics = await diagnosticsFor(client, uri, version, 15_000);
    assertDiagnosticsInside(diagnostics, current, `${file} v${version}`);
    await probeDocument(client, uri, current, { maxPositions: 25, diagnostics });
    // The server's copy of the document must be the text we think it is: a completion at the very
    // end must answer (position validity), and the process must still be alive.
    await timedRequest(client, 'textDocument/hover', { textDocument: { uri }, position: positionAt(current, current.length) });
    await client.close(uri);
    assert.equal(client.process.exitCode, null, 'the server exited');
  }

  const editArb = fc.record({
    at: fc.nat(),
    remove: fc.nat({ max: 20 }),
    insert: fc.oneof(fc.constantFrom('', '"', "'", '[', ']', '\n', '\r\n', '=', '.', 'st.secrets.', '["', '\ufeff', '😀', '\\', '"""'), fc.string({ maxLength: 8 })),
  });

  test('mutated Python files: alive, bounded answers, diagnostics inside the document', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(documentText(pythonSeeds()), fc.array(editArb, { maxLength: 6 }), async (text, edits) => {
        await exercise(project.path(`fuzz${counter++}.py`), 'python', text, edits);
      }),
      { seed, numRuns: runs },
    );
  });

  test('mutated secrets files in the chain: alive, bounded answers, diagnostics inside the document', { timeout: 300_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(documentText(tomlSeeds()), fc.array(editArb, { maxLength: 6 }), async (text, edits) => {
        // The project's own secrets file: its edits re-check every open document.
        await exercise(project.path('.streamlit/secrets.toml'), 'streamlit-secrets', text, edits);
        await exercise(project.path(`sub${counter++}/.streamlit/secrets.toml`), 'streamlit-secrets', text, edits);
      }),
      { seed, numRuns: runs },
    );
  });

  test('a burst of edits without waiting, then requests: every request answers', { timeout: 60_000 }, async () => {
    const uri = await client.open(project.path('burst.py'), 'import streamlit as st\n', 'python');
    let text = 'import streamlit as st\n';
    for (let i = 0; i < 300; i++) {
      const insert = i % 7 === 0 ? '\n' : 'st.secrets.db["'[i % 15]!;
      const at = positionAt(text, text.length);
      void client.change(uri, insert, { start: at, end: at });
      text += insert;
      if (i % 25 === 0) void client.completion(uri, positionAt(text, text.length));
    }
    const diagnostics = await diagnosticsFor(client, uri, 301, 15_000);
    assertDiagnosticsInside(diagnostics, text, 'burst.py');
    await timedRequest(client, 'textDocument/completion', { textDocument: { uri }, position: positionAt(text, text.length) });
    await client.close(uri);
    assert.equal(client.process.exitCode, null);
  });

  test('malformed requests get an answer (or an error), never a dead server', { timeout: 60_000 }, async () => {
    wellFormedOutput = client.output();
    const uri = await client.open(project.path('valid.py'), 'import streamlit as st\nst.secrets.api_key\n', 'python');
    const bad: [string, unknown][] = [
      ['textDocument/completion', { textDocument: { uri: 'file:///not/open.py' }, position: { line: 0, character: 0 } }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: 99, character: 99 } }],
      ['textDocument/hover', { textDocument: { uri }, position: { line: -1, character: -5 } }],
      ['textDocument/definition', { textDocument: { uri }, position: { line: 1, character: 1e9 } }],
      ['textDocument/references', { textDocument: { uri }, position: { line: 1, character: 12 } }],
      ['textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 5, character: 0 }, end: { line: 0, character: 0 } }, context: { diagnostics: [] } }],
      ['textDocument/documentSymbol', { textDocument: { uri: 'untitled:Untitled-1' } }],
      ['streamlitSecrets/mergedSecrets', { uri: 'not a uri' }],
      ['streamlitSecrets/mergedSecrets', {}],
      ['streamlitSecrets/mergedSecrets', null],
      ['streamlitSecrets/mergedSecretsDetail', { uri: 'file:///' }],
      ['streamlitSecrets/mergedSecretsDetail', { uri: 42 }],
      ['streamlitSecrets/revealValue', { uri, path: 'api_key' }],
      ['streamlitSecrets/revealValue', { uri, path: [1, 2] }],
      ['streamlitSecrets/revealValue', null],
    ];
    for (const [method, params] of bad) {
      try {
        await timedRequest(client, method, params);
      } catch (error) {
        // An LSP error answer is fine; a timeout is not.
        assert.ok(!(error instanceof Error && error.message.includes('did not answer')), String(error));
      }
    }
    await client.close(uri);
    await timedRequest(client, 'streamlitSecrets/mergedSecrets', { uri: 'file://' + project.root });
    assert.equal(client.process.exitCode, null);
  });
});
