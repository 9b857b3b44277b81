// The one way the lab talks to advlab: the public JSON API, problem+json errors turned into words.

/** A 4xx/5xx answer, read from its RFC 9457 problem+json body. */
export class ApiError extends Error {
  constructor(status, problem, retryAfter) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.title = problem.title || `HTTP ${status}`;
    this.detail = problem.detail || '';
    this.field = problem.field || null;
    this.retryAfter = retryAfter;
  }
}

const TOKEN_KEY = 'advlab.adminToken';

/** The admin token the user typed in this tab (sessionStorage: gone when the tab closes). */
export const adminToken = {
  get: () => sessionStorage.getItem(TOKEN_KEY) || '',
  set: (value) => (value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY)),
};

/**
 * Calls the API: JSON in, JSON (or text) out. Throws ApiError for an error status and for a
 * network failure (status 0), so callers show one kind of error.
 */
export async function api(path, { method = 'GET', body, admin = false } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (admin && adminToken.get()) headers.Authorization = `Bearer ${adminToken.get()}`;
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (e) {
    throw new ApiError(0, { title: 'advlab did not answer', detail: `The request could not be sent (${e.message}).` });
  }
  const type = response.headers.get('Content-Type') || '';
  if (!response.ok) {
    let problem = { title: response.statusText || `HTTP ${response.status}` };
    if (type.includes('json')) {
      try {
        problem = await response.json();
      } catch {
        // keep the status text
      }
    }
    throw new ApiError(response.status, problem, response.headers.get('Retry-After'));
  }
  if (response.status === 204) return null;
  return type.includes('json') ? response.json() : response.text();
}

/** Whether an error says the endpoint is not there at all (a feature this server does not have). */
export const isAbsent = (error) => error instanceof ApiError && (error.status === 404 || error.status === 405);
