import { PeriodicTask } from './periodic-task';

describe('PeriodicTask', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('never overlaps a run still in flight, reports errors, and stop() waits for the run', async () => {
    let runs = 0;
    let finish!: () => void;
    const errors: unknown[] = [];
    const task = new PeriodicTask(
      () => {
        runs++;
        if (runs === 2) return Promise.reject(new Error('boom'));
        return new Promise<void>((resolve) => (finish = resolve));
      },
      (error) => errors.push(error),
    );
    task.start(1);
    await jest.advanceTimersByTimeAsync(3000);
    expect(runs).toBe(1); // the first run is still going
    finish();
    await jest.advanceTimersByTimeAsync(1000);
    expect(runs).toBe(2);
    expect(errors).toEqual([new Error('boom')]);
    await jest.advanceTimersByTimeAsync(1000);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    await jest.advanceTimersByTimeAsync(5000);
    expect(runs).toBe(3);
  });

  it('does nothing at 0 seconds', async () => {
    const work = jest.fn(() => Promise.resolve());
    const task = new PeriodicTask(work, () => undefined);
    task.start(0);
    await jest.advanceTimersByTimeAsync(10_000);
    expect(work).not.toHaveBeenCalled();
    await task.stop();
  });
});
