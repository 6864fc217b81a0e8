/** The input crosses to the sandbox once when ctx.trigger / ctx.nodes[id] are the input object itself (RunRequest.alias). */
import { describe, expect, it } from 'vitest';
import { aliased, createSandbox } from '../../../server/sandbox/supervisor.js';

describe('input aliasing in ctx', () => {
  it('sends the positions that are the input as null with a note, and leaves others alone', () => {
    const input = { body: { id: 1 } };
    const nodes = Object.assign(Object.create(null), { hook: input, other: { x: 1 }, __proto__x: input });
    const { ctx, alias } = aliased(input, { trigger: input, nodes, execution: { id: 'e' } });
    expect(JSON.parse(alias as string)).toEqual({ t: true, n: ['hook', '__proto__x'] });
    expect(JSON.stringify(ctx)).toBe('{"trigger":null,"nodes":{"hook":null,"other":{"x":1},"__proto__x":null},"execution":{"id":"e"}}');
    expect(nodes.hook).toBe(input); // the caller's objects are not touched
    expect(aliased({ a: 1 }, { trigger: { a: 1 } })).toEqual({ ctx: { trigger: { a: 1 } } }); // equal but not the same: sent as is
    expect(aliased('s', { trigger: 's' }).alias).toBeUndefined();
  });

  it('user code sees the same values as before, each position its own copy, in the same key order', async () => {
    const sb = createSandbox({ timeoutMs: 3000 });
    try {
      await sb.ready();
      const input = { body: { id: 'ord_1', items: [1, 2] }, headers: { a: 'b' } };
      const nodes = Object.assign(Object.create(null), { hook: input, calc: { total: 3 } });
      const code = `
        const before = JSON.stringify([ctx.trigger, ctx.nodes.hook, Object.keys(ctx), Object.keys(ctx.nodes)]);
        input.body.id = 'changed';
        ctx.trigger.body.items.push(9);
        return { before, input: input.body.id, trigger: ctx.trigger.body.id, hook: ctx.nodes.hook.body, calc: ctx.nodes.calc, distinct: input !== ctx.trigger && ctx.trigger !== ctx.nodes.hook };
      `;
      const out = await sb.run({ cacheKey: 'alias:1', kind: 'function', code, input, ctx: { trigger: input, nodes, execution: { id: 'e' } } }) as Record<string, unknown>;
      expect(JSON.parse(out.before as string)).toEqual([input, input, ['trigger', 'nodes', 'execution'], ['hook', 'calc']]);
      expect(out).toMatchObject({ input: 'changed', trigger: 'ord_1', hook: { id: 'ord_1', items: [1, 2] }, calc: { total: 3 }, distinct: true });
    } finally {
      await sb.close();
    }
  });
});
