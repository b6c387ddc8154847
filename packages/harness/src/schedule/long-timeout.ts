/** The longest delay Node's setTimeout honours (2^31 - 1 ms, about 24.8 days); a longer one fires after 1 ms. */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * Calls `callback` once after `ms` milliseconds, however long: a delay past Node's timer limit is waited out as a
 * chain of shorter timers. Returns a function that cancels it.
 */
export function setLongTimeout(callback: () => void, ms: number): () => void {
  const due = Date.now() + ms;
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = due - Date.now();
    timer = left > maxTimerMs ? setTimeout(arm, maxTimerMs) : setTimeout(callback, Math.max(0, left));
  };
  arm();
  return () => clearTimeout(timer);
}
