import { beforeAll, describe, expect, it } from '@jest/globals';
import type { RunReport } from '../../src/core/runResult.js';
import { renderHtmlReport } from '../../src/report/htmlReport.js';
import { policySeries } from '../../src/report/policyPanels.js';
import { renderVegaLiteSvg } from '../../src/report/renderSvg.js';
import { reportCharts } from '../../src/report/reportCharts.js';
import { naiveLoadReport, seedRunReport } from './fixtures/seedRunReport.js';
import {
  allElements,
  findAll,
  findByClass,
  type MarkupElement,
  parseMarkup,
  textOf,
} from './support/parseMarkup.js';

// Vega draws a line series as one <path> in a `mark-line` group; `d` is "M x,y L x,y …".
const vertexCount = (d: string): number => (d.match(/[ML]/g) ?? []).length;

/** Line paths that carry at least `minVertices` points: drawn data, not axes or legends. */
function dataLines(svg: MarkupElement, minVertices: number): MarkupElement[] {
  return findByClass(svg, 'mark-line', 'role-mark')
    .flatMap((g) => findAll(g, 'path'))
    .filter((p) => vertexCount(p.attrs.d ?? '') >= minVertices);
}

function figures(doc: MarkupElement): Map<string, MarkupElement> {
  return new Map(findAll(doc, 'figure').map((f) => [f.attrs['data-chart'] ?? '', f]));
}

const onlySvg = (figure: MarkupElement): MarkupElement => {
  const svgs = findAll(figure, 'svg');
  expect(svgs).toHaveLength(1);
  return svgs[0]!;
};

describe('renderHtmlReport', () => {
  const seed = seedRunReport(60);
  let html: string;
  let doc: MarkupElement;

  beforeAll(async () => {
    html = await renderHtmlReport(seed);
    doc = parseMarkup(html);
  });

  it('is a well-formed page with the title, set-up and one verdict per policy on top', () => {
    expect(textOf(findAll(doc, 'h1')[0]!)).toBe(seed.title);
    expect(textOf(findByClass(doc, 'description')[0]!)).toBe(seed.description);
    const verdicts = findByClass(doc, 'verdict');
    expect(verdicts.map((v) => textOf(findAll(v, 'strong')[0]!))).toEqual(
      seed.results.map((r) => r.policy),
    );
    expect(verdicts.map((v) => v.attrs.class)).toEqual([
      'verdict verdict-bad',
      'verdict verdict-ok',
      'verdict verdict-ok',
    ]);
    expect(textOf(verdicts[0]!)).toContain('streams were cancelled on the wire');
  });

  it('has the summary as a table, one column per policy', () => {
    const table = findAll(findByClass(doc, 'summary')[0]!, 'table')[0]!;
    const head = findAll(findAll(table, 'thead')[0]!, 'th').map(textOf);
    expect(head).toEqual(['', ...seed.results.map((r) => r.policy)]);
    const rows = findAll(findAll(table, 'tbody')[0]!, 'tr').map((tr) => [
      textOf(findAll(tr, 'th')[0]!),
      ...findAll(tr, 'td').map(textOf),
    ]);
    const cancelled = rows.find((r) => r[0] === 'cancelled on wire')!;
    expect(cancelled.slice(1)).toEqual(
      seed.results.map((r) => r.cancelledOnWire.toLocaleString('en-US')),
    );
    expect(rows.find((r) => r[0] === 'RST_STREAM at server')).toBeDefined();
  });

  it('draws one SVG per chart, five in all', () => {
    expect([...figures(doc).keys()]).toEqual([
      'throughput',
      'queue-wait',
      'connections',
      'rate',
      'outcomes',
    ]);
    expect(findAll(doc, 'svg')).toHaveLength(5);
  });

  it('puts the data in every chart: a full-length line per policy and series', () => {
    const figs = figures(doc);
    const points = seed.results[0]!.timeline.length;
    // policies × series drawn as lines: 3 × (offered, admitted, completed); 3 overlaid;
    // 3 panels; 2 controlled policies × (offered, rate); 3 × 4 outcome series.
    const expected: Record<string, number> = {
      throughput: 9,
      'queue-wait': 3,
      connections: 3,
      rate: 4,
      outcomes: 12,
    };
    for (const [id, lines] of Object.entries(expected)) {
      expect({ id, lines: dataLines(onlySvg(figs.get(id)!), points).length }).toEqual({
        id,
        lines,
      });
    }
  });

  it('marks every rate decision with a point', () => {
    const svg = onlySvg(figures(doc).get('rate')!);
    const symbols = findByClass(svg, 'mark-symbol', 'role-mark').flatMap((g) => findAll(g, 'path'));
    const decisions = seed.results.flatMap((r) => r.timeline).filter((p) => p.reason !== 'none');
    expect(symbols.length).toBeGreaterThanOrEqual(decisions.length);
    const legend = findByClass(svg, 'role-legend').map(textOf).join(' ');
    for (const reason of new Set(decisions.map((p) => p.reason))) expect(legend).toContain(reason);
  });

  it('draws the timeout budget and the standing-queue bound on the queue-wait chart', () => {
    const svg = onlySvg(figures(doc).get('queue-wait')!);
    expect(
      findByClass(svg, 'mark-rule', 'role-mark').flatMap((g) => findAll(g, 'line')),
    ).toHaveLength(2);
    const labels = findByClass(svg, 'mark-text', 'role-mark').map(textOf);
    expect(labels).toEqual(
      expect.arrayContaining(['timeout budget 5,000 ms', 'standing-queue bound 500 ms']),
    );
  });

  it('gives each policy one colour: in the summary, the verdicts and the charts', () => {
    const figs = figures(doc);
    const overlaid = dataLines(onlySvg(figs.get('queue-wait')!), 2).map((p) => p.attrs.stroke);
    const panelTitles = findByClass(onlySvg(figs.get('throughput')!), 'role-title-text');
    for (const [i, s] of policySeries(seed).entries()) {
      const swatches = findByClass(doc, 'swatch').filter(
        (e) => e.attrs.style === `background:${s.color}`,
      );
      expect(swatches).toHaveLength(2);
      expect(overlaid[i]).toBe(s.color);
      const title = panelTitles.find((t) => textOf(t) === s.label);
      expect(findAll(title!, 'text')[0]?.attrs.fill ?? title?.attrs.fill).toBe(s.color);
    }
  });

  it('is self-contained: no scripts, links, images or URLs but the SVG namespaces', () => {
    const elements = allElements(doc);
    for (const name of ['script', 'link', 'img', 'iframe', 'object', 'embed']) {
      expect({ name, count: findAll(doc, name).length }).toEqual({ name, count: 0 });
    }
    const fetching = elements.filter(
      (e) => 'src' in e.attrs || 'href' in e.attrs || 'xlink:href' in e.attrs,
    );
    expect(fetching).toEqual([]);
    expect(textOf(findAll(doc, 'style')[0]!)).not.toMatch(/url\(|@import|@font-face/);
    const urls = new Set(html.match(/https?:\/\/[^\s"'<>)]*/g));
    expect([...urls].sort()).toEqual([
      'http://www.w3.org/1999/xlink',
      'http://www.w3.org/2000/svg',
    ]);
  });

  it('is deterministic', async () => {
    expect(await renderHtmlReport(seedRunReport(60))).toBe(html);
  });
});

describe('renderHtmlReport edge cases', () => {
  it('leaves out the rate chart when no policy has a controller, and renders the rest', async () => {
    const doc = parseMarkup(await renderHtmlReport(naiveLoadReport()));
    const figs = figures(doc);
    expect([...figs.keys()]).toEqual(['throughput', 'queue-wait', 'connections', 'outcomes']);
    for (const fig of figs.values()) expect(dataLines(onlySvg(fig), 20).length).toBeGreaterThan(0);
  });

  it('escapes names that look like markup, in the page and in the charts', async () => {
    const seed = seedRunReport(10);
    const hostile: RunReport = {
      ...seed,
      title: '<script>alert(1)</script> & "co"',
      results: seed.results.map((r, i) => (i === 0 ? { ...r, policy: '<b>naive</b> & <i>' } : r)),
    };
    const doc = parseMarkup(await renderHtmlReport(hostile));
    expect(findAll(doc, 'script')).toHaveLength(0);
    expect(findAll(doc, 'b')).toHaveLength(0);
    expect(textOf(findAll(doc, 'h1')[0]!)).toBe(hostile.title);
    expect(textOf(findAll(doc, 'svg')[0]!)).toContain('<b>naive</b> & <i>');
  });

  it('tells apart two policies with the same name', async () => {
    const seed = seedRunReport(10);
    const twice: RunReport = {
      ...seed,
      results: seed.results.map((r) => ({ ...r, policy: 'adaptive' })),
    };
    const svg = findAll(parseMarkup(await renderHtmlReport(twice)), 'svg')[1]!;
    expect(dataLines(svg, 5)).toHaveLength(3);
    expect(textOf(svg)).toContain('adaptive #3');
  });

  it('skips the budget lines when the timeout is unknown', async () => {
    const doc = parseMarkup(await renderHtmlReport({ ...naiveLoadReport(), timeoutMs: 0 }));
    expect(findByClass(findAll(doc, 'svg')[1]!, 'mark-rule', 'role-mark')).toHaveLength(0);
  });
});

describe('reportCharts', () => {
  it('compiles and renders without a single Vega or Vega-Lite warning', async () => {
    for (const report of [seedRunReport(20), naiveLoadReport(20)]) {
      for (const chart of reportCharts(report)) {
        const { warnings } = await renderVegaLiteSvg(chart.spec);
        expect({ chart: chart.id, warnings }).toEqual({ chart: chart.id, warnings: [] });
      }
    }
  });
});
