import type { Logger } from 'pino';

/**
 * A part of the hub with something to start and stop (a listening socket, a timer, a worker).
 * Its constructor or factory did no I/O; `start()` does, `stop()` undoes it and clears every
 * timer and listener it set.
 */
export interface Component {
  readonly name: string;
  start?(): Promise<void> | void;
  stop?(): Promise<void> | void;
}

/**
 * Starts components in the order given and stops them in the reverse order: the order is
 * stated once, where the hub is composed, and stopping can never get out of step with it. A
 * component that fails to start stops the ones already started before the error is passed on.
 * Stopping goes on past a component that fails to stop (logged), so the rest are still closed.
 */
export class Lifecycle {
  #started: Component[] = [];
  #starting: Promise<void> | undefined;

  constructor(
    private readonly components: readonly Component[],
    private readonly logger: Logger,
  ) {}

  /** Starts everything once; a second call waits for the first. */
  start(): Promise<void> {
    this.#starting ??= this.#startAll();
    return this.#starting;
  }

  /** Stops what was started, newest first; idempotent. */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    await this.#stopStarted();
    this.#starting = undefined;
  }

  async #startAll(): Promise<void> {
    for (const component of this.components) {
      try {
        await component.start?.();
      } catch (error) {
        this.logger.error({ err: error, component: component.name }, 'a component failed to start');
        await this.#stopStarted();
        throw error;
      }
      this.#started.push(component);
    }
  }

  async #stopStarted(): Promise<void> {
    for (let component = this.#started.pop(); component; component = this.#started.pop()) {
      try {
        await component.stop?.();
      } catch (error) {
        this.logger.error({ err: error, component: component.name }, 'a component failed to stop');
      }
    }
  }
}
