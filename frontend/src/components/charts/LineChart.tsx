// A small SVG line chart (loss curves, PR curves, AP against steps): no chart library needed.

export type Series = { name: string; color: string; points: readonly (readonly [number, number])[]; inLegend?: boolean };

type Props = {
  series: readonly Series[];
  title: string;
  xLabel: string;
  yLabel: string;
  width?: number;
  height?: number;
  xDomain?: [number, number];
  yDomain?: [number, number];
  logY?: boolean;
  markers?: boolean;
  /** data-testid of the figure (its markers carry data-x and data-y: the values drawn) */
  testId?: string;
  /** x counts whole things (images, iterations): ticks at whole numbers only */
  integerX?: boolean;
};

const M = { left: 48, right: 12, top: 12, bottom: 36 };

/** Round tick values (1, 2 or 5 × 10^k apart) between low and high. */
export function ticks(low: number, high: number, count = 4): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).reduce((best, s) => (Math.abs(Math.log(s / raw)) < Math.abs(Math.log(best / raw)) ? s : best));
  const first = Math.ceil(low / step - 1e-9) * step;
  const values: number[] = [];
  for (let v = first; v <= high + step * 1e-9; v += step) values.push(Number(v.toPrecision(12)));
  return values;
}

/** Tick labels with as many decimals as the ticks' spacing needs, so no two read the same. */
export function tickLabels(values: readonly number[]): string[] {
  const gaps = values.slice(1).map((v, i) => Math.abs(v - values[i])).filter((g) => g > 0);
  const step = gaps.length ? Math.min(...gaps) : Math.abs(values[0] ?? 1) || 1;
  const decimals = step >= 1 ? 0 : Math.min(8, Math.ceil(-Math.log10(step) - 1e-9));
  return values.map((v) => v.toFixed(decimals));
}

/** Labels of log-axis ticks: each value as it is (0.01, 0.2, 5) over a decade or more. */
export function logTickLabels(values: readonly number[]): string[] {
  return values.length > 1 && values[values.length - 1] / values[0] >= 10 ? values.map(String) : tickLabels(values);
}

/** Ticks for a log axis between low and high (values, not logs): 1, 2, 5 × 10^k when the range
 * spans a decade or more (only 1 × 10^k when those are too many), else round linear ticks. */
export function logTicks(low: number, high: number): number[] {
  if (!(high > low) || low <= 0) return [low];
  if (high / low < 10) return ticks(low, high);
  const values: number[] = [];
  for (let k = Math.floor(Math.log10(low)); k <= Math.ceil(Math.log10(high)); k++) {
    for (const m of [1, 2, 5]) {
      const v = Number((m * 10 ** k).toPrecision(12));
      if (v >= low * (1 - 1e-9) && v <= high * (1 + 1e-9)) values.push(v);
    }
  }
  const decades = values.filter((v) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9);
  return values.length > 6 && decades.length >= 2 ? decades : values;
}

export function LineChart({ series, title, xLabel, yLabel, width = 420, height = 220, xDomain, yDomain, logY = false, markers = false, testId, integerX = false }: Props) {
  const all = series.flatMap((s) => s.points);
  const fy = (v: number) => (logY ? Math.log10(Math.max(v, 1e-6)) : v);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => fy(p[1]));
  const [x0, x1] = xDomain ?? [Math.min(...xs, 0), Math.max(...xs, 1)];
  let [y0, y1] = yDomain ? [fy(yDomain[0]), fy(yDomain[1])] : [Math.min(...ys, logY ? Infinity : 0), Math.max(...ys, logY ? -Infinity : 0)];
  if (!yDomain && Number.isFinite(y0) && !(y1 > y0)) {
    // one value (e.g. the first loss point): half a decade each way on a log axis; a linear axis
    // (which always holds 0, so the value is 0) runs from it to 1
    [y0, y1] = logY ? [y0 - 0.5, y1 + 0.5] : [y0, y0 + (Math.abs(y0) || 1)];
  }
  const spanX = x1 - x0 || 1;
  const spanY = y1 - y0 || 1;
  const px = (x: number) => M.left + ((x - x0) / spanX) * (width - M.left - M.right);
  const py = (y: number) => height - M.bottom - ((fy(y) - y0) / spanY) * (height - M.top - M.bottom);
  // Tick values (not logs, on a log axis), each labelled once.
  const yTicks = logY ? logTicks(10 ** y0, 10 ** y1) : ticks(y0, y1);
  const yLabels = logY ? logTickLabels(yTicks) : tickLabels(yTicks);
  const xTicks = integerX ? ticks(x0, x1).filter(Number.isInteger) : ticks(x0, x1);
  const xLabels = tickLabels(xTicks);
  return (
    <figure className="chart" data-testid={testId}>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`${title}: ${yLabel} against ${xLabel}`}>
        <rect x={M.left} y={M.top} width={width - M.left - M.right} height={height - M.top - M.bottom} fill="none" stroke="#ccc" />
        {xTicks.map((t, i) => (
          <text key={`x${t}`} x={px(t)} y={height - M.bottom + 14} fontSize={10} textAnchor="middle" fill="#555">{xLabels[i]}</text>
        ))}
        {yTicks.map((t, i) => (
          <g key={`y${t}`}>
            <line x1={M.left} x2={width - M.right} y1={py(t)} y2={py(t)} stroke="#eee" />
            <text x={M.left - 4} y={py(t) + 3} fontSize={10} textAnchor="end" fill="#555">{yLabels[i]}</text>
          </g>
        ))}
        <text x={(M.left + width - M.right) / 2} y={height - 4} fontSize={11} textAnchor="middle" fill="#333">{xLabel}</text>
        <text x={12} y={(M.top + height - M.bottom) / 2} fontSize={11} textAnchor="middle" fill="#333" transform={`rotate(-90 12 ${(M.top + height - M.bottom) / 2})`}>{yLabel}</text>
        {series.map((s) =>
          s.points.length === 0 ? null : (
            <g key={s.name}>
              <polyline fill="none" stroke={s.color} strokeWidth={1.8} points={s.points.map(([x, y]) => `${px(x)},${py(y)}`).join(" ")} />
              {(markers || s.points.length === 1) && s.points.map(([x, y]) => <circle key={`${x}-${y}`} cx={px(x)} cy={py(y)} r={3} fill={s.color} data-series={s.name} data-x={x} data-y={y} />)}
            </g>
          ),
        )}
      </svg>
      <figcaption>
        <span className="chart__title">{title}</span>
        {series.length > 1 &&
          series.filter((s) => s.inLegend !== false).map((s) => (
            <span key={s.name} className="chart__legend">
              <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.name}
            </span>
          ))}
      </figcaption>
    </figure>
  );
}
