// The gateway's REST API from the browser: the API key from session storage as a bearer header (never in a URL),
// errors in the gateway's one shape.
import type { Role } from '@regchain/common';

const KEY = 'regchain.apiKey';

export interface Me {
  readonly id: string;
  readonly role: Role;
  readonly mspId: string;
  readonly entityId: string;
}

/** An answer that is not 2xx, with the gateway's code and message. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export const storedKey = (): string | null => sessionStorage.getItem(KEY);
export const storeKey = (key: string): void => sessionStorage.setItem(KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(KEY);

type Query = Record<string, string | number | boolean | undefined>;

export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export function authHeaders(key: string | null = storedKey()): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

async function failure(res: Response): Promise<ApiFailure> {
  const body = (await res.json().catch(() => undefined)) as { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
  return new ApiFailure(res.status, body?.code ?? `HTTP_${res.status}`, body?.message ?? res.statusText, body?.details ?? {});
}

/** Calls the API; a body is sent as JSON unless it is a string (then as text/csv). */
export async function api<T>(
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  options: { query?: Query; body?: unknown; key?: string | null; anonymous?: boolean } = {},
): Promise<T> {
  const headers: Record<string, string> = options.anonymous ? {} : authHeaders(options.key === undefined ? storedKey() : options.key);
  let body: BodyInit | undefined;
  if (typeof options.body === 'string') {
    headers['content-type'] = 'text/csv';
    body = options.body;
  } else if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(withQuery(path, options.query), { method, headers, body, credentials: 'omit', cache: 'no-store' });
  if (!res.ok) {
    const err = await failure(res);
    // A key revoked or rotated while the console is open: the shell signs out and says why.
    if (err.status === 401 && !options.anonymous && options.key === undefined)
      window.dispatchEvent(new CustomEvent('rc-unauthenticated', { detail: err.message }));
    throw err;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** Downloads an answer as a file (the evidence bundle) without putting the key in a link. */
export async function download(path: string, fallbackName: string): Promise<Blob> {
  const res = await fetch(path, { headers: authHeaders(), credentials: 'omit', cache: 'no-store' });
  if (!res.ok) throw await failure(res);
  const blob = await res.blob();
  const name = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return blob;
}
