// The report page: verdicts and validity first, then the environment, the comparison with a
// baseline, and one section per scenario with its charts. Data: ReportView (results/html/view.ts).
'use strict';

(() => {
  const { data, esc, chart, fmtMs, fmtMsAxis, fmtNum, fmtUnit, fmtPct, pctOfNines, NINES_TICKS, NINES_LABELS, PALETTE, COLORS, chip } = WB;
  const app = document.getElementById('app');
  const pending = []; // [placeholder id, draw(host)]: charts are drawn once the layout gives them a width
  let seq = 0;
  const slot = (draw) => {
    const id = `c${++seq}`;
    pending.push([id, draw]);
    return `<div class="slot" id="${id}"></div>`;
  };

  const STATUS = { pass: 'all holds', fail: 'SLO failed', invalid: 'INVALID', interrupted: 'interrupted' };

  // ---- verdicts --------------------------------------------------------------------------------

  function verdictLine(v) {
    const state = !v.judged ? (v.pass ? 'unjudged-pass' : 'unjudged') : v.pass ? 'pass' : 'fail';
    const mark = { pass: '✓', fail: '✗', unjudged: '✗', 'unjudged-pass': '✓' }[state];
    const actual = v.actual == null ? 'n/a' : v.unit === 'ms' ? fmtMs(v.actual) : `${fmtNum(v.actual)}${v.unit && v.unit !== 'ms' ? ` ${v.unit}` : ''}`;
    const note = !v.judged ? ' <em>not judged (smoke)</em>' : '';
    return `<li class="v v-${state}"><span class="mark">${mark}</span><code>${esc(v.name)}</code> <span class="actual">actual ${esc(actual)}</span>${note}</li>`;
  }

  function tally(vs) {
    if (!vs.length) return '<span class="muted">—</span>';
    const judged = vs.filter((v) => v.judged);
    const failed = judged.filter((v) => !v.pass).length;
    const unjudged = vs.length - judged.length;
    const cls = failed ? 'bad' : 'good';
    return `<span class="${cls}">${judged.length - failed}/${judged.length}</span>${unjudged ? ` <span class="muted">+${unjudged} unjudged</span>` : ''}`;
  }

  function verdictTable() {
    const rows = data.scenarios.map((s) => {
      const contracts = s.verdicts.filter((v) => v.kind === 'contract');
      const goals = s.verdicts.filter((v) => v.kind === 'goal');
      const h = s.headline;
      const failed = h ? h.errors + h.timeouts + h.lost : 0;
      return `<tr>
        <td>${chip(s.status, STATUS[s.status])}</td>
        <td><a href="#${esc(s.id)}">${esc(s.name)}</a>${s.smoke ? ' <span class="tag">smoke</span>' : ''}</td>
        <td>${tally(contracts)}</td>
        <td>${tally(goals)}</td>
        <td class="num">${h && h.count ? fmtMs(h.p50) : '—'}</td>
        <td class="num">${h && h.count ? fmtMs(h.p99) : '—'}</td>
        <td class="num">${h ? `${fmtNum(h.rps)}/s` : '—'}</td>
        <td class="num ${failed ? 'bad' : ''}">${h ? `${fmtNum(failed, 0)} / ${fmtNum(h.sent, 0)}` : '—'}</td>
      </tr>`;
    }).join('');
    const problems = data.scenarios.flatMap((s) => [
      ...s.invalidReasons.map((r) => `<li class="v v-fail"><span class="mark">⚠</span><b>${esc(s.name)}</b> invalid: ${esc(r)}</li>`),
      ...s.verdicts.filter((v) => !v.pass).map((v) => `<li class="v v-${v.judged ? 'fail' : 'unjudged'}"><span class="mark">✗</span><b>${esc(s.name)}</b> ${v.kind === 'goal' ? 'goal' : 'SLO'} <code>${esc(v.name)}</code> actual ${esc(v.actual == null ? 'n/a' : v.unit === 'ms' ? fmtMs(v.actual) : fmtNum(v.actual))}${v.judged ? '' : ' <em>not judged (smoke)</em>'}</li>`),
    ]);
    const ok = data.scenarios.filter((s) => s.status === 'pass').length;
    return `<section class="card" id="verdicts">
      <h2>Verdicts <span class="sub">${ok}/${data.scenarios.length} scenarios hold · contracts are judged in every run, goals in full runs only</span></h2>
      <table class="grid"><thead><tr><th>status</th><th>scenario</th><th>contracts</th><th>goals</th><th>p50</th><th>p99</th><th>rate</th><th>failed / sent</th></tr></thead><tbody>${rows}</tbody></table>
      ${problems.length ? `<ul class="verdicts problems">${problems.join('')}</ul>` : ''}
    </section>`;
  }

  // ---- environment -----------------------------------------------------------------------------

  function envCard() {
    const e = data.env;
    if (!e) return '';
    const libs = Object.entries(e.libraries).map(([k, v]) => `<span class="tag">${esc(k)} ${esc(v)}</span>`).join(' ');
    const kv = [
      ['CPU', `${e.cpuModel} · ${e.cores} cores`], ['memory', `${fmtNum(e.memoryGb, 1)} GB`], ['node', e.node], ['OS', e.os],
      ['commit', `${e.commit ? e.commit.slice(0, 10) : 'unknown'}${e.dirty ? ' (dirty)' : ''}`], ['started', data.startedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')],
    ];
    return `<section class="card" id="env">
      <h2>Environment${data.otherEnvs ? ` <span class="sub warn">${data.otherEnvs} result(s) ran in another environment</span>` : ''}</h2>
      <dl class="kv">${kv.map(([k, v]) => `<div><dt>${esc(k)}</dt><dd>${esc(v)}</dd></div>`).join('')}</dl>
      ${libs ? `<div class="libs">${libs}</div>` : ''}
    </section>`;
  }

  // ---- compare ---------------------------------------------------------------------------------

  function compareCard() {
    const c = data.compare;
    if (!c) return '';
    const counts = {};
    for (const r of c.rows) counts[r.verdict] = (counts[r.verdict] || 0) + 1;
    const maxAbs = Math.max(10, ...c.rows.map((r) => Math.abs(r.changePct)));
    const spread = (s, unit, n) => (s ? `${fmtUnit(s[0], unit)} – ${fmtUnit(s[1], unit)} <span class="muted">(${n})</span>` : '<span class="muted">no samples</span>');
    const rows = c.rows.map((r) => {
      const worse = r.better === 'lower' ? r.changePct > 0 : r.changePct < 0;
      const w = Math.min(50, (Math.abs(r.changePct) / maxAbs) * 50);
      const bar = `<div class="delta"><span class="thr" style="left:${50 - (r.thresholdPct / maxAbs) * 50}%;width:${(r.thresholdPct / maxAbs) * 100}%"></span><span class="bar ${worse ? 'worse' : 'better'}" style="${r.changePct < 0 ? `right:50%` : `left:50%`};width:${w}%"></span></div>`;
      return `<tr class="row-${r.verdict}">
        <td>${esc(r.scenario)}</td><td><code>${esc(r.metric)}</code></td>
        <td class="num">${fmtUnit(r.baseline, r.unit)}</td><td class="num">${fmtUnit(r.current, r.unit)}</td>
        <td class="num">${r.changePct > 0 ? '+' : ''}${r.changePct.toFixed(1)} %</td><td>${bar}</td>
        <td>${chip(r.verdict, r.verdict)}</td>
        <td class="num">${r.p == null ? '<span class="muted">untested</span>' : `p=${r.p}`}</td>
        <td class="spread">${spread(r.baselineSpread, r.unit, r.samples[0])}<br>${spread(r.currentSpread, r.unit, r.samples[1])}</td>
      </tr>`;
    }).join('');
    const notes = [
      ...c.missing.map((m) => `<li>not compared (in one set only): ${esc(m)}</li>`),
      ...c.untrusted.map((m) => `<li class="bad">not compared (cannot be trusted): ${esc(m)}</li>`),
    ].join('');
    return `<section class="card" id="compare">
      <h2>Against baseline <code>${esc(c.baselineRunId)}</code> ${chip(c.regressed ? 'regressed' : 'unchanged', c.regressed ? 'REGRESSED' : 'no significant regression')}
        <span class="sub">${['regressed', 'improved', 'inconclusive', 'unchanged'].filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`).join(' · ')}</span></h2>
      <p class="explain">A change is a regression only when it is beyond its threshold (shaded) in the bad direction <em>and</em> significant (Mann-Whitney U over the per-window or per-round figures whose spread is shown: baseline, then current); beyond the threshold but untestable is inconclusive.</p>
      <table class="grid compare"><thead><tr><th>scenario</th><th>metric</th><th>baseline</th><th>current</th><th>change</th><th class="deltacol">± vs threshold</th><th>verdict</th><th>test</th><th>spread (baseline / current)</th></tr></thead><tbody>${rows}</tbody></table>
      ${notes ? `<ul class="notes">${notes}</ul>` : ''}
    </section>`;
  }

  // ---- per-scenario charts ---------------------------------------------------------------------

  const msAxis = (label) => ({ label, scale: 'ms', values: (u, splits) => splits.map(fmtMsAxis), size: 58 });
  const secondsAxis = (label) => ({ label, values: (u, splits) => splits.map((v) => (v == null ? null : `${+v.toFixed(2)}s`)) });
  const line = (label, stroke, extra = {}) => ({ label, stroke, width: 2, scale: 'ms', spanGaps: false, points: { show: false }, value: (u, v) => fmtMs(v), ...extra });

  function spectrumChart(s) {
    const sp = s.spectrum;
    const series = [
      line('corrected', COLORS.corrected, { width: 2.5 }),
      line('uncorrected', COLORS.uncorrected, { dash: [6, 4] }),
    ];
    const cols = [sp.nines, sp.corrected, sp.uncorrected];
    if (sp.baseline) {
      series.push(line('baseline (corrected)', COLORS.baseline, { dash: [2, 3] }));
      cols.push(sp.baseline);
    }
    const lines = sp.resolvedNines < 5 ? [{ x: sp.resolvedNines, stroke: '#64748b', dash: [3, 3], width: 1, label: `1 op in ${fmtNum(s.headline.count, 0)}` }] : [];
    return (host) => chart(host, 'Latency percentile spectrum', {
      subtitle: 'corrected for coordinated omission vs as measured; log axes',
      x: { label: 'percentile', value: (u, v) => (v == null ? '—' : fmtPct(pctOfNines(v))) },
      scales: { x: { time: false, range: [NINES_TICKS[0], 5] }, ms: { distr: 3, log: 10 } },
      axes: [
        { label: 'percentile', splits: () => NINES_TICKS, values: (u, splits) => splits.map((v) => NINES_LABELS[NINES_TICKS.indexOf(v)] ?? ''), size: 40 },
        msAxis('latency'),
      ],
      series,
      marks: { lines },
    }, cols);
  }

  function timeMarks(tl, withStageNames) {
    const bands = tl.stages.map((st, i) => ({ from: st.fromS, to: st.toS, fill: i % 2 ? 'rgba(148,163,184,0.10)' : 'rgba(148,163,184,0.0)', label: withStageNames ? st.name : null }));
    const lines = tl.stages.slice(1).map((st) => ({ x: st.fromS, stroke: '#94a3b8', dash: [4, 4], width: 1 }));
    tl.faults.forEach((f, i) => {
      if (f.doneS != null && f.doneS > f.atS) bands.push({ from: f.atS, to: f.doneS, fill: 'rgba(192,38,211,0.08)' });
      // Below the stage names (row 0) when they are shown.
      lines.push({ x: f.atS, stroke: f.error ? '#701a75' : COLORS.fault, width: 2, label: `⚡ ${f.action}${f.error ? ' (failed)' : ''}`, row: (withStageNames ? 1 : 0) + (i % 3) });
    });
    return { bands, lines };
  }

  function latencyChart(s) {
    const tl = s.timeline;
    return (host) => chart(host, 'Latency per window', {
      subtitle: `${tl.stages.length} stage${tl.stages.length === 1 ? '' : 's'}${tl.faults.length ? `, ${tl.faults.length} fault${tl.faults.length === 1 ? '' : 's'}` : ''}; log axis`,
      x: { label: 't', value: (u, v) => (v == null ? '—' : `${v.toFixed(2)} s`) },
      scales: { x: { time: false }, ms: { distr: 3, log: 10 } },
      axes: [secondsAxis('time since the first measured stage'), msAxis('latency')],
      series: [line('p50', COLORS.p50), line('p99', COLORS.p99), line('mean', COLORS.mean, { width: 1.5, dash: [5, 3] })],
      marks: timeMarks(tl, true),
    }, [tl.t, tl.p50, tl.p99, tl.mean]);
  }

  function throughputChart(s) {
    const tl = s.timeline;
    const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.7, 40] }) : undefined;
    return (host) => chart(host, 'Throughput per window', {
      subtitle: 'successful and failed operations per second',
      x: { label: 't', value: (u, v) => (v == null ? '—' : `${v.toFixed(2)} s`) },
      scales: { x: { time: false }, rps: { range: (u, min, max) => [0, Math.max(1, max) * 1.1] } },
      axes: [secondsAxis('time since the first measured stage'), { label: 'ops/s', scale: 'rps', size: 58, values: (u, splits) => splits.map((v) => fmtNum(v, 0)) }],
      series: [
        { label: 'ok/s', stroke: COLORS.ok, width: 2, fill: 'rgba(37,99,235,0.10)', scale: 'rps', points: { show: false }, value: (u, v) => fmtNum(v, 0) },
        { label: 'failed/s', stroke: COLORS.err, fill: 'rgba(220,38,38,0.55)', width: 1, scale: 'rps', paths: bars, points: { show: false }, value: (u, v) => fmtNum(v, 0) },
      ],
      marks: timeMarks(tl, false),
    }, [tl.t, tl.okRps, tl.errRps]);
  }

  function curveChart(s, c) {
    const series = [];
    const cols = [c.rate];
    const add = (col, def) => {
      if (col && col.some((v) => v != null)) {
        series.push(def);
        cols.push(col);
      }
    };
    const pts = (stroke) => ({ show: true, size: 7, stroke, fill: '#fff', width: 2 });
    add(c.p50, line('p50', COLORS.p50, { points: pts(COLORS.p50) }));
    add(c.p95, line('p95', COLORS.p95, { points: pts(COLORS.p95) }));
    add(c.p99, line('p99', COLORS.p99, { points: pts(COLORS.p99) }));
    add(c.failedPct, { label: 'failed %', stroke: COLORS.failed, width: 1.5, dash: [4, 3], scale: '%', points: pts(COLORS.failed), value: (u, v) => (v == null ? '—' : `${fmtNum(v)} %`) });
    const lines = [];
    if (c.maxSustainableRps) lines.push({ x: c.maxSustainableRps, stroke: COLORS.sustainable, dash: [5, 4], label: `max sustainable ${fmtNum(c.maxSustainableRps, 0)}/s` });
    if (c.breakingRps != null) lines.push({ x: c.breakingRps, stroke: COLORS.breaking, width: 2, label: `break ${fmtNum(c.breakingRps, 0)}/s`, row: 1 });
    if (c.generatorLimitedRps != null) lines.push({ x: c.generatorLimitedRps, stroke: COLORS.generator, width: 2, label: `generator limit ${fmtNum(c.generatorLimitedRps, 0)}/s`, row: 2 });
    const lo = Math.min(...c.rate);
    const hi = Math.max(...c.rate);
    const pad = Math.max((hi - lo) * 0.06, hi * 0.05, 1);
    return (host) => chart(host, `Degradation curve${c.name !== s.name ? ` · ${c.name}` : ''}`, {
      subtitle: `${c.rate.length} step${c.rate.length === 1 ? '' : 's'}: offered rate → latency and failed share`,
      x: { label: 'rate', value: (u, v) => (v == null ? '—' : `${fmtNum(v, 0)}/s`) },
      scales: { x: { time: false, range: [Math.max(0, lo - pad), hi + pad] }, ms: { distr: 3, log: 10 }, '%': { range: (u, min, max) => [0, Math.max(5, (max || 0) * 1.2)] } },
      axes: [
        { label: 'offered rate (ops/s)', values: (u, splits) => splits.map((v) => (v == null ? null : fmtNum(v, 0))) },
        msAxis('latency'),
        { label: 'failed %', scale: '%', side: 1, grid: { show: false }, size: 50, values: (u, splits) => splits.map((v) => (v == null ? null : `${+v.toFixed(1)}%`)) },
      ],
      series,
      marks: { lines },
    }, cols);
  }

  function resourceCharts(s) {
    const r = s.resources;
    const color = (i) => PALETTE[i % PALETTE.length];
    const bands = r.measured.map((m) => ({ from: m.fromS, to: m.toS, fill: 'rgba(5,150,105,0.07)' }));
    bands.forEach((b, i) => {
      if (i === 0) b.label = 'measured';
      b.labelColor = '#047857';
    });
    const x = { label: 't', value: (u, v) => (v == null ? '—' : `${v.toFixed(1)} s`) };
    const axisX = secondsAxis('time since the scenario began');
    const cpu = (host) => chart(host, 'CPU per process', {
      subtitle: '% of one core; shaded: the measured stages',
      x,
      scales: { x: { time: false }, cpu: { range: (u, min, max) => [0, Math.max(100, max * 1.05)] } },
      axes: [axisX, { label: 'CPU %', scale: 'cpu', size: 50, values: (u, splits) => splits.map((v) => (v == null ? null : `${fmtNum(v, 0)}%`)) }],
      series: r.roles.map((role, i) => ({ label: role, stroke: color(i), width: 2, scale: 'cpu', spanGaps: true, points: { show: false }, value: (u, v) => (v == null ? '—' : `${fmtNum(v, 1)} %`) })),
      marks: { bands },
    }, [r.t, ...r.cpu]);
    const memSeries = [];
    const memCols = [r.t];
    r.roles.forEach((role, i) => {
      memSeries.push({ label: `${role} RSS`, stroke: color(i), width: 2, scale: 'mb', spanGaps: true, points: { show: false }, value: (u, v) => (v == null ? '—' : `${fmtNum(v, 1)} MiB`) });
      memCols.push(r.rss[i]);
      if (r.heap[i]) {
        memSeries.push({ label: `${role} heap`, stroke: color(i), width: 1.5, dash: [4, 3], scale: 'mb', spanGaps: true, points: { show: false }, value: (u, v) => (v == null ? '—' : `${fmtNum(v, 1)} MiB`) });
        memCols.push(r.heap[i]);
      }
    });
    const mem = (host) => chart(host, 'Memory per process', {
      subtitle: 'RSS (solid) and JS heap used (dashed), MiB',
      x,
      scales: { x: { time: false }, mb: { range: (u, min, max) => [0, max * 1.1 || 1] } },
      axes: [axisX, { label: 'MiB', scale: 'mb', size: 50, values: (u, splits) => splits.map((v) => (v == null ? null : fmtNum(v, 0))) }],
      series: memSeries,
      marks: { bands },
    }, memCols);
    return [cpu, mem];
  }

  function processTable(r) {
    const rows = r.processes.map((p) => `<tr>
      <td>${esc(p.role)} <span class="muted">pid ${p.pid}</span></td>
      <td class="num">${fmtNum(p.cpuMean, 1)} %</td><td class="num">${fmtNum(p.cpuMax, 1)} %</td>
      <td class="num">${fmtNum(p.rssMax, 1)} MiB</td><td class="num">${p.heapMax == null ? '—' : `${fmtNum(p.heapMax, 1)} MiB`}</td>
      <td class="num">${p.loopDelay ? `${fmtMs(p.loopDelay.p50)} / ${fmtMs(p.loopDelay.p99)} / ${fmtMs(p.loopDelay.max)}` : '—'}</td>
      <td class="num">${p.loopUtilization == null ? '—' : `${fmtNum(p.loopUtilization * 100, 0)} %`}</td>
      <td class="num">${p.gc ? `${p.gc.count} · ${fmtMs(p.gc.totalMs)} · max ${fmtMs(p.gc.maxMs)}` : '—'}</td>
    </tr>`).join('');
    return `<table class="grid small"><thead><tr><th>process (measured stages)</th><th>CPU mean</th><th>CPU max</th><th>RSS max</th><th>heap max</th><th>event-loop delay p50 / p99 / max</th><th>loop util.</th><th>GC count · total · max</th></tr></thead><tbody>${rows}</tbody></table>`;
  }

  function headlineStrip(s) {
    const h = s.headline;
    if (!h) return '';
    const kinds = Object.entries(h.errorsByKind).map(([k, n]) => `${k}×${n}`).join(', ');
    const cells = [
      ['p50', h.count ? fmtMs(h.p50) : '—'], ['p99', h.count ? fmtMs(h.p99) : '—'], ['p99.9', h.count ? fmtMs(h.p999) : '—'], ['max', h.count ? fmtMs(h.max) : '—'],
      ['rate', `${fmtNum(h.rps)}/s${h.requested != null ? ` <span class="muted">of ${fmtNum(h.requested)}</span>` : ''}`],
      ['ok', `${fmtNum(h.ok + h.retried, 0)} / ${fmtNum(h.sent, 0)}`],
      ['errors', `<span class="${h.errors ? 'bad' : ''}">${fmtNum(h.errors, 0)}</span>${kinds ? ` <span class="muted">${esc(kinds)}</span>` : ''}`],
      ['timeouts · lost', `<span class="${h.timeouts + h.lost ? 'bad' : ''}">${h.timeouts} · ${h.lost}</span>`],
    ];
    return `<div class="strip">${cells.map(([k, v]) => `<div><span class="k">${k}</span><span class="val">${v}</span></div>`).join('')}</div>`;
  }

  function metricsTable(s) {
    if (!s.metrics.length) return '';
    const rows = s.metrics.map((m) => `<tr><td><code>${esc(m.name)}</code></td><td class="num">${esc(fmtUnit(m.value, m.unit))}</td><td>${esc(m.better)}</td><td class="muted">${m.samples ? `${m.samples.length} samples · ` : ''}${esc(m.note || '')}</td></tr>`).join('');
    return `<details><summary>Figures (${s.metrics.length})</summary><table class="grid small"><thead><tr><th>metric</th><th>value</th><th>better</th><th>note</th></tr></thead><tbody>${rows}</tbody></table></details>`;
  }

  function scenarioSection(s) {
    const charts = [];
    if (s.spectrum) charts.push(spectrumChart(s));
    if (s.timeline && s.timeline.p99.some((v) => v != null)) charts.push(latencyChart(s));
    if (s.timeline) charts.push(throughputChart(s));
    for (const c of s.curves) charts.push(curveChart(s, c));
    if (s.resources) charts.push(...resourceCharts(s));
    const problems = s.invalidReasons.map((r) => `<li class="v v-fail"><span class="mark">⚠</span>invalid: ${esc(r)}</li>`).join('');
    const faults = s.timeline && s.timeline.faults.length
      ? `<ul class="faults">${s.timeline.faults.map((f) => `<li>⚡ <b>${esc(f.action)}</b> in <code>${esc(f.stage)}</code> at ${f.atS.toFixed(2)} s${f.doneS != null ? `, done at ${f.doneS.toFixed(2)} s` : ''}${f.error ? ` — <span class="bad">${esc(f.error)}</span>` : ''}</li>`).join('')}</ul>`
      : '';
    return `<section class="card scenario status-${s.status}" id="${esc(s.id)}">
      <h2>${esc(s.name)} ${chip(s.status, STATUS[s.status])} <span class="sub">${esc(s.suite)} · ${esc(s.transport)} · ${esc(s.model)} loop · ${fmtNum(s.durationS, 1)} s</span></h2>
      <p class="desc">${esc(s.description)}</p>
      ${headlineStrip(s)}
      ${s.verdicts.length || problems ? `<ul class="verdicts">${problems}${s.verdicts.map(verdictLine).join('')}</ul>` : ''}
      ${faults}
      <div class="charts">${charts.map(slot).join('')}</div>
      ${s.resources ? processTable(s.resources) : ''}
      ${s.notes.length ? `<details><summary>Notes (${s.notes.length})</summary><ul class="notes">${s.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></details>` : ''}
      ${metricsTable(s)}
    </section>`;
  }

  const nav = data.scenarios.map((s) => `<a href="#${esc(s.id)}" class="navitem"><span class="dot dot-${s.status}"></span>${esc(s.name)}</a>`).join('');
  app.innerHTML = `<header class="top">
      <h1>${esc(data.suites.join(', '))} <span class="run">run <code>${esc(data.runId)}</code></span>${data.smoke ? ' <span class="tag">smoke</span>' : ''}</h1>
      <nav>${nav}${data.compare ? '<a href="#compare" class="navitem">baseline</a>' : ''}</nav>
    </header>
    ${verdictTable()}
    ${envCard()}
    ${compareCard()}
    ${data.scenarios.map(scenarioSection).join('')}
    <footer>wirebench report · generated ${esc(data.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))} · latency recorded in µs HdrHistograms; charts by uPlot</footer>`;

  for (const [id, draw] of pending) draw(document.getElementById(id));
  WB.done();
})();
