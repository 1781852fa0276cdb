// The engine's event types live in shared/ because the UI receives them too.
export type * from '../shared/events.ts';
