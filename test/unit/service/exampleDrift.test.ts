import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { exampleDriftDiagnostics, missingKeyPaths } from '../../../server/src/service/exampleDrift';
import { parseSecretsToml } from '../../../server/src/toml/parseSecretsToml';

const rootOf = (text: string) => parseSecretsToml(text).root;

describe('secrets.toml.example drift', () => {
  test('the outermost missing path only; a table against a value differs at that path', () => {
    const secrets = rootOf('a = 1\n[db]\nuser = "u"\npass = "p"\n[api]\nkey = "k"\n[mixed]\nx = 1\n');
    const example = rootOf('a = 0\nmixed = ""\n[db]\nuser = ""\n');
    assert.deepEqual(missingKeyPaths(secrets, example), [['db', 'pass'], ['api'], ['mixed']]);
    assert.deepEqual(missingKeyPaths(example, secrets), [['mixed']]);
  });

  test('diagnostics sit on the key, name keys and never values', () => {
    const text = 'token = "VALUE-1234567890"\n[db]\npassword = "VALUE-abcdefghij"\n';
    const document = TextDocument.create('file:///p/.streamlit/secrets.toml', 'streamlit-secrets', 0, text);
    const diagnostics = exampleDriftDiagnostics({ document, root: rootOf(text), other: rootOf('token = ""\n'), otherLabel: 'secrets.toml.example', documentIs: 'secrets' });
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]!.code, 'example-missing-key');
    assert.deepEqual(diagnostics[0]!.range.start, { line: 1, character: 1 });
    assert.match(diagnostics[0]!.message, /"db" is not in secrets\.toml\.example/);
    assert.ok(!JSON.stringify(diagnostics).includes('VALUE-'));
  });

  test('the reverse direction is reported on the example', () => {
    const text = 'token = ""\nwebhook = ""\n';
    const document = TextDocument.create('file:///p/secrets.toml.example', 'streamlit-secrets', 0, text);
    const diagnostics = exampleDriftDiagnostics({ document, root: rootOf(text), other: rootOf('token = "t"\n'), otherLabel: '.streamlit/secrets.toml', documentIs: 'example' });
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['example-key-not-in-secrets', 1]]);
  });
});
