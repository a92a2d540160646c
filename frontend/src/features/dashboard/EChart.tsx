// The one place ECharts is loaded: only the pieces the dashboard draws (tree-shaken), in a chunk
// of its own that the dashboard loads on first use.
import { useComputedColorScheme } from '@mantine/core';
import { BarChart, FunnelChart, HeatmapChart, LineChart, PieChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([
  BarChart,
  FunnelChart,
  HeatmapChart,
  LineChart,
  PieChart,
  GridComponent,
  LegendComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
  SVGRenderer,
]);

/** What a click on a bar, slice or stage says. */
export interface ChartClick {
  /** The category or item name. */
  name: string;
  dataIndex: number;
  seriesIndex: number;
}

export interface EChartProps {
  option: echarts.EChartsCoreOption;
  height: number;
  /** What the chart shows, for screen readers. */
  label: string;
  onClick?(click: ChartClick): void;
  testId?: string;
}

/**
 * An ECharts chart in a div: created on mount, redrawn on every new option, resized with its
 * box, disposed on unmount, and drawn with the dark theme when the window is dark. SVG keeps
 * the few hundred shapes of a dashboard crisp at any zoom.
 */
export default function EChart({ option, height, label, onClick, testId }: EChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const scheme = useComputedColorScheme('light');

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const c = echarts.init(el, scheme === 'dark' ? 'dark' : undefined, { renderer: 'svg' });
    chart.current = c;
    const observer = new ResizeObserver(() => c.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [scheme]);

  useEffect(() => {
    chart.current?.setOption({ backgroundColor: 'transparent', ...option }, { notMerge: true });
  }, [option, scheme]);

  useEffect(() => {
    const c = chart.current;
    if (!c || !onClick) return;
    const handler = (p: { name?: string; dataIndex?: number; seriesIndex?: number }) =>
      onClick({ name: p.name ?? '', dataIndex: p.dataIndex ?? 0, seriesIndex: p.seriesIndex ?? 0 });
    c.on('click', handler);
    return () => {
      // On unmount the chart may be disposed already (effects clean up in order).
      if (!c.isDisposed()) c.off('click', handler);
    };
  }, [onClick, scheme]);

  return (
    <div
      ref={ref}
      role="img"
      aria-label={label}
      data-testid={testId}
      style={{ height, width: '100%', cursor: onClick ? 'pointer' : undefined }}
    />
  );
}
