// Responses go to the client in the order the server sent them. A response waiting for a scan holds
// back the ones after it (in this session only). Ready responses are handed on one by one, never
// concatenated (that would copy every held message once more); session.ts corks the socket for the tick,
// so they still leave as one writev.

type Item = { ready: true; data: Buffer } | { ready: false; promise: Promise<Buffer>; bytes: number };

export class OutputQueue {
  private readonly items: Item[] = [];
  private ready: Buffer[] = [];

  /** Bytes of the responses still being produced (what the session holds in memory for them). */
  private held = 0;

  constructor(
    private readonly send: (data: Buffer) => void,
    private readonly onError: (error: unknown) => void,
    private readonly onDrained: () => void = () => {},
  ) {}

  get heldBytes(): number {
    return this.held;
  }

  push(data: Buffer): void {
    if (this.items.length === 0) this.ready.push(data);
    else this.items.push({ ready: true, data });
  }

  /** Queues a response that is still being produced (`bytes` held for it); later pushes wait for it. */
  pushLater(promise: Promise<Buffer>, bytes = 0): void {
    this.flush();
    const item: Item = { ready: false, promise, bytes };
    this.items.push(item);
    this.held += bytes;
    promise.then(
      (data) => {
        this.held -= bytes;
        Object.assign(item, { ready: true, data });
        this.drain();
        this.onDrained();
      },
      (error) => this.onError(error),
    );
  }

  /** Writes everything ready at the head of the queue. */
  flush(): void {
    if (this.ready.length === 0) return;
    const out = this.ready;
    this.ready = [];
    for (const data of out) this.send(data);
  }

  /** Resolves when nothing is waiting any more. */
  idle(): Promise<void> {
    const last = [...this.items].reverse().find((i) => !i.ready);
    if (!last || last.ready) return Promise.resolve();
    return last.promise.then(
      () => this.idle(),
      () => this.idle(),
    );
  }

  /** Drops what is still waiting (the session ends). */
  clear(): void {
    this.items.length = 0;
    this.ready = [];
    this.held = 0;
  }

  private drain(): void {
    while (this.items.length && this.items[0].ready) {
      const head = this.items.shift() as { ready: true; data: Buffer };
      this.ready.push(head.data);
    }
    this.flush();
  }
}
