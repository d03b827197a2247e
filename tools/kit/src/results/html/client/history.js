// The trend page: one chart per metric across a suite's saved runs (oldest first), one line per
// scenario, and the figures as a table. Data: HistoryView (results/html/view.ts).
'use strict';

(() => {
  const { data, esc, chart, fmtMsAxis, fmtNum, fmtUnit, PALETTE, chip } = WB;
  const app = document.getElementById('app');
  const idx = data.points.map((_, i) => i);
  const label = (i) => (data.points[i] ? data.points[i].name : '');
  const when = (p) => p.startedAt.replace('T', ' ').replace(/:\d\d\.\d+Z$/, ' UTC');

  const cards = data.trends.map((t, k) => `<div class="slot" id="t${k}"></div>`).join('');
  const head = data.points.map((p) => `<th>${esc(p.name)}<br><span class="muted">${esc(when(p))}${p.smoke ? ' · smoke' : ''}</span></th>`).join('');
  const rows = data.trends.flatMap((t) => t.series.map((s) => `<tr><td><code>${esc(t.metric)}</code></td><td>${esc(s.scenario)}</td>${s.values.map((v, i) => `<td class="num">${s.invalid[i] ? chip('invalid', 'invalid') : v == null ? '<span class="muted">—</span>' : esc(fmtUnit(v, t.unit))}</td>`).join('')}</tr>`)).join('');

  app.innerHTML = `<header class="top">
      <h1>${esc(data.suite)} <span class="run">trend across ${data.points.length} saved run${data.points.length === 1 ? '' : 's'}</span></h1>
      <p class="sub">from <code>${esc(data.dir)}</code> · oldest first · an invalid or interrupted run's figure is left out (its point is empty)</p>
    </header>
    ${data.trends.length ? '' : '<section class="card"><p class="bad">None of the chosen metrics is in these runs.</p></section>'}
    <section class="card"><div class="charts">${cards}</div></section>
    <section class="card"><h2>Figures</h2><div class="scroll"><table class="grid small"><thead><tr><th>metric</th><th>scenario</th>${head}</tr></thead><tbody>${rows}</tbody></table></div></section>
    <footer>wirebench history · generated ${esc(data.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · charts by uPlot</footer>`;

  // Long run names (run ids) are set at an angle so that neighbours do not overwrite each other.
  const slanted = idx.length > 6 || data.points.some((p) => p.name.length > 12);
  data.trends.forEach((t, k) => {
    const fmt = (v) => (v == null ? '—' : fmtUnit(v, t.unit));
    // Latency spans decades across runs: a log axis keeps the fast scenarios readable beside the slow ones.
    const log = t.unit === 'ms' && t.series.some((s) => s.values.some((v) => v != null && v > 0));
    chart(document.getElementById(`t${k}`), t.metric, {
      subtitle: `${t.unit || 'no unit'}${t.better !== 'none' ? ` · ${t.better} is better` : ''}${log ? ' · log axis' : ''}`,
      x: { label: 'run', value: (u, v) => (v == null ? '—' : label(Math.round(v))) },
      scales: {
        x: { time: false, range: [-0.4, Math.max(1, idx.length - 1) + 0.4] },
        y: log ? { distr: 3, log: 10 } : { range: (u, min, max) => (min >= 0 ? [0, (max || 1) * 1.15] : [min * 1.15, Math.max(0, max) * 1.15]) },
      },
      axes: [
        { label: 'saved run', splits: () => idx, values: (u, splits) => splits.map((v) => label(v)), rotate: slanted ? 25 : 0, size: slanted ? 90 : 40 },
        { label: t.unit, scale: 'y', size: 62, values: (u, splits) => splits.map((v) => (v == null ? null : t.unit === 'ms' ? fmtMsAxis(v) : fmtNum(v))) },
      ],
      series: t.series.map((s, i) => ({ label: s.scenario, stroke: PALETTE[i % PALETTE.length], width: 2, scale: 'y', spanGaps: true, points: { show: true, size: 7, fill: '#fff', width: 2 }, value: (u, v) => fmt(v) })),
    }, [idx, ...t.series.map((s) => (log ? s.values.map((v) => (v != null && v > 0 ? v : null)) : s.values))]);
  });
  WB.done();
})();
