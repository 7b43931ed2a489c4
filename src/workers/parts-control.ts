// The stop flag and progress counter that a run's parts share, apart from the pool so that code
// the browser also loads (the kernel worker reaches cib/basins.ts) needs no Node module.

/** A stop flag and a progress counter that a run's parts share, polled every 200 ms. */
export interface PartsControl {
  /** Int32Array(1): set to 1 when the parts should stop. */
  stop: SharedArrayBuffer;
  /** BigInt64Array(1): the parts add their units of work to it. */
  progress: SharedArrayBuffer;
  /** Units of work the parts have reported. */
  done(): number;
  /** Stops the polling. */
  close(): void;
}

/**
 * Shared stop and progress for parts: `shouldStop` is asked now and every 200 ms (a yes sets the
 * flag the parts poll), and `onTick` gets the parts' progress each time. On another machine the
 * two buffers are the worker's own, relayed by the queue (part.ts).
 */
export function partsControl(shouldStop: () => boolean, onTick?: (done: number) => void): PartsControl {
  const stop = new SharedArrayBuffer(4);
  const progress = new SharedArrayBuffer(8);
  const flag = new Int32Array(stop);
  const count = new BigInt64Array(progress);
  const done = () => Number(Atomics.load(count, 0));
  const tick = () => {
    if (shouldStop()) Atomics.store(flag, 0, 1);
    onTick?.(done());
  };
  tick();
  const timer = setInterval(tick, 200);
  return { stop, progress, done, close: () => clearInterval(timer) };
}
