/** The node catalogue from GET /api/node-types, shared with the canvas cards through context. */
import { createContext, useContext } from 'react';
import type { NodeTypeInfo } from '../api/types';

export type Catalogue = ReadonlyMap<string, NodeTypeInfo>;
export const CatalogueContext = createContext<Catalogue>(new Map());
export const useCatalogue = (): Catalogue => useContext(CatalogueContext);

/**
 * Ports of a node, `error` last and exactly once. A type whose params schema has `x-ports` (a switch) has one port per
 * element of that list, named by its stable key, so edges follow their case when cases are reordered.
 */
export function portsOf(info: NodeTypeInfo | undefined, params?: Record<string, unknown>): string[] {
  const dyn = info?.params?.['x-ports'];
  const ports = dyn ? dynamicPorts(dyn, params ?? info?.defaults ?? {}).map((p) => p.id) : (info?.ports ?? ['out']).filter((p) => p !== 'error');
  return [...ports, 'error'];
}

/** Ports with the label the card shows (a case's name, else its id). */
export function portLabels(info: NodeTypeInfo | undefined, params?: Record<string, unknown>): Map<string, string> {
  const dyn = info?.params?.['x-ports'];
  return new Map(dyn ? dynamicPorts(dyn, params ?? {}).map((p) => [p.id, p.label]) : []);
}

function dynamicPorts(spec: NonNullable<NodeTypeInfo['params']['x-ports']>, params: Record<string, unknown>): Array<{ id: string; label: string }> {
  const list = Array.isArray(params[spec.list]) ? (params[spec.list] as Array<Record<string, unknown>>) : [];
  const seen = new Set<string>();
  const out: Array<{ id: string; label: string }> = [];
  for (const el of list) {
    const id = typeof el?.[spec.key] === 'string' ? (el[spec.key] as string) : '';
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const label = spec.label && typeof el[spec.label] === 'string' && el[spec.label] ? (el[spec.label] as string) : id;
    out.push({ id, label });
  }
  for (const t of spec.then ?? []) if (!seen.has(t)) out.push({ id: t, label: t });
  return out;
}

export const CATEGORY_ORDER = ['trigger', 'logic', 'data', 'action'];
