// image-test.sh's API check (`node image-test-api.mjs <base-url> <token>`): readyz, auth, editor, then a webhook → transform flow fired and its output checked.
const [base, token] = process.argv.slice(2);
const H = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
const api = async (method, path, body) => {
  const r = await fetch(base + path, { method, headers: H, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: await r.json().catch(() => null) };
};
const check = (ok, what, detail) => { if (!ok) { console.log(`FAIL: ${what}: ${JSON.stringify(detail)}`); process.exit(1); } console.log(`PASS: ${what}`); };
const ready = await fetch(`${base}/readyz`);
check(ready.status === 200, 'GET /readyz 200 (store writable, sandbox child up)', await ready.text());
const unauth = await fetch(`${base}/api/flows`);
check(unauth.status === 401, 'GET /api/flows without a token → 401', unauth.status);
const page = await fetch(`${base}/`);
check(page.status === 200 && (await page.text()).includes('<div id="root"'), 'GET / serves the editor from web/dist', page.status);
const flow = await api('POST', '/api/flows', {
  name: 'image test', active: true,
  nodes: [
    { id: 'hook', type: 'webhook', params: { methods: ['POST'] } },
    { id: 'calc', type: 'transform', params: { code: 'return { total: input.body.items.reduce((s, i) => s + i.price * i.qty, 0), process: typeof process }' } },
  ],
  edges: [{ from: 'hook', to: 'calc' }],
});
check(flow.status === 201 && flow.body.active === true, 'POST /api/flows (webhook → transform, active) → 201', flow);
const hook = await fetch(flow.body.webhook.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ items: [{ price: 2.5, qty: 2 }, { price: 1, qty: 3 }] }) });
const accepted = await hook.json();
check(hook.status === 202 && typeof accepted.executionId === 'string', 'webhook POST → 202 {executionId}', accepted);
let e;
for (const end = Date.now() + 30_000; Date.now() < end; await new Promise((r) => setTimeout(r, 100))) {
  e = (await api('GET', `/api/executions/${accepted.executionId}`)).body;
  if (['succeeded', 'failed', 'canceled'].includes(e?.status)) break;
}
check(e?.status === 'succeeded', 'execution succeeded', e);
const calc = e.steps.find((s) => s.nodeId === 'calc');
check(JSON.stringify(calc?.output) === JSON.stringify({ total: 8, process: 'undefined' }), 'transform output {total: 8} computed in the sandbox child', calc);
console.log(`FLOW ${flow.body.id}`);
