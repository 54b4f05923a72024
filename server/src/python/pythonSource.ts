import type { Tree } from '@lezer/common';
import { TreeFragment } from '@lezer/common';
import { parser } from '@lezer/python';

/**
 * One version of a Python document together with its lezer syntax tree.
 *
 * The tree never fails to exist: on incomplete code lezer inserts error nodes, which is what
 * completion relies on. Sources are immutable; an edit produces a new source that reuses the
 * unchanged parts of the previous tree (lezer `TreeFragment`s), so re-parsing after a keystroke in
 * a large file costs roughly the size of the edited region, not of the file.
 */
export interface PythonSource {
  readonly text: string;
  readonly tree: Tree;
  /** Fragments of `tree`, kept for the next incremental parse. */
  readonly fragments: readonly TreeFragment[];
}

/**
 * One edit in LSP order: `start`/`end` are UTF-16 offsets into the text as it is after the
 * previous edits of the same batch were applied (for a single edit, the old text).
 */
export interface PythonSourceEdit {
  start: number;
  end: number;
  text: string;
}

/**
 * Most CPU time a single parse may take. lezer's Python grammar is superlinear on some pathological
 * lines (thousands of chained `["k"]` subscripts take seconds, 10,000 take half a minute); past
 * the budget the parse stops where it is, and the rest of the document is left out of the tree
 * (no completion or diagnostics there) instead of the server hanging. Measured in this process's
 * CPU time, not wall-clock time, so a busy machine does not cut ordinary parses short (a
 * 20,000-line file needs about half a second).
 */
export const parseBudgetMs = 4000;

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

/** Parse steps between two looks at the clock (a look costs about as much as a small file's parse). */
const stepsPerClockCheck = 256;

function parseWithin(text: string, fragments?: readonly TreeFragment[]): Tree {
  const parse = parser.startParse(text, fragments);
  // The clock starts at the first check: most files (the references index parses thousands) finish
  // before it, and reading the process's CPU time is a system call. The steps before it are few.
  let deadline: number | undefined;
  let stopped = false;
  for (let steps = 1; ; steps++) {
    const tree = parse.advance();
    if (tree) return tree;
    if (!stopped && steps % stepsPerClockCheck === 0) {
      if (deadline === undefined) deadline = cpuMs() + parseBudgetMs;
      else if (cpuMs() > deadline) {
        parse.stopAt(parse.parsedPos);
        stopped = true;
      }
    }
  }
}

export function createPythonSource(text: string): PythonSource {
  const tree = parseWithin(text);
  return { text, tree, fragments: TreeFragment.addTree(tree) };
}

/**
 * Re-parse `newText`, reusing the parts of `previous.tree` that `changes` did not touch.
 * `newText` must be the result of applying `changes` to `previous.text`; when the lengths do not
 * add up (a caller bug, or a full-document replacement passed without edits) this falls back to
 * a fresh parse rather than trusting stale fragments.
 */
export function updatePythonSource(
  previous: PythonSource,
  newText: string,
  changes: readonly PythonSourceEdit[],
): PythonSource {
  let fragments = previous.fragments;
  let length = previous.text.length;
  for (const change of changes) {
    if (change.start < 0 || change.start > change.end || change.end > length) {
      return createPythonSource(newText);
    }
    // Edits are sequential, so each one is its own single-range change set.
    fragments = TreeFragment.applyChanges(fragments, [
      { fromA: change.start, toA: change.end, fromB: change.start, toB: change.start + change.text.length },
    ]);
    length += change.text.length - (change.end - change.start);
  }
  if (length !== newText.length) return createPythonSource(newText);
  const tree = parseWithin(newText, fragments);
  return { text: newText, tree, fragments: TreeFragment.addTree(tree) };
}
