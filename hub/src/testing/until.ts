/**
 * Reads until `accept` holds or `timeoutMs` passes, then returns the last value read for the
 * test to assert on: a test waits only as long as it must, and a timeout fails on the assertion
 * that shows what was there instead.
 */
export async function until<T>(
  read: () => Promise<T> | T,
  accept: (value: T) => boolean,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (accept(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
