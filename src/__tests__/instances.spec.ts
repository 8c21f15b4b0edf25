/**
 * Tests of the kernel-bar item's model: the instance-style summary, readings with the current kernel, and a failed
 * reading as a sentence.
 */
import { machineSummary, MachineModel } from '../instances/model';
import type { IMachine } from '../instances/systemRoute';

const machine: IMachine = {
  cpuCount: 2,
  memoryBytes: 24 * 2 ** 30 + 123,
  gpus: [],
  cpuPercent: 12.5,
  memoryUsedBytes: 3 * 2 ** 30,
  kernel: null
};

describe('machineSummary', () => {
  it('reads like an instance type', () => {
    expect(machineSummary(machine)).toBe('2 vCPU + 24 GiB');
    expect(
      machineSummary({
        ...machine,
        cpuCount: 4,
        memoryBytes: 7.6 * 2 ** 30,
        gpus: [{ model: 'Tesla T4', memoryMiB: 15360 }]
      })
    ).toBe('4 vCPU + 7.6 GiB + 1 GPU');
  });
});

describe('MachineModel', () => {
  it('reads with the current kernel and reports failures as sentences', async () => {
    const asked: (string | null)[] = [];
    let fail = false;
    let kernel: string | null = null;
    const model = new MachineModel({
      read: async id => {
        asked.push(id);
        if (fail) {
          throw new Error('server gone');
        }
        return machine;
      },
      kernelId: () => kernel,
      isVisible: () => true,
      describeError: err => `Unavailable: ${(err as Error).message}`,
      seconds: 3600
    });
    await model.refresh();
    expect(model.machine).toEqual(machine);
    kernel = 'k-1';
    await model.refresh();
    expect(asked).toContain('k-1');
    fail = true;
    await model.refresh();
    expect(model.error).toBe('Unavailable: server gone');
    model.dispose();
    expect(model.isDisposed).toBe(true);
  });
});
