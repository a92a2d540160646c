import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';

const chart = {
  setOption: vi.fn(),
  resize: vi.fn(),
  dispose: vi.fn(),
  on: vi.fn(),
  off: vi.fn(),
  isDisposed: vi.fn(() => false),
};
const init = vi.fn((..._args: unknown[]) => chart);

vi.mock('echarts/core', () => ({ use: vi.fn(), init: (...args: unknown[]) => init(...args) }));

const { default: EChart } = await import('./EChart');

function draw(scheme: 'light' | 'dark', props: Partial<Parameters<typeof EChart>[0]> = {}) {
  return render(
    <MantineProvider forceColorScheme={scheme} env="test">
      <EChart option={{ series: [] }} height={200} label="Growth" {...props} />
    </MantineProvider>,
  );
}

describe('EChart', () => {
  beforeEach(() => vi.clearAllMocks());

  it('draws the option with a transparent background and disposes on unmount', () => {
    const view = draw('light', { option: { series: [{ type: 'bar', data: [1] }] } });
    expect(init).toHaveBeenCalledWith(expect.any(HTMLDivElement), undefined, { renderer: 'svg' });
    expect(chart.setOption).toHaveBeenLastCalledWith(
      { backgroundColor: 'transparent', series: [{ type: 'bar', data: [1] }] },
      { notMerge: true },
    );
    view.unmount();
    expect(chart.dispose).toHaveBeenCalled();
  });

  it('uses the dark theme in a dark window', () => {
    draw('dark');
    expect(init).toHaveBeenCalledWith(expect.any(HTMLDivElement), 'dark', { renderer: 'svg' });
  });

  it('redraws when the option changes', () => {
    const view = draw('light');
    view.rerender(
      <MantineProvider forceColorScheme="light" env="test">
        <EChart option={{ series: [{ type: 'line' }] }} height={200} label="Growth" />
      </MantineProvider>,
    );
    expect(chart.setOption).toHaveBeenLastCalledWith(
      { backgroundColor: 'transparent', series: [{ type: 'line' }] },
      { notMerge: true },
    );
    expect(init).toHaveBeenCalledTimes(1);
  });

  it('forwards clicks with the item’s index', () => {
    const onClick = vi.fn();
    draw('light', { onClick });
    const handler = chart.on.mock.calls[0]![1] as (p: object) => void;
    handler({ name: 'Ambassadors', dataIndex: 0, seriesIndex: 1 });
    expect(onClick).toHaveBeenCalledWith({ name: 'Ambassadors', dataIndex: 0, seriesIndex: 1 });
  });
});
