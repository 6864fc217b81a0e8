/** The editor's right-hand panel: the selected node's settings, the test panel or the webhook docs; collapsible on small screens. */
import type { FlowEditor } from './use-flow-editor';
import { NodePanel } from './node-panel';
import { TestPanel } from './test-panel';
import { WebhookPanel } from './webhook-panel';
import { FlowSettings } from './flow-settings';

export type SideTab = 'node' | 'test' | 'webhook';

interface Props {
  ed: FlowEditor; selected: string | null; tab: SideTab; setTab(t: SideTab): void;
  open: boolean; onToggle(): void; onOpenDetails(id: string): void;
}

export function SidePanel({ ed, selected, tab, setTab, open, onToggle, onOpenDetails }: Props) {
  const node = selected ? ed.nodes.find((n) => n.id === selected) : undefined;
  if (!open) {
    return (
      <aside className="side side-closed" aria-label="Side panel">
        <button type="button" className="rail-toggle" aria-expanded={false} onClick={onToggle} data-testid="panel-toggle" title="Show the side panel">Panel</button>
      </aside>
    );
  }
  // A flow started by a schedule or by other flows has no URL: no webhook docs to show.
  const inbound = ed.flow?.nodes.some((n) => n.type === 'webhook') ?? true;
  const shown: SideTab = tab === 'webhook' && !inbound ? 'node' : tab;
  const tabButton = (t: SideTab, label: string) => (
    <button type="button" role="tab" aria-selected={shown === t} className={shown === t ? 'tab active' : 'tab'} onClick={() => setTab(t)}>{label}</button>
  );
  return (
    <aside className="side" aria-label="Side panel">
      <div className="tabs">
        <div className="tab-list" role="tablist" aria-label="Side panel">{tabButton('node', 'Node')}{tabButton('test', 'Test')}{inbound ? tabButton('webhook', 'Webhook') : null}</div>
        <button type="button" className="tab tab-close" aria-expanded onClick={onToggle} data-testid="panel-toggle" title="Hide the side panel">Hide</button>
      </div>
      {/* Keyed by what it shows, so switching nodes starts the panel at its top. */}
      <div className="side-body" key={shown === 'node' ? `node:${node?.id ?? ''}` : shown}>
        {shown === 'node' ? (node ? <NodePanel ed={ed} node={node} onOpenDetails={() => onOpenDetails(node.id)} /> : <><p className="muted pad">Select a node on the canvas to edit it.</p><FlowSettings ed={ed} /></>)
          : shown === 'test' ? <TestPanel ed={ed} /> : <WebhookPanel ed={ed} />}
      </div>
    </aside>
  );
}
