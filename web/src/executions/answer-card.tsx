/** What the caller of the webhook was answered: the recorded sync answer (status, headers, body), or 202 for async deliveries. */
import type { ExecutionDetail } from '../api/types';
import { JsonView } from '../ui';

export function AnswerCard({ x }: { x: ExecutionDetail }) {
  if (x.mode === 'async') {
    return <section className="card pad answer" data-testid="execution-answer"><h2>Response to the caller</h2>
      <p className="small">Answered <strong>202 Accepted</strong> at once with the execution id (asynchronous webhook).</p></section>;
  }
  if (x.mode !== 'sync') return null;
  const a = x.answer;
  return (
    <section className="card pad answer" data-testid="execution-answer">
      <h2>Response to the caller</h2>
      {!a ? <p className="small muted">{['succeeded', 'failed', 'canceled', 'rejected'].includes(x.status) ? 'Not recorded.' : 'The caller is still waiting for the answer.'}</p> : (<>
        <p className="small"><strong data-testid="answer-status">{a.status}</strong> · sent {new Date(a.at).toLocaleTimeString()}
          {a.status === 202 ? ' · the flow had not answered within the sync timeout, so the caller got the execution id' : ''}</p>
        {Object.keys(a.headers ?? {}).length ? <><h4>Headers</h4><JsonView value={a.headers} label="Response headers" /></> : null}
        <h4>Body</h4><JsonView value={a.body} label="Response body" />
      </>)}
    </section>
  );
}
