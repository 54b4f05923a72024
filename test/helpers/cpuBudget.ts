/**
 * Runs `work` and fails if this process spent more than `budgetMs` of CPU time on it. For tests that
 * guard against a runaway (a hang, a quadratic blow-up), not for speed, which the benchmark measures:
 * CPU time rather than wall-clock time, so other processes loading the machine cannot trip it.
 */
export async function withinCpuBudget<T>(work: () => T | Promise<T>, budgetMs: number, what: string): Promise<T> {
  const started = process.cpuUsage();
  const result = await work();
  const used = process.cpuUsage(started);
  const spentMs = (used.user + used.system) / 1000;
  if (spentMs > budgetMs) throw new Error(`${what} used ${spentMs.toFixed(0)} ms of CPU (budget ${budgetMs} ms)`);
  return result;
}

/** The same for synchronous work. */
export function withinCpuBudgetSync<T>(work: () => T, budgetMs: number, what: string): T {
  const started = process.cpuUsage();
  const result = work();
  const used = process.cpuUsage(started);
  const spentMs = (used.user + used.system) / 1000;
  if (spentMs > budgetMs) throw new Error(`${what} used ${spentMs.toFixed(0)} ms of CPU (budget ${budgetMs} ms)`);
  return result;
}
