/** The node catalogue from GET /api/node-types, shared with the canvas cards through context. */
import { createContext, useContext } from 'react';
import type { NodeTypeInfo } from '../api/types';

export type Catalogue = ReadonlyMap<string, NodeTypeInfo>;
export const CatalogueContext = createContext<Catalogue>(new Map());
export const useCatalogue = (): Catalogue => useContext(CatalogueContext);

/** Ports of a node type, `error` last and exactly once. */
export function portsOf(info: NodeTypeInfo | undefined): string[] {
  const ports = (info?.ports ?? ['out']).filter((p) => p !== 'error');
  return [...ports, 'error'];
}

export const CATEGORY_ORDER = ['trigger', 'logic', 'data', 'action'];
