import { fontStack } from './chartTheme.js';

/**
 * The HTML report's style sheet, inlined in its `<style>`: a system font
 * stack (no web fonts, so nothing is fetched), one column about 900 px wide
 * for 720 px charts, cards per section, tabular figures in the summary, and
 * a print layout that keeps each chart on one page.
 */
export const reportCss = `
:root { color-scheme: light; --ink: #111827; --muted: #4b5563; --line: #e5e7eb; --page: #f6f7f9;
  --card: #ffffff; --ok: #15803d; --warn: #b45309; --bad: #b91c1c; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--page); color: var(--ink); font: 14px/1.5 ${fontStack};
  -webkit-font-smoothing: antialiased; }
main { max-width: 900px; margin: 0 auto; padding: 32px 24px 48px; }
.kind { margin: 0 0 4px; color: var(--muted); font-size: 11px; font-weight: 600;
  letter-spacing: 0.08em; text-transform: uppercase; }
h1 { margin: 0 0 6px; font-size: 24px; line-height: 1.25; }
h2 { margin: 0 0 8px; font-size: 15px; }
.description { margin: 0; color: var(--ink); }
.meta { margin: 4px 0 0; color: var(--muted); font-size: 13px; }
section, figure { margin: 20px 0 0; padding: 16px 20px; background: var(--card);
  border: 1px solid var(--line); border-radius: 8px; }
.verdicts ul { margin: 0; padding: 0; list-style: none; }
.verdict { margin: 0 0 10px; padding: 4px 0 4px 12px; border-left: 4px solid var(--line); }
.verdict:last-child { margin-bottom: 0; }
.verdict-ok { border-left-color: var(--ok); }
.verdict-warn { border-left-color: var(--warn); }
.verdict-bad { border-left-color: var(--bad); }
.badge { display: inline-block; margin: 0 8px 0 4px; padding: 0 6px; border-radius: 4px; color: #fff;
  font-size: 10px; font-weight: 700; letter-spacing: 0.05em; line-height: 17px; text-transform: uppercase;
  vertical-align: 1px; }
.badge-ok { background: var(--ok); }
.badge-warn { background: var(--warn); }
.badge-bad { background: var(--bad); }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; border-radius: 2px; }
.table-scroll { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: 13px; font-variant-numeric: tabular-nums; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
thead th { border-bottom: 2px solid #d1d5db; font-weight: 600; text-align: right; }
tbody th { color: var(--muted); font-weight: 500; text-align: left; }
td { text-align: right; }
tbody tr:last-child th, tbody tr:last-child td { border-bottom: none; }
.how-to-read p { margin: 0 0 8px; color: var(--muted); }
.how-to-read p:last-child { margin-bottom: 0; }
figcaption { margin: 0 0 12px; }
figcaption p { margin: 0; color: var(--muted); font-size: 13px; }
figure svg { display: block; max-width: 100%; height: auto; }
.note { margin: 0; color: var(--muted); font-style: italic; }
footer { margin-top: 24px; color: var(--muted); font-size: 12px; }
@media print {
  body { background: #fff; }
  main { padding: 0; }
  section, figure { border: none; break-inside: avoid; }
}
`.trim();
