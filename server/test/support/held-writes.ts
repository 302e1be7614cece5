/** A write or read held back by a test hook (group-commit.ts `hold`): how many callers wait behind it, and the release. */
interface Held {
  gathered(): number;
  release(): void;
}

/**
 * Starts `requests` (which reach the held write), releases the hold once `n` callers have gathered behind it (at most
 * 10 s), and returns what they return: they reach the write together whatever the machine's timing, as under load.
 */
export async function releaseWhenGathered<T>(held: Held, n: number, requests: () => Promise<T>): Promise<T> {
  const replies = requests();
  for (let waited = 0; held.gathered() < n && waited < 10_000; waited += 10)
    await new Promise((r) => setTimeout(r, 10));
  held.release();
  return replies;
}
