import type { AtlasFault } from "./simulator-types.ts";

/** Injected faults, matched in insertion order and dropped once used `times` times. */
export class FaultQueue {
  readonly #faults: AtlasFault[] = [];

  add(fault: AtlasFault): void {
    this.#faults.push({ ...fault, times: fault.times ?? 1 });
  }

  /** Returns the first fault matching the request and uses it up once. */
  take(method: string, path: string): AtlasFault | undefined {
    const index = this.#faults.findIndex(
      (fault) =>
        (!fault.method || fault.method === method) &&
        (!fault.pathIncludes || path.includes(fault.pathIncludes)),
    );
    const fault = this.#faults[index];
    if (!fault) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.#faults.splice(index, 1);
    return fault;
  }
}
