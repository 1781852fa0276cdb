// clamscan's convention, which scripts around scanners already understand.
export const EXIT = { ok: 0, detected: 1, error: 2, unscannable: 3 } as const;
