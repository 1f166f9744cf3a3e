import type { Subscription } from 'rxjs';
import type { AdaptiveClient } from '../../../src/client/AdaptiveClient.js';
import type { ClientRequest, ClientResponse } from '../../../src/client/clientRequest.js';
import type { Decision } from '../../../src/core/decision.js';
import type { RequestSample } from '../../../src/core/sample.js';
import type { H2flowError } from '../../../src/errors/H2flowError.js';

/** A fault to inject at an offset from the start of the load. */
export interface FaultStep {
  /** When, ms after the load starts. */
  readonly atMs: number;
  /** What to do; a returned promise is awaited in the background and its rejection recorded. */
  readonly run: () => unknown;
}

/** Open-loop load offered to one client. */
export interface LoadPlan {
  /** Offered rate, requests per second (open loop: arrivals do not wait for responses). */
  readonly rateTps: number;
  /** How long requests are offered, ms. At most `rateTps × durationMs / 1000` are sent. */
  readonly durationMs: number;
  /** The request for id `id`. Default `GET /f/<id>`, so a server can tell requests apart. */
  readonly request?: (id: number) => ClientRequest;
  /** Faults, in any order. */
  readonly faults?: readonly FaultStep[];
  /** After offering stops, how long every request may take to settle before the run gives up, ms. Default 15,000. */
  readonly settleTimeoutMs?: number;
}

/** One request as the caller saw it. */
export interface RequestRecord {
  /** Caller-side id (also in the path of the default request). */
  readonly id: number;
  /** When it was submitted, ms after the load started. */
  readonly submittedAtMs: number;
  /** How many times its callback ran (the invariant: exactly once). */
  callbacks: number;
  /** The error it settled with, if any. */
  error: H2flowError | undefined;
  /** The response it settled with, if any. */
  response: ClientResponse | undefined;
  /** The client's sample for it (emitted synchronously just before the callback). */
  sample: RequestSample | undefined;
  /** When it settled, ms after the load started. */
  settledAtMs: number | undefined;
}

/** A decision with the time it arrived. */
export interface TimedDecision {
  /** ms after the load started. */
  readonly atMs: number;
  readonly decision: Decision;
}

/** Everything a load run observed. */
export interface LoadRun {
  readonly records: ReadonlyMap<number, RequestRecord>;
  readonly decisions: readonly TimedDecision[];
  /** Callbacks that ran without a fresh sample just before them (the pairing broke). */
  readonly unpairedCallbacks: number;
  /** Fault steps that threw or rejected. */
  readonly faultErrors: readonly string[];
  /** Requests still unsettled when the run gave up. */
  readonly unsettled: number;
  /** Wall time of the run, ms. */
  readonly elapsedMs: number;
}

const tickMs = 5;

/**
 * Offers `plan.rateTps` requests per second to `client` for
 * `plan.durationMs`, fires the fault steps on time, waits (bounded) for every
 * request to settle, and records each callback against its request. The
 * client's `samples$` emits synchronously just before each callback, so the
 * last sample seen is the one of the request being called back.
 */
export async function driveLoad(client: AdaptiveClient, plan: LoadPlan): Promise<LoadRun> {
  const makeRequest = plan.request ?? ((id: number) => ({ path: `/f/${id}` }));
  const total = Math.floor((plan.rateTps * plan.durationMs) / 1000);
  const records = new Map<number, RequestRecord>();
  const decisions: TimedDecision[] = [];
  const faultErrors: string[] = [];
  const start = performance.now();
  const now = (): number => performance.now() - start;
  let lastSample: RequestSample | undefined;
  let unpairedCallbacks = 0;
  let settled = 0;
  const subscriptions: Subscription[] = [
    client.samples$.subscribe((s) => {
      lastSample = s;
    }),
    client.decisions$.subscribe((decision) => decisions.push({ atMs: now(), decision })),
  ];
  const timers = (plan.faults ?? []).map((step) =>
    setTimeout(() => {
      try {
        const result = step.run();
        if (result instanceof Promise) {
          result.catch((error: unknown) => faultErrors.push(`at ${step.atMs} ms: ${error}`));
        }
      } catch (error) {
        faultErrors.push(`at ${step.atMs} ms: ${error}`);
      }
    }, step.atMs),
  );

  const submit = (id: number): void => {
    const record: RequestRecord = {
      id,
      submittedAtMs: now(),
      callbacks: 0,
      error: undefined,
      response: undefined,
      sample: undefined,
      settledAtMs: undefined,
    };
    records.set(id, record);
    client.send(makeRequest(id), (error, response) => {
      record.callbacks++;
      if (record.callbacks > 1) return;
      settled++;
      record.error = error;
      record.response = response;
      record.settledAtMs = now();
      if (lastSample === undefined) unpairedCallbacks++;
      record.sample = lastSample;
      lastSample = undefined;
    });
  };

  // Open loop: each tick sends what the schedule says is due, whatever is outstanding.
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor((plan.rateTps * now()) / 1000));
      while (sent < due) submit(++sent);
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, tickMs);
  });

  const giveUpAt = now() + (plan.settleTimeoutMs ?? 15_000);
  while (settled < records.size && now() < giveUpAt) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  for (const t of timers) clearTimeout(t);
  for (const s of subscriptions) s.unsubscribe();
  return {
    records,
    decisions,
    unpairedCallbacks,
    faultErrors,
    unsettled: records.size - settled,
    elapsedMs: now(),
  };
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
