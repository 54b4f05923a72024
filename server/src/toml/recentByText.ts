/**
 * Remembers the last few results of a pure function of a document's text. One edit makes several
 * parts ask about the same text (the merge, the file's diagnostics, hovers, definitions), and a
 * parse of a large secrets file costs milliseconds to tens of milliseconds. Results are shared:
 * callers only read them. Texts longer than `maxLength` are computed but not kept alive.
 */
export function rememberRecentByText<T>(compute: (text: string) => T, options: { size: number; maxLength: number }): (text: string) => T {
  const recent: { text: string; result: T }[] = [];
  return (text) => {
    const hit = recent.findIndex((entry) => entry.text === text);
    if (hit >= 0) {
      // Least recently used goes first: a file asked about at every edit (the other file of the
      // chain) stays while the versions of the edited one come and go.
      const entry = recent[hit]!;
      if (hit > 0) {
        recent.splice(hit, 1);
        recent.unshift(entry);
      }
      return entry.result;
    }
    const result = compute(text);
    if (text.length > options.maxLength) return result;
    recent.unshift({ text, result });
    if (recent.length > options.size) recent.pop();
    return result;
  };
}
