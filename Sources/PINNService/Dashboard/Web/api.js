// The v1 API (docs/api.md) as the page calls it: requests with the API token, and the errors the page expects.

/** An answer the page expects and shows (an HTTP error, or no server): not a bug. */
export class ApiError extends Error {
  constructor(status, message, issues = []) {
    super(message);
    this.status = status;
    this.issues = Array.isArray(issues) ? issues : [];
  }
}

// The API token (docs/api.md, "Authentication"), kept in this browser's localStorage and sent with every
// request as Authorization: Bearer. Empty: none (a server without tokens, or public reads).
const TOKEN_KEY = 'pinn.token';
/** `onProblem(kind)` shows that a token is 'needed' or was 'refused' (the token form sets it). */
export const auth = { token: '', onProblem: () => {} };
try {
  auth.token = window.localStorage.getItem(TOKEN_KEY) || '';
} catch (_) {
  // Storage disabled: the token lasts until the page is reloaded.
}

/** Uses `token` from now on and keeps it in this browser (an empty one is forgotten). */
export function storeToken(token) {
  auth.token = token;
  try {
    if (token) window.localStorage.setItem(TOKEN_KEY, token);
    else window.localStorage.removeItem(TOKEN_KEY);
  } catch (_) {
    // Storage disabled: kept for this page only.
  }
}

/** `headers` with the token's Authorization header, when there is a token. */
export function withToken(headers = {}) {
  return auth.token ? Object.assign({}, headers, { Authorization: 'Bearer ' + auth.token }) : headers;
}

/** The ApiError of an answer that is not 2xx, with the server's message (and issues, for an invalid spec). */
export async function apiErrorOf(response) {
  let message = response.status + ' ' + response.statusText;
  let issues = [];
  try {
    const body = await response.json();
    if (body && body.error) {
      message = body.error.message || message;
      issues = body.error.issues || [];
    }
  } catch (_) {
    // Not JSON: keep the status line.
  }
  if (response.status === 401) {
    message = (auth.token ? 'the API token was refused (' : 'this server needs an API token (') + message +
      '): enter one at the top of the page';
    auth.onProblem(auth.token ? 'refused' : 'needed');
  }
  return new ApiError(response.status, message, issues);
}

export async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(path, Object.assign({ cache: 'no-store' }, options, { headers: withToken(options.headers) }));
  } catch (error) {
    throw new ApiError(0, 'the server cannot be reached (' + error.message + ')');
  }
  if (!response.ok) throw await apiErrorOf(response);
  return response;
}

export const getJSON = async (path) => (await request(path)).json();

/** Returns an expected error to show; rethrows anything else, which is a bug and belongs on the console. */
export function expected(error) {
  if (error instanceof ApiError) return error;
  throw error;
}

/** Runs a promise nobody awaits: expected errors are shown by their callers, bugs still surface. */
export function background(promise) {
  promise.catch((error) => {
    if (error instanceof ApiError) console.warn(error.message);
    else throw error;
  });
}
