import { describe, expect, it } from '@jest/globals';
import type { PolicyResult, ServerStats } from '../../src/core/runResult.js';
import { policyVerdict, reportVerdicts } from '../../src/report/verdict.js';
import { seedRunReport } from './fixtures/seedRunReport.js';

const clean: PolicyResult = {
  ...seedRunReport().results[2]!,
  submitted: 1000,
  succeeded: 1000,
  timedOut: 0,
  rejected: 0,
  failed: 0,
  cancelledOnWire: 0,
  connectionsMax: 1,
};
const server = (rst: Record<string, number>): ServerStats => ({
  streamsStarted: 1000,
  streamsCompleted: 1000,
  rstReceived: rst,
  refused: 0,
  maxConcurrentSeen: 100,
  goawaySent: 0,
});

describe('policyVerdict', () => {
  it('calls the seed reproduction failing and both adaptive runs healthy', () => {
    expect(reportVerdicts(seedRunReport()).map((v) => [v.policy, v.severity])).toEqual([
      ['naive', 'bad'],
      ['adaptive (max 1)', 'ok'],
      ['adaptive (max 4)', 'ok'],
    ]);
  });

  it('fails a policy the server saw cancel, even if the client counted none', () => {
    const v = policyVerdict(clean, server({ CANCEL: 3 }), 5000);
    expect(v.severity).toBe('bad');
    expect(v.text).toContain(
      'no request timed out and no stream was cancelled on the wire (the server counted 3 RST_STREAMs)',
    );
  });

  it('grades timeouts against the 0.1% bar', () => {
    expect(policyVerdict({ ...clean, timedOut: 1, succeeded: 999 }, undefined, 5000).severity).toBe(
      'warn',
    );
    expect(policyVerdict({ ...clean, timedOut: 2, succeeded: 998 }, undefined, 5000).severity).toBe(
      'bad',
    );
    expect(policyVerdict({ ...clean, failed: 1, succeeded: 999 }, undefined, 5000).severity).toBe(
      'warn',
    );
  });

  it('does not count shed load against a policy, but says how much', () => {
    const v = policyVerdict({ ...clean, rejected: 333, succeeded: 667 }, null, 5000);
    expect(v.severity).toBe('ok');
    expect(v.text).toContain('; 33.3% were shed before sending.');
  });

  it('uses singulars and leaves out what is unknown', () => {
    const v = policyVerdict(
      { ...clean, cancelledOnWire: 1, capacityTps: 0, pathState: 'none' },
      server({ CANCEL: 1 }),
      0,
    );
    expect(v.text).toContain(
      'but 1 stream was cancelled on the wire (the server counted 1 RST_STREAM)',
    );
    expect(v.text).toContain(', on 1 connection.');
    expect(v.text).not.toContain('capacity');
    expect(v.text).not.toContain('budget');
    expect(v.text).not.toContain('judged');
  });

  it('reports an empty run as such', () => {
    expect(policyVerdict({ ...clean, submitted: 0, succeeded: 0 }, undefined, 5000).text).toBe(
      'no request was submitted.',
    );
  });
});
