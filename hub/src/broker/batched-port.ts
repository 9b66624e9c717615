import type { MessagePort, Transferable, Worker } from 'node:worker_threads';

/**
 * One side of the link between the main thread and the broker thread. Messages sent in one
 * turn of the event loop go over as one array: at tens of thousands of events a second, a
 * `postMessage` each (a clone and a wake-up of the other thread) would cost more than the
 * events. Order is kept, and a message with a transfer list flushes what is queued first.
 */
export class BatchedPort<Out> {
  #queue: Out[] = [];

  constructor(private readonly port: MessagePort | Worker) {}

  send(message: Out): void {
    if (this.#queue.length === 0) setImmediate(() => this.flush());
    this.#queue.push(message);
  }

  /** Sends a message that carries transferables (a `MessagePort`) at once, after what is queued. */
  sendTransferring(message: Out, transfer: readonly Transferable[]): void {
    this.flush();
    this.port.postMessage([message], transfer);
  }

  flush(): void {
    if (this.#queue.length === 0) return;
    const batch = this.#queue;
    this.#queue = [];
    this.port.postMessage(batch);
  }
}
