// The live charts, drawn by uPlot from Metrics.series(): requests/s by outcome, latency
// percentiles, cache hit ratio and the breaker state as a timeline band.
import uPlot from 'uplot';
import { OUTCOMES } from './outcomes.js';
import { BREAKER_BANDS } from './metrics.js';

const BAND_COLORS = { closed: '#2f9e44', halfOpen: '#f59f00', open: '#e03131' };
const BAND_LABELS = { closed: 'closed', halfOpen: 'half-open', open: 'open' };

function line(label, stroke, extra = {}) {
  return { label, stroke, width: 2, points: { show: false }, ...extra };
}

// Seconds without requests have no latency or ratio: the line joins the seconds that do.
const sparse = (label, stroke, extra = {}) => line(label, stroke, { spanGaps: true, points: { size: 5 }, ...extra });

// Clock times only: the window is two minutes, so dates would only crowd the axis.
const X_AXIS = {
  stroke: '#495057', grid: { stroke: '#eceff1' }, space: 70,
  values: (u, splits) => splits.map((s) => new Date(s * 1000).toLocaleTimeString('en-GB')),
};

function axes(yLabel, values) {
  return [
    X_AXIS,
    { stroke: '#495057', grid: { stroke: '#eceff1' }, label: yLabel, size: 56, ...(values ? { values } : {}) },
  ];
}

const width = (el) => Math.max(280, el.clientWidth);

export function createCharts(elements) {
  const defs = {
    rate: {
      series: OUTCOMES.map((o) => line(o.label, o.color)),
      axes: axes('requests / s'),
      scales: { y: { range: (u, min, max) => [0, Math.max(5, max * 1.1)] } },
      data: (s) => OUTCOMES.map((o) => s.perOutcome[o.id]),
      height: 220,
    },
    latency: {
      series: [sparse('p50', '#1c7ed6'), sparse('p95', '#f08c00'), sparse('p99', '#e03131')],
      axes: axes('ms'),
      scales: { y: { range: (u, min, max) => [0, Math.max(10, (max ?? 0) * 1.1)] } },
      data: (s) => [s.p50, s.p95, s.p99],
      height: 180,
    },
    hitRatio: {
      series: [sparse('served from cache', '#1c7ed6', { fill: 'rgba(28,126,214,0.15)' })],
      axes: axes('% of GETs', (u, ticks) => ticks.map((t) => `${t}%`)),
      scales: { y: { range: [0, 100] } },
      data: (s) => [s.hitRatio],
      height: 180,
    },
    breaker: {
      series: BREAKER_BANDS.map((b) => ({
        label: BAND_LABELS[b], stroke: BAND_COLORS[b], fill: BAND_COLORS[b], width: 0,
        paths: uPlot.paths.bars({ size: [1, Infinity], gap: 0 }), points: { show: false },
      })),
      axes: [{ ...X_AXIS, grid: { show: false } }, { show: false }],
      scales: { y: { range: [0, 1] } },
      data: (s) => BREAKER_BANDS.map((b) => s.bands[b]),
      height: 90,
    },
  };
  const charts = Object.entries(defs).map(([name, def]) => {
    const el = elements[name];
    const plot = new uPlot({
      width: width(el), height: def.height,
      cursor: { show: false }, legend: { live: false },
      scales: { x: { time: true }, ...def.scales },
      series: [{}, ...def.series], axes: def.axes,
    }, [[], ...def.series.map(() => [])], el);
    return { el, plot, def };
  });
  return {
    update(series) {
      for (const { plot, def } of charts) plot.setData([series.x, ...def.data(series)]);
    },
    resize() {
      for (const { el, plot, def } of charts) plot.setSize({ width: width(el), height: def.height });
    },
  };
}
