// What a user does in the browser VS Code, as Playwright steps: open a file, type, read the
// suggestion list and hovers, run a command from the palette, open a view, take screenshots.
// Every wait polls the page for a state; nothing sleeps for a fixed time.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../vscode/runtime.mjs';

export const screenshotDir = join(repoRoot, 'test-results/screenshots');

export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  // Finishes CSS transitions first (a hover or list fading in would be captured half transparent).
  await page.screenshot({ path, animations: 'disabled' });
  return path;
}

export async function waitForWorkbench(page, timeoutMs = 60_000) {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: timeoutMs });
  // The explorer lists the folder once the remote file system answers.
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/**
 * Opens a quick input (F1, Ctrl+P, …) and types `text` in it. An editor that a command opened a
 * moment before can take the focus just after the widget appeared, which closes the widget again:
 * then it is opened once more, as a user would, up to three times.
 */
export async function quickInput(page, opener, text) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(opener);
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(text, { timeout: 5_000 });
      if ((await input.isVisible()) && (await input.inputValue()) === text) return input;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
    if (attempt >= 3) throw new Error(`the quick input opened by ${opener} did not stay open to take ${JSON.stringify(text)}`);
    await page.waitForTimeout(250);
  }
}

/**
 * Opens `relativePath` as a user would: a click in the explorer when the file is listed there,
 * otherwise Quick Open (Ctrl+P), whose first search can take a while in a fresh workbench.
 * Waits until its editor has focus.
 */
export async function openFile(page, relativePath) {
  const name = relativePath.split('/').pop();
  const folder = relativePath.includes('/') ? relativePath.slice(0, relativePath.lastIndexOf('/')) : '';
  const activeTab = page.locator(`.tabs-container .tab.active[aria-label*="${name}"]`);
  const inExplorer = page.locator('.explorer-folders-view .monaco-list-row', { has: page.locator(`.label-name:text-is("${name}")`) }).first();
  let opened = false;
  if (!folder && (await inExplorer.isVisible())) {
    await inExplorer.click();
    // A click can be swallowed (a widget closing, the layout moving): then quick open does it.
    opened = await activeTab.waitFor({ state: 'visible', timeout: 5_000 }).then(
      () => true,
      () => false,
    );
  }
  if (!opened) {
    await quickInput(page, 'Control+P', relativePath);
    // Several files share a name (secrets.toml): the row must also show the folder.
    const rows = page.locator('.quick-input-list .monaco-list-row', { hasText: name });
    const row = folder ? rows.filter({ hasText: folder }).first() : rows.first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await row.click();
  }
  await activeTab.waitFor({ state: 'visible', timeout: 10_000 });
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.waitFor({ state: 'visible', timeout: 10_000 });
  // A click in the explorer leaves the focus there: put it in the editor text.
  if (!(await page.locator('.editor-instance .monaco-editor.focused').isVisible())) await editor.locator('.view-lines').click();
  await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible', timeout: 10_000 });
}

/** Puts the cursor of the focused editor at a 1-based line and a 0-based column, by keyboard (Ctrl+G, then arrows). */
export async function moveCursorTo(page, line, column) {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(`:${line}:${column + 1}`);
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Puts the cursor on a new last line of the focused editor and types `text` like a user. */
export async function typeOnNewLastLine(page, text) {
  await page.keyboard.press('Control+End');
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(text, { delay: 20 });
}

/** Labels shown in the suggestion widget; triggers it with Ctrl+Space when it does not open by itself. */
export async function readSuggestions(page, { expect, timeoutMs = 40_000 } = {}) {
  const widget = page.locator('.editor-widget.suggest-widget.visible');
  const deadline = Date.now() + timeoutMs;
  let lastTrigger = Date.now();
  for (;;) {
    if (await widget.isVisible()) {
      const labels = await widget.locator('.monaco-list-row .label-name').allInnerTexts();
      const trimmed = labels.map((label) => label.trim()).filter(Boolean);
      if (trimmed.length > 0 && (!expect || expect.every((key) => trimmed.includes(key)))) return trimmed;
    } else if (Date.now() - lastTrigger > 2_000) {
      // Not opened by the trigger character (yet): ask explicitly, as a user would.
      await page.keyboard.press('Control+Space');
      lastTrigger = Date.now();
    }
    if (Date.now() > deadline) throw new Error(`the suggestion list did not show ${expect ? expect.join(', ') : 'any item'}`);
    await page.waitForTimeout(100);
  }
}

/** Hovers the first occurrence of `text` in the editor and returns the visible hover's text. */
export async function hoverOn(page, text, { expect, timeoutMs = 20_000 } = {}) {
  const token = page.locator('.editor-instance .view-lines .view-line span span', { hasText: text }).first();
  await token.waitFor({ state: 'visible', timeout: 10_000 });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.mouse.move(0, 0);
    await token.hover();
    // The first .monaco-hover-content can be a hidden, empty one: select by visible text.
    const hover = page.locator('.monaco-hover-content:visible').filter({ hasText: expect ?? /\S/ }).first();
    try {
      await hover.waitFor({ state: 'visible', timeout: 3_000 });
      return (await hover.innerText()).trim();
    } catch {
      if (Date.now() > deadline) throw new Error(`no hover${expect ? ` matching ${expect}` : ''} over ${text}`);
    }
  }
}

/** Runs a command from the palette (F1) by its title, e.g. "Streamlit Secrets: Show Merged Secrets". */
export async function runCommand(page, title) {
  await quickInput(page, 'F1', `>${title}`);
  // The row of exactly this command: the palette can list a recently used or longer-named command
  // ("… into Next Group" / "… into New Window") first, so Enter on the top row could run another.
  const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exact }) }).first();
  try {
    await row.waitFor({ state: 'visible', timeout: 10_000 });
  } catch {
    const listed = await page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
    throw new Error(`the palette lists no command "${title}"; it lists: ${listed.join(' | ')}`);
  }
  await row.click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/** Lists the palette entries matching `query` (the palette stays open; Escape closes it). */
export async function paletteEntries(page, query) {
  await quickInput(page, 'F1', `>${query}`);
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.first().waitFor({ state: 'visible', timeout: 10_000 });
  return (await rows.allInnerTexts()).map((text) => text.split('\n')[0].trim());
}

/** Opens a view by its name through the view quick access ("view " in the palette), as "View: Open View" does. */
/**
 * The pane of a view in the side bar. A view alone in its view container has no header of its own
 * (the container's title names it; the header stays in the DOM, hidden): find the pane by it anyway.
 */
export function viewPane(page, name) {
  return page.locator('.part.sidebar .pane', { has: page.locator('.pane-header', { hasText: name }) }).first();
}

/** Opens a view by name (View: Open View) and returns its pane once visible. */
export async function openView(page, name) {
  await quickInput(page, 'F1', `view ${name}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
  const pane = viewPane(page, name);
  await pane.waitFor({ state: 'visible', timeout: 10_000 });
  return pane;
}

/** The values of secrets files (`key = "value"` or a bare scalar), to search the screen for. */
export function secretValuesOf(...files) {
  const values = new Set();
  for (const file of files) {
    for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
      const match = /^\s*[A-Za-z0-9_.-]+\s*=\s*(?:"([^"]+)"|([^\s#"]+))/.exec(line);
      if (match) values.add(match[1] ?? match[2]);
    }
  }
  return [...values];
}

/** The workbench's rendered text: what is laid out for the eye (display:none masks excluded). */
export async function visibleText(page) {
  // Without the screen-reader live regions (clipped off screen): `screenReaderText` checks those.
  return page.evaluate(() => {
    const aria = [...document.querySelectorAll('.monaco-aria-container')];
    const previous = aria.map((element) => element.style.display);
    for (const element of aria) element.style.display = 'none';
    try {
      return document.body.innerText;
    } finally {
      aria.forEach((element, index) => (element.style.display = previous[index]));
    }
  });
}

/** Screenshots taken with `readmeShot` in this run: the README's pictures may only be these. */
export const checkedShots = new Set();

/**
 * A screenshot fit for the README: taken only after the workbench's rendered text and the picture
 * itself (OCR) show none of `values` (long ones: a short value such as a port number reads like any
 * other text on screen), with `ocrFinds` read on it so an empty OCR cannot pass.
 */
export async function readmeShot(page, name, { values, ocrFinds }) {
  const long = values.filter((value) => value.length >= 8);
  // An editor a step just opened is masked a moment later (masking.ts): wait for that state, then check.
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const text = await visibleText(page);
    if (!long.some((value) => text.includes(value))) break;
    await page.waitForTimeout(100);
  }
  const checked = await assertNoSecretOnScreen(page, name, { values: long, ocrFinds });
  checkedShots.add(name);
  return checked;
}

/** Earlier steps' notifications do not belong in a picture of the next feature (before setting it up: the palette takes the focus). */
export async function clearNotifications(page) {
  await runCommand(page, 'Notifications: Clear All Notifications');
}

/**
 * What a screen reader is given besides the rendered text, one entry per element: the aria-live
 * regions (VS Code's off-screen `.monaco-alert` / `.monaco-status` announcements), aria-label,
 * aria-description and title attributes (list rows, tabs, tooltips), and text areas. Not the
 * editors' own input areas (`textarea.inputarea`): VS Code puts the text around the cursor there
 * for a screen reader reading the file itself (older versions a whole page), which decorations
 * cannot mask (README: what masking cannot cover).
 */
export async function screenReaderText(page) {
  return page.evaluate(() => {
    const describe = (element) => `${element.tagName.toLowerCase()}.${[...element.classList].join('.')} in ${element.parentElement?.closest('[class]')?.className ?? ''}`;
    const entries = [];
    for (const element of document.querySelectorAll('.monaco-aria-container, [aria-live]')) entries.push({ where: `live region ${describe(element)}`, text: element.textContent ?? '' });
    for (const attribute of ['aria-label', 'aria-description', 'aria-valuetext', 'title']) {
      for (const element of document.querySelectorAll(`[${attribute}]`)) entries.push({ where: `${attribute} of ${describe(element)}`, text: element.getAttribute(attribute) ?? '' });
    }
    for (const element of document.querySelectorAll('textarea:not(.inputarea)')) entries.push({ where: `textarea ${describe(element)}`, text: element.value });
    return entries;
  });
}

/** Text read by OCR (Debian's tesseract-ocr) from a screenshot; sparse-text mode suits a UI. */
export function ocr(path) {
  return execFileSync('tesseract', [path, 'stdout', '--psm', '11'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** OCR and values compared without case and blanks (OCR splits and joins words freely). */
const squeeze = (text) => text.toLowerCase().replace(/\s+/g, '');

/**
 * Asserts that no secret value is on screen: neither in the DOM's rendered text, nor in what a
 * screen reader is given (`screenReaderText`), nor in a screenshot read by OCR. `ocrFinds` are
 * non-secret labels OCR must read on the same screenshot, so that an OCR reading nothing fails the
 * test instead of passing it.
 */
export async function assertNoSecretOnScreen(page, name, { values, ocrFinds }) {
  const text = await visibleText(page);
  for (const value of values) {
    if (!text.includes(value)) continue;
    // Name the innermost element that renders it, for the failure message.
    const where = await page.evaluate((needle) => {
      const holders = [...document.querySelectorAll('body *')].filter((element) => element instanceof HTMLElement && element.innerText?.includes(needle));
      const innermost = holders.filter((element) => !holders.some((other) => other !== element && element.contains(other)));
      return innermost.map((element) => `${element.tagName}.${[...element.classList].join('.')} in ${element.parentElement?.closest('[class]')?.className ?? ''}`).join('; ');
    }, value);
    throw new Error(`${name}: the workbench shows the secret value ${JSON.stringify(value)} (${where})`);
  }
  const announced = await screenReaderText(page);
  const heard = announced.filter((entry) => values.some((value) => entry.text.includes(value)));
  if (heard.length > 0) {
    throw new Error(`${name}: a screen reader is given a secret value: ${heard.map((entry) => `${entry.where}: ${JSON.stringify(entry.text.slice(0, 200))}`).join('; ')}`);
  }
  const path = await screenshot(page, name);
  const read = squeeze(ocr(path));
  for (const label of ocrFinds) if (!read.includes(squeeze(label))) throw new Error(`${name}: OCR did not read "${label}" on ${path} (read: ${read.slice(0, 400)})`);
  // Short values (numbers, "sqlite") would match OCR noise; the DOM check above covers them.
  for (const value of values.filter((v) => v.length >= 8)) if (read.includes(squeeze(value))) throw new Error(`${name}: OCR reads the secret value ${JSON.stringify(value)} on ${path}`);
  return { text, read, path };
}
