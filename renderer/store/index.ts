// One zustand store composed of slices. Its writes go through the MailwardApi it is created with, so tests
// hand it a fake API instead of the engine.
import { createContext, createElement, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ApiEvent, MailwardApi } from '../../shared/api.ts';
import { createDetectionsSlice, type DetectionsSlice } from './detections-slice.ts';
import { createSettingsSlice, type SettingsSlice } from './settings-slice.ts';
import { createStatusSlice, type StatusSlice } from './status-slice.ts';
import { createUiSlice, type UiSlice } from './ui-slice.ts';

export type AppState = SettingsSlice & StatusSlice & DetectionsSlice & UiSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(api: MailwardApi): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createSettingsSlice(api)(...a),
    ...createStatusSlice(api)(...a),
    ...createDetectionsSlice(api)(...a),
    ...createUiSlice(...a),
  }));
}

/** Route engine events into the store; returns the unsubscribe function. */
export function connectEvents(store: AppStore, api: MailwardApi): () => void {
  return api.onEvent((e: ApiEvent) => {
    const s = store.getState();
    if (e.type === 'settings') s.receiveSettings(e.settings);
    else if (e.type === 'status') s.receiveStatus(e.status);
    else if (e.type === 'stats') s.receiveStats(e.stats);
    else if (e.type === 'detection') s.receiveDetection(e.detection);
    else if (e.type === 'warning') s.addWarning(e.message);
  });
}

/** First load of everything the pages show; a refused token ends here with a message. */
export async function loadAll(store: AppStore): Promise<void> {
  const s = store.getState();
  try {
    await Promise.all([s.loadSettings(), s.loadStatus(), s.loadDetections()]);
  } catch (err) {
    const status = (err as { error?: { status?: number } }).error?.status;
    s.setFatal(
      status === 401
        ? 'The console refused the access token. Open the address `mailward run` printed for this run.'
        : `Cannot reach Mailward: ${(err as Error).message}`,
    );
  }
}

const StoreContext = createContext<AppStore | null>(null);

export function StoreProvider({ store, children }: { store: AppStore; children: ReactNode }) {
  return createElement(StoreContext.Provider, { value: store }, children);
}

export function useAppStore<T>(selector: (s: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useAppStore outside StoreProvider');
  return useStore(store, selector);
}

export function useStoreApi(): AppStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useStoreApi outside StoreProvider');
  return store;
}
