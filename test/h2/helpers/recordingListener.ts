import type { DispatchListener, DispatchOutcome } from '../../../src/transport/Transport.js';

/** A listener that records every callback, in order, and resolves `done` at the first `onDone`. */
export interface RecordingListener extends DispatchListener {
  /** Every callback as `name` plus its arguments. */
  readonly calls: { readonly name: string; readonly args: readonly unknown[] }[];
  /** The first outcome. */
  readonly done: Promise<DispatchOutcome>;
}

/** Creates a {@link RecordingListener}. */
export function recordingListener(): RecordingListener {
  let resolve!: (o: DispatchOutcome) => void;
  const done = new Promise<DispatchOutcome>((r) => {
    resolve = r;
  });
  const calls: { name: string; args: unknown[] }[] = [];
  return {
    calls,
    done,
    onSent(atMs, windowStalled) {
      calls.push({ name: 'onSent', args: [atMs, windowStalled] });
    },
    onHeaders(atMs, status) {
      calls.push({ name: 'onHeaders', args: [atMs, status] });
    },
    onDone(outcome) {
      calls.push({ name: 'onDone', args: [outcome] });
      resolve(outcome);
    },
  };
}
