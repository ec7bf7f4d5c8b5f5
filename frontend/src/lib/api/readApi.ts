// Calls to the read API, from the server (SSR, absolute READ_API_URL) or the browser
// (same-origin relative paths through the one-origin server). Failures come back as
// values a page can render, never as thrown errors or stack traces.
import {
  ContractError,
  parseActivity,
  parseChartData,
  parseStats,
  type ActivityItem,
  type ChartData,
  type DashboardStats,
} from './contract.ts';

export type ApiProblemKind = 'unreachable' | 'http' | 'contract';

export interface ApiProblem {
  kind: ApiProblemKind;
  /** Safe to show to a dashboard admin. */
  message: string;
  status?: number;
}

export type ApiResult<T> = { ok: true; data: T } | { ok: false; problem: ApiProblem };

export const readApiPaths = {
  stats: '/api/v1/dashboard/stats',
  activity: (limit: number) => `/api/v1/dashboard/activity?limit=${limit}`,
  chart: (days: number) => `/api/v1/dashboard/chart-data?days=${days}`,
} as const;

export interface ReadApiOptions {
  fetch: typeof fetch;
  /** '' in the browser (same origin); READ_API_URL on the server. */
  baseUrl: string;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

async function problemFromResponse(response: Response): Promise<ApiProblem> {
  let message = `The read API answered ${response.status}.`;
  try {
    const body: unknown = await response.json();
    if (typeof body === 'object' && body !== null && 'message' in body) {
      const text = body.message;
      if (typeof text === 'string' && text.length > 0) message = text;
    }
  } catch {
    // A non-JSON error body (e.g. from a proxy) keeps the generic message.
  }
  return { kind: 'http', status: response.status, message };
}

export async function getJson<T>(
  path: string,
  parse: (body: unknown) => T,
  options: ReadApiOptions,
): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await options.fetch(options.baseUrl + path, {
      headers: { accept: 'application/json', ...options.headers },
      signal: AbortSignal.timeout(options.timeoutMs ?? 5_000),
    });
  } catch {
    return {
      ok: false,
      problem: {
        kind: 'unreachable',
        message: 'The read API is not answering; it may be starting up or down.',
      },
    };
  }
  if (!response.ok) return { ok: false, problem: await problemFromResponse(response) };
  try {
    return { ok: true, data: parse(await response.json()) };
  } catch (error) {
    const detail = error instanceof ContractError ? ` (${error.message})` : '';
    return {
      ok: false,
      problem: {
        kind: 'contract',
        message: `The read API sent data this dashboard does not understand${detail}.`,
      },
    };
  }
}

export const getStats = (options: ReadApiOptions): Promise<ApiResult<DashboardStats>> =>
  getJson(readApiPaths.stats, parseStats, options);

export const getActivity = (
  limit: number,
  options: ReadApiOptions,
): Promise<ApiResult<ActivityItem[]>> =>
  getJson(readApiPaths.activity(limit), parseActivity, options);

export const getChart = (days: number, options: ReadApiOptions): Promise<ApiResult<ChartData>> =>
  getJson(readApiPaths.chart(days), parseChartData, options);
