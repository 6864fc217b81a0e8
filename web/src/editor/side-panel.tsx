/** The editor's right-hand panel: the selected node's settings, or the test panel. */
import type { FlowEditor } from './use-flow-editor';
import { NodePanel } from './node-panel';
import { TestPanel } from './test-panel';
import { WebhookPanel } from './webhook-panel';

export type SideTab = 'node' | 'test' | 'webhook';

export function SidePanel({ ed, selected, tab, setTab }: { ed: FlowEditor; selected: string | null; tab: SideTab; setTab(t: SideTab): void }) {
  const node = selected ? ed.nodes.find((n) => n.id === selected) : undefined;
  return (
    <aside className="side">
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={tab === 'node'} className={tab === 'node' ? 'tab active' : 'tab'} onClick={() => setTab('node')}>Node</button>
        <button type="button" role="tab" aria-selected={tab === 'test'} className={tab === 'test' ? 'tab active' : 'tab'} onClick={() => setTab('test')}>Test</button>
        <button type="button" role="tab" aria-selected={tab === 'webhook'} className={tab === 'webhook' ? 'tab active' : 'tab'} onClick={() => setTab('webhook')}>Webhook</button>
      </div>
      <div className="side-body">
        {tab === 'node' ? (node ? <NodePanel ed={ed} node={node} /> : <p className="muted pad">Select a node on the canvas to edit it.</p>)
          : tab === 'test' ? <TestPanel ed={ed} /> : <WebhookPanel ed={ed} />}
      </div>
    </aside>
  );
}
