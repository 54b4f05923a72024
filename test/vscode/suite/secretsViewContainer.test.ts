// The Secrets view lives in a view container of its own in the Activity Bar, with our icon: the
// container and the view are contributed, and every way to open it (the container, the view's focus
// command, Show Merged Secrets) makes it visible after another view container took the side bar.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { MergedSecretsNode, MergedSecretsTreeProvider } from '../../../client/src/views/mergedSecretsView';
import { activateExtension, waitFor } from './helpers';

interface Manifest {
  contributes: {
    viewsContainers?: { activitybar?: { id: string; title: string; icon: string }[] };
    views?: Record<string, { id: string; name: string }[]>;
    viewsWelcome?: { view: string; contents: string }[];
  };
}

const CONTAINER = 'streamlitSecrets';
const VIEW = 'streamlitSecrets.mergedView';

describe('the Secrets view container in the Activity Bar', () => {
  let extension: vscode.Extension<unknown>;
  let treeView: vscode.TreeView<MergedSecretsNode>;

  before(async () => {
    extension = await activateExtension();
    treeView = (extension.exports as { mergedSecretsView: { provider: MergedSecretsTreeProvider; treeView: vscode.TreeView<MergedSecretsNode> } }).mergedSecretsView.treeView;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.view.explorer');
  });

  it('contributes the container with our icon, the view inside it (same id) and its welcome text', () => {
    const { contributes } = extension.packageJSON as Manifest;
    const container = contributes.viewsContainers?.activitybar?.find((candidate) => candidate.id === CONTAINER);
    assert.ok(container, `no Activity Bar container ${CONTAINER}: ${JSON.stringify(contributes.viewsContainers)}`);
    assert.equal(container.title, 'Streamlit Secrets');
    assert.deepEqual(contributes.views?.[CONTAINER]?.map((view) => view.id), [VIEW]);
    for (const [where, views] of Object.entries(contributes.views ?? {})) if (where !== CONTAINER) assert.ok(!views.some((view) => view.id === VIEW), `the view is also in ${where}`);
    const welcome = contributes.viewsWelcome?.find((entry) => entry.view === VIEW);
    assert.match(welcome?.contents ?? '', /\[Create Project Secrets File\]\(command:streamlitSecrets\.createProjectSecretsFile\)/);
    // The welcome view renders links only: a Markdown code span would show its backticks.
    assert.ok(!welcome!.contents.includes('`'), `backticks in the welcome text: ${welcome!.contents}`);
  });

  it("the icon follows VS Code's Activity Bar conventions: a 24×24 monochrome SVG in currentColor", () => {
    const { contributes } = extension.packageJSON as Manifest;
    const icon = contributes.viewsContainers!.activitybar!.find((candidate) => candidate.id === CONTAINER)!.icon;
    assert.match(icon, /^media\/.+\.svg$/);
    const svg = readFileSync(join(extension.extensionPath, icon), 'utf8');
    assert.match(svg, /<svg[^>]*\bviewBox="0 0 24 24"/);
    assert.match(svg, /currentColor/);
    // Monochrome: no colour but currentColor (VS Code draws the shape as a mask in the theme's colour).
    const colours = [...svg.matchAll(/(?:fill|stroke|stop-color|color)\s*[=:]\s*"?([^";\s>]+)/g)].map((match) => match[1]);
    for (const colour of colours) assert.ok(colour === 'currentColor' || colour === 'none', `colour ${colour} in ${icon}`);
    assert.ok(!/#[0-9a-f]{3,8}\b|rgb\(|<image|<text/i.test(svg), `${icon} has a fixed colour, a bitmap or text`);
  });

  for (const [how, command] of [
    ['the container (Activity Bar click)', `workbench.view.extension.${CONTAINER}`],
    ["the view's focus command", `${VIEW}.focus`],
    ['Show Merged Secrets', 'streamlitSecrets.showMergedSecrets'],
  ] as const) {
    it(`${how} shows the view after the Explorer took the side bar`, async () => {
      await vscode.commands.executeCommand('workbench.view.explorer');
      await waitFor('the view hidden behind the Explorer', () => (treeView.visible ? undefined : true), 10_000);
      await vscode.commands.executeCommand(command);
      await waitFor(`the view visible after ${command}`, () => (treeView.visible ? true : undefined), 10_000);
    });
  }
});
