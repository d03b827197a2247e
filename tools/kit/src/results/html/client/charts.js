// Shared page helpers (browser JavaScript, inlined into every wirebench page after uPlot).
// Charts are uPlot instances; markers (stage boundaries, faults, measured spans, break points) are
// drawn on uPlot's own canvas from its hooks, in data coordinates, so they move with zoom.
/* global uPlot */
'use strict';

const WB = (() => {
  const data = JSON.parse(document.getElementById('wb-data').textContent);

  const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

  const PALETTE = ['#2563eb', '#dc2626', '#059669', '#d97706', '#7c3aed', '#0891b2', '#db2777', '#4b5563', '#65a30d', '#0f766e', '#9a3412', '#1e3a8a'];
  // Markers (fault, break, limits) take colours no series uses: a chart check counts series pixels by colour.
  const COLORS = {
    corrected: '#2563eb', uncorrected: '#94a3b8', baseline: '#f59e0b', p50: '#2563eb', p95: '#d97706', p99: '#dc2626', mean: '#059669',
    ok: '#2563eb', err: '#dc2626', failed: '#0891b2', fault: '#c026d3', breaking: '#991b1b', sustainable: '#15803d', generator: '#6d28d9',
  };

  function fmtMs(v) {
    if (v == null || !Number.isFinite(v)) return '—';
    if (v >= 1000) return `${(v / 1000).toFixed(v >= 10000 ? 1 : 2)} s`;
    if (v >= 100) return `${Math.round(v)} ms`;
    if (v >= 1) return `${v.toFixed(2)} ms`;
    return `${Math.round(v * 1000)} µs`;
  }
  // Short axis labels: 0.5 ms reads better as 500µ on a crowded log axis.
  function fmtMsAxis(v) {
    if (v == null) return null;
    if (v >= 1000) return `${+(v / 1000).toPrecision(3)}s`;
    if (v >= 1) return `${+v.toPrecision(3)}ms`;
    return `${+(v * 1000).toPrecision(3)}µs`;
  }
  function fmtNum(v, digits = 2) {
    if (v == null || !Number.isFinite(v)) return '—';
    return v.toLocaleString('en-US', { maximumFractionDigits: Math.abs(v) >= 100 ? 0 : digits });
  }
  function fmtUnit(v, unit) {
    if (unit === 'ms') return fmtMs(v);
    if (unit === 'ops/s') return `${fmtNum(v)}/s`;
    if (unit === '%') return `${fmtNum(v)} %`;
    return `${fmtNum(v)}${unit ? ` ${unit}` : ''}`;
  }
  const pctOfNines = (x) => 100 * (1 - 10 ** -x);
  function fmtPct(p) {
    const digits = Math.min(5, Math.max(0, Math.ceil(-Math.log10(100 - p + 1e-12)) + 1));
    return `${+p.toFixed(digits)} %`;
  }
  const NINES_TICKS = [Math.log10(2), 1, 2, 3, 4, 5];
  const NINES_LABELS = ['50%', '90%', '99%', '99.9%', '99.99%', '99.999%'];

  const px = (n) => n * (window.devicePixelRatio || 1);

  /**
   * Markers on a chart: bands ({ from, to, fill, label }) under the series, vertical lines
   * ({ x, stroke, dash, label, row }) and their labels over them. `row` stacks labels that would
   * collide (a fault fired right at a stage boundary).
   */
  function markers(spec) {
    const inBox = (u, x) => x >= u.bbox.left - 1 && x <= u.bbox.left + u.bbox.width + 1;
    return {
      hooks: {
        drawClear: [(u) => {
          const { ctx, bbox } = u;
          ctx.save();
          for (const b of spec.bands || []) {
            const x0 = Math.max(bbox.left, u.valToPos(b.from, 'x', true));
            const x1 = Math.min(bbox.left + bbox.width, u.valToPos(b.to, 'x', true));
            if (!(x1 > x0)) continue;
            ctx.fillStyle = b.fill;
            ctx.fillRect(x0, bbox.top, x1 - x0, bbox.height);
          }
          ctx.restore();
        }],
        draw: [(u) => {
          const { ctx, bbox } = u;
          ctx.save();
          ctx.textAlign = 'left'; // uPlot leaves the last axis's alignment (centred) on the context
          for (const b of spec.bands || []) {
            if (!b.label) continue;
            const x0 = Math.max(bbox.left, u.valToPos(b.from, 'x', true));
            const x1 = Math.min(bbox.left + bbox.width, u.valToPos(b.to, 'x', true));
            ctx.font = `${px(10)}px system-ui, sans-serif`;
            ctx.textBaseline = 'top';
            const w = ctx.measureText(b.label).width;
            if (!(w < x1 - x0 - px(8))) continue;
            const ty = bbox.top + px(4);
            ctx.fillStyle = 'rgba(255,255,255,0.8)';
            ctx.fillRect(x0 + px(2), ty - px(1), w + px(4), px(13));
            ctx.fillStyle = b.labelColor || '#475569';
            ctx.fillText(b.label, x0 + px(4), ty);
          }
          for (const l of spec.lines || []) {
            const x = u.valToPos(l.x, 'x', true);
            if (!inBox(u, x)) continue;
            ctx.strokeStyle = l.stroke;
            ctx.lineWidth = px(l.width || 1.5);
            ctx.setLineDash((l.dash || []).map(px));
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            if (l.label) {
              ctx.setLineDash([]);
              ctx.font = `600 ${px(10.5)}px system-ui, sans-serif`;
              ctx.textBaseline = 'top';
              const w = ctx.measureText(l.label).width;
              const right = x + px(4) + w > bbox.left + bbox.width;
              const tx = right ? x - px(4) - w : x + px(4);
              const ty = bbox.top + px(4) + (l.row || 0) * px(14);
              ctx.fillStyle = 'rgba(255,255,255,0.85)';
              ctx.fillRect(tx - px(2), ty - px(1), w + px(4), px(13));
              ctx.fillStyle = l.stroke;
              ctx.fillText(l.label, tx, ty);
            }
          }
          ctx.restore();
        }],
      },
    };
  }

  const charts = [];
  const HEIGHT = 250;

  function widthOf(host) {
    return Math.max(280, Math.floor(host.clientWidth));
  }

  /**
   * A chart in `host`: uPlot with our defaults; `opts.series` after the x series. Every chart is
   * registered (window.wbCharts) with what it was given, so a test can ask what each one drew.
   */
  function chart(host, title, opts, columns) {
    const card = document.createElement('figure');
    card.className = 'chart';
    card.innerHTML = `<figcaption>${esc(title)}${opts.subtitle ? `<span class="sub">${esc(opts.subtitle)}</span>` : ''}</figcaption><div class="plot"></div>`;
    host.appendChild(card);
    const plot = card.querySelector('.plot');
    try {
      const u = new uPlot({
        width: widthOf(plot),
        height: opts.height || HEIGHT,
        scales: opts.scales,
        axes: (opts.axes || []).map((a) => ({ stroke: '#475569', grid: { stroke: '#e2e8f0', width: 1 }, ticks: { stroke: '#cbd5e1', width: 1, size: 4 }, font: `11px system-ui, sans-serif`, labelFont: `600 11px system-ui, sans-serif`, ...a })),
        // A line needs two points: with fewer than three x values (a one-window smoke stage, a single
        // step) every series shows its points, or the chart would be drawn empty.
        series: [opts.x || {}, ...(columns[0].length < 3 ? opts.series.map((s) => (s.points && s.points.show ? s : { ...s, points: { show: true, size: 7, fill: '#fff', width: 2 } })) : opts.series)],
        plugins: opts.marks ? [markers(opts.marks)] : [],
        legend: { live: true },
        cursor: { drag: { x: true, y: false }, points: { size: 6 } },
      }, columns, plot);
      charts.push({ title, u, host: plot, height: opts.height || HEIGHT });
      return u;
    } catch (err) {
      plot.innerHTML = `<p class="error">Chart failed: ${esc(err && err.message)}</p>`;
      console.error(`chart "${title}" failed:`, err);
      return null;
    }
  }

  let resizeTimer = 0;
  window.addEventListener('resize', () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((c) => c.u.setSize({ width: widthOf(c.host), height: c.height })), 100);
  });

  const hexRgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

  /**
   * What every chart drew, for tests and `report --screenshot`: points and non-null values per
   * series, and how many plot-area pixels carry each series' colour (0: the data never reached the canvas).
   */
  function check() {
    return charts.map(({ title, u }) => {
      const { ctx, bbox } = u;
      const img = ctx.getImageData(bbox.left, bbox.top, Math.max(1, bbox.width), Math.max(1, bbox.height)).data;
      const series = u.series.slice(1).map((s, i) => {
        const col = u.data[i + 1] || [];
        const values = col.filter((v) => v != null && Number.isFinite(v)).length;
        let pixels = 0;
        const color = typeof s._stroke === 'string' ? s._stroke : typeof s.stroke === 'function' ? s.stroke(u, i + 1) : s.stroke;
        if (typeof color === 'string' && /^#[0-9a-f]{6}$/i.test(color)) {
          const [r, g, b] = hexRgb(color);
          for (let p = 0; p < img.length; p += 4) {
            if (img[p + 3] > 200 && Math.abs(img[p] - r) < 24 && Math.abs(img[p + 1] - g) < 24 && Math.abs(img[p + 2] - b) < 24) pixels++;
          }
        }
        return { label: s.label, values, pixels, color };
      });
      return { title, points: u.data[0].length, series };
    });
  }

  window.wbCharts = charts;
  window.wbCheck = check;

  const status = {
    pass: ['pass', 'passed'],
    fail: ['fail', 'SLO failed'],
    invalid: ['invalid', 'invalid'],
    interrupted: ['interrupted', 'interrupted'],
  };
  const chip = (kind, text) => `<span class="chip chip-${esc(kind)}">${esc(text)}</span>`;

  function done() {
    document.body.dataset.ready = String(charts.length);
  }

  return { data, esc, chart, markers, fmtMs, fmtMsAxis, fmtNum, fmtUnit, fmtPct, pctOfNines, NINES_TICKS, NINES_LABELS, PALETTE, COLORS, status, chip, done };
})();
