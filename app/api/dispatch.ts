// One entry point for calls that arrive from outside the process (HTTP body, IPC payload): the method
// name is checked against API_METHODS and the arguments parsed with API_ARGS before the engine sees them.
// Errors cross as `{code, message}`; unexpected ones are logged here and reported without detail.
import { API_ARGS, API_METHODS, type ApiMethod, type ApiResult, type MailwardApi } from '../../shared/api.ts';
import { ApiFailure } from './errors.ts';

export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

export async function dispatchApiCall(
  api: MailwardApi,
  method: string,
  rawArgs: unknown,
  onInternalError?: (err: unknown) => void,
): Promise<ApiResult<unknown>> {
  if (!isApiMethod(method))
    return { ok: false, error: { code: 'not_found', message: `Unknown method "${method}"` } };
  const parsed = API_ARGS[method].safeParse(rawArgs ?? []);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => i.message).join('; ');
    return {
      ok: false,
      error: { code: 'invalid_input', message: `Bad arguments for ${method}: ${message}` },
    };
  }
  try {
    const fn = api[method] as (...args: unknown[]) => Promise<unknown>;
    return { ok: true, value: await fn(...(parsed.data as unknown[])) };
  } catch (err) {
    if (err instanceof ApiFailure) return { ok: false, error: { code: err.code, message: err.message } };
    onInternalError?.(err);
    return { ok: false, error: { code: 'internal', message: `${method} failed` } };
  }
}
