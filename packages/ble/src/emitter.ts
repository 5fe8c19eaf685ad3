import type { Logger } from './logger.ts';

type ListenerMap<E> = { [K in keyof E]?: Set<E[K]> };

/**
 * A small typed event emitter: `on()` returns the function that removes the listener. A listener that throws is
 * logged and does not stop the others (a bug in a consumer must not break the radio loop).
 */
export class Emitter<E extends { [K in keyof E]: (...args: never[]) => void }> {
  readonly #listeners: ListenerMap<E> = {};
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  on<K extends keyof E>(event: K, listener: E[K]): () => void {
    let set = this.#listeners[event];
    if (set === undefined) {
      set = new Set();
      this.#listeners[event] = set;
    }
    set.add(listener);
    return () => {
      set.delete(listener);
    };
  }

  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    const set = this.#listeners[event];
    if (set === undefined) return;
    for (const listener of [...set]) {
      try {
        (listener as (...a: Parameters<E[K]>) => void)(...args);
      } catch (error) {
        this.#logger.error('listener threw', { event: String(event), error: String(error) });
      }
    }
  }

  listenerCount(event: keyof E): number {
    return this.#listeners[event]?.size ?? 0;
  }
}
