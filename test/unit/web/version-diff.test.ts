/** The publish confirmation's list of changes: nodes added, removed, changed, rewired; moving a card is no change. */
import { describe, expect, it } from 'vitest';
import { diffVersions, isEmptyDiff, publishState } from '../../../web/src/editor/version-diff.js';

const live = {
  nodes: [
    { id: 'hook', type: 'webhook', params: { methods: ['POST'] }, position: { x: 0, y: 0 } },
    { id: 'check', type: 'validate', params: { schema: { type: 'object', required: ['a'] } } },
    { id: 'calc', type: 'transform', params: { code: 'return 1' } },
    { id: 'old', type: 'respond', params: {} },
  ],
  edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'valid', to: 'calc' }, { from: 'calc', to: 'old' }],
};

describe('diffVersions', () => {
  it('names nodes added, removed, changed and rewired', () => {
    const draft = {
      nodes: [
        { ...live.nodes[0], position: { x: 300, y: 40 } },
        { id: 'check', type: 'validate', params: { schema: { required: ['a'], type: 'object' } } },
        { id: 'calc', type: 'transform', params: { code: 'return 2' } },
        { id: 'reply', type: 'respond', params: { status: 201 } },
      ],
      edges: [{ from: 'hook', to: 'check' }, { from: 'check', fromPort: 'invalid', to: 'calc' }, { from: 'calc', to: 'reply' }],
    };
    expect(diffVersions(live, draft)).toEqual({ added: ['reply'], removed: ['old'], changed: ['calc'], rewired: ['check', 'calc'] });
  });

  it('finds nothing when only positions moved', () => {
    const moved = { ...live, nodes: live.nodes.map((n) => ({ ...n, position: { x: 9, y: 9 } })) };
    expect(isEmptyDiff(diffVersions(live, moved))).toBe(true);
  });
});

describe('publishState', () => {
  it('says what is live and what is a draft', () => {
    expect(publishState(3, 5)).toBe('Live v3 · draft v5, not published');
    expect(publishState(5, 5)).toBe('Live v5');
    expect(publishState(null, 2)).toBe('Not published · draft v2');
  });
});
