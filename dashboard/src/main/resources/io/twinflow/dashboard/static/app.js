// The Twinflow dashboard: the live fleet (server-sent events), a device's recent windows, and the
// warehouse reports with the latest reconciliation. Plain browser JavaScript, served by the dashboard.
"use strict";
(() => {
  const main = document.getElementById("main");
  const statusEl = document.getElementById("status");
  const PAGE = 50;
  const SIMULATE = "./twinflow simulate --devices 20 --rate 50 --duration 5m";

  // Units of the metrics the simulator and the report views know; any other metric is shown as sent.
  const METRICS = {
    temperature: {label: "Temperature", unit: "°C", digits: 1, color: "var(--c2)"},
    humidity: {label: "Humidity", unit: "%", digits: 0, color: "var(--c1)"},
    battery: {label: "Battery", unit: "%", digits: 0, scale: 100, color: "var(--c3)"},
  };
  const metricInfo = m => METRICS[m] || {label: m, unit: "", digits: 2, color: "var(--c4)"};
  const group = new Intl.NumberFormat("en-US", {maximumFractionDigits: 0});

  function num(v, digits) {
    if (v === null || v === undefined || v === "") return "–";
    const n = Number(v);
    if (!Number.isFinite(n)) return String(v);
    return n.toLocaleString("en-US", {minimumFractionDigits: digits, maximumFractionDigits: digits});
  }
  function metricValue(metric, v) {
    const info = metricInfo(metric);
    if (v === null || v === undefined) return "–";
    return num(Number(v) * (info.scale || 1), info.digits);
  }
  function withUnit(metric, v) {
    const info = metricInfo(metric);
    return v === "–" ? v : `${v}${info.unit === "°C" || info.unit === "%" ? "" : " "}${info.unit}`;
  }
  function ago(iso) {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
    return `${Math.floor(s / 86400)} d ago`;
  }
  const utc = iso => iso ? iso.replace("T", " ").replace(/\.\d+Z$|Z$/, "") + " UTC" : "–";
  const esc = s => String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
  const h = html => { const t = document.createElement("template"); t.innerHTML = html.trim(); return t.content.firstElementChild; };

  // live: true (green), false (amber: reconnecting), null (no live updates on this page).
  function setStatus(text, live) {
    statusEl.textContent = text;
    statusEl.className = "status" + (live === null ? "" : live ? " live" : " down");
  }

  // One open live stream at a time: the view's.
  let stream = null;
  function listen(url, onData) {
    if (stream) stream.close();
    stream = new EventSource(url);
    stream.onmessage = e => { setStatus("live · " + new Date().toISOString().substring(11, 19) + " UTC", true); onData(JSON.parse(e.data)); };
    stream.onerror = () => setStatus("reconnecting…", false);
  }
  function stopListening() { if (stream) { stream.close(); stream = null; } }

  async function getJson(url, options) {
    const r = await fetch(url, options);
    const body = await r.json();
    if (!r.ok) throw new Error(body.message || `HTTP ${r.status}`);
    return body;
  }

  function problemBox(p) {
    return `<div class="problem">Cannot read the live state: ${esc(p.message || p.error || "unknown problem")}</div>`;
  }

  // ---------------------------------------------------------------- live fleet
  function fleetView(cursor) {
    main.innerHTML = `
      <h1>Live fleet</h1>
      <p class="sub">Each device's latest event, straight from the live state; updates arrive within about a second of being processed.</p>
      <div id="fleet-problem"></div>
      <div class="grid">
        <div class="card tile span-3"><div class="label">Devices on this page</div><div class="value" id="tile-devices">–</div></div>
        <div class="card tile span-3"><div class="label">Newest event</div><div class="value" id="tile-newest">–</div></div>
        <div class="card tile span-3"><div class="label">Alerts, last 3 hours</div><div class="value" id="tile-alerts">–</div></div>
        <div class="card tile span-3"><div class="label">Reporting a location</div><div class="value" id="tile-located">–</div></div>
        <div class="card span-12" id="fleet-card"><h2>Devices</h2><p class="hint">Click a device for its per-minute history.</p>
          <div id="fleet-table" class="scroll"></div><div class="pager" id="pager"></div></div>
        <div class="card span-8"><h2>Where they are</h2><p class="hint">Latitude and longitude of the devices on this page; red: alerting in the last 3 hours.</p>
          <div id="fleet-map"></div></div>
        <div class="card span-4"><h2>Alert feed</h2><p class="hint">Rules that fired in the last 3 hours, newest first.</p>
          <ul class="alerts" id="alert-feed"></ul></div>
      </div>`;
    const pager = document.getElementById("pager");
    const seen = {};
    const q = `view=fleet&limit=${PAGE}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : "");
    listen(`/api/live?${q}`, data => {
      document.getElementById("fleet-problem").innerHTML = data.problem ? problemBox(data.problem) : "";
      if (data.problem) return;
      renderFleet(data.fleet, data.alerts, seen, cursor);
      pager.innerHTML = "";
      if (cursor) pager.appendChild(h(`<a href="#/">← first page</a>`));
      if (data.fleet.next) pager.appendChild(h(`<a href="#/?cursor=${encodeURIComponent(data.fleet.next)}">next ${PAGE} devices →</a>`));
    });
  }

  function renderFleet(fleet, alerts, seen, cursor) {
    // A page comes in the table's storage order; within it, by name.
    const devices = fleet.devices.slice().sort((a, b) => a.deviceId.localeCompare(b.deviceId));
    const table = document.getElementById("fleet-table");
    const alerting = new Set(alerts.map(a => a.deviceId));
    document.getElementById("tile-devices").textContent = group.format(devices.length) + (fleet.next ? "+" : "");
    document.getElementById("tile-alerts").textContent = group.format(alerts.length);
    document.getElementById("tile-located").textContent = group.format(devices.filter(d => d.location).length);
    const newest = devices.map(d => d.ts).sort().pop();
    document.getElementById("tile-newest").innerHTML = newest ? `<span title="${utc(newest)}" data-ts="${esc(newest)}">${ago(newest)}</span>` : "–";
    if (!devices.length) {
      table.innerHTML = cursor ? `<div class="empty"><strong>No more devices.</strong><a href="#/">Back to the first page</a></div>`
        : `<div class="empty" id="fleet-empty"><strong>No device has reported yet.</strong>
           Send some telemetry, for example <code>${SIMULATE}</code>; devices appear here as their events are processed.</div>`;
      document.getElementById("fleet-map").innerHTML = "";
      Charts.map(document.getElementById("fleet-map"), "fleet-map", []);
      renderAlerts([]);
      return;
    }
    const metrics = [...new Set(devices.flatMap(d => Object.keys(d.metrics)))]
      .sort((a, b) => (METRICS[a] ? 0 : 1) - (METRICS[b] ? 0 : 1) || a.localeCompare(b));
    const head = `<tr><th>Device</th><th>Last event</th>${metrics.map(m => {
      const info = metricInfo(m);
      return `<th class="num">${esc(info.label)}${info.unit ? ` (${esc(info.unit)})` : ""}</th>`;
    }).join("")}<th>Location</th><th>Alerts</th></tr>`;
    const body = devices.map(d => {
      const changed = seen[d.deviceId] && seen[d.deviceId] !== d.ts;
      seen[d.deviceId] = d.ts;
      const cells = metrics.map(m => `<td class="num" data-metric="${esc(m)}">${metricValue(m, d.metrics[m])}</td>`).join("");
      const loc = d.location ? `${num(d.location.lat, 2)}, ${num(d.location.lon, 2)}` : "–";
      const alert = alerting.has(d.deviceId) ? `<span class="pill bad">alerting</span>` : `<span class="pill ok">ok</span>`;
      return `<tr data-device="${esc(d.deviceId)}" class="${changed ? "changed" : ""}">
        <td><a href="#/device/${encodeURIComponent(d.deviceId)}">${esc(d.deviceId)}</a></td>
        <td title="${utc(d.ts)}" data-ts="${esc(d.ts)}">${ago(d.ts)}</td>${cells}<td>${loc}</td><td>${alert}</td></tr>`;
    }).join("");
    table.innerHTML = `<table id="fleet"><thead>${head}</thead><tbody>${body}</tbody></table>`;
    Charts.map(document.getElementById("fleet-map"), "fleet-map", devices.filter(d => d.location).map(d => ({
      lat: d.location.lat, lon: d.location.lon, label: d.deviceId,
      title: `${d.deviceId}: ${metrics.map(m => `${metricInfo(m).label} ${withUnit(m, metricValue(m, d.metrics[m]))}`).join(", ")}`,
      color: alerting.has(d.deviceId) ? "var(--bad)" : "var(--c1)",
    })), p => { location.hash = `#/device/${encodeURIComponent(p.label)}`; });
    renderAlerts(alerts);
  }

  function renderAlerts(alerts) {
    const feed = document.getElementById("alert-feed");
    if (!feed) return;
    const sorted = alerts.slice().sort((a, b) => b.windowStart.localeCompare(a.windowStart)).slice(0, 100);
    feed.innerHTML = sorted.length ? sorted.map(a => `<li data-alert="${esc(a.ruleId)}">
        <span class="pill bad">${esc(a.ruleId)}</span> <a href="#/device/${encodeURIComponent(a.deviceId)}">${esc(a.deviceId)}</a><br>
        ${esc(metricInfo(a.metric).label)} reached ${withUnit(a.metric, metricValue(a.metric, a.peak))}
        (rule: ${esc(a.operator)} ${withUnit(a.metric, metricValue(a.metric, a.threshold))})<br>
        <span class="when" title="${utc(a.windowStart)}">minute of ${utc(a.windowStart).substring(11)} · <span data-ts="${esc(a.windowStart)}">${ago(a.windowStart)}</span></span></li>`).join("")
      : `<li class="empty">No alerts in the last 3 hours.</li>`;
  }

  // ---------------------------------------------------------------- one device
  function deviceView(id) {
    main.innerHTML = `
      <a class="back" href="#/">← Live fleet</a>
      <h1 id="device-title">${esc(id)}</h1>
      <p class="sub" id="device-sub">Loading…</p>
      <div id="device-problem"></div>
      <div class="grid" id="device-tiles"></div>
      <div class="grid" id="device-charts" style="margin-top:16px"></div>`;
    listen(`/api/live?view=device&deviceId=${encodeURIComponent(id)}`, data => {
      document.getElementById("device-problem").innerHTML = data.problem ? problemBox(data.problem) : "";
      if (data.problem) return;
      renderDevice(id, data);
    });
  }

  function renderDevice(id, data) {
    const tiles = document.getElementById("device-tiles"), charts = document.getElementById("device-charts");
    const sub = document.getElementById("device-sub");
    if (!data.state) {
      sub.textContent = "";
      tiles.innerHTML = `<div class="card span-12 empty"><strong>No live state for ${esc(id)}.</strong>
        It appears once one of its events has been processed, e.g. after <code>${SIMULATE}</code>.</div>`;
      charts.innerHTML = "";
      return;
    }
    const s = data.state;
    sub.innerHTML = `Last event <span title="${utc(s.ts)}" data-ts="${esc(s.ts)}">${ago(s.ts)}</span> (${utc(s.ts)})` +
      (s.location ? ` · at ${num(s.location.lat, 4)}, ${num(s.location.lon, 4)}` : "");
    const names = Object.keys(s.metrics).sort((a, b) => (METRICS[a] ? 0 : 1) - (METRICS[b] ? 0 : 1) || a.localeCompare(b));
    tiles.innerHTML = names.map(m => {
      const info = metricInfo(m);
      return `<div class="card tile span-3" data-metric="${esc(m)}"><div class="label">${esc(info.label)}</div>
        <div class="value">${metricValue(m, s.metrics[m])}<span class="unit">${esc(info.unit)}</span></div></div>`;
    }).join("");
    const windows = data.windows;
    charts.innerHTML = "";
    const count = h(`<div class="card span-6"><h2>Events per minute</h2><p class="hint">Last 3 hours, by event time (UTC).</p><div></div></div>`);
    charts.appendChild(count);
    Charts.timeSeries(count.lastElementChild, "events-per-minute",
      [{name: "events", color: "var(--c4)", points: windows.map(w => ({t: Date.parse(w.windowStart), v: w.count}))}],
      {zero: true, format: v => group.format(v)});
    for (const m of [...new Set(windows.flatMap(w => Object.keys(w.metrics)))].sort()) {
      const info = metricInfo(m), scale = info.scale || 1;
      const card = h(`<div class="card span-6"><h2>${esc(info.label)}${info.unit ? ` (${esc(info.unit)})` : ""}</h2>
        <p class="hint">Per-minute average; the band spans each minute's minimum to maximum.</p><div></div></div>`);
      charts.appendChild(card);
      Charts.timeSeries(card.lastElementChild, `metric-${m}`, [{name: m, color: info.color,
        points: windows.filter(w => w.metrics[m]).map(w => ({t: Date.parse(w.windowStart),
          v: w.metrics[m].avg * scale, lo: w.metrics[m].min * scale, hi: w.metrics[m].max * scale}))}],
        {format: v => num(v, info.digits)});
    }
    const alerts = h(`<div class="card span-12"><h2>Alerts of this device</h2><p class="hint">Last 3 hours.</p><ul class="alerts" id="alert-feed"></ul></div>`);
    charts.appendChild(alerts);
    renderAlerts(data.alerts);
  }

  // ---------------------------------------------------------------- reports
  const REPORTS = {
    "daily-fleet": {title: "Daily fleet", hint: "Events per event-time day across the fleet (the last 31 days), from the daily summary."},
    "battery-trend": {title: "Battery trend", hint: "Average battery per device on the latest day, the steepest 7-day drain first (with a day's history); the first 12 here, all in the table."},
    "top-anomalies": {title: "Top anomalies", hint: "Readings furthest from their device's mean that day, in standard deviations (σ)."},
    "device-health": {title: "Device health", hint: "Devices by status: silent after 60 minutes without events, offline after 24 hours."},
  };
  // How the report views' columns read, with their units.
  const COLUMNS = {
    dt: ["Day"], devices_reporting: ["Devices", 0], events: ["Events", 0], records_quarantined: ["Quarantined", 0],
    distinct_metrics: ["Metrics", 0], temperature_avg: ["Temp. avg", "temperature"], temperature_min: ["Temp. min", "temperature"],
    temperature_max: ["Temp. max", "temperature"], humidity_avg: ["Humidity avg", "humidity"], humidity_min: ["Humidity min", "humidity"],
    humidity_max: ["Humidity max", "humidity"], battery_avg: ["Battery avg", "battery"], battery_min: ["Battery min", "battery"],
    battery_latest: ["Battery (latest)", "battery"], change_since_previous_day: ["Change since previous day", "battery"],
    change_per_day_7d: ["Change per day, 7 days", "battery"], days_to_empty_estimate: ["Days to empty (estimate)", 1],
    device_id: ["Device"], metric: ["Metric"], event_id: ["Event"], ts: ["Time"], value: ["Value", "row"],
    device_day_mean: ["Day mean", "row"], device_day_stddev: ["Day std. dev.", "row"], device_day_readings: ["Readings", 0],
    z_score: ["z (σ)", 2], abs_z_score: ["|z| (σ)", 2], first_seen: ["First seen"], last_seen: ["Last seen"],
    minutes_silent: ["Silent (min)", 0], status: ["Status"],
  };
  function columnHead(c) {
    const spec = COLUMNS[c];
    if (!spec) return esc(c.replace(/_/g, " "));
    const unit = typeof spec[1] === "string" && METRICS[spec[1]] ? ` (${METRICS[spec[1]].unit})` : "";
    return esc(spec[0] + unit);
  }
  function cell(c, v, row, columns) {
    const spec = COLUMNS[c] || [c];
    if (v === null || v === undefined) return `<td class="num">–</td>`;
    if (c === "status") return `<td><span class="pill ${v === "ok" ? "ok" : v === "silent" ? "warn" : "bad"}">${esc(v)}</span></td>`;
    if (typeof spec[1] === "number") return `<td class="num">${num(v, spec[1])}</td>`;
    if (spec[1] === "row") return `<td class="num">${withUnit(row[columns.indexOf("metric")], metricValue(row[columns.indexOf("metric")], v))}</td>`;
    if (spec[1]) return `<td class="num">${metricValue(spec[1], v)}</td>`;
    if (typeof v === "number") return `<td class="num">${num(v, Number.isInteger(v) ? 0 : 3)}</td>`;
    return `<td>${esc(/^\d{4}-\d\d-\d\d[ T]\d\d:\d\d/.test(v) ? String(v).substring(0, 19).replace("T", " ") : v)}</td>`;
  }
  function reportTable(data, max) {
    const rows = data.rows.slice(0, max);
    const note = data.rows.length > max ? `<p class="hint">The first ${max} of ${group.format(data.rows.length)} rows; all of them: <code>./twinflow query --report ${esc(data.report)}</code></p>` : "";
    return `<div class="scroll"><table data-report="${esc(data.report)}"><thead><tr>${data.columns.map(c => `<th>${columnHead(c)}</th>`).join("")}</tr></thead>
      <tbody>${rows.map(r => `<tr>${r.map((v, i) => cell(data.columns[i], v, r, data.columns)).join("")}</tr>`).join("")}</tbody></table></div>${note}`;
  }
  function col(data, name) { const i = data.columns.indexOf(name); return r => r[i]; }

  function drawReport(name, data, chart) {
    if (name === "daily-fleet") {
      const dt = col(data, "dt"), events = col(data, "events");
      Charts.columns(chart, name, data.rows.slice().reverse().map(r => ({label: String(dt(r)).substring(5, 10), v: Number(events(r))})),
        {format: v => group.format(v)});
    } else if (name === "battery-trend") {
      const dev = col(data, "device_id"), avg = col(data, "battery_avg");
      Charts.rows(chart, name, data.rows.slice(0, 12).map(r => ({label: dev(r), v: Number(avg(r)) * 100, color: "var(--c3)"})),
        {format: v => `${num(v, 0)}%`});
    } else if (name === "top-anomalies") {
      const dev = col(data, "device_id"), metric = col(data, "metric"), z = col(data, "abs_z_score");
      Charts.rows(chart, name, data.rows.slice(0, 12).map(r => ({label: `${dev(r)} · ${metric(r)}`, v: Number(z(r)), color: "var(--c2)"})),
        {format: v => `${num(v, 1)} σ`});
    } else if (name === "device-health") {
      const status = col(data, "status"), counts = {ok: 0, silent: 0, offline: 0};
      data.rows.forEach(r => { counts[status(r)] = (counts[status(r)] || 0) + 1; });
      const colors = {ok: "var(--ok)", silent: "var(--warn)", offline: "var(--bad)"};
      Charts.columns(chart, name, Object.entries(counts).map(([k, v]) => ({label: k, v, color: colors[k]})),
        {format: v => group.format(v)});
    }
  }

  function reportsView() {
    stopListening();
    setStatus("reports are read when the page opens", null);
    main.innerHTML = `
      <h1>Reports</h1>
      <p class="sub">From the warehouse, which the batch jobs fill (the loader hourly, the rollup daily). The same views as <code>./twinflow query --report NAME</code>.</p>
      <div class="grid">
        <div class="card span-12" id="reconcile"><h2>Streaming and batch</h2>
          <p class="hint">The newest rolled-up day's totals from the live windows, the warehouse's events and its daily summary, per device and metric (<code>./twinflow reconcile</code>).</p>
          <div id="reconcile-body">Loading…</div></div>
        ${Object.entries(REPORTS).map(([name, r]) => `<div class="card span-6" id="report-${name}"><h2>${r.title}</h2>
          <p class="hint">${r.hint}</p><div class="report-chart">Loading…</div></div>`).join("")}
        ${Object.entries(REPORTS).map(([name, r]) => `<div class="card span-12" id="table-${name}"><h2>${r.title}: table</h2><div class="report-table"></div></div>`).join("")}
      </div>`;
    for (const name of Object.keys(REPORTS)) loadReport(name);
    loadReconcile("GET");
  }

  async function loadReport(name) {
    const chart = document.querySelector(`#report-${name} .report-chart`), table = document.querySelector(`#table-${name} .report-table`);
    try {
      const data = await getJson(`/api/reports/${name}`);
      if (!data.rows.length) {
        chart.innerHTML = `<div class="empty"><strong>No rows yet.</strong>The batch jobs fill the warehouse: <code>./twinflow batch run --job loader</code>, then <code>./twinflow batch run --job rollup</code>.</div>`;
        table.innerHTML = `<p class="hint">Empty.</p>`;
        return;
      }
      drawReport(name, data, chart);
      table.innerHTML = reportTable(data, 50);
    } catch (e) {
      chart.innerHTML = `<div class="problem">Cannot read this report: ${esc(e.message)}</div>`;
    }
  }

  async function loadReconcile(method) {
    const body = document.getElementById("reconcile-body");
    if (!body) return;
    let r;
    try {
      r = await getJson("/api/reconcile", {method});
    } catch (e) {
      body.innerHTML = `<div class="problem">Cannot reconcile: ${esc(e.message)}</div>`;
      return;
    }
    const again = `<button id="reconcile-run">Check now</button>`;
    if (!r.checkedAt) {
      body.innerHTML = `<div class="verdict"><div>Not checked yet in this dashboard. It reads every device's windows of a day, so it runs when you ask.</div>${again}</div>`;
    } else if (!r.date) {
      body.innerHTML = `<div class="verdict"><div><strong>No rolled-up day yet.</strong> Run <code>./twinflow batch run --job loader</code> and <code>--job rollup</code>, then check.</div>${again}</div>`;
    } else {
      const res = r.result;
      const pending = res.pendingRollupDates.length ? ` Late events of ${res.pendingRollupDates.join(", ")} await the next rollup.` : "";
      body.innerHTML = res.clean
        ? `<div class="verdict ok" data-verdict="clean"><div class="big">✓ They agree</div><div>${esc(r.date)}: ${group.format(res.devices)} devices,
             ${group.format(res.valuesCompared)} values compared; checked ${ago(r.checkedAt)}.${esc(pending)}</div>${again}</div>`
        : `<div class="verdict bad" data-verdict="drift"><div class="big">${res.drifts.length === 1 ? "1 value drifts" : `${group.format(res.drifts.length)} values drift`}</div><div>${esc(r.date)}:
             ${group.format(res.devices)} devices, ${group.format(res.valuesCompared)} values compared; checked ${ago(r.checkedAt)}.${esc(pending)}</div>${again}</div>
           <div class="scroll"><table><thead><tr><th>Device</th><th>Metric</th><th>Field</th><th class="num">Streaming (DynamoDB)</th>
             <th class="num">Events table</th><th class="num">Daily summary</th></tr></thead><tbody>${res.drifts.slice(0, 50).map(d =>
             `<tr><td>${esc(d.deviceId)}</td><td>${esc(d.metric || "(events)")}</td><td>${esc(d.field)}</td><td class="num">${num(d.streaming, 3)}</td>
              <td class="num">${num(d.events, 3)}</td><td class="num">${num(d.batch, 3)}</td></tr>`).join("")}</tbody></table></div>`;
    }
    document.getElementById("reconcile-run").addEventListener("click", e => {
      e.target.disabled = true;
      e.target.textContent = "Checking…";
      loadReconcile("POST");
    });
  }

  // ---------------------------------------------------------------- trade-off
  // The newest `twinflow tradeoff` report, as the command wrote it (a self-contained page with no script).
  async function tradeoffView() {
    stopListening();
    setStatus("the newest twinflow tradeoff run", null);
    main.innerHTML = `<h1>Batch versus real-time</h1>
      <p class="sub">Freshness, cost per million events and a projection to higher rates, measured on your own data by
      <code>./twinflow tradeoff</code>; the dashboard shows its newest report.</p><div id="tradeoff-body">Loading…</div>`;
    const body = document.getElementById("tradeoff-body");
    try {
      const info = await getJson("/api/tradeoff");
      body.innerHTML = info.available
        ? `<iframe id="tradeoff-report" class="report-frame" title="trade-off report" sandbox src="/tradeoff/latest.html"></iframe>`
        : `<p class="empty">${esc(info.message)} (e.g. <code>./twinflow tradeoff --devices 50 --rate 200 --duration 30s</code>).</p>`;
    } catch (e) {
      body.innerHTML = `<p class="empty">${esc(e.message)}</p>`;
    }
  }

  // ---------------------------------------------------------------- routing
  function route() {
    const hash = location.hash || "#/";
    const nav = hash.startsWith("#/reports") ? "reports" : hash.startsWith("#/tradeoff") ? "tradeoff" : "fleet";
    document.querySelectorAll("nav a").forEach(a => a.classList.toggle("active", a.dataset.nav === nav));
    if (hash.startsWith("#/device/")) {
      deviceView(decodeURIComponent(hash.substring("#/device/".length)));
    } else if (nav === "reports") {
      reportsView();
    } else if (nav === "tradeoff") {
      tradeoffView();
    } else {
      const m = /cursor=([^&]*)/.exec(hash);
      fleetView(m && m[1] ? decodeURIComponent(m[1]) : null);
    }
    window.scrollTo(0, 0);
  }
  window.addEventListener("hashchange", route);
  // "12 s ago" keeps counting between updates: a quiet device sends nothing new.
  setInterval(() => document.querySelectorAll("[data-ts]").forEach(e => { e.textContent = ago(e.dataset.ts); }), 1000);
  getJson("/api/info").then(info => { document.getElementById("target").textContent = info.target; }).catch(() => {});
  route();
})();
