// The renderer's one way to the engine: `window.mailward` from the Electron preload when it exists,
// otherwise the console's HTTP + WebSocket bridge with the token from the URL fragment.
import type { MailwardApi } from '../../shared/api.ts';
import { createHttpApi } from './http-client.ts';

declare global {
  interface Window {
    mailward?: MailwardApi;
  }
}

const TOKEN_KEY = 'mailward.consoleToken';

/** The console token: from `#token=…` (then removed from the address bar), or from this tab's session. */
export function readConsoleToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.replace(/^#/, '')).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

export type ApiChoice = { api: MailwardApi; host: 'electron' | 'console' } | { api: null; problem: string };

export function chooseApi(): ApiChoice {
  if (window.mailward) return { api: window.mailward, host: 'electron' };
  const token = readConsoleToken();
  if (!token)
    return {
      api: null,
      problem: 'Open the console with the address `mailward run` printed: it carries the access token.',
    };
  return { api: createHttpApi({ origin: location.origin, token }), host: 'console' };
}
