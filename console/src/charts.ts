// ECharts, loaded only by the screens that draw charts, with just the parts they use; its aria option
// describes every chart for screen readers.
export type ECharts = typeof import('echarts/core');

let loaded: Promise<ECharts> | undefined;

export function loadECharts(): Promise<ECharts> {
  loaded ??= import('./echarts-lib').then((m) => m.default);
  return loaded;
}

const sized = new WeakSet<HTMLElement>();

/** Draws (or redraws) a chart in an element; charts follow the element's size. */
export async function draw(el: HTMLElement, option: Record<string, unknown>): Promise<void> {
  const echarts = await loadECharts();
  const chart = echarts.getInstanceByDom(el) ?? echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption({ aria: { enabled: true }, animation: false, ...option }, true);
  if (!sized.has(el)) {
    sized.add(el);
    new ResizeObserver(() => chart.resize()).observe(el);
  }
}
