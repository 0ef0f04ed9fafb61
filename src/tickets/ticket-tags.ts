/** Tags compare case-insensitively for Latin letters and ignore surrounding or doubled spaces. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  for (const tag of tags) {
    const clean = tag.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
    if (clean) seen.add(clean);
  }
  return [...seen];
}

export function diffTags(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  return { added: after.filter((t) => !before.includes(t)), removed: before.filter((t) => !after.includes(t)) };
}
