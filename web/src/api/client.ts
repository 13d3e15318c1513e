import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';
import type { ApiErrorBody } from './types';

/** Error raised for every non-2xx answer of the API (and for an unreachable server). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | null;
  /** What the message names (a refusal's account `handle`, a `stage`), for the UI's own sentence. */
  readonly params: Record<string, unknown>;

  constructor(status: number, code: string, message: string, field: string | null = null, params: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
    this.params = params;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

let csrfToken: string | null = null;

/** Remember the CSRF token handed out with `Me`. */
export function setCsrfToken(token: string | null | undefined): void {
  csrfToken = token ?? null;
}

function readCookie(name: string): string | null {
  if (typeof document === 'undefined') return null;
  for (const part of document.cookie.split(';')) {
    const [k, ...rest] = part.trim().split('=');
    if (k === name) return decodeURIComponent(rest.join('='));
  }
  return null;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const token = readCookie('kox_csrf') ?? csrfToken;
      if (token) request.headers.set('X-CSRF-Token', token);
    }
    return request;
  },
};

/** Typed client: paths, parameters and bodies are checked against the generated schema. */
export const api = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
api.use(csrf);

function isErrorBody(v: unknown): v is ApiErrorBody {
  return typeof v === 'object' && v !== null && 'error' in v && typeof (v as ApiErrorBody).error?.code === 'string';
}

/** Resolves an openapi-fetch call to its data, or throws an `ApiError`. */
export async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof pending>;
  try {
    result = await pending;
  } catch (e) {
    throw new ApiError(0, 'network.unreachable', e instanceof Error ? e.message : String(e));
  }
  const { data, error, response } = result;
  if (!response.ok) {
    if (isErrorBody(error)) {
      throw new ApiError(response.status, error.error.code, error.error.message, error.error.field ?? null, error.error.params ?? {});
    }
    throw new ApiError(response.status, `http.${response.status}`, typeof error === 'string' && error ? error : response.statusText);
  }
  return data as T;
}
