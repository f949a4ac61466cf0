// Small SVG charts, written for this page: a time series (line with a min-max band), bars and a
// longitude/latitude scatter. No library, nothing fetched: the dashboard works offline.
"use strict";
const Charts = (() => {
  const NS = "http://www.w3.org/2000/svg";
  const W = 640, H = 230, M = {left: 52, right: 14, top: 12, bottom: 30};

  function el(name, attrs, parent) {
    const e = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (parent) parent.appendChild(e);
    return e;
  }

  function text(parent, x, y, s, anchor) {
    const t = el("text", {x, y, "text-anchor": anchor || "middle"}, parent);
    t.textContent = s;
    return t;
  }

  function svg(container, name, height) {
    container.innerHTML = "";
    container.classList.add("chart");
    container.dataset.chart = name;
    return el("svg", {viewBox: `0 0 ${W} ${height || H}`, role: "img", "aria-label": name}, container);
  }

  // Round steps: 1, 2, 5 times a power of ten.
  function ticks(min, max, count) {
    if (!(max > min)) { max = min + 1; }
    const raw = (max - min) / count, pow = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * pow).find(s => s >= raw);
    const out = [];
    for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) out.push(+v.toFixed(10));
    return out;
  }

  function yAxis(g, min, max, y, format) {
    const grid = el("g", {class: "grid"}, g);
    for (const t of ticks(min, max, 4)) {
      el("line", {x1: M.left, x2: W - M.right, y1: y(t), y2: y(t)}, grid);
      text(g, M.left - 6, y(t) + 4, format(t), "end");
    }
  }

  // series: [{name, color, points: [{t: ms, v, lo?, hi?}]}]
  function timeSeries(container, name, series, opts) {
    const s = svg(container, name);
    const pts = series.flatMap(x => x.points);
    if (!pts.length) { text(s, W / 2, H / 2, "no data in this period"); return; }
    const format = opts.format || (v => String(v));
    let t0 = Math.min(...pts.map(p => p.t)), t1 = Math.max(...pts.map(p => p.t));
    if (t1 === t0) { t0 -= 60000; t1 += 60000; }
    let lo = Math.min(...pts.map(p => p.lo ?? p.v)), hi = Math.max(...pts.map(p => p.hi ?? p.v));
    if (opts.zero) lo = Math.min(0, lo);
    const pad = (hi - lo) * 0.08 || Math.abs(hi) * 0.1 || 1;
    lo -= opts.zero && lo === 0 ? 0 : pad; hi += pad;
    const x = t => M.left + (t - t0) / (t1 - t0) * (W - M.left - M.right);
    const y = v => H - M.bottom - (v - lo) / (hi - lo) * (H - M.top - M.bottom);
    yAxis(s, lo, hi, y, format);
    const span = t1 - t0, step = [60e3, 300e3, 900e3, 1800e3, 3600e3, 7200e3, 21600e3].find(m => span / m <= 6) || 43200e3;
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) {
      // A label centred on a tick near either end would run past the chart's edge: it ends (or starts) there instead.
      const xt = x(t), anchor = xt > W - 24 ? "end" : xt < 24 ? "start" : "middle";
      text(s, xt, H - 10, new Date(t).toISOString().substring(11, 16), anchor);
    }
    for (const ser of series) {
      if (!ser.points.length) continue;
      if (ser.points[0].lo !== undefined) {
        const upper = ser.points.map(p => `${x(p.t)},${y(p.hi)}`);
        const lower = ser.points.slice().reverse().map(p => `${x(p.t)},${y(p.lo)}`);
        el("polygon", {class: "band", points: upper.concat(lower).join(" "), fill: ser.color}, s);
      }
      el("path", {class: "series", stroke: ser.color,
        d: ser.points.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join("")}, s);
      if (ser.points.length < 3) {
        for (const p of ser.points) el("circle", {class: "point", cx: x(p.t), cy: y(p.v), r: 3.5, fill: ser.color}, s);
      }
    }
  }

  // Vertical bars: items [{label, v, color?}]
  function columns(container, name, items, opts) {
    const s = svg(container, name);
    if (!items.length) { text(s, W / 2, H / 2, "nothing to show yet"); return; }
    const format = opts.format || (v => String(v));
    const hi = Math.max(...items.map(i => i.v), 0) * 1.08 || 1;
    const y = v => H - M.bottom - v / hi * (H - M.top - M.bottom);
    yAxis(s, 0, hi, y, format);
    const slot = (W - M.left - M.right) / items.length, bw = Math.min(48, slot * 0.7);
    items.forEach((it, i) => {
      const cx = M.left + slot * (i + 0.5);
      const bar = el("rect", {class: "bar", x: cx - bw / 2, y: y(it.v), width: bw, height: Math.max(0, y(0) - y(it.v)),
        rx: 2, fill: it.color || opts.color || "var(--c1)"}, s);
      el("title", {}, bar).textContent = `${it.label}: ${format(it.v)}`;
      if (items.length <= 16 || i % Math.ceil(items.length / 16) === 0) text(s, cx, H - 10, it.label);
    });
  }

  // Horizontal bars, one row per item: items [{label, v, color?}]
  function rows(container, name, items, opts) {
    const rowH = 22, height = Math.max(60, items.length * rowH + 16);
    const s = svg(container, name, height);
    if (!items.length) { text(s, W / 2, 34, "nothing to show yet"); return; }
    const format = opts.format || (v => String(v));
    const left = 190, right = 70;
    const hi = Math.max(...items.map(i => Math.abs(i.v))) || 1;
    items.forEach((it, i) => {
      const yy = 8 + i * rowH;
      // A device id may be 128 characters: a long label keeps its start and end, and whole on hovering.
      const short = it.label.length > 26 ? `${it.label.slice(0, 12)}…${it.label.slice(-12)}` : it.label;
      el("title", {}, text(s, left - 8, yy + 14, short, "end")).textContent = it.label;
      const w = Math.abs(it.v) / hi * (W - left - right);
      const bar = el("rect", {class: "bar", x: left, y: yy + 3, width: Math.max(1, w), height: rowH - 8, rx: 2,
        fill: it.color || opts.color || "var(--c1)"}, s);
      el("title", {}, bar).textContent = `${it.label}: ${format(it.v)}`;
      text(s, left + w + 6, yy + 14, format(it.v), "start");
    });
  }

  // Longitude/latitude scatter: points [{lat, lon, label, color}]. Axes in degrees, framed around the points.
  function map(container, name, points, onClick) {
    const s = svg(container, name, 300);
    const Hm = 300;
    if (!points.length) { text(s, W / 2, Hm / 2, "no device on this page reports a location"); return; }
    let lon0 = Math.min(...points.map(p => p.lon)), lon1 = Math.max(...points.map(p => p.lon));
    let lat0 = Math.min(...points.map(p => p.lat)), lat1 = Math.max(...points.map(p => p.lat));
    const padLon = Math.max(2, (lon1 - lon0) * 0.1), padLat = Math.max(2, (lat1 - lat0) * 0.1);
    lon0 -= padLon; lon1 += padLon; lat0 -= padLat; lat1 += padLat;
    // Equirectangular, with degrees of longitude shortened by the cosine of the middle latitude.
    const k = Math.cos((lat0 + lat1) / 2 * Math.PI / 180);
    const sx = (W - M.left - M.right) / ((lon1 - lon0) * k), sy = (Hm - M.top - M.bottom) / (lat1 - lat0);
    const sc = Math.min(sx, sy);
    const ox = M.left + ((W - M.left - M.right) - (lon1 - lon0) * k * sc) / 2;
    const oy = M.top + ((Hm - M.top - M.bottom) - (lat1 - lat0) * sc) / 2;
    const x = lon => ox + (lon - lon0) * k * sc, y = lat => oy + (lat1 - lat) * sc;
    el("rect", {class: "land", x: x(lon0), y: y(lat1), width: x(lon1) - x(lon0), height: y(lat0) - y(lat1), rx: 6}, s);
    const grid = el("g", {class: "grid"}, s);
    for (const t of ticks(lon0, lon1, 6)) {
      el("line", {x1: x(t), x2: x(t), y1: y(lat1), y2: y(lat0)}, grid);
      text(s, x(t), y(lat0) + 14, `${Math.abs(t)}°${t < 0 ? "W" : "E"}`);
    }
    for (const t of ticks(lat0, lat1, 5)) {
      el("line", {x1: x(lon0), x2: x(lon1), y1: y(t), y2: y(t)}, grid);
      text(s, x(lon0) - 6, y(t) + 4, `${Math.abs(t)}°${t < 0 ? "S" : "N"}`, "end");
    }
    for (const p of points) {
      const c = el("circle", {class: "point", cx: x(p.lon), cy: y(p.lat), r: 6, fill: p.color || "var(--c1)"}, s);
      c.dataset.device = p.label;
      el("title", {}, c).textContent = p.title || p.label;
      if (onClick) { c.style.cursor = "pointer"; c.addEventListener("click", () => onClick(p)); }
    }
  }

  return {timeSeries, columns, rows, map};
})();
