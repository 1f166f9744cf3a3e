/**
 * Waits until `condition()` holds, checking every 5 ms, for at most
 * `timeoutMs`; for facts only the server side can observe (a reset it
 * received), which no client callback announces.
 */
export async function waitUntil(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
