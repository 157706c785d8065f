/**
 * Folds free text for comparison, so "IA  Générative " and "ia generative" are the same skill:
 * compatibility decomposition (NFKD) then dropping combining marks removes accents,
 * and case and inner whitespace are normalised.
 */
function foldText(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().trim().replace(/\s+/gu, ' ');
}

export type Fold = (text: string) => string;

/**
 * foldText with a memo: pools repeat the same few dozen skill and language names thousands
 * of times, and Unicode normalisation is the costliest step of compiling a pool.
 */
export function createFold(): Fold {
  const memo = new Map<string, string>();
  return (text) => {
    let folded = memo.get(text);
    if (folded === undefined) {
      folded = foldText(text);
      memo.set(text, folded);
    }
    return folded;
  };
}

/** Plain code-unit order: unlike localeCompare it never depends on the machine's locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
