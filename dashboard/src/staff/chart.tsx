import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** A small time-series chart (uPlot): x in Unix seconds, one or more named series; `label` names it for screen readers. */
export function Chart({
  x,
  series,
  label,
  height = 240,
}: {
  x: number[];
  series: { label: string; values: number[]; color: string }[];
  label: string;
  height?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const plot = new uPlot(
      {
        width: element.clientWidth || 640,
        height,
        series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, points: { show: true } }))],
        axes: [{}, { label: '' }],
        scales: { x: { time: true } },
      },
      [x, ...series.map((s) => s.values)],
      element,
    );
    return () => plot.destroy();
  }, [x, series, height]);
  return <div class="chart" ref={box} role="img" aria-label={label} />;
}
