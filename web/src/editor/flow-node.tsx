/** The card of one node on the canvas: type, title, status badge, problems, one target and one source handle per port. */
import { memo } from 'react';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { EditorNode } from './flow-doc';
import { portsOf, useCatalogue } from './catalogue';
import { StatusBadge } from '../ui';

function FlowNodeCard({ id, data, selected }: NodeProps<EditorNode>) {
  const info = useCatalogue().get(data.nodeType);
  const ports = portsOf(info);
  const isTrigger = info?.category === 'trigger';
  const problems = data.problems ?? [];
  return (
    <div className={`fnode fnode-${info?.category ?? 'unknown'}${selected ? ' selected' : ''}${problems.length ? ' has-problems' : ''}${data.status ? ` run-${data.status}` : ''}`}
      data-testid={`node-${id}`}>
      {isTrigger ? null : (
        <Handle type="target" position={Position.Left} id="in" data-testid={`handle-${id}-in`} aria-label={`${id} input`} />
      )}
      <div className="fnode-head">
        <span className="fnode-type">{info?.title ?? data.nodeType}</span>
        <StatusBadge status={data.status} testId={`node-status-${id}`} />
      </div>
      <div className="fnode-title">{data.name || id}</div>
      {problems.length > 0 ? (
        <ul className="fnode-problems" data-testid={`node-problems-${id}`}>{problems.map((p) => <li key={p}>{p}</li>)}</ul>
      ) : null}
      {data.runNote ? <div className="fnode-run-note" data-testid={`node-note-${id}`}>{data.runNote}</div> : null}
      {data.runError ? <div className="fnode-run-error" data-testid={`node-error-${id}`}>{data.runError}</div> : null}
      <div className="fnode-ports">{ports.map((port) => (
        <div key={port} className={`fnode-port${port === 'error' ? ' port-error' : ''}`}>
          <span>{port}</span>
          <Handle type="source" position={Position.Right} id={port} data-testid={`handle-${id}-${port}`} aria-label={`${id} port ${port}`} />
        </div>
      ))}</div>
    </div>
  );
}

export const FlowNode = memo(FlowNodeCard);
