/**
 * The script and style sheet inlined into every HTML report. The script reads the report data from
 * the page's JSON block and builds the page with DOM calls only: every string from the data
 * (type names come from user processes) goes through textContent or setAttribute, never markup.
 * Plain ES2017 without template literals, so it can live in a string here and needs no bundler.
 */

export const CLIENT_STYLE = `
:root { color-scheme: light dark; --fg:#1f2328; --muted:#59636e; --bg:#fff; --panel:#f6f8fa; --line:#d1d9e0;
  --fail:#cf222e; --warn:#9a6700; --pass:#1a7f37; --inc:#6e7781; --accent:#0969da; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#9198a1; --bg:#0d1117; --panel:#151b23;
  --line:#3d444d; --fail:#f85149; --warn:#d29922; --pass:#3fb950; --inc:#9198a1; --accent:#4493f8; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 22px; margin: 8px 0 4px; display: flex; gap: 10px; align-items: center; flex-wrap: wrap; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
.headline { font-size: 15px; margin: 4px 0 12px; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 8px; }
.facts dt { color: var(--muted); } .facts dd { margin: 0; overflow-wrap: anywhere; }
.notes { margin: 8px 0; padding: 8px 12px 8px 28px; background: var(--panel); border-left: 3px solid var(--warn); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; background: var(--inc); text-transform: uppercase; }
.badge.fail { background: var(--fail); } .badge.warn { background: var(--warn); } .badge.pass { background: var(--pass); }
.badge.inconclusive, .badge.suppressed { background: var(--inc); }
details.finding, details.path { border: 1px solid var(--line); border-radius: 6px; margin: 6px 0; background: var(--bg); }
details.finding > summary, details.path > summary { cursor: pointer; padding: 6px 10px; display: flex; gap: 8px; align-items: baseline; flex-wrap: wrap; }
details.finding[open] > summary { border-bottom: 1px solid var(--line); background: var(--panel); }
.finding-body { padding: 6px 12px 10px; }
.subject { font-weight: 600; overflow-wrap: anywhere; }
.muted { color: var(--muted); }
details.path { margin-left: 4px; }
ol.steps { list-style: none; margin: 0; padding: 4px 12px 10px 12px; }
ol.steps li { position: relative; padding: 3px 0 3px 18px; border-left: 2px solid var(--line); margin-left: 6px; }
ol.steps li::before { content: ""; position: absolute; left: -6px; top: 10px; width: 10px; height: 10px; border-radius: 50%; background: var(--accent); }
ol.steps li.root::before { background: var(--warn); }
ol.steps li.held::before { background: var(--fail); }
.step-type { overflow-wrap: anywhere; }
.step-meta { color: var(--muted); font-size: 12px; margin-left: 6px; }
.toolbar { display: flex; gap: 8px; align-items: center; flex-wrap: wrap; margin: 6px 0; }
button { font: inherit; padding: 2px 10px; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); color: var(--fg); cursor: pointer; }
input[type=search], select { font: inherit; padding: 3px 8px; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
input[type=search] { min-width: 320px; }
.treemap { position: relative; height: 440px; border: 1px solid var(--line); border-radius: 6px; overflow: hidden; background: var(--panel); }
.tm-group { position: absolute; border: 1px solid var(--bg); overflow: hidden; cursor: zoom-in; background: #3d444d; }
.tm-group > .tm-label { position: absolute; left: 3px; top: 1px; right: 3px; font-size: 11px; font-weight: 600; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; color: #fff; text-shadow: 0 0 2px #000; }
.tm-cell { position: absolute; border: 1px solid rgba(255,255,255,.55); overflow: hidden; font-size: 11px; line-height: 1.2; color: #fff; padding: 2px 3px; text-shadow: 0 0 2px #000; }
.tm-cell span { display: block; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.crumbs { margin: 4px 0; }
.legend { font-size: 12px; color: var(--muted); }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(380px, 1fr)); gap: 12px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 6px 8px; }
figure.chart.flagged { border-color: var(--fail); }
figure.chart figcaption { font-size: 12.5px; overflow-wrap: anywhere; }
svg.chart { width: 100%; height: 170px; display: block; }
svg.chart .axis { stroke: var(--line); } svg.chart text { fill: var(--muted); font-size: 10px; }
svg.chart polyline { fill: none; stroke: var(--accent); stroke-width: 2; }
svg.chart circle { fill: var(--accent); }
figure.chart.flagged polyline { stroke: var(--fail); } figure.chart.flagged circle { fill: var(--fail); }
.table-wrap { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
table.types { border-collapse: collapse; width: 100%; font-size: 13px; }
table.types th { position: sticky; top: 0; background: var(--panel); text-align: left; border-bottom: 1px solid var(--line); padding: 0; white-space: nowrap; }
table.types th button { border: 0; background: none; width: 100%; text-align: inherit; padding: 5px 8px; font-weight: 600; border-radius: 0; }
table.types th.num { text-align: right; }
table.types th[aria-sort=ascending] button::after { content: " \\25B2"; }
table.types th[aria-sort=descending] button::after { content: " \\25BC"; }
table.types td { padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
table.types td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.types td.text { overflow-wrap: anywhere; }
td.up { color: var(--fail); } td.down { color: var(--pass); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

export const CLIENT_SCRIPT = `
(function () {
  'use strict';
  var started = performance.now();
  var data = JSON.parse(document.getElementById('heapgate-data').textContent);
  var app = document.getElementById('app');
  var TABLE_SHOWN = 1000;

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function svg(tag, attrs) {
    var e = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var k in attrs) if (Object.prototype.hasOwnProperty.call(attrs, k)) e.setAttribute(k, String(attrs[k]));
    return e;
  }
  function fmtInt(n) { return Math.round(n).toLocaleString('en-US'); }
  function fmtBytes(n) {
    var a = Math.abs(n);
    if (a < 1024) return fmtInt(n) + ' B';
    var units = ['KiB', 'MiB', 'GiB', 'TiB'];
    var v = n / 1024, i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return v.toFixed(Math.abs(v) >= 100 ? 0 : 1) + ' ' + units[i];
  }
  function sign(n) { return n > 0 ? '+' : n < 0 ? '\\u2212' : '\\u00b1'; }
  function fmtNumber(n) {
    if (Number.isInteger(n)) return fmtInt(n);
    var a = Math.abs(n);
    return a >= 100 ? fmtInt(n) : a >= 1 ? n.toFixed(2) : n.toPrecision(2);
  }
  function fmtCell(kind, v) {
    if (v === null || v === undefined) return '';
    if (typeof v === 'string') return v;
    switch (kind) {
      case 'count': return fmtInt(v);
      case 'bytes': return fmtBytes(v);
      case 'delta-count': return sign(v) + fmtInt(Math.abs(v));
      case 'delta-bytes': return sign(v) + fmtBytes(Math.abs(v));
      case 'pct': return sign(v) + Math.abs(v).toFixed(Math.abs(v) >= 10 ? 0 : 1) + '%';
      default: return fmtNumber(v);
    }
  }
  function section(id, title) {
    var s = el('section');
    s.id = id;
    s.appendChild(el('h2', null, title));
    app.appendChild(s);
    return s;
  }

  // ---- header ----
  function header() {
    var h = el('h1');
    if (data.verdict) {
      var b = el('span', 'badge ' + data.verdict, data.verdict);
      b.id = 'verdict';
      h.appendChild(b);
    }
    h.appendChild(el('span', null, data.title));
    app.appendChild(h);
    app.appendChild(el('p', 'headline', data.headline));
    if (data.facts.length) {
      var dl = el('dl', 'facts');
      data.facts.forEach(function (f) { dl.appendChild(el('dt', null, f.label)); dl.appendChild(el('dd', null, f.value)); });
      app.appendChild(dl);
    }
    if (data.notes.length) {
      var ul = el('ul', 'notes');
      ul.id = 'notes';
      data.notes.forEach(function (n) { ul.appendChild(el('li', null, n)); });
      app.appendChild(ul);
    }
  }

  // ---- path explorer ----
  function stepMeta(s) {
    var parts = [];
    if (s.repeat) parts.push(fmtInt(s.repeat) + ' in a row');
    if (s.size !== undefined) parts.push('shallow ' + fmtBytes(s.size));
    if (s.retained !== undefined) parts.push('retains ' + fmtBytes(s.retained));
    if (s.referrers !== undefined) parts.push(fmtInt(s.referrers) + (s.referrers === 1 ? ' referrer' : ' referrers'));
    if (s.address) parts.push(s.address);
    return parts.join(' \\u00b7 ');
  }
  function pathSteps(p) {
    var ol = el('ol', 'steps');
    ol.appendChild(el('li', 'root', p.root));
    p.steps.forEach(function (s, i) {
      var li = el('li', i === p.steps.length - 1 ? 'held' : null);
      li.appendChild(el('code', 'step-type', s.type));
      li.appendChild(el('span', 'step-meta', stepMeta(s)));
      ol.appendChild(li);
    });
    return ol;
  }
  function pathElement(p) {
    var d = el('details', 'path');
    var sm = el('summary');
    sm.appendChild(el('span', 'subject', p.title));
    var facts = [];
    if (p.bytes !== undefined) facts.push(fmtBytes(p.bytes));
    if (p.retained !== undefined) facts.push('retains ' + fmtBytes(p.retained));
    sm.appendChild(el('span', 'muted', 'held by ' + p.root + (facts.length ? ' (' + facts.join(', ') + ')' : '')));
    d.appendChild(sm);
    var filled = false;
    d.addEventListener('toggle', function () {
      if (d.open && !filled) { filled = true; d.appendChild(pathSteps(p)); }
    });
    return d;
  }
  function expandButtons(container) {
    var bar = el('div', 'toolbar');
    var open = el('button', null, 'Expand all');
    open.type = 'button';
    open.className = 'expand-all';
    open.addEventListener('click', function () {
      container.querySelectorAll('details').forEach(function (d) { d.open = true; });
    });
    var close = el('button', null, 'Collapse all');
    close.type = 'button';
    close.addEventListener('click', function () {
      container.querySelectorAll('details').forEach(function (d) { d.open = false; });
    });
    bar.appendChild(open);
    bar.appendChild(close);
    return bar;
  }
  function findingElement(f) {
    var d = el('details', 'finding');
    d.setAttribute('data-status', f.status);
    var sm = el('summary');
    sm.appendChild(el('span', 'badge ' + f.status, f.status));
    sm.appendChild(el('span', 'subject', f.subject));
    sm.appendChild(el('span', 'muted', f.check));
    sm.appendChild(el('span', null, f.actual));
    if (f.limit) sm.appendChild(el('span', 'muted', 'limit ' + f.limit));
    d.appendChild(sm);
    var body = el('div', 'finding-body');
    body.appendChild(el('div', 'muted', 'rule ' + f.rule));
    if (f.fingerprint) body.appendChild(el('div', 'muted', 'leak ' + f.fingerprint));
    if (f.suppressedBy) body.appendChild(el('div', null, 'suppressed: ' + f.suppressedBy));
    if (f.message) body.appendChild(el('p', null, f.message));
    if (f.hint) body.appendChild(el('p', 'muted', f.hint));
    if (f.retained !== undefined) body.appendChild(el('p', null, 'Fixing this frees about ' + fmtBytes(f.retained) + '.'));
    if (f.paths.length) {
      body.appendChild(el('div', 'muted', 'Why it is alive (retention paths, root first):'));
      f.paths.forEach(function (p) { body.appendChild(pathElement(p)); });
    }
    d.appendChild(body);
    return d;
  }
  function findings() {
    if (!data.findings) return;
    var s = section('findings', 'Findings (' + data.findings.length + ')');
    if (!data.findings.length) s.appendChild(el('p', 'muted', 'No findings.'));
    else s.appendChild(expandButtons(s));
    data.findings.forEach(function (f) { s.appendChild(findingElement(f)); });
    if (data.suppressed && data.suppressed.length) {
      var d = el('details', 'finding');
      d.appendChild(el('summary', null, 'Suppressed findings (' + data.suppressed.length + ')'));
      var body = el('div', 'finding-body');
      data.suppressed.forEach(function (f) { body.appendChild(findingElement(f)); });
      d.appendChild(body);
      s.appendChild(d);
    }
  }
  function retainers() {
    if (!data.retainers) return;
    var s = section('retainers', 'What keeps memory alive (largest retained sizes)');
    if (!data.retainers.length) { s.appendChild(el('p', 'muted', 'No objects.')); return; }
    s.appendChild(expandButtons(s));
    data.retainers.forEach(function (p) { s.appendChild(pathElement(p)); });
  }

  // ---- treemap (squarified) ----
  function squarify(items, x, y, w, h) {
    var out = [];
    var total = 0;
    items.forEach(function (it) { total += it.value; });
    if (total <= 0 || w <= 0 || h <= 0) return out;
    var scale = (w * h) / total;
    var rest = items.map(function (it) { return { item: it, area: it.value * scale }; });
    var row = [];
    function worst(r, side) {
      var s = 0, mx = 0, mn = Infinity;
      r.forEach(function (e) { s += e.area; mx = Math.max(mx, e.area); mn = Math.min(mn, e.area); });
      var s2 = s * s, side2 = side * side;
      return Math.max((side2 * mx) / s2, s2 / (side2 * mn));
    }
    function layout(r) {
      var s = 0;
      r.forEach(function (e) { s += e.area; });
      if (w >= h) {
        var cw = s / h, cy = y;
        r.forEach(function (e) { var ch = e.area / cw; out.push({ item: e.item, x: x, y: cy, w: cw, h: ch }); cy += ch; });
        x += cw; w -= cw;
      } else {
        var rh = s / w, cx = x;
        r.forEach(function (e) { var cw2 = e.area / rh; out.push({ item: e.item, x: cx, y: y, w: cw2, h: rh }); cx += cw2; });
        y += rh; h -= rh;
      }
    }
    while (rest.length) {
      var side = Math.min(w, h);
      var next = rest[0];
      if (row.length === 0 || worst(row.concat([next]), side) <= worst(row, side)) { row.push(next); rest.shift(); }
      else { layout(row); row = []; }
    }
    if (row.length) layout(row);
    return out;
  }
  function hue(i) { return (i * 47) % 360; }
  function cellColour(leaf, groupIndex) {
    if (leaf.delta !== undefined && leaf.value > 0) {
      var r = Math.max(-1, Math.min(1, leaf.delta / leaf.value));
      if (r > 0.001) return 'hsl(0, 70%, ' + (52 - 22 * r) + '%)';
      if (r < -0.001) return 'hsl(130, 45%, ' + (45 + 10 * r) + '%)';
      return 'hsl(210, 12%, 48%)';
    }
    return 'hsl(' + hue(groupIndex) + ', 45%, 42%)';
  }
  function describeLeaf(leaf, measure) {
    var t = leaf.name + '\\n' + fmtBytes(leaf.value) + ' ' + measure;
    if (leaf.delta !== undefined) t += '\\n' + sign(leaf.delta) + fmtBytes(Math.abs(leaf.delta)) + ' against the baseline';
    return t;
  }
  function treemap() {
    var tm = data.treemap;
    if (!tm) return;
    var s = section('treemap', tm.title);
    s.appendChild(el('p', 'legend', 'Cell size: ' + tm.measure + ' (' + fmtBytes(tm.total) + ' in all). Click a namespace to zoom in.'));
    var crumbs = el('div', 'crumbs');
    var box = el('div', 'treemap');
    box.id = 'treemap-box';
    s.appendChild(crumbs);
    s.appendChild(box);
    function draw(zoom) {
      box.textContent = '';
      crumbs.textContent = '';
      var all = el('button', null, 'All namespaces');
      all.type = 'button';
      all.addEventListener('click', function () { draw(-1); });
      crumbs.appendChild(all);
      var W = box.clientWidth, H = box.clientHeight;
      if (zoom >= 0) {
        var g = tm.groups[zoom];
        crumbs.appendChild(el('span', 'muted', ' \\u203a ' + g.name + ' (' + fmtBytes(g.value) + ')'));
        squarify(g.children, 0, 0, W, H).forEach(function (r) { box.appendChild(leafCell(r, zoom)); });
        return;
      }
      squarify(tm.groups, 0, 0, W, H).forEach(function (r) {
        var gi = tm.groups.indexOf(r.item);
        var ge = el('div', 'tm-group');
        ge.style.left = r.x + 'px'; ge.style.top = r.y + 'px'; ge.style.width = r.w + 'px'; ge.style.height = r.h + 'px';
        ge.setAttribute('title', r.item.name + '\\n' + fmtBytes(r.item.value));
        ge.setAttribute('data-name', r.item.name);
        var label = r.h > 30 && r.w > 40 ? 16 : 0;
        squarify(r.item.children, 0, label, r.w, r.h - label).forEach(function (c) { ge.appendChild(leafCell(c, gi)); });
        if (label) ge.appendChild(el('div', 'tm-label', r.item.name));
        ge.addEventListener('click', function () { draw(gi); });
        box.appendChild(ge);
      });
    }
    function leafCell(r, gi) {
      var c = el('div', 'tm-cell');
      c.style.left = r.x + 'px'; c.style.top = r.y + 'px'; c.style.width = r.w + 'px'; c.style.height = r.h + 'px';
      c.style.background = cellColour(r.item, gi);
      c.setAttribute('title', describeLeaf(r.item, tm.measure));
      c.setAttribute('data-name', r.item.name);
      if (r.w > 50 && r.h > 26) {
        c.appendChild(el('span', null, r.item.name));
        c.appendChild(el('span', null, fmtBytes(r.item.value)));
      }
      return c;
    }
    draw(-1);
  }

  // ---- soak charts ----
  function chart(c) {
    var fig = el('figure', 'chart' + (c.flagged ? ' flagged' : ''));
    fig.appendChild(el('figcaption', null, c.title));
    var W = 400, H = 170, L = 62, R = 10, T = 10, B = 24;
    var s = svg('svg', { 'class': 'chart', viewBox: '0 0 ' + W + ' ' + H, role: 'img' });
    var min = Math.min.apply(null, c.values), max = Math.max.apply(null, c.values);
    if (min === max) { min -= 1; max += 1; }
    var n = c.values.length;
    function px(i) { return L + (n > 1 ? (i * (W - L - R)) / (n - 1) : (W - L - R) / 2); }
    function py(v) { return T + (H - T - B) * (1 - (v - min) / (max - min)); }
    var fmt = c.unit === 'bytes' ? fmtBytes : fmtNumber;
    s.appendChild(svg('line', { 'class': 'axis', x1: L, y1: T, x2: L, y2: H - B }));
    s.appendChild(svg('line', { 'class': 'axis', x1: L, y1: H - B, x2: W - R, y2: H - B }));
    var top = svg('text', { x: L - 4, y: T + 8, 'text-anchor': 'end' }); top.textContent = fmt(max); s.appendChild(top);
    var bot = svg('text', { x: L - 4, y: H - B, 'text-anchor': 'end' }); bot.textContent = fmt(min); s.appendChild(bot);
    if (n > 0) {
      var first = svg('text', { x: L, y: H - 8, 'text-anchor': 'start' }); first.textContent = c.labels[0]; s.appendChild(first);
      if (n > 1) { var last = svg('text', { x: W - R, y: H - 8, 'text-anchor': 'end' }); last.textContent = c.labels[n - 1]; s.appendChild(last); }
    }
    var pts = c.values.map(function (v, i) { return px(i).toFixed(1) + ',' + py(v).toFixed(1); }).join(' ');
    s.appendChild(svg('polyline', { points: pts }));
    c.values.forEach(function (v, i) {
      var dot = svg('circle', { cx: px(i).toFixed(1), cy: py(v).toFixed(1), r: 3 });
      var t = svg('title', {}); t.textContent = c.labels[i] + ': ' + fmt(v);
      dot.appendChild(t);
      s.appendChild(dot);
    });
    fig.appendChild(s);
    return fig;
  }
  function charts() {
    if (!data.charts || !data.charts.length) return;
    var s = section('charts', 'Trends per analysed snapshot');
    var grid = el('div', 'charts');
    data.charts.forEach(function (c) { grid.appendChild(chart(c)); });
    s.appendChild(grid);
  }

  // ---- sortable, filterable table ----
  function table() {
    var t = data.table;
    if (!t) return;
    var s = section('types', t.title);
    var bar = el('div', 'toolbar');
    var filter = el('input');
    filter.type = 'search';
    filter.id = 'type-filter';
    filter.placeholder = 'Filter by type name (substring)';
    filter.setAttribute('aria-label', 'Filter by type name');
    bar.appendChild(filter);
    var facet = null;
    if (t.facet !== undefined) {
      facet = el('select');
      facet.id = 'type-facet';
      facet.setAttribute('aria-label', t.columns[t.facet].label);
      var all = el('option', null, 'every ' + t.columns[t.facet].label.toLowerCase());
      all.value = '';
      facet.appendChild(all);
      var seen = {};
      t.rows.forEach(function (r) { var v = r[t.facet]; if (typeof v === 'string' && !seen[v]) { seen[v] = true; var o = el('option', null, v); o.value = v; facet.appendChild(o); } });
      bar.appendChild(facet);
    }
    var count = el('span', 'muted');
    count.id = 'type-count';
    bar.appendChild(count);
    s.appendChild(bar);
    if (t.totalRows > t.rows.length)
      s.appendChild(el('p', 'muted', 'This page holds the first ' + fmtInt(t.rows.length) + ' of ' + fmtInt(t.totalRows) + ' rows (in the default order); the JSON report has them all.'));
    var wrap = el('div', 'table-wrap');
    var tbl = el('table', 'types');
    tbl.id = 'type-table';
    var thead = el('thead');
    var hr = el('tr');
    var numeric = t.columns.map(function (c) { return c.kind !== 'text'; });
    var sortCol = t.sort.column, desc = t.sort.descending;
    var ths = t.columns.map(function (c, i) {
      var th = el('th', numeric[i] ? 'num' : null);
      var b = el('button', null, c.label);
      b.type = 'button';
      b.addEventListener('click', function () {
        var t0 = performance.now();
        if (sortCol === i) desc = !desc;
        else { sortCol = i; desc = numeric[i]; }
        apply();
        window.heapgateTimings.lastSortMs = performance.now() - t0;
      });
      th.appendChild(b);
      hr.appendChild(th);
      return th;
    });
    thead.appendChild(hr);
    tbl.appendChild(thead);
    var tbody = el('tbody');
    tbl.appendChild(tbody);
    wrap.appendChild(tbl);
    s.appendChild(wrap);
    var order = t.rows.map(function (_, i) { return i; });
    function compare(a, b) {
      var va = t.rows[a][sortCol], vb = t.rows[b][sortCol];
      if (va === null || va === undefined) return vb === null || vb === undefined ? a - b : 1;
      if (vb === null || vb === undefined) return -1;
      var r;
      if (typeof va === 'number' && typeof vb === 'number') r = va - vb;
      else { var sa = String(va), sb = String(vb); r = sa < sb ? -1 : sa > sb ? 1 : 0; }
      if (desc) r = -r;
      return r || a - b;
    }
    function apply() {
      ths.forEach(function (th, i) {
        if (i === sortCol) th.setAttribute('aria-sort', desc ? 'descending' : 'ascending');
        else th.removeAttribute('aria-sort');
      });
      order.sort(compare);
      var q = filter.value.trim().toLowerCase();
      var fv = facet ? facet.value : '';
      var frag = document.createDocumentFragment();
      var matched = 0;
      for (var k = 0; k < order.length; k++) {
        var row = t.rows[order[k]];
        if (q && String(row[0]).toLowerCase().indexOf(q) < 0) continue;
        if (fv && row[t.facet] !== fv) continue;
        matched++;
        if (matched > TABLE_SHOWN) continue;
        var tr = el('tr');
        for (var c = 0; c < t.columns.length; c++) {
          var v = row[c];
          var kind = t.columns[c].kind;
          var td = el('td', numeric[c] ? 'num' : 'text', fmtCell(kind, v));
          if (typeof v === 'number' && (kind === 'delta-count' || kind === 'delta-bytes' || kind === 'pct')) td.className += v > 0 ? ' up' : v < 0 ? ' down' : '';
          if (typeof v === 'number' && kind !== 'count') td.title = String(v);
          tr.appendChild(td);
        }
        frag.appendChild(tr);
      }
      tbody.textContent = '';
      tbody.appendChild(frag);
      count.textContent = matched > TABLE_SHOWN
        ? 'showing ' + fmtInt(TABLE_SHOWN) + ' of ' + fmtInt(matched) + ' matching rows (filter to narrow)'
        : fmtInt(matched) + ' of ' + fmtInt(t.rows.length) + ' rows';
    }
    filter.addEventListener('input', apply);
    if (facet) facet.addEventListener('change', apply);
    apply();
  }

  window.heapgateTimings = {};
  header();
  findings();
  retainers();
  treemap();
  charts();
  table();
  var foot = el('footer', null, data.tool + ' \\u00b7 generated ' + data.generatedAt + ' \\u00b7 self-contained page, no network access');
  app.appendChild(foot);
  window.heapgateTimings.renderMs = performance.now() - started;
  document.body.setAttribute('data-ready', 'true');
})();
`;
