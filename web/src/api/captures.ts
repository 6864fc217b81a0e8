/** API calls of "listen for a real event" and server-side signing (docs/listen.md); failures come back as ApiError values. */
import type { CaptureDetail, CaptureView } from '../../../server/flows/capture-view.js';
import type { ListenState } from '../../../server/flows/capture-service.js';
import type { SignedHeaders } from '../../../server/flows/sign-request.js';
import { request } from './client';
import type { Page } from './types';

export type { CaptureDetail, CaptureView, ListenState, SignedHeaders };

const id = (s: string) => encodeURIComponent(s);

export const capturesApi = {
  listen: (flowId: string, minutes?: number) => request<ListenState>('POST', `/flows/${id(flowId)}/listen`, minutes === undefined ? {} : { minutes }),
  listenState: (flowId: string) => request<ListenState>('GET', `/flows/${id(flowId)}/listen`),
  stopListening: (flowId: string) => request<ListenState>('DELETE', `/flows/${id(flowId)}/listen`),
  list: (flowId: string) => request<Page<CaptureView>>('GET', `/flows/${id(flowId)}/captures?limit=50`),
  get: (flowId: string, captureId: string) => request<CaptureDetail>('GET', `/flows/${id(flowId)}/captures/${id(captureId)}`),
  /** The signature headers the flow's hmac preset expects for exactly `body`, signed on the server. */
  sign: (flowId: string, body: string, headers: Record<string, string>) =>
    request<SignedHeaders>('POST', `/flows/${id(flowId)}/sign`, { body, headers }),
};
