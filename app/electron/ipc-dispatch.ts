// One API call arriving over IPC: check who sent it, then hand it to the shared dispatcher (app/api),
// which parses the arguments with API_ARGS before the engine sees them and answers with an ApiResult —
// errors cross as {code, message}. Every rejected call is logged here.
import type { ApiMethod, ApiResult, MailwardApi } from '../../shared/api.ts';
import type { Logger } from '../../main/log.ts';
import { dispatchApiCall } from '../api/dispatch.ts';
import { senderProblem, type SenderInfo } from './security.ts';

export interface DispatchContext {
  api: MailwardApi;
  /** The webContents id of our window, or null while it does not exist. */
  ourWebContentsId: () => number | null;
  log: Pick<Logger, 'warn' | 'error'>;
}

export async function dispatchIpcCall(
  ctx: DispatchContext,
  method: ApiMethod,
  sender: SenderInfo,
  args: unknown[],
): Promise<ApiResult<unknown>> {
  const problem = senderProblem(sender, ctx.ourWebContentsId());
  if (problem) {
    ctx.log.warn({ method, reason: problem, url: sender.frame?.url }, 'IPC call rejected: sender');
    return { ok: false, error: { code: 'forbidden', message: 'This window may not use the Mailward API.' } };
  }
  const result = await dispatchApiCall(ctx.api, method, args, (err) =>
    ctx.log.error({ method, err: (err as Error)?.message }, 'IPC call failed'),
  );
  if (!result.ok && result.error.code === 'invalid_input')
    ctx.log.warn({ method, reason: result.error.message }, 'IPC call rejected: invalid arguments');
  return result;
}
