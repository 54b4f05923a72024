// UI tests: what a user sees in the browser VS Code (code-server) with the packaged extension.
// Each test gets { page, capabilities, manifest, skip(reason) } and may take screenshots; tests of
// features the language server or the manifest does not offer yet skip themselves.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../vscode/runtime.mjs';
import { assertNoSecretOnScreen, clearNotifications, hoverOn, moveCursorTo, openFile, openView, paletteEntries, quickInput, readSuggestions, readmeShot, runCommand, screenshot, secretValuesOf, typeOnNewLastLine, viewPane, visibleText } from './workbench.mjs';

/** The fixture's secret values (project and global files), which no README picture may show. */
const fixtureValues = (folder, home) => secretValuesOf(join(folder, '.streamlit/secrets.toml'), join(home, '.streamlit/secrets.toml'));

export const tests = [
  {
    name: 'the workbench opens the fixture Streamlit project',
    async run({ page }) {
      const rows = await page.locator('.explorer-folders-view .monaco-list-row').allInnerTexts();
      for (const entry of ['.streamlit', 'pages', 'app.py']) assert.ok(rows.some((row) => row.includes(entry)), `explorer shows ${rows.join(', ')}`);
      await screenshot(page, 'workbench');
    },
  },
  {
    name: "the Extensions page shows the extension's icon and every README picture",
    async run({ page, manifest }) {
      // The packaged README links its pictures to the repository's raw files (vsce rewrites relative
      // links from package.json `repository`): the Extensions page's webview loads only https: and
      // data: images. Offline, those addresses are answered from this checkout, so a link naming a
      // file the repository lacks (or a README still pointing at relative paths) stays broken.
      const repository = /github\.com\/([^/]+\/[^/.]+)/.exec(manifest.repository?.url ?? '')?.[1];
      assert.ok(repository, `package.json repository is not a GitHub URL: ${JSON.stringify(manifest.repository)}`);
      const rawBase = `https://github.com/${repository}/raw/HEAD/`;
      const served = [];
      await page.context().route(`${rawBase}**`, async (route) => {
        const relative = decodeURIComponent(route.request().url().slice(rawBase.length));
        const file = join(repoRoot, relative);
        served.push(relative);
        if (!relative.includes('..') && existsSync(file)) await route.fulfill({ path: file });
        else await route.fulfill({ status: 404, body: 'not in the repository' });
      });
      const readmeImages = [...readFileSync(join(repoRoot, 'README.md'), 'utf8').matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
      assert.ok(readmeImages.length >= 1, 'the README has no picture');
      await runCommand(page, 'View: Show Extensions');
      const item = page.locator('.extensions-viewlet .monaco-list-row', { hasText: manifest.displayName }).first();
      await item.waitFor({ state: 'visible', timeout: 20_000 });
      await item.click();
      // The header icon is the packaged media/icon.png, drawn by the workbench itself.
      const icon = page.locator('.extension-editor .header .icon').first();
      await icon.waitFor({ state: 'visible', timeout: 20_000 });
      await page.waitForFunction((el) => el.complete && el.naturalWidth > 0, await icon.elementHandle(), { timeout: 20_000 });
      const iconSource = await icon.getAttribute('src');
      assert.ok(iconSource && !/default|fallback/i.test(iconSource), `the page shows the default icon: ${iconSource}`);
      // The README is rendered in a webview (nested frames): every picture has loaded with its real width.
      let sizes = [];
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        sizes = [];
        for (const frame of page.frames()) {
          const found = await frame.evaluate(() => [...document.querySelectorAll('img')].map((img) => ({ src: img.getAttribute('src') ?? '', width: img.complete ? img.naturalWidth : 0 }))).catch(() => []);
          sizes.push(...found.filter((image) => image.src.includes('media/')));
        }
        if (sizes.length >= readmeImages.length && sizes.every((image) => image.width > 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      await screenshot(page, 'extension-page');
      assert.equal(sizes.length, readmeImages.length, `README pictures on the page: ${JSON.stringify(sizes)} (served: ${served.join(', ')})`);
      for (const image of sizes) {
        assert.ok(image.src.startsWith(rawBase), `${image.src}: not an address the Marketplace, Open VSX and VS Code can load`);
        assert.ok(image.width >= 200, `${image.src} did not load (natural width ${image.width})`);
      }
      await page.keyboard.press('Control+W');
    },
  },
  {
    name: 'typing st.secrets. in an app file suggests the secrets keys',
    async run({ page, capabilities, folder, home, skip }) {
      if (!capabilities.completionProvider) return skip('the language server offers no completion yet');
      // The README picture: the project's files beside the editor, not the previous test's side bar.
      await runCommand(page, 'View: Show Explorer');
      await clearNotifications(page);
      await openFile(page, 'app.py');
      await typeOnNewLastLine(page, 'st.secrets.');
      const labels = await readSuggestions(page, { expect: ['db', 'api'] });
      assert.ok(labels.includes('global_token'), `global secrets missing from the list: ${labels.join(', ')}`);
      await readmeShot(page, 'completion', { values: fixtureValues(folder, home), ocrFinds: ['global_token'] });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'hovering a secrets access shows the value masked',
    async run({ page, capabilities, folder, home, skip }) {
      if (!capabilities.hoverProvider) return skip('the language server offers no hover yet');
      await openFile(page, 'app.py');
      const text = await hoverOn(page, '"password"', { expect: /•/ });
      assert.ok(!text.includes('fixture-password-123'), `the hover reveals the value: ${text}`);
      await readmeShot(page, 'hover', { values: fixtureValues(folder, home), ocrFinds: ['password'] });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: "the extension's commands are in the command palette",
    async run({ page, manifest, skip }) {
      // Commands with a commandPalette `when` clause are hidden (always, or until their context holds).
      const hidden = new Set((manifest.contributes?.menus?.commandPalette ?? []).filter((entry) => entry.when).map((entry) => entry.command));
      const commands = (manifest.contributes?.commands ?? []).filter((command) => !hidden.has(command.command));
      if (commands.length === 0) return skip('package.json contributes no commands yet');
      const category = commands[0].category ?? 'Streamlit';
      const entries = await paletteEntries(page, category);
      await screenshot(page, 'command-palette');
      await page.keyboard.press('Escape');
      for (const command of commands.filter((c) => !c.enablement)) {
        const title = command.category ? `${command.category}: ${command.title}` : command.title;
        assert.ok(entries.some((entry) => entry.includes(command.title)), `"${title}" not in the palette: ${entries.join(' | ')}`);
      }
    },
  },
  {
    name: 'Show Merged Secrets from the palette opens the merged secrets view',
    async run({ page, manifest, folder, home, skip }) {
      const command = (manifest.contributes?.commands ?? []).find((c) => c.command === 'streamlitSecrets.showMergedSecrets');
      const view = Object.values(manifest.contributes?.views ?? {}).flat().find((v) => v.id === 'streamlitSecrets.mergedView');
      if (!command || !view) return skip('no Show Merged Secrets command or merged view yet');
      await runCommand(page, `${command.category}: ${command.title}`);
      // The view lives in its own view container (Activity Bar): the side bar shows it alone.
      const pane = viewPane(page, view.name);
      await pane.waitFor({ state: 'visible', timeout: 10_000 });
      // The view's tree lists the merged top-level keys of the fixture; open `db`.
      const body = pane.locator('.monaco-list-row', { hasText: 'db' }).first();
      await body.waitFor({ state: 'visible', timeout: 20_000 });
      await body.click();
      await page.keyboard.press('ArrowRight');
      const rows = pane.locator('.monaco-list-row');
      await rows.filter({ hasText: 'password' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const shown = (await rows.allInnerTexts()).join('\n');
      assert.ok(!shown.includes('fixture-password-123'), `the view shows a value: ${shown}`);
      await readmeShot(page, 'merged-view', { values: fixtureValues(folder, home), ocrFinds: ['password'] });
    },
  },
  {
    name: 'the Activity Bar shows the Secrets icon; a click shows the keys, or the welcome text and buttons in an empty window',
    async run({ page, manifest, folder, home, skip }) {
      const container = (manifest.contributes?.viewsContainers?.activitybar ?? []).find((c) => c.id === 'streamlitSecrets');
      const view = (manifest.contributes?.views?.streamlitSecrets ?? []).find((v) => v.id === 'streamlitSecrets.mergedView');
      if (!container || !view) return skip('no Activity Bar container for the Secrets view yet');
      const iconOf = (target) => target.locator(`.part.activitybar .action-label[aria-label*="${container.title}"]`).first();
      // The icon is ours: the workbench draws the packaged SVG as a mask in the theme's colour.
      const assertOurIcon = async (icon) => {
        await icon.waitFor({ state: 'visible', timeout: 20_000 });
        // Whichever way this VS Code draws it (a CSS rule with a mask, a custom property, an
        // inline style): the styles that apply to the item and its children name the file.
        const mask = await icon.evaluate((item) => {
          const parts = [];
          for (const el of [item, ...item.querySelectorAll('*')]) {
            const style = getComputedStyle(el);
            parts.push(style.maskImage, style.webkitMaskImage, style.backgroundImage, el.getAttribute('style') ?? '');
            for (const sheet of document.styleSheets) {
              let rules = [];
              try {
                rules = [...sheet.cssRules];
              } catch {
                continue;
              }
              for (const rule of rules) {
                try {
                  // A rule for the item's ::before counts too (icons are often drawn there).
                  if (rule.selectorText && el.matches(rule.selectorText.replace(/::?before\b/g, ''))) parts.push(rule.cssText);
                } catch {
                  // A selector this element cannot be matched against (other pseudo-elements).
                }
              }
            }
          }
          return parts.join(' ');
        });
        assert.ok(mask.includes(container.icon.split('/').pop()), `the Activity Bar item is not drawn with ${container.icon}: ${mask}`);
      };

      // The fixture project: leave for the Explorer, then a click on our icon shows the view with its keys.
      await runCommand(page, 'View: Show Explorer');
      const icon = iconOf(page);
      await assertOurIcon(icon);
      await icon.click();
      const pane = viewPane(page, view.name);
      await pane.locator('.monaco-list-row', { hasText: 'db' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('.part.sidebar .composite.title', { hasText: container.title }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await readmeShot(page, 'activity-bar', { values: fixtureValues(folder, home), ocrFinds: [container.title] });

      // An empty window (no folder): the same click shows the welcome text and its buttons.
      const browser = page.context().browser();
      const empty = await browser.newPage({ viewport: page.viewportSize(), deviceScaleFactor: await page.evaluate(() => window.devicePixelRatio) });
      try {
        await empty.goto(`${new URL(page.url()).origin}/?ew=true`);
        await empty.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
        const emptyIcon = iconOf(empty);
        await assertOurIcon(emptyIcon);
        await emptyIcon.click();
        const welcome = empty.locator('.part.sidebar .welcome-view-content').first();
        await welcome.waitFor({ state: 'visible', timeout: 30_000 });
        assert.match(await welcome.innerText(), /Streamlit reads its secrets/);
        for (const button of ['Open Folder', 'Create Project Secrets File']) {
          await welcome.locator('.monaco-button', { hasText: button }).first().waitFor({ state: 'visible', timeout: 10_000 });
        }
        // Away from the icon: its tooltip does not belong in the picture. (OCR reads the message; the
        // buttons' white-on-blue text it reads poorly, and their presence is checked above.)
        await empty.mouse.move(900, 600);
        await readmeShot(empty, 'secrets-view-welcome', { values: fixtureValues(folder, home), ocrFinds: ['Streamlit reads its secrets'] });
      } finally {
        await empty.close();
      }
    },
  },
  {
    name: 'a secrets file opened in the editor shows its values masked',
    async run({ page, manifest, folder, home, skip }) {
      if (!(manifest.contributes?.commands ?? []).some((c) => c.command === 'streamlitSecrets.toggleMasking')) return skip('no masking yet');
      await openFile(page, '.streamlit/secrets.toml');
      const lines = page.locator('.editor-instance .view-lines');
      // The masks are decorations drawn as CSS content over hidden text, so the rendered text
      // (innerText) holds the keys and no value once masking has applied: poll for that state.
      const deadline = Date.now() + 20_000;
      let rendered = '';
      for (;;) {
        rendered = await lines.innerText();
        const keysShown = rendered.includes('password') && rendered.includes('[db]');
        if (keysShown && !['fixture-password-123', 'fixture-api-key-456', 'db.fixture.invalid'].some((value) => rendered.includes(value))) break;
        if (Date.now() > deadline) throw new Error(`values still rendered: ${rendered}`);
        await page.waitForTimeout(100);
      }
      await page.locator('.statusbar-item', { hasText: /masked/i }).first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.ok(rendered.includes('password') && rendered.includes('[db]'), 'keys and headers stay visible');
      await readmeShot(page, 'masking', { values: fixtureValues(folder, home), ocrFinds: ['password'] });
    },
  },
  {
    name: "a read of a missing key is flagged with Streamlit's KeyError before the app runs",
    async run({ page, capabilities, folder, home, skip }) {
      if (!capabilities.hoverProvider) return skip('the language server offers no hover yet');
      const tab = page.locator('.tabs-container .tab', { hasText: 'app.py' }).first();
      if (await tab.isVisible()) {
        await tab.click();
        await page.locator('.editor-instance .monaco-editor.focused').waitFor({ state: 'visible', timeout: 10_000 });
      } else {
        await openFile(page, 'app.py');
      }
      await typeOnNewLastLine(page, 'token = st.secrets["payment_token"]');
      await page.keyboard.press('Escape');
      await page.locator('.editor-instance .squiggly-error').first().waitFor({ state: 'visible', timeout: 20_000 });
      const text = await hoverOn(page, 'payment_token', { expect: /has no key/ });
      assert.match(text, /st\.secrets has no key "payment_token"/);
      await readmeShot(page, 'diagnostics', { values: fixtureValues(folder, home), ocrFinds: ['payment_token'] });
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'no secret value on screen: Peek Definition, Ctrl+hover, Go to Symbol, Find All References, Outline, breadcrumbs, hovers, completion, Problems, the Secrets view, the report',
    async run({ page, capabilities, folder, home, skip }) {
      if (!capabilities.definitionProvider || !capabilities.referencesProvider) return skip('no definition or references yet');
      const values = secretValuesOf(join(folder, '.streamlit/secrets.toml'), join(home, '.streamlit/secrets.toml'));
      assert.ok(values.includes('fixture-password-123') && values.includes('shadowed-by-project.invalid'), `fixture values: ${values.join(', ')}`);
      const check = (name, ocrFinds) => assertNoSecretOnScreen(page, name, { values, ocrFinds });

      // The hover on a read (also: the language server is up).
      await openFile(page, 'app.py');
      await hoverOn(page, '"password"', { expect: /•/, timeoutMs: 60_000 });
      await check('no-value-hover', ['password']);
      await page.keyboard.press('Escape');

      // Peek Definition on st.secrets.db.host (defined in both files: the project's wins).
      const appLines = readFileSync(join(folder, 'app.py'), 'utf8').split('\n');
      const hostLine = appLines.findIndex((line) => line.includes('db.host'));
      await moveCursorTo(page, hostLine + 1, appLines[hostLine].indexOf('db.host') + 'db.ho'.length);
      await runCommand(page, 'Peek Definition');
      const rows = page.locator('.peekview-widget .ref-tree .monaco-list-row');
      await rows.first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('.peekview-widget .ref-tree .monaco-list-row', { hasText: 'host' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      const listed = await rows.allInnerTexts();
      assert.equal(listed.length, 1, `one definition listed: ${listed.join(' | ')}`);
      assert.match(listed[0].replace(/\u00a0/g, ' '), /host = •+/, 'the list row shows the key and a mask');
      await check('no-value-peek-definition', ['secrets.toml']);
      await page.keyboard.press('Escape');

      // Ctrl+hover: VS Code's definition preview draws the target's lines in a hover.
      await page.mouse.move(0, 0);
      await page.keyboard.down('Control');
      try {
        const cursor = await page.locator('.editor-instance .monaco-editor.focused .cursor').first().boundingBox();
        await page.mouse.move(cursor.x - 4, cursor.y + cursor.height / 2);
        await page.locator('.monaco-hover-content:visible', { hasText: 'host' }).first().waitFor({ state: 'visible', timeout: 10_000 });
        await check('no-value-ctrl-hover', ['host']);
      } finally {
        await page.keyboard.up('Control');
      }
      await page.mouse.move(0, 0);

      // The completion details.
      await typeOnNewLastLine(page, 'st.secrets.db.');
      await readSuggestions(page, { expect: ['password'] });
      await page.keyboard.press('Control+Space'); // the details beside the list
      await check('no-value-completion', ['password']);
      await page.keyboard.press('Escape');
      await page.keyboard.press('Control+Shift+K');

      // The secrets file: Go to Symbol (its list; choosing "password" puts the cursor on the nearest
      // line without a value, [db], and VS Code announces that line to screen readers), then Find All
      // References from there (moved by Go to Symbol, not by a click: a click would show the line's value).
      await openFile(page, '.streamlit/secrets.toml');
      await page.keyboard.press('Control+Shift+O');
      await page.locator('.quick-input-widget .quick-input-box input').fill('@password');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'password' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      await check('no-value-go-to-symbol', ['password']);
      await page.keyboard.press('Enter');
      await runCommand(page, 'References: Find All References');
      const references = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /references/i }) }).locator('.monaco-list-row', { hasText: 'app.py' });
      await references.first().waitFor({ state: 'visible', timeout: 20_000 });
      await check('no-value-references', ['app.py']);

      // The Outline and the breadcrumbs of the secrets file.
      await openFile(page, '.streamlit/secrets.toml');
      await runCommand(page, 'Explorer: Focus on Outline View');
      await page.locator('.pane', { has: page.locator('.pane-header', { hasText: /outline/i }) }).locator('.monaco-list-row', { hasText: 'password' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('.breadcrumbs-control').first().waitFor({ state: 'visible', timeout: 10_000 });
      await check('no-value-outline-breadcrumbs', ['outline']);

      // The Problems panel (the missing key typed by an earlier test, or none).
      await runCommand(page, 'View: Toggle Problems');
      await page.locator('.markers-panel').first().waitFor({ state: 'visible', timeout: 10_000 });
      await check('no-value-problems', ['problems']);
      await runCommand(page, 'View: Toggle Problems');

      // The Secrets view, opened on db, and the report.
      await runCommand(page, 'Streamlit Secrets: Show Merged Secrets');
      const view = viewPane(page, 'Streamlit Secrets');
      await view.locator('.monaco-list-row', { hasText: 'db' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      if ((await view.locator('.monaco-list-row', { hasText: 'password' }).count()) === 0) {
        await view.locator('.monaco-list-row', { hasText: /^db/ }).first().click();
        await page.keyboard.press('ArrowRight');
      }
      await view.locator('.monaco-list-row', { hasText: 'password' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await check('no-value-secrets-view', ['password']);
      await runCommand(page, 'Streamlit Secrets: Show Merged Secrets Report (Masked)');
      await page.locator('.tabs-container .tab.active', { hasText: /report/i }).waitFor({ state: 'visible', timeout: 20_000 });
      await page.locator('.editor-instance .view-lines', { hasText: 'password' }).first().waitFor({ state: 'visible', timeout: 20_000 });
      await check('no-value-report', ['password']);
    },
  },
  {
    name: '"Add key" opens the secrets file with the new empty value selected, shown as ""; a .example file is not masked',
    async run({ page, capabilities, folder, skip }) {
      if (!capabilities.codeActionProvider) return skip('no quick fixes yet');
      await openFile(page, 'app.py');
      await typeOnNewLastLine(page, 'smtp = st.secrets["smtp_password"]');
      await page.keyboard.press('Escape');
      await page.locator('.editor-instance .squiggly-error').first().waitFor({ state: 'visible', timeout: 20_000 });
      await page.keyboard.press('Home');
      await page.keyboard.press('End');
      await page.keyboard.press('ArrowLeft');
      await page.keyboard.press('ArrowLeft');
      // The squiggle seen above may be an earlier line's: until the server has checked the typed line,
      // Quick Fix offers what an older diagnostic said. Ask again until it offers the new key.
      const addRow = page.locator('.action-widget .monaco-list-row', { hasText: 'Add "smtp_password"' }).first();
      for (let attempt = 0; ; attempt++) {
        await page.keyboard.press('Control+.');
        if (await addRow.waitFor({ state: 'visible', timeout: 3_000 }).then(() => true, () => false)) break;
        if (attempt >= 7) throw new Error('Quick Fix never offered to add "smtp_password"');
        await page.keyboard.press('Escape');
      }
      // The keyboard, as a user of Ctrl+. would (the widget's pointer block swallows synthetic clicks).
      for (let step = 0; !(await page.locator('.action-widget .monaco-list-row.focused', { hasText: 'Add "smtp_password"' }).isVisible()); step++) {
        if (step > 10) throw new Error('the "Add" quick fix cannot be focused');
        await page.keyboard.press('ArrowDown');
      }
      await page.keyboard.press('Enter');
      await page.locator('.tabs-container .tab.active[aria-label*="secrets.toml"]').waitFor({ state: 'visible', timeout: 20_000 });
      const lines = page.locator('.editor-instance .view-lines').first();
      await lines.locator('.view-line', { hasText: 'smtp_password' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      // The masks land a frame after the text (README: what masking cannot cover): poll for them.
      let rendered = '';
      for (const deadline = Date.now() + 10_000; ; await page.waitForTimeout(100)) {
        rendered = (await lines.innerText()).replace(/\u00a0/g, ' ');
        if (!rendered.includes('fixture-password-123')) break;
        if (Date.now() > deadline) throw new Error(`the other values are not masked: ${rendered}`);
      }
      assert.match(rendered, /smtp_password = ""/, `the empty value is shown as "": ${rendered}`);
      // The new value is selected.
      await page.locator('.editor-instance .selected-text').first().waitFor({ state: 'visible', timeout: 10_000 });
      // The edit is saved like any refactoring of a file that was not open.
      for (const deadline = Date.now() + 10_000; !readFileSync(join(folder, '.streamlit/secrets.toml'), 'utf8').includes('smtp_password = ""'); ) {
        if (Date.now() > deadline) throw new Error('the new key is not in the file on disk');
        await page.waitForTimeout(100);
      }
      await screenshot(page, 'add-key-opens-file');

      writeFileSync(join(folder, '.streamlit/secrets.toml.example'), 'api_token = "your-token-here"\n');
      await openFile(page, '.streamlit/secrets.toml.example');
      await page.locator('.editor-instance .view-lines', { hasText: 'your-token-here' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      await screenshot(page, 'example-not-masked');
    },
  },
  {
    name: 'masking tells the truth: the status bar counts shown lines, leaving the editor masks every line, a click masks them',
    async run({ page, manifest, skip }) {
      if (!(manifest.contributes?.commands ?? []).some((c) => c.command === 'streamlitSecrets.toggleMasking')) return skip('no masking yet');
      // app.py on the left, the secrets file on the right (moved into a new group).
      await openFile(page, 'app.py');
      await openFile(page, '.streamlit/secrets.toml');
      await runCommand(page, 'View: Move Editor into Next Group');
      try {
        await maskingTellsTheTruth(page);
      } finally {
        await runCommand(page, 'View: Join All Editor Groups');
      }
    },
  },
  {
    name: 'masking tells the truth when focus moves to the Explorer: the shown line masks again after the configured seconds',
    async run({ page, manifest, folder, home, skip }) {
      const settingsOf = [manifest.contributes?.configuration ?? []].flat().flatMap((category) => Object.keys(category.properties ?? {}));
      if (!settingsOf.includes('streamlitSecrets.maskShownLinesAfter')) return skip('no timeout for shown lines yet');
      const values = secretValuesOf(join(folder, '.streamlit/secrets.toml'), join(home, '.streamlit/secrets.toml'));
      // The shortest timeout, from the workspace's settings (this workspace is trusted).
      const settingsFile = join(folder, '.vscode/settings.json');
      const before = existsSync(settingsFile) ? readFileSync(settingsFile, 'utf8') : undefined;
      mkdirSync(join(folder, '.vscode'), { recursive: true });
      writeFileSync(settingsFile, JSON.stringify({ ...(before ? JSON.parse(before) : {}), 'streamlitSecrets.maskShownLinesAfter': 5 }, null, 2));
      try {
        await page.waitForTimeout(1_000); // the settings file is read on change
        await openFile(page, '.streamlit/secrets.toml');
        const secretsLines = page.locator('.editor-instance .view-lines').first();
        await secretsLines.locator('.view-line', { hasText: /^password/ }).first().click(AT_LINE_START);
        await page.locator('.statusbar-item', { hasText: /1 line shown/ }).first().waitFor({ state: 'visible', timeout: 10_000 });
        assert.ok((await secretsLines.innerText()).includes('fixture-password-123'), 'the line worked on shows its value');

        // Focus into the Explorer's tree, opening no editor, so VS Code tells the extension nothing. (A
        // click on a row is not stable here: the tree re-reveals the active file while it lays out,
        // and a click that lands on a file row opens that file instead.)
        await runCommand(page, 'File: Focus on Files Explorer');
        await page.waitForFunction(() => document.activeElement?.closest('.explorer-folders-view') != null, undefined, { timeout: 10_000 });
        const clickedAt = Date.now();
        assert.ok(await page.evaluate(() => document.activeElement?.closest('.explorer-folders-view') != null), 'the Explorer has the focus');
        // Until the timeout the status bar says the truth: the line is still shown.
        if ((await secretsLines.innerText()).includes('fixture-password-123')) {
          assert.ok(await page.locator('.statusbar-item', { hasText: /1 line shown/ }).first().isVisible(), 'a value on screen while the status bar says none');
        }
        await page.locator('.statusbar-item', { hasText: /Secrets masked/ }).first().waitFor({ state: 'visible', timeout: 15_000 });
        assert.ok(Date.now() - clickedAt < 15_000);
        for (const deadline = Date.now() + 5_000; (await secretsLines.innerText()).includes('fixture-password-123'); await page.waitForTimeout(100)) {
          if (Date.now() > deadline) throw new Error('the status bar says "Secrets masked" while the editor shows a value');
        }
        await assertNoSecretOnScreen(page, 'masking-focus-in-explorer', { values, ocrFinds: ['password'] });
      } finally {
        if (before === undefined) rmSync(settingsFile, { force: true });
        else writeFileSync(settingsFile, before);
      }
    },
  },
  {
    name: "the extension's views open",
    async run({ page, manifest, skip }) {
      const views = Object.values(manifest.contributes?.views ?? {}).flat();
      if (views.length === 0) return skip('package.json contributes no views yet');
      for (const view of views) {
        const pane = await openView(page, view.name);
        assert.ok(await pane.isVisible(), `view "${view.name}" did not open`);
      }
      await screenshot(page, 'views');
    },
  },
  {
    name: 'Copy Secrets for Community Cloud from the palette: a masked preview of keys, types and files, then the clipboard and a notification',
    async run({ page, manifest, folder, home, skip }) {
      const command = (manifest.contributes?.commands ?? []).find((c) => c.command === 'streamlitSecrets.copyForCommunityCloud');
      if (!command) return skip('no Copy Secrets for Community Cloud command yet');
      const title = `${command.category}: ${command.title}`;
      assert.equal(title, 'Streamlit Secrets: Copy Secrets for Community Cloud');
      const values = secretValuesOf(join(folder, '.streamlit/secrets.toml'), join(home, '.streamlit/secrets.toml'));
      assert.ok(values.includes('fixture-password-123') && values.includes('fixture-global-token-789'), `fixture values: ${values.join(', ')}`);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
      await page.evaluate(() => navigator.clipboard.writeText('before the copy'));

      // From the palette by its title; another app in the workspace would be asked for first.
      // (Asked again while the workbench is still registering the extension's contributions.)
      for (let attempt = 1; ; attempt++) {
        await quickInput(page, 'F1', `>${title}`);
        const found = await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ state: 'visible', timeout: 5_000 }).then(() => true, () => false);
        if (found) break;
        await page.keyboard.press('Escape');
        if (attempt === 8) throw new Error(`"${title}" is not in the palette`);
      }
      await page.keyboard.press('Enter');
      const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      const confirm = rows.filter({ hasText: 'Copy to clipboard' }).first();
      const appPick = rows.filter({ hasText: 'app.py' }).first();
      await Promise.race([confirm.waitFor({ state: 'visible', timeout: 30_000 }), appPick.waitFor({ state: 'visible', timeout: 30_000 })]);
      if (!(await confirm.isVisible())) {
        await appPick.click();
        await confirm.waitFor({ state: 'visible', timeout: 30_000 });
      }
      const widget = page.locator('.quick-input-widget');
      await widget.locator('.quick-input-title', { hasText: 'app.py' }).waitFor({ state: 'visible', timeout: 10_000 });
      // The preview: keys, types, files and the local-only warning, no value.
      const shown = (await widget.innerText()).replace(/\u00a0/g, ' ');
      for (const expected of ['global_token', 'local only', 'global file ~/.streamlit/secrets.toml', 'project file .streamlit/secrets.toml', 'table (']) {
        assert.ok(shown.includes(expected), `the preview shows ${expected}: ${shown}`);
      }
      await assertNoSecretOnScreen(page, 'community-cloud-preview', { values, ocrFinds: ['clipboard', 'global_token'] });
      // A nested key by its dotted name, found by typing as a user would.
      const input = widget.locator('.quick-input-box input');
      await input.fill('db.password');
      await rows.filter({ hasText: 'db.password' }).first().waitFor({ state: 'visible', timeout: 10_000 });
      assert.match((await rows.filter({ hasText: 'db.password' }).first().innerText()).replace(/\s+/g, ' '), /db\.password\s*string\s*from project file/);
      await assertNoSecretOnScreen(page, 'community-cloud-preview-filtered', { values, ocrFinds: ['db.password'] });

      // Confirm: the clipboard holds the TOML (values: the one explicit export), the notification only a count and where to paste.
      await input.fill('');
      await confirm.waitFor({ state: 'visible', timeout: 10_000 });
      await confirm.click();
      const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Community Cloud' }).first();
      await toast.waitFor({ state: 'visible', timeout: 20_000 });
      const message = (await toast.innerText()).replace(/\s+/g, ' ');
      assert.match(message, /Copied \d+ keys of app\.py for Community Cloud: paste them in the app's Settings → Secrets\./);
      // Folded by the toast below it: a user expands it to read where to paste.
      await toast.hover();
      const expand = toast.locator('.codicon-notifications-expand');
      if (await expand.isVisible()) await expand.click();
      await assertNoSecretOnScreen(page, 'community-cloud-copied', { values, ocrFinds: ['Community Cloud', 'Settings'] });
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      assert.ok(copied.includes('[db]') && copied.includes('password = "fixture-password-123"') && copied.includes('global_token = "fixture-global-token-789"'), 'the clipboard holds the merged TOML');
      assert.ok(!copied.includes('shadowed-by-project.invalid'), "the project's [db] replaces the global one (shallow merge)");
      await page.evaluate(() => navigator.clipboard.writeText(''));
      await page.keyboard.press('Escape');
    },
  },
  {
    name: 'Create Project Secrets File from the palette: never overwrites, makes git ignore it, creates a private file',
    async run({ page, manifest, folder, home, skip }) {
      const command = (manifest.contributes?.commands ?? []).find((c) => c.command === 'streamlitSecrets.createProjectSecretsFile');
      if (!command) return skip('no Create Project Secrets File command yet');
      const title = `${command.category}: ${command.title}`;
      assert.equal(title, 'Streamlit Secrets: Create Project Secrets File');
      const secrets = join(folder, '.streamlit/secrets.toml');
      const gitignore = join(folder, '.gitignore');
      const original = readFileSync(secrets);
      const waitFor = async (what, check) => {
        const deadline = Date.now() + 20_000;
        while (!check()) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await page.waitForTimeout(100);
        }
      };

      // 1. The file exists: it is opened, not touched, and the ignore rule is added.
      await runCommand(page, title);
      await waitFor('a .gitignore rule', () => existsSync(gitignore) && readFileSync(gitignore, 'utf8').includes('.streamlit/secrets.toml'));
      await page.locator('.tabs-container .tab.active[aria-label*="secrets.toml"]').waitFor({ state: 'visible', timeout: 10_000 });
      assert.deepEqual(readFileSync(secrets), original, 'the existing secrets file was changed');

      // 2. No file: it is created private (0600) with a commented header only; the rule is not duplicated.
      await runCommand(page, 'View: Close All Editors');
      rmSync(secrets);
      await runCommand(page, title);
      await waitFor('the new secrets file', () => existsSync(secrets));
      await page.locator('.tabs-container .tab.active[aria-label*="secrets.toml"]').waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(statSync(secrets).mode & 0o777, 0o600);
      const created = readFileSync(secrets, 'utf8');
      assert.ok(created.split(/\r?\n/).every((line) => line.trim() === '' || line.trimStart().startsWith('#')), `only comments: ${created}`);
      const rules = readFileSync(gitignore, 'utf8').split(/\r?\n/).filter((line) => line.trim() === '.streamlit/secrets.toml' || line.trim() === '/.streamlit/secrets.toml');
      assert.equal(rules.length, 1, 'one ignore rule, not duplicated');
      await readmeShot(page, 'create-secrets-file', { values: fixtureValues(folder, home), ocrFinds: ['secrets.toml'] });
    },
  },
  {
    name: 'Format Document tidies a secrets file and keeps its comments, key order and values (checked on disk)',
    async run({ page, capabilities, folder, home, skip }) {
      if (!capabilities.documentFormattingProvider) return skip('the language server offers no formatting yet');
      // An app folder of its own, so the other tests' files stay as they are.
      const file = join(folder, 'formatted/.streamlit/secrets.toml');
      mkdirSync(join(folder, 'formatted/.streamlit'), { recursive: true });
      writeFileSync(file, '# demo\nzeta="fixture-format-1"   # kept\nalpha  =  2\n\n\n\n\n[db]\n  user="fixture-format-2"\nopts={ssl=true,mode="require"}\n');
      await clearNotifications(page);
      await openFile(page, 'formatted/.streamlit/secrets.toml');
      await quickInput(page, 'F1', '>Format Document');
      const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^Format Document$/ }) }).first();
      await row.waitFor({ state: 'visible', timeout: 10_000 });
      await row.click();
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
      const expected = '# demo\nzeta = "fixture-format-1" # kept\nalpha = 2\n\n[db]\nuser = "fixture-format-2"\nopts = { ssl = true, mode = "require" }\n';
      const deadline = Date.now() + 20_000;
      for (;;) {
        await page.keyboard.press('Control+S');
        if (readFileSync(file, 'utf8') === expected) break;
        if (Date.now() > deadline) throw new Error(`not formatted on disk: ${JSON.stringify(readFileSync(file, 'utf8'))}`);
        await page.waitForTimeout(250);
      }
      await readmeShot(page, 'format-document', { values: [...fixtureValues(folder, home), 'fixture-format-1', 'fixture-format-2'], ocrFinds: ['kept'] });
      await runCommand(page, 'View: Close All Editors');
      rmSync(join(folder, 'formatted'), { recursive: true, force: true });
    },
  },
];

// A click near the start of a line, on its key: newer VS Code draws a line as wide as the widest
// one, so a click at its middle lands far right of the text and scrolls the editor sideways.
const AT_LINE_START = { position: { x: 8, y: 5 } };

/** Point 6 on screen, with app.py in the left group and the secrets file opened in the right one. */
async function maskingTellsTheTruth(page) {
  await openFile(page, '.streamlit/secrets.toml');
  const secretsLines = page.locator('.editor-group-container').nth(1).locator('.editor-instance .view-lines').first();
  await secretsLines.locator('.view-line', { hasText: /^password/ }).first().click(AT_LINE_START);
  const status = page.locator('.statusbar-item', { hasText: /1 line shown/ }).first();
  await status.waitFor({ state: 'visible', timeout: 10_000 });
  assert.ok((await secretsLines.innerText()).includes('fixture-password-123'), 'the line worked on shows its value');
  await screenshot(page, 'masking-one-line-shown');

  // Another editor takes the focus: the secrets editor, still on screen, masks every line.
  await page.locator('.editor-group-container').nth(0).locator('.editor-instance .view-lines').first().click();
  const deadline = Date.now() + 10_000;
  while ((await secretsLines.innerText()).includes('fixture-password-123')) {
    if (Date.now() > deadline) throw new Error('the secrets editor still shows a value after the focus left it');
    await page.waitForTimeout(100);
  }
  assert.ok(!(await visibleText(page)).includes('fixture-password-123'), 'no value anywhere on screen');
  await screenshot(page, 'masking-focus-left');

  // Back in the secrets editor, working on two lines: "2 lines shown"; a click masks them all.
  await secretsLines.locator('.view-line', { hasText: /^password/ }).first().click(AT_LINE_START);
  await page.keyboard.press('Shift+ArrowUp');
  await page.locator('.statusbar-item', { hasText: /2 lines shown/ }).first().waitFor({ state: 'visible', timeout: 10_000 });
  await screenshot(page, 'masking-two-lines-shown');
  await page.locator('.statusbar-item', { hasText: /2 lines shown/ }).first().click();
  await page.locator('.statusbar-item', { hasText: /Secrets masked/ }).first().waitFor({ state: 'visible', timeout: 10_000 });
  assert.ok(!(await secretsLines.innerText()).includes('fixture-password-123'), 'masked again after the click');
  await screenshot(page, 'masking-status-click');
}
