/** Lowercases a key or name and drops `-` and `_`, so `unknown_status` compares equal to `unknown-status`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, "");
}

/**
 * Finds the known name closest to `name` within a small edit distance, ignoring case, `-` and
 * `_`, for a "did you mean" hint. Returns undefined when no name is that close.
 */
export function findClosestName(name: string, knownNames: readonly string[]): string | undefined {
  const normalized = normalizeName(name);
  const maxDistance = normalized.length <= 4 ? 1 : 2;
  let best: { name: string; distance: number } | undefined;

  for (const known of knownNames) {
    const distance = editDistance(normalized, normalizeName(known));
    if (distance <= maxDistance && (best === undefined || distance < best.distance)) {
      best = { name: known, distance };
    }
  }
  return best?.name;
}

/** Levenshtein distance: insertions, deletions and substitutions of one character each. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);

  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
