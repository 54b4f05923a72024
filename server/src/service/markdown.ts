/**
 * Markdown built from repository text. Key names, file names, section names and parser messages
 * come from files a cloned repository controls; the client trusts `command:` links to our reveal
 * command, so any of them reaching markdown unescaped could plant a link, an image or HTML. Every
 * piece of such text goes through `md.text` or `md.code`; only `md.commandLink` makes links, from
 * our own state.
 */

/** Characters that change how a line is read (line breaks, other controls, bidi overrides): shown as escapes. */
const invisible = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `\n` → `\u000a`: one visible line, whatever the text holds, and no bidi reordering. */
export function visibleText(text: string): string {
  return text.replace(invisible, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Every ASCII punctuation character (CommonMark lets each be backslash-escaped). */
const punctuation = /[!-/:-@[-`{-~]/g;

/** Plain text as inert markdown: no emphasis, link, image, autolink, HTML or entity survives. */
function text(value: string): string {
  return visibleText(value).replace(punctuation, '\\$&');
}

/** The longest run of backticks in `value`. */
function longestBacktickRun(value: string): number {
  let longest = 0;
  for (const run of value.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * Inline code (no escapes apply inside code spans): fenced by more backticks than any run inside,
 * padded when the text starts or ends with a backtick, so the text cannot close the span.
 */
function code(value: string): string {
  const content = visibleText(value);
  const fence = '`'.repeat(longestBacktickRun(content) + 1);
  const pad = content.startsWith('`') || content.endsWith('`') || content === '' ? ' ' : '';
  return `${fence}${pad}${content}${pad}${fence}`;
}

/** A fenced code block; every line is made visible-only and the fence is longer than any backtick run. */
function codeBlock(language: string, lines: readonly string[]): string {
  const content = lines.map(visibleText);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(content.join('\n')) + 1));
  return [`${fence}${language}`, ...content, fence].join('\n');
}

/**
 * A link to one of our commands with a JSON argument. Every character that could end the link
 * destination (`(`, `)`, spaces, …) is percent-encoded, so the argument stays one argument.
 */
function commandLink(label: string, command: string, argument: unknown): string {
  const encoded = encodeURIComponent(JSON.stringify(argument)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${text(label)}](command:${command}?${encoded})`;
}

export const md = { text, code, codeBlock, commandLink };
