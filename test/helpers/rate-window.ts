/**
 * Rate limits count per calendar minute. Tests that drive a real gateway (no fake clock) call this
 * first, so a burst meant to hit the limit is not split across two windows.
 */
export async function startOfMinuteWithRoom(needMs: number): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
