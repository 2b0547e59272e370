/**
 * What the blocks of one run share beyond their inputs and outputs, for executors the scheduler runs itself
 * (placement `scheduler`): each resource is opened by the first block that asks for it and closed when the run
 * ends, whatever happened. SQL blocks keep their run's database process here.
 */

export interface RunResource {
  close(): Promise<void>;
}

export class RunResources {
  private readonly opened = new Map<string, Promise<RunResource>>();
  private closed = false;

  /** The resource under `key`, opened by `open` on first use; a failed open is not kept, so the next asks again. */
  get<T extends RunResource>(key: string, open: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`the run's resources are closed (${key})`));
    let found = this.opened.get(key);
    if (!found) {
      found = open();
      this.opened.set(key, found);
      found.catch(() => {
        if (this.opened.get(key) === found) this.opened.delete(key);
      });
    }
    return found as Promise<T>;
  }

  /** Closes every resource opened so far (those still opening are closed once open). */
  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.opened.values()];
    this.opened.clear();
    await Promise.all(all.map((p) => p.then((r) => r.close()).catch(() => undefined)));
  }

  /** `await using resources = new RunResources()` closes them when the scope is left, however it is left. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
