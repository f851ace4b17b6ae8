import { describe, expect, it, vi } from 'vitest';
import { Listeners } from './listeners';

/** A registration that finishes when `finish` is called, with its own unlisten spy. */
function pending() {
  const unlisten = vi.fn();
  let finish: () => void = () => {};
  const registering = new Promise<() => void>((resolve) => (finish = () => resolve(unlisten)));
  return { unlisten, registering, finish };
}

describe('Listeners', () => {
  it('removes what it holds on stop', async () => {
    const listeners = new Listeners();
    const one = pending();
    const adding = listeners.add(one.registering);
    one.finish();
    await adding;
    expect(one.unlisten).not.toHaveBeenCalled();
    listeners.stop();
    expect(one.unlisten).toHaveBeenCalledTimes(1);
  });

  it('removes a listener that arrives after the stop', async () => {
    const listeners = new Listeners();
    const late = pending();
    const adding = listeners.add(late.registering);
    listeners.stop();
    late.finish();
    await adding;
    expect(late.unlisten).toHaveBeenCalledTimes(1);
  });

  it('keeps a listener registered after a stop and a new start', async () => {
    const listeners = new Listeners();
    listeners.stop();
    const again = pending();
    const adding = listeners.add(again.registering);
    again.finish();
    await adding;
    expect(again.unlisten).not.toHaveBeenCalled();
  });
});
