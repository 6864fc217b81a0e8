/**
 * Form fields whose text does not serialise (invalid JSON in a JSON box, an unparsable number): the editor counts
 * them as unsaved changes, keeps their text across panel switches, and refuses to save while any is left.
 */
import { createContext, useCallback, useContext, useMemo, useRef, useState } from 'react';

/** One field that failed to serialise; `field` is its path in the node (`params.schema`, `retry.maxAttempts`). */
export interface BadField { nodeId: string; field: string; label: string; error: string }

interface Draft { text: string; error: string | null; label: string }

const keyOf = (nodeId: string, field: string): string => `${nodeId}\u0000${field}`;

/** The editor's registry: the text of every field that did not serialise, by node and field path. */
export function useFieldDrafts() {
  const texts = useRef(new Map<string, Draft & { nodeId: string; field: string }>());
  /** The keys of the bad fields; state, so the editor re-renders (and says "Unsaved") when one turns bad or good. */
  const [badKeys, setBadKeys] = useState<readonly string[]>([]);
  /** The field a refused save pointed at: its error shows at once, even before it is left. */
  const [refused, setRefused] = useState<string | null>(null);

  const report = useCallback((nodeId: string, field: string, label: string, text: string, error: string | null) => {
    const key = keyOf(nodeId, field);
    if (error === null) texts.current.delete(key); else texts.current.set(key, { nodeId, field, label, text, error });
    setBadKeys((ks) => {
      const has = ks.includes(key);
      if (error === null) return has ? ks.filter((k) => k !== key) : ks;
      return has ? ks : [...ks, key];
    });
  }, []);

  const draftOf = useCallback((nodeId: string, field: string): Draft | undefined => texts.current.get(keyOf(nodeId, field)), []);

  /** Every field that does not serialise, of the nodes still on the canvas, in the order they turned bad. */
  const badFields = useCallback((nodeIds: ReadonlySet<string>): BadField[] => badKeys.flatMap((k) => {
    const d = texts.current.get(k);
    return d && d.error !== null && nodeIds.has(d.nodeId) ? [{ nodeId: d.nodeId, field: d.field, label: d.label, error: d.error }] : [];
  }), [badKeys]);

  /** Forget the fields of nodes that are gone (deleted, or the flow reloaded). */
  const forgetExcept = useCallback((nodeIds: ReadonlySet<string>) => {
    for (const [k, d] of texts.current) if (!nodeIds.has(d.nodeId)) texts.current.delete(k);
    setBadKeys((ks) => (ks.every((k) => texts.current.has(k)) ? ks : ks.filter((k) => texts.current.has(k))));
  }, []);

  const markRefused = useCallback((b: BadField | null) => setRefused(b ? keyOf(b.nodeId, b.field) : null), []);
  const isRefused = useCallback((nodeId: string, field: string) => refused === keyOf(nodeId, field), [refused]);

  return useMemo(() => ({ report, draftOf, badFields, forgetExcept, markRefused, isRefused, count: badKeys.length }),
    [report, draftOf, badFields, forgetExcept, markRefused, isRefused, badKeys.length]);
}

export type FieldDrafts = ReturnType<typeof useFieldDrafts>;

/** A node form's view of the registry (NodeForm provides it for its node). */
export interface NodeDrafts {
  report(field: string, label: string, text: string, error: string | null): void;
  draftOf(field: string): Draft | undefined;
  isRefused(field: string): boolean;
}

export const NodeDraftsContext = createContext<NodeDrafts | null>(null);

export function nodeDraftsOf(drafts: FieldDrafts, nodeId: string): NodeDrafts {
  return {
    report: (field, label, text, error) => drafts.report(nodeId, field, label, text, error),
    draftOf: (field) => drafts.draftOf(nodeId, field),
    isRefused: (field) => drafts.isRefused(nodeId, field),
  };
}

/** A field's pending text and error (if it did not serialise when last left) and how to report a new one. */
export function useFieldDraft(field: string, label: string) {
  const ctx = useContext(NodeDraftsContext);
  return useMemo(() => ({
    initial: ctx?.draftOf(field),
    refused: ctx?.isRefused(field) ?? false,
    report: (text: string, error: string | null) => ctx?.report(field, label, text, error),
  }), [ctx, field, label]);
}

/** The message a refused save shows: which node, which field, what is wrong. */
export const refusalText = (b: BadField, nodeName: string): string =>
  `Not saved: ${nodeName} › ${b.label}: ${b.error}. Fix it (or undo the edit), then save.`;
