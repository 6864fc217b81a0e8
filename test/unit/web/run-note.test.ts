/** The live note under a node's status: attempts, the failing code and when the next try is due. */
import { describe, expect, it } from 'vitest';
import { notReachedNote, runNote } from '../../../web/src/editor/run-note.js';

const NOW = Date.UTC(2026, 10, 28, 21, 40, 0);

describe('runNote', () => {
  it('says which attempt failed, why, and when the next try is due', () => {
    const note = runNote('retrying', { attempt: 2, dueAt: NOW + 3_000, error: { code: 'http_status_503' } }, NOW);
    expect(note).toMatch(/^attempt 2 failed \(http_status_503\) · next try \d\d:\d\d:\d\d \(in 3 s\)$/);
  });

  it('never counts down below zero, and copes with a retry that has no due time', () => {
    expect(runNote('retrying', { attempt: 1, dueAt: NOW - 5_000 }, NOW)).toMatch(/\(in 0 s\)$/);
    expect(runNote('retrying', { attempt: 3 }, NOW)).toBe('attempt 3 failed');
  });

  it('numbers later attempts while running and after finishing, and says nothing for a first try', () => {
    expect(runNote('running', { attempt: 2 }, NOW)).toBe('attempt 2');
    expect(runNote('succeeded', { attempt: 3 }, NOW)).toBe('after 3 attempts');
    expect(runNote('running', { attempt: 1 }, NOW)).toBeUndefined();
    expect(runNote('succeeded', {}, NOW)).toBeUndefined();
    expect(runNote('skipped', { attempt: 0 }, NOW)).toBeUndefined();
  });
});

describe('runNote for nodes that did not run', () => {
  it('says why a skipped or canceled node did not run', () => {
    expect(runNote('skipped', { reason: 'not reached: check took `invalid`' }, 0)).toBe('not reached: check took `invalid`');
    expect(runNote('canceled', { reason: 'canceled: fulfil failed, so the execution failed' }, 0)).toMatch(/fulfil failed/);
  });
});

describe('notReachedNote', () => {
  it('says why a node of a finished run has no step', () => {
    expect(notReachedNote('failed', { nodeId: 'fulfil' })).toBe('not reached: the execution failed at fulfil');
    expect(notReachedNote('canceled')).toBe('not reached: the execution was canceled');
    expect(notReachedNote('running')).toBeUndefined();
    expect(runNote('canceled', { error: { code: 'canceled', message: 'canceled: fulfil failed, so the execution failed' } }, 0)).toBe('canceled: fulfil failed, so the execution failed');
  });
});
