/** The card of one node on the canvas: a fixed size whatever it carries; problems and run notes on one line (full text in the panel). */
import { memo, useEffect, useRef } from 'react';
import { Handle, Position, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import type { EditorNode, FlowNodeData } from './flow-doc';
import { portLabels, portsOf, useCatalogue } from './catalogue';
import { StatusBadge } from '../ui';
import { CARD_WIDTH, cardHeight } from './placement';

/** The one line under the title: the most pressing thing to know, cut to fit (the panel shows all of it). */
function InfoLine({ id, data }: { id: string; data: FlowNodeData }) {
  const problems = data.problems ?? [];
  if (problems.length) {
    const text = problems.length === 1 ? problems[0] : `${problems.length} problems: ${problems.join('; ')}`;
    return <div className="fnode-info info-bad" data-testid={`node-problems-${id}`} title={problems.join('\n')}>⚠ {text}</div>;
  }
  if (data.flags?.length) return <div className="fnode-info info-warn" data-testid={`node-flags-${id}`} title={data.flags.join('\n')}>⚠ Needs a credential</div>;
  if (data.runError) return <div className="fnode-info info-bad" data-testid={`node-error-${id}`} title={data.runError}>{data.runError}</div>;
  if (data.runNote) return <div className="fnode-info info-warn" data-testid={`node-note-${id}`} title={data.runNote}>{data.runNote}</div>;
  if (data.disabled) return <div className="fnode-info" data-testid={`node-disabled-${id}`}>Disabled: passes its input on</div>;
  return <div className="fnode-info" />;
}

function FlowNodeCard({ id, data, selected }: NodeProps<EditorNode>) {
  const info = useCatalogue().get(data.nodeType);
  const ports = portsOf(info, data.params);
  const labels = portLabels(info, data.params);
  // Handles added or removed with a switch's cases must be measured again, or new edges cannot attach to them.
  const updateInternals = useUpdateNodeInternals();
  const portKey = ports.join('\u0000');
  const measuredPorts = useRef(portKey);
  useEffect(() => {
    if (measuredPorts.current === portKey) return; // xyflow measures a card's handles itself when it first appears
    measuredPorts.current = portKey;
    updateInternals(id);
  }, [id, portKey, updateInternals]);
  const isTrigger = info?.category === 'trigger';
  const title = data.name || id;
  const state = [data.problems?.length ? ' has-problems' : '', data.flags?.length ? ' has-flags' : '', data.disabled ? ' is-disabled' : '', data.status ? ` run-${data.status}` : ''].join('');
  return (
    <div className={`fnode fnode-${info?.category ?? 'unknown'}${selected ? ' selected' : ''}${state}`} data-testid={`node-${id}`}
      style={{ width: CARD_WIDTH, height: cardHeight(ports.length) }}>
      {isTrigger ? null : (
        <Handle type="target" position={Position.Left} id="in" data-testid={`handle-${id}-in`} title={`${title}: input`} />
      )}
      <div className="fnode-head">
        <span className="fnode-type">{info?.title ?? data.nodeType}</span>
        <StatusBadge status={data.status} testId={`node-status-${id}`} />
      </div>
      <div className="fnode-title" title={title}>{title}</div>
      <InfoLine id={id} data={data} />
      <div className="fnode-ports">{ports.map((port) => (
        <div key={port} className={`fnode-port${port === 'error' ? ' port-error' : ''}`}>
          <span title={labels.has(port) ? `port ${port}` : undefined}>{labels.get(port) ?? port}</span>
          <Handle type="source" position={Position.Right} id={port} data-testid={`handle-${id}-${port}`} title={`${title}: port ${port}`} />
        </div>
      ))}</div>
    </div>
  );
}

export const FlowNode = memo(FlowNodeCard);
