// Issue 16.6: repository text (key names, file names, parser messages) never becomes live markdown.
// Every hover and completion detail is rendered with a CommonMark parser (linkify and HTML on: the
// most permissive reading) and its tokens checked: the only link is our own Reveal link, to the
// document and key the hover is about; no image, no HTML, and key names come out as written.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import type { MarkupContent } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { doHover } from '../../../server/src/service/hover';
import { doSecretsFileHover } from '../../../server/src/service/secretsFileHover';
import { doComplete, resolveCompletionItem } from '../../../server/src/service/completion';
import { md } from '../../../server/src/service/markdown';
import { revealCommand } from '../../../server/src/service/reveal';
import { completionContextAt } from '../../../server/src/python/completionContext';
import { createPythonSource } from '../../../server/src/python/pythonSource';
import { mergedOf, python } from './secretsFixture';

const parser = new MarkdownIt({ html: true, linkify: true });

const hostileKeys = [
  'x** [click](https://example.invalid/p) ![i](https://example.invalid/i.png) [r](command:streamlitSecrets.revealValue?%7B%22uri%22%3A%22file%3A%2F%2F%2Fetc%2Fpasswd%22%7D) **',
  'a`b``c` [x](https://example.invalid)',
  // On one line: Streamlit's TOML parser keeps `\n` of a quoted table name (and of a key with a dot) as written.
  '``` [r](command:streamlitSecrets.revealValue?x) ```',
  '<img src="https://example.invalid/i.png"> &amp; <a href="https://example.invalid">a</a>',
  'https://example.invalid/autolink www.example.invalid',
  '\u202eevil\u2066 ) ](x) [y]: https://example.invalid',
];

interface Rendered {
  links: string[];
  images: number;
  html: number;
  code: string[];
}

function render(markdown: string): Rendered {
  const out: Rendered = { links: [], images: 0, html: 0, code: [] };
  const walk = (tokens: ReturnType<typeof parser.parse>): void => {
    for (const token of tokens) {
      if (token.type === 'link_open') out.links.push(token.attrGet('href') ?? '');
      if (token.type === 'image') out.images++;
      if (token.type === 'html_inline' || token.type === 'html_block') out.html++;
      if (token.type === 'code_inline' || token.type === 'fence') out.code.push(token.content);
      if (token.children) walk(token.children);
    }
  };
  walk(parser.parse(markdown, {}));
  return out;
}

/** Only our own reveal links, each to `uri` and a path of `keys`. */
function assertInert(markdown: string, uri: string): Rendered {
  const rendered = render(markdown);
  assert.equal(rendered.images, 0, `no image: ${markdown}`);
  assert.equal(rendered.html, 0, `no HTML: ${markdown}`);
  for (const href of rendered.links) {
    const prefix = `command:${revealCommand}?`;
    assert.ok(href.startsWith(prefix), `only our reveal link: ${href}\n${markdown}`);
    const argument = JSON.parse(decodeURIComponent(href.slice(prefix.length))) as { uri: string; path: string[] };
    assert.equal(argument.uri, uri, 'the link reveals from the hovered document only');
  }
  assert.ok(rendered.links.length <= 1, `at most one link: ${rendered.links.join(' ')}`);
  return rendered;
}

/** The key as Streamlit's TOML parser reads it back: a literal string when it can be one (quotes inside a basic string cut it). */
const toml = (key: string): string => (key.includes("'") || key.includes('\n') ? JSON.stringify(key) : `'${key}'`);

describe('inert markdown (issue 16.6)', () => {
  for (const key of hostileKeys) {
    test(`hovers and completion on ${JSON.stringify(key).slice(0, 40)}…`, () => {
      const project = `${toml(key)} = "P-SECRET-1"\n[tbl]\n${toml(key)} = "P-SECRET-2"\n[connections.${toml(key)}]\nurl = "P-SECRET-3"\n`;
      const merged = mergedOf(`${toml(key)} = "G-SECRET-1"\n`, project);
      // A root key with "=" makes Streamlit's env export fail: then the error message (which names
      // the key) must be inert too, and there is nothing to reveal.
      const loads = merged.loadError === undefined;
      const reads = [`st.secrets[${JSON.stringify(key)}]`, `st.secrets.tbl[${JSON.stringify(key)}]`, 'st.secrets.tbl', `st.connection(${JSON.stringify(key)})`, `os.environ[${JSON.stringify(key)}]`];
      for (const read of reads) {
        const { document, analysis } = python(`import os\nimport streamlit as st\n${read}\n`);
        const offset = document.getText().indexOf(read) + read.length - 3;
        const hover = doHover(document, analysis, offset, merged, { revealCharacters: 0 });
        if (!loads && read.startsWith('os.')) continue;
        assert.ok(hover, `a hover on ${read}`);
        const value = (hover.contents as MarkupContent).value;
        const rendered = assertInert(value, document.uri);
        assert.equal(rendered.links.length, 1, `the reveal link survives: ${value}`);
        if (read !== 'st.secrets.tbl' && loads) {
          const shown = key.replace(/[\n\u202e\u2066]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
          assert.ok(rendered.code.some((code) => code.includes(shown) || code.includes(JSON.stringify(key).slice(1, -1))), `the key reads as written: ${value}`);
        }
      }
      // A key of each file, hovered in the file itself (the global one is replaced).
      for (const [uri, path, text] of [
        ['file:///p/.streamlit/secrets.toml', '/p/.streamlit/secrets.toml', project],
        ['file:///h/.streamlit/secrets.toml', '/h/.streamlit/secrets.toml', `${toml(key)} = "G-SECRET-1"\n`],
      ] as const) {
        const document = TextDocument.create(uri, 'streamlit-secrets', 1, text);
        const hover = doSecretsFileHover(document, 2, merged, path, { revealCharacters: 0 });
        assert.ok(hover);
        assertInert((hover.contents as MarkupContent).value, uri);
      }
      // Completion details of every item.
      const source = 'import streamlit as st\nst.secrets.tbl["';
      const document = TextDocument.create('file:///p/app.py', 'python', 1, source);
      const context = completionContextAt(createPythonSource(source), source.length)!;
      for (const item of doComplete(document, context, merged, { revealCharacters: 0 }).items) {
        const resolved = resolveCompletionItem(item, merged, { revealCharacters: 0 });
        assertInert((resolved.documentation as MarkupContent).value, document.uri);
      }
    });
  }

  test('md.code: a fence longer than any backtick run; md.text: every punctuation escaped', () => {
    assert.equal(md.code('a`b``c'), '```a`b``c```');
    assert.equal(md.code('`x`'), '`` `x` ``');
    assert.deepEqual(render(md.code('`x` [a](https://example.invalid)')).code, ['`x` [a](https://example.invalid)']);
    assert.deepEqual(render(md.text('[a](https://example.invalid) **b** <i>')).links, []);
    assert.equal(parser.renderInline(md.text('[a](b) *c* `d` <e> &amp; https://x.invalid')), '[a](b) *c* `d` &lt;e&gt; &amp;amp; https://x.invalid');
    assert.equal(md.text('two\nlines'), 'two\\\\u000alines');
  });

  test('md.codeBlock: backticks in the content cannot close the block', () => {
    const block = md.codeBlock('toml', ['x = "```"', '````']);
    const tokens = parser.parse(block, {});
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0]!.type, 'fence');
    assert.equal(tokens[0]!.content, 'x = "```"\n````\n');
  });

  test('md.commandLink: brackets and parentheses in the argument stay inside the link', () => {
    const link = md.commandLink('Reveal value', revealCommand, { uri: 'file:///p/a.py', path: ['a)](https://example.invalid/p) [b'] });
    const { links } = render(link);
    assert.equal(links.length, 1);
    assert.deepEqual(JSON.parse(decodeURIComponent(links[0]!.slice(`command:${revealCommand}?`.length))), { uri: 'file:///p/a.py', path: ['a)](https://example.invalid/p) [b'] });
  });
});
