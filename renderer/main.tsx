// Entry point: pick the API (Electron preload or console bridge), build the store, load, render.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { chooseApi } from './api/index.ts';
import { App } from './App.tsx';
import { connectEvents, createAppStore, loadAll, StoreProvider } from './store/index.ts';
import './styles.css';

const root = createRoot(document.getElementById('root')!);
const choice = chooseApi();
if (!choice.api) {
  root.render(
    <main className="content">
      <section className="page fatal" role="alert">
        <h2>Cannot open the settings</h2>
        <p>{choice.problem}</p>
      </section>
    </main>,
  );
} else {
  const store = createAppStore(choice.api);
  connectEvents(store, choice.api);
  void loadAll(store);
  root.render(
    <StrictMode>
      <StoreProvider store={store}>
        <App api={choice.api} />
      </StoreProvider>
    </StrictMode>,
  );
}
