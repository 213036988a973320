/** "1 bump", "2 bumps": a count with its noun, singular or plural ("1 package", "3 packages"). */
export function countOf(count: number, noun: string, plural = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : plural}`;
}
