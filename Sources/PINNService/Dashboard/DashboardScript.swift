/// The dashboard's script: the job list, the submit form, and a job's live panel (progress, charts drawn on
/// canvas, heatmaps, line cuts, downloads, cancel) over the v1 API and each job's event stream. Plain ES2020 in
/// ASCII, no framework or vendored library.
extension DashboardAssets {
    static let script: String = #"""
// pinn-service dashboard: a single-page app over the v1 API (docs/api.md). Plain ES2020, no framework, no build
// step, no network beyond this server. Charts are drawn by hand on canvas; a running job's records arrive over its
// event stream (Server-Sent Events). Every chart sets data-drawn="true" and data-points=N after drawing, and every
// heatmap that loaded sets data-loaded="true": scripts/browser_test.py waits for both.
'use strict';

(() => {
  // MARK: - Helpers

  const $ = (id) => document.getElementById(id);

  /** Builds an element: `attributes` are attributes, except class, text, dataset and on<event> handlers. */
  function el(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name === 'text') node.textContent = value;
      else if (name === 'dataset') Object.assign(node.dataset, value);
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
  const isFinished = (status) => FINISHED.has(status);
  const DASH = '\u2013';

  function formatNumber(value, digits = 3) {
    if (value === null || value === undefined || !Number.isFinite(value)) return DASH;
    if (value === 0) return '0';
    const magnitude = Math.abs(value);
    if (magnitude >= 1e-3 && magnitude < 1e5) return String(Number(value.toPrecision(digits)));
    return value.toExponential(digits - 1).replace('e+', 'e');
  }

  function formatDuration(seconds) {
    if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return DASH;
    if (seconds < 1) return '< 1 s';
    const s = Math.round(seconds);
    if (s < 60) return s + ' s';
    const minutes = Math.floor(s / 60);
    if (minutes < 60) return minutes + ' min' + (s % 60 ? ' ' + (s % 60) + ' s' : '');
    return Math.floor(minutes / 60) + ' h ' + (minutes % 60) + ' min';
  }

  function formatTime(iso) {
    if (!iso) return DASH;
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? DASH : date.toLocaleString();
  }

  function formatAgo(iso) {
    const seconds = (Date.now() - Date.parse(iso)) / 1000;
    if (!Number.isFinite(seconds)) return '';
    if (seconds < 45) return 'just now';
    if (seconds < 3600) return Math.round(seconds / 60) + ' min ago';
    if (seconds < 86400) return Math.round(seconds / 3600) + ' h ago';
    return new Date(iso).toLocaleDateString();
  }

  const shortId = (id) => String(id).slice(0, 8);

  /** Calls `fn` at most once per `ms` after the last call. */
  function debounce(fn, ms) {
    let timer = null;
    return (...args) => {
      clearTimeout(timer);
      timer = setTimeout(() => fn(...args), ms);
    };
  }

  // MARK: - The API

  /** An answer the page expects and shows (an HTTP error, or no server): not a bug. */
  class ApiError extends Error {
    constructor(status, message, issues = []) {
      super(message);
      this.status = status;
      this.issues = Array.isArray(issues) ? issues : [];
    }
  }

  // The API token (docs/api.md, "Authentication"), kept in this browser's localStorage and sent with every
  // request as Authorization: Bearer. Empty: none (a server without tokens, or public reads).
  const TOKEN_KEY = 'pinn.token';
  const auth = { token: '' };
  try {
    auth.token = window.localStorage.getItem(TOKEN_KEY) || '';
  } catch (_) {
    // Storage disabled: the token lasts until the page is reloaded.
  }

  /** `headers` with the token's Authorization header, when there is a token. */
  function withToken(headers = {}) {
    return auth.token ? Object.assign({}, headers, { Authorization: 'Bearer ' + auth.token }) : headers;
  }

  /** The ApiError of an answer that is not 2xx, with the server's message (and issues, for an invalid spec). */
  async function apiErrorOf(response) {
    let message = response.status + ' ' + response.statusText;
    let issues = [];
    try {
      const body = await response.json();
      if (body && body.error) {
        message = body.error.message || message;
        issues = body.error.issues || [];
      }
    } catch (_) {
      // Not JSON: keep the status line.
    }
    if (response.status === 401) {
      message = (auth.token ? 'the API token was refused (' : 'this server needs an API token (') + message +
        '): enter one at the top of the page';
      showTokenState(auth.token ? 'refused' : 'needed');
    }
    return new ApiError(response.status, message, issues);
  }

  async function request(path, options = {}) {
    let response;
    try {
      response = await fetch(path, Object.assign({ cache: 'no-store' }, options, { headers: withToken(options.headers) }));
    } catch (error) {
      throw new ApiError(0, 'the server cannot be reached (' + error.message + ')');
    }
    if (!response.ok) throw await apiErrorOf(response);
    return response;
  }

  /** Shows whether a token is set and, after a 401, that one is needed or was refused. */
  function showTokenState(problem) {
    const node = $('token-state');
    const form = $('token-form');
    form.classList.toggle('refused', Boolean(problem));
    node.textContent = problem === 'needed' ? 'token needed' : problem === 'refused' ? 'token refused'
      : auth.token ? 'token set' : '';
  }

  /** Server-Sent Events read over fetch, so the stream carries the API token like every other request:
   *  EventSource cannot send headers, and a token in the URL would land in access logs, proxies and the browser's
   *  history. It reconnects as EventSource does, after the server's `retry` (2 s) with Last-Event-ID, until
   *  `close()`. `handlers`: open(), event(name, data), trouble(error, fatal): fatal when the server refused
   *  the stream (an HTTP error: 401, 404, a server without the route), otherwise a lost connection about to be
   *  retried. Lines end with \n (what the server sends); a trailing \r is dropped. */
  class EventStream {
    constructor(url, handlers) {
      this.url = url;
      this.handlers = handlers;
      this.closed = false;
      this.lastEventId = '';
      this.retry = 2000;
      this.controller = null;
      background(this.run());
    }

    close() {
      this.closed = true;
      if (this.controller) this.controller.abort();
    }

    async run() {
      while (!this.closed) {
        let refused = null;
        try {
          this.controller = new AbortController();
          const headers = withToken({ Accept: 'text/event-stream' });
          if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
          const response = await fetch(this.url, { headers, cache: 'no-store', signal: this.controller.signal });
          if (!response.ok || !response.body) {
            refused = await apiErrorOf(response);
          } else {
            this.handlers.open();
            await this.read(response.body.getReader());
            if (!this.closed) this.handlers.trouble(new ApiError(0, 'the event stream ended'), false);
          }
        } catch (error) {
          if (this.closed) return;
          this.handlers.trouble(new ApiError(0, 'the event stream broke off (' + error.message + ')'), false);
        }
        if (this.closed) return;
        if (refused) {
          this.closed = true;
          this.handlers.trouble(refused, true);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retry));
      }
    }

    async read(reader) {
      const decoder = new TextDecoder();
      let buffer = '';
      let name = '', data = [];
      for (;;) {
        const { value, done } = await reader.read();
        if (done || this.closed) return;
        buffer += decoder.decode(value, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, end).replace(/\r$/, '');
          buffer = buffer.slice(end + 1);
          if (line === '') {
            // A blank line dispatches the event gathered so far (comments and id-only blocks dispatch nothing).
            if (data.length && !this.closed) this.handlers.event(name || 'message', data.join('\n'));
            name = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const text = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') name = text;
          else if (field === 'data') data.push(text);
          else if (field === 'id' && !text.includes('\0')) this.lastEventId = text;
          else if (field === 'retry' && /^[0-9]+$/.test(text)) this.retry = Number(text);
        }
      }
    }
  }

  const getJSON = async (path) => (await request(path)).json();

  /** Returns an expected error to show; rethrows anything else, which is a bug and belongs on the console. */
  function expected(error) {
    if (error instanceof ApiError) return error;
    throw error;
  }

  /** Runs a promise nobody awaits: expected errors are shown by their callers, bugs still surface. */
  function background(promise) {
    promise.catch((error) => {
      if (error instanceof ApiError) console.warn(error.message);
      else throw error;
    });
  }

  // MARK: - Charts

  const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#17becf',
    '#bcbd22', '#7f7f7f'];
  const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const SMALL_FONT = '9px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
  const MAX_POINTS_PER_SERIES = 20000;

  /** Sizes the canvas to its CSS box at the device's pixel ratio; drawing then uses CSS pixels. */
  function prepareCanvas(canvas) {
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(240, Math.round(canvas.clientWidth || 600));
    const height = Math.max(140, Math.round(canvas.clientHeight || 280));
    if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return { ctx, width, height };
  }

  /** Round steps: 1, 2 or 5 times a power of ten, about `count` of them over `span`. */
  function niceStep(span, count) {
    const raw = span / Math.max(1, count);
    const power = Math.pow(10, Math.floor(Math.log10(raw)));
    const fraction = raw / power;
    return (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * power;
  }

  function linearTicks(lo, hi, count) {
    const step = niceStep(hi - lo, count);
    const first = Math.ceil(lo / step - 1e-9);
    const ticks = [];
    for (let i = first; i * step <= hi + step * 1e-9; i++) ticks.push(Math.abs(i * step) < step * 1e-9 ? 0 : i * step);
    return { ticks, step };
  }

  function formatTick(value, step) {
    if (value === 0) return '0';
    const magnitude = Math.max(Math.abs(value), step);
    if (magnitude >= 1e6 || step < 1e-4) return value.toExponential(Math.max(0, Math.round(-Math.log10(step / magnitude)))).replace('e+', 'e');
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return value.toFixed(Math.min(decimals, 8));
  }

  /** A y axis: `toUnit` maps a value to [0, 1] of the plot's height; `ticks` carry their labels. */
  function logAxis(min, max, plotHeight) {
    let lo = Math.floor(Math.log10(min));
    let hi = Math.ceil(Math.log10(max));
    if (hi === lo) { lo -= 1; hi += 1; }
    const decades = hi - lo;
    const every = Math.max(1, Math.ceil(decades / Math.max(2, Math.floor(plotHeight / 26))));
    const ticks = [];
    const minor = [];
    // Over one or two decades the powers of ten alone say little: 2 and 5 times them are labelled too.
    const fine = decades <= 2 && plotHeight >= 120;
    for (let k = lo; k <= hi; k++) {
      const power = Math.pow(10, k);
      if ((k - lo) % every === 0) ticks.push({ value: power, base: '10', exponent: String(k) });
      if (decades <= 6 && k < hi) {
        for (let m = 2; m <= 9; m++) {
          if (fine && (m === 2 || m === 5)) ticks.push({ value: m * power, base: m + '\u00b710', exponent: String(k) });
          else minor.push(m * power);
        }
      }
    }
    return {
      toUnit: (value) => (Math.log10(value) - lo) / (hi - lo),
      ticks,
      minor,
    };
  }

  function linearAxis(min, max, count) {
    if (min === max) {
      const pad = Math.abs(min) * 0.1 || 1;
      min -= pad;
      max += pad;
    } else {
      const pad = (max - min) * 0.06;
      min -= pad;
      max += pad;
    }
    const { ticks, step } = linearTicks(min, max, count);
    return {
      toUnit: (value) => (value - min) / (max - min),
      ticks: ticks.map((value) => ({ value, base: formatTick(value, step), exponent: '' })),
      minor: [],
    };
  }

  function tickLabelWidth(ctx, tick) {
    ctx.font = FONT;
    let width = ctx.measureText(tick.base).width;
    if (tick.exponent) {
      ctx.font = SMALL_FONT;
      width += ctx.measureText(tick.exponent).width + 1;
      ctx.font = FONT;
    }
    return width;
  }

  function drawTickLabel(ctx, tick, right, y) {
    const width = tickLabelWidth(ctx, tick);
    const left = right - width;
    ctx.font = FONT;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    ctx.fillText(tick.base, left, y);
    if (tick.exponent) {
      const baseWidth = ctx.measureText(tick.base).width;
      ctx.font = SMALL_FONT;
      ctx.fillText(tick.exponent, left + baseWidth + 1, y - 5);
      ctx.font = FONT;
    }
  }

  function withAlpha(color, alpha) {
    const hex = color.replace('#', '');
    const r = parseInt(hex.slice(0, 2), 16), g = parseInt(hex.slice(2, 4), 16), b = parseInt(hex.slice(4, 6), 16);
    return 'rgba(' + r + ',' + g + ',' + b + ',' + alpha + ')';
  }

  /** Marks a canvas for the browser test: drawn, and how many data points it shows. */
  function markDrawn(canvas, points) {
    canvas.dataset.drawn = 'true';
    canvas.dataset.points = String(points);
  }

  function resetChart(canvas) {
    canvas.dataset.drawn = 'false';
    canvas.dataset.points = '0';
    const ctx = canvas.getContext('2d');
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
  }

  /**
   * Draws a line chart.
   *   series:     [{label, color, points: [[x, y], ...], dash?: [..], width?}]  (non-finite y, or y <= 0 on a log
   *               axis, leave a gap)
   *   bands:      [{label?, color, points: [[x, lo, hi], ...]}]  filled between lo and hi
   *   markers:    [{x, label}]  dashed vertical lines (phase changes)
   *   ticks:      {label, color, xs: [..]}  short marks under the plot (resamples)
   *   references: [{y, color, label}]  dashed horizontal lines
   */
  function drawChart(canvas, options) {
    const { series = [], bands = [], markers = [], ticks = null, references = [], logY = false, xLabel = '',
      yLabel = '', empty = 'No data yet.' } = options;
    const { ctx, width, height } = prepareCanvas(canvas);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height);
    ctx.font = FONT;

    const valid = (y) => Number.isFinite(y) && (!logY || y > 0);
    let xMin = Infinity, xMax = -Infinity, yMin = Infinity, yMax = -Infinity, count = 0;
    const extend = (x, y) => {
      if (!Number.isFinite(x) || !valid(y)) return false;
      if (x < xMin) xMin = x;
      if (x > xMax) xMax = x;
      if (y < yMin) yMin = y;
      if (y > yMax) yMax = y;
      return true;
    };
    for (const s of series) for (const point of s.points) if (extend(point[0], point[1])) count++;
    for (const band of bands) for (const point of band.points) { extend(point[0], point[1]); extend(point[0], point[2]); }

    if (count === 0) {
      ctx.strokeStyle = '#dde3ea';
      ctx.setLineDash([4, 4]);
      ctx.strokeRect(10.5, 10.5, width - 21, height - 21);
      ctx.setLineDash([]);
      ctx.fillStyle = '#6b7785';
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      ctx.fillText(empty, width / 2, height / 2);
      markDrawn(canvas, 0);
      return;
    }
    for (const reference of references) {
      if (valid(reference.y)) { yMin = Math.min(yMin, reference.y); yMax = Math.max(yMax, reference.y); }
    }

    // Legend rows along the top, so no line hides behind them.
    const legend = series.filter((s) => s.label).map((s) => ({ label: s.label, color: s.color, dash: s.dash, width: s.width }));
    for (const band of bands) if (band.label) legend.push({ label: band.label, color: band.color, fill: true });
    if (ticks && ticks.xs.length) legend.push({ label: ticks.label, color: ticks.color, tick: true });
    const rows = [];
    let row = [], rowWidth = 0;
    for (const item of legend) {
      item.measure = 22 + ctx.measureText(item.label).width + 14;
      if (row.length && rowWidth + item.measure > width - 20) { rows.push(row); row = []; rowWidth = 0; }
      row.push(item);
      rowWidth += item.measure;
    }
    if (row.length) rows.push(row);

    const top = 12 + rows.length * 18 + (rows.length ? 8 : 0);
    const bottom = height - (xLabel ? 40 : 26);
    const plotHeight = Math.max(20, bottom - top);
    const yAxis = logY ? logAxis(yMin, yMax, plotHeight) : linearAxis(yMin, yMax, Math.max(2, Math.floor(plotHeight / 45)));
    const labelWidth = Math.max(...yAxis.ticks.map((tick) => tickLabelWidth(ctx, tick)), 10);
    const left = 10 + (yLabel ? 18 : 0) + labelWidth + 8;
    const right = width - 16;
    const plotWidth = Math.max(20, right - left);

    if (xMin === xMax) { xMin -= 1; xMax += 1; }
    const xTicks = linearTicks(xMin, xMax, Math.max(2, Math.floor(plotWidth / 90)));
    const X = (x) => left + (x - xMin) / (xMax - xMin) * plotWidth;
    const Y = (y) => bottom - yAxis.toUnit(y) * plotHeight;

    // Grid and axes.
    ctx.lineWidth = 1;
    ctx.strokeStyle = '#f3f5f8';
    for (const value of yAxis.minor) {
      const y = Math.round(Y(value)) + 0.5;
      if (y < top || y > bottom) continue;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(right, y); ctx.stroke();
    }
    ctx.strokeStyle = '#e6eaef';
    ctx.fillStyle = '#5b6673';
    for (const tick of yAxis.ticks) {
      const y = Math.round(Y(tick.value)) + 0.5;
      if (y < top - 0.5 || y > bottom + 0.5) continue;
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(right, y); ctx.stroke();
      drawTickLabel(ctx, tick, left - 6, y);
    }
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (const value of xTicks.ticks) {
      const x = Math.round(X(value)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
      ctx.fillText(formatTick(value, xTicks.step), x, bottom + 5);
    }
    ctx.strokeStyle = '#b9c2cc';
    ctx.strokeRect(left + 0.5, top + 0.5, plotWidth, plotHeight);
    ctx.fillStyle = '#3d4751';
    if (xLabel) {
      ctx.textBaseline = 'bottom';
      ctx.fillText(xLabel, left + plotWidth / 2, height - 4);
    }
    if (yLabel) {
      ctx.save();
      ctx.translate(14, top + plotHeight / 2);
      ctx.rotate(-Math.PI / 2);
      ctx.textBaseline = 'middle';
      ctx.fillText(yLabel, 0, 0);
      ctx.restore();
    }

    // Data, clipped to the plot.
    ctx.save();
    ctx.beginPath();
    ctx.rect(left, top, plotWidth + 1, plotHeight + 1);
    ctx.clip();
    for (const marker of markers) {
      const x = Math.round(X(marker.x)) + 0.5;
      ctx.strokeStyle = '#9aa5b1';
      ctx.setLineDash([4, 3]);
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, bottom); ctx.stroke();
      ctx.setLineDash([]);
      if (marker.label) {
        ctx.fillStyle = '#6b7785';
        ctx.textAlign = 'left';
        ctx.textBaseline = 'top';
        ctx.fillText(marker.label, x + 4, top + 3);
      }
    }
    for (const reference of references) {
      if (!valid(reference.y)) continue;
      const y = Math.round(Y(reference.y)) + 0.5;
      ctx.strokeStyle = reference.color;
      ctx.lineWidth = 1.25;
      ctx.setLineDash([6, 4]);
      ctx.beginPath(); ctx.moveTo(left, y); ctx.lineTo(right, y); ctx.stroke();
      ctx.setLineDash([]);
      if (reference.label) {
        ctx.fillStyle = reference.color;
        ctx.textAlign = 'right';
        ctx.textBaseline = 'bottom';
        ctx.fillText(reference.label, right - 4, y - 2);
      }
    }
    for (const band of bands) {
      const points = band.points.filter((p) => Number.isFinite(p[0]) && valid(p[1]) && valid(p[2]));
      if (points.length < 2) continue;
      ctx.fillStyle = withAlpha(band.color, 0.16);
      ctx.beginPath();
      points.forEach((p, i) => (i ? ctx.lineTo(X(p[0]), Y(p[2])) : ctx.moveTo(X(p[0]), Y(p[2]))));
      for (let i = points.length - 1; i >= 0; i--) ctx.lineTo(X(points[i][0]), Y(points[i][1]));
      ctx.closePath();
      ctx.fill();
    }
    ctx.lineJoin = 'round';
    for (const s of series) {
      const stride = Math.max(1, Math.ceil(s.points.length / MAX_POINTS_PER_SERIES));
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.lineWidth = s.width || 1.6;
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      let pen = false, drawn = 0, lastX = 0, lastY = 0;
      for (let i = 0; i < s.points.length; i += stride) {
        const [x, y] = s.points[i];
        if (!Number.isFinite(x) || !valid(y)) { pen = false; continue; }
        lastX = X(x); lastY = Y(y);
        if (pen) ctx.lineTo(lastX, lastY); else ctx.moveTo(lastX, lastY);
        pen = true;
        drawn++;
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (drawn === 1) { ctx.beginPath(); ctx.arc(lastX, lastY, 3, 0, 2 * Math.PI); ctx.fill(); }
    }
    if (ticks) {
      ctx.strokeStyle = ticks.color;
      ctx.lineWidth = 1.5;
      for (const value of ticks.xs) {
        const x = Math.round(X(value)) + 0.5;
        ctx.beginPath(); ctx.moveTo(x, bottom); ctx.lineTo(x, bottom - 6); ctx.stroke();
      }
    }
    ctx.restore();

    // Legend.
    ctx.textAlign = 'left';
    ctx.textBaseline = 'middle';
    rows.forEach((items, r) => {
      let x = 10;
      const y = 10 + r * 18 + 7;
      for (const item of items) {
        ctx.strokeStyle = item.color;
        ctx.fillStyle = item.color;
        if (item.fill) {
          ctx.fillStyle = withAlpha(item.color, 0.3);
          ctx.fillRect(x, y - 5, 18, 10);
        } else if (item.tick) {
          ctx.lineWidth = 1.5;
          ctx.beginPath(); ctx.moveTo(x + 9, y + 5); ctx.lineTo(x + 9, y - 5); ctx.stroke();
        } else {
          ctx.lineWidth = item.width || 1.6;
          ctx.setLineDash(item.dash || []);
          ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 18, y); ctx.stroke();
          ctx.setLineDash([]);
        }
        ctx.fillStyle = '#3d4751';
        ctx.fillText(item.label, x + 22, y);
        x += item.measure;
      }
    });
    markDrawn(canvas, count);
  }

  // MARK: - Jobs, specs and records

  function problemOf(spec) {
    return spec && typeof spec.problem === 'object' && spec.problem !== null ? spec.problem : {};
  }

  function problemName(spec) {
    if (!spec) return 'job';
    if (typeof spec.problem === 'string') return spec.problem;
    return problemOf(spec).name || 'inline problem';
  }

  const ADAPTIVE_NAMES = { fixed: 'fixed activation', global: 'global slope', layer: 'L-LAAF', neuron: 'N-LAAF' };

  function networkSummary(spec) {
    const network = (spec && spec.network) || {};
    const layers = network.layers || [];
    if (!layers.length) return '';
    const shape = layers.every((w) => w === layers[0]) ? layers.length + '\u00d7' + layers[0] : layers.join('-');
    const adaptive = network.adaptive || 'fixed';
    const scale = adaptive !== 'fixed' && network.scale ? ' (n = ' + network.scale + ')' : '';
    return shape + ' ' + (network.activation || 'tanh') + ', ' + (ADAPTIVE_NAMES[adaptive] || adaptive) + scale;
  }

  function hasExactSolution(spec) {
    const exact = problemOf(spec).exact;
    return exact !== undefined && exact !== null;
  }

  function learnedParameterNames(spec, records) {
    const names = [];
    const parameters = problemOf(spec).parameters || {};
    for (const [name, value] of Object.entries(parameters)) {
      if (value && typeof value === 'object' && value.learn) names.push(name);
    }
    for (const record of records) {
      for (const name of Object.keys(record.learned || {})) if (!names.includes(name)) names.push(name);
      if (names.length) break;
    }
    return names;
  }

  /** Appends records in (iteration, phase) order, dropping those already held (a phase's last iteration is
   *  recorded once per phase, so the pair is the key). */
  function appendRecords(list, records) {
    let added = 0;
    for (const record of records || []) {
      const last = list[list.length - 1];
      if (!last || record.iteration > last.iteration ||
          (record.iteration === last.iteration && (record.phase || 0) > (last.phase || 0))) {
        list.push(record);
        added++;
      }
    }
    return added;
  }

  /** A solution grid by output: `{"u": [[...]]}` from current servers, a bare grid from older ones. */
  function solutionGrid(solution, group, output) {
    if (!solution) return null;
    if (group === 'value') return solution[output] || null;
    const value = solution[group];
    if (!value) return null;
    return Array.isArray(value) ? value : value[output] || null;
  }

  // MARK: - The job list

  const list = { jobs: [], key: '', filter: '', inFlight: false };

  async function refreshJobList() {
    if (list.inFlight) return;
    list.inFlight = true;
    try {
      const query = '?limit=100' + (list.filter ? '&status=' + encodeURIComponent(list.filter) : '');
      const page = await getJSON('/v1/jobs' + query);
      list.jobs = page.jobs || [];
      setServerState(list.jobs, null);
      renderJobList();
    } catch (error) {
      setServerState(null, expected(error));
    } finally {
      list.inFlight = false;
    }
  }

  function setServerState(jobs, error) {
    const node = $('server-state');
    if (error) {
      node.textContent = error.status === 0 ? 'server unreachable'
        : error.status === 401 ? (auth.token ? 'API token refused' : 'API token needed') : 'job list: ' + error.message;
      node.classList.add('down');
      return;
    }
    node.classList.remove('down');
    const running = jobs.filter((job) => job.status === 'running').length;
    const queued = jobs.filter((job) => job.status === 'queued').length;
    node.textContent = 'connected \u00b7 ' + running + ' running \u00b7 ' + queued + ' queued';
  }

  function renderJobList() {
    const selected = panel ? panel.id : '';
    const key = selected + '|' + list.jobs.map((job) => [job.id, job.status, job.progress && job.progress.iteration,
      job.error && job.error.relativeL2].join(':')).join('|');
    if (key === list.key) return;
    list.key = key;
    const items = list.jobs.map((job) => {
      const progress = job.progress || {};
      const fraction = progress.totalIterations ? Math.min(1, progress.iteration / progress.totalIterations) : 0;
      const details = [shortId(job.id), formatAgo(job.createdAt)];
      if (job.error && Number.isFinite(job.error.relativeL2)) details.push('L2 ' + formatNumber(job.error.relativeL2, 2));
      return el('li', {},
        el('a', { href: '#job=' + encodeURIComponent(job.id), class: 'job-item' + (job.id === selected ? ' selected' : ''),
          dataset: { jobId: job.id, status: job.status }, title: networkSummary(job.spec) },
        el('div', { class: 'job-line' },
          el('span', { class: 'badge status-' + job.status, text: job.status }),
          el('span', { class: 'job-name', text: problemName(job.spec) }),
          job.status === 'running' ? el('span', { class: 'job-percent', text: Math.floor(fraction * 100) + '%' }) : null),
        el('div', { class: 'job-sub', text: details.join(' \u00b7 ') }),
        job.status === 'running'
          ? el('div', { class: 'job-mini' }, el('div', { style: 'width:' + (fraction * 100).toFixed(1) + '%' }))
          : null));
    });
    $('job-list').replaceChildren(...items);
    $('job-list-empty').hidden = items.length > 0;
  }

  // MARK: - The submit form

  const LINE_HEIGHT = 20;
  const EDITOR_PADDING = 8;
  const editor = { issues: [], summary: '', dirty: false, presets: [] };

  /** The line of every value in a JSON text, by field path as the server names it (`a.b[2].c`); object members
   *  map to their key's line. Stops quietly at a syntax error, keeping what it found before it. */
  function jsonLines(text) {
    const lines = new Map();
    let i = 0, line = 1;
    const fail = () => { throw new SyntaxError('json'); };
    const space = () => {
      while (i < text.length) {
        const c = text[i];
        if (c === '\n') { line++; i++; } else if (c === ' ' || c === '\t' || c === '\r') i++; else break;
      }
    };
    const string = () => {
      const start = i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\') i++;
        else if (text[i] === '\n') fail();
        i++;
      }
      if (i >= text.length) fail();
      i++;
      return JSON.parse(text.slice(start, i));
    };
    const value = (path) => {
      space();
      if (!lines.has(path)) lines.set(path, line);
      const c = text[i];
      if (c === '{') {
        i++; space();
        if (text[i] === '}') { i++; return; }
        for (;;) {
          space();
          if (text[i] !== '"') fail();
          const keyLine = line;
          const key = string();
          const child = path ? path + '.' + key : key;
          lines.set(child, keyLine);
          space();
          if (text[i] !== ':') fail();
          i++;
          value(child);
          space();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === '}') { i++; return; }
          fail();
        }
      } else if (c === '[') {
        i++; space();
        if (text[i] === ']') { i++; return; }
        for (let index = 0; ; index++) {
          value(path + '[' + index + ']');
          space();
          if (text[i] === ',') { i++; continue; }
          if (text[i] === ']') { i++; return; }
          fail();
        }
      } else if (c === '"') {
        string();
      } else {
        const start = i;
        while (i < text.length && !',]} \t\r\n'.includes(text[i])) i++;
        if (i === start) fail();
      }
    };
    try { value(''); } catch (error) { if (!(error instanceof SyntaxError)) throw error; }
    return lines;
  }

  /** The editor line a field path names: the path itself, else its nearest ancestor present in the text. */
  function locateField(lines, field) {
    if (!field || field === '$') return null;
    const path = field.replace(/^\$\.?/, '');
    const parts = path.match(/[^.[\]]+|\[\d+\]/g) || [];
    let prefix = '', found = null;
    for (const part of parts) {
      prefix = part.startsWith('[') ? prefix + part : (prefix ? prefix + '.' + part : part);
      if (lines.has(prefix)) found = { line: lines.get(prefix), exact: prefix === path };
      else break;
    }
    return found;
  }

  function jsonErrorLine(text, error) {
    const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
    if (lineColumn) return Number(lineColumn[1]);
    const position = /position (\d+)/.exec(error.message);
    if (position) return text.slice(0, Number(position[1])).split('\n').length;
    return null;
  }

  function renderGutter(flagged) {
    const textarea = $('spec-editor');
    const count = textarea.value.split('\n').length;
    const gutter = $('spec-gutter');
    if (gutter.childElementCount !== count) {
      const rows = [];
      for (let n = 1; n <= count; n++) rows.push(el('div', { text: n }));
      rows.push(el('div', { text: '' }), el('div', { text: '' }));
      gutter.replaceChildren(...rows);
    }
    const marked = flagged || new Map();
    Array.from(gutter.children).forEach((row, index) => {
      const issue = marked.get(index + 1);
      row.classList.toggle('flagged', Boolean(issue));
      if (issue) row.title = issue; else row.removeAttribute('title');
    });
    gutter.scrollTop = textarea.scrollTop;
  }

  function positionMarks() {
    const textarea = $('spec-editor');
    for (const mark of $('spec-marks').children) {
      mark.style.top = (EDITOR_PADDING + (Number(mark.dataset.line) - 1) * LINE_HEIGHT - textarea.scrollTop) + 'px';
    }
    $('spec-gutter').scrollTop = textarea.scrollTop;
  }

  function selectLine(line) {
    const textarea = $('spec-editor');
    const lines = textarea.value.split('\n');
    let start = 0;
    for (let n = 1; n < line && n <= lines.length; n++) start += lines[n - 1].length + 1;
    const end = start + (lines[line - 1] || '').length;
    textarea.focus();
    textarea.setSelectionRange(start, end);
    textarea.scrollTop = Math.max(0, (line - 1) * LINE_HEIGHT - textarea.clientHeight / 3);
    positionMarks();
  }

  /** Shows the issues grouped by field path beside the editor and marks the line each field is on. */
  function renderIssues() {
    const box = $('spec-issues');
    const textarea = $('spec-editor');
    const marks = $('spec-marks');
    if (!editor.issues.length && !editor.summary) {
      box.classList.remove('has-issues');
      box.replaceChildren(el('p', { class: 'muted', text: 'Problems with the spec appear here, each beside the field ' +
        'it names; the line is marked in the editor.' }));
      marks.replaceChildren();
      renderGutter(null);
      return;
    }
    const lines = jsonLines(textarea.value);
    const groups = new Map();
    for (const issue of editor.issues) {
      const field = issue.field || '$';
      if (!groups.has(field)) groups.set(field, { messages: [], line: issue.line || null });
      groups.get(field).messages.push(issue.message || '');
    }
    const flagged = new Map();
    const markNodes = [];
    const groupNodes = [];
    for (const [field, group] of groups) {
      const located = group.line ? { line: group.line, exact: true } : locateField(lines, field);
      if (located) {
        const text = field + ': ' + group.messages.join('; ');
        flagged.set(located.line, flagged.has(located.line) ? flagged.get(located.line) + '\n' + text : text);
        markNodes.push(el('div', { class: located.exact ? '' : 'nearest', dataset: { line: located.line } }));
      }
      const where = located ? (located.exact ? 'line ' + located.line : 'near line ' + located.line)
        : field === '$' ? 'whole spec' : 'not in the text';
      groupNodes.push(el('div', { class: 'issue-group', dataset: { field } },
        el('button', { type: 'button', class: 'issue-field', title: located ? 'Show in the editor' : '',
          onclick: () => { if (located) selectLine(located.line); } },
        el('code', { text: field }), el('span', { class: 'issue-line', text: where })),
        el('ul', {}, group.messages.map((message) => el('li', { text: message })))));
    }
    box.classList.add('has-issues');
    box.replaceChildren(el('p', { class: 'issues-summary', text: editor.summary || 'The spec has problems.' }), ...groupNodes);
    marks.replaceChildren(...markNodes);
    renderGutter(flagged);
    positionMarks();
  }

  function showIssues(summary, issues) {
    editor.summary = summary;
    editor.issues = issues || [];
    renderIssues();
    const first = Array.from($('spec-marks').children).map((mark) => Number(mark.dataset.line)).sort((a, b) => a - b)[0];
    const textarea = $('spec-editor');
    if (first && ((first - 1) * LINE_HEIGHT < textarea.scrollTop || first * LINE_HEIGHT > textarea.scrollTop + textarea.clientHeight)) {
      textarea.scrollTop = Math.max(0, (first - 1) * LINE_HEIGHT - textarea.clientHeight / 3);
      positionMarks();
    }
  }

  function setSubmitStatus(text, kind) {
    const node = $('submit-status');
    node.textContent = text;
    node.className = kind === 'ok' ? 'submit-ok' : kind === 'error' ? 'submit-error' : 'muted';
  }

  async function loadPresets() {
    const select = $('preset-select');
    try {
      const body = await getJSON('/v1/presets');
      editor.presets = body.presets || [];
      select.replaceChildren(...editor.presets.map((preset) => el('option', { value: preset.name, text: preset.name })));
      const initial = editor.presets.some((preset) => preset.name === 'burgers') ? 'burgers' : (editor.presets[0] || {}).name;
      if (initial) {
        select.value = initial;
        if (!$('spec-editor').value.trim()) await loadPreset(initial);
        else showPresetSummary(initial);
      }
    } catch (error) {
      select.replaceChildren(el('option', { value: '', text: 'presets unavailable' }));
      $('preset-summary').textContent = expected(error).message;
    }
  }

  function showPresetSummary(name) {
    const preset = editor.presets.find((p) => p.name === name);
    $('preset-summary').textContent = preset ? preset.summary || '' : '';
  }

  async function loadPreset(name) {
    if (!name) return;
    showPresetSummary(name);
    try {
      const spec = await getJSON('/v1/presets/' + encodeURIComponent(name));
      $('spec-editor').value = JSON.stringify(spec, null, 2) + '\n';
      $('spec-editor').scrollTop = 0;
      editor.dirty = false;
      showIssues('', []);
      setSubmitStatus('', '');
    } catch (error) {
      setSubmitStatus('Could not load the preset: ' + expected(error).message, 'error');
    }
  }

  /** Parses the editor's text, or shows where it is not JSON. */
  function parseEditor() {
    const text = $('spec-editor').value;
    try {
      return { text, spec: JSON.parse(text) };
    } catch (error) {
      showIssues('The spec is not valid JSON.', [{ field: '$', message: error.message, line: jsonErrorLine(text, error) }]);
      setSubmitStatus('Not submitted: fix the JSON first.', 'error');
      return null;
    }
  }

  async function submitSpec() {
    const parsed = parseEditor();
    if (!parsed) return;
    const button = $('submit-button');
    button.disabled = true;
    setSubmitStatus('Submitting\u2026', '');
    try {
      const path = '/v1/jobs' + ($('shared-input').checked ? '?shared=true' : '');
      const response = await request(path, { method: 'POST', headers: { 'Content-Type': 'application/json' },
        body: parsed.text });
      const job = await response.json();
      showIssues('', []);
      setSubmitStatus('Submitted job ' + shortId(job.id) + '.', 'ok');
      list.key = '';
      background(refreshJobList());
      location.hash = '#job=' + encodeURIComponent(job.id);
    } catch (error) {
      const problem = expected(error);
      const issues = problem.issues.length ? problem.issues : [];
      showIssues(problem.message, issues);
      setSubmitStatus('Not submitted (' + (problem.status || 'no answer') + ').', 'error');
    } finally {
      button.disabled = false;
    }
  }

  function formatEditor() {
    const parsed = parseEditor();
    if (!parsed) return;
    $('spec-editor').value = JSON.stringify(parsed.spec, null, 2) + '\n';
    renderIssues();
  }

  function setUpSubmitForm() {
    const textarea = $('spec-editor');
    const relocate = debounce(() => renderIssues(), 250);
    textarea.addEventListener('input', () => { editor.dirty = true; renderGutter(null); relocate(); });
    textarea.addEventListener('scroll', positionMarks);
    textarea.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) { event.preventDefault(); background(submitSpec()); }
    });
    $('preset-select').addEventListener('change', (event) => {
      const name = event.target.value;
      if (editor.dirty && !window.confirm('Replace your edits with the preset "' + name + '"?')) return;
      background(loadPreset(name));
    });
    $('submit-button').addEventListener('click', () => background(submitSpec()));
    $('format-button').addEventListener('click', formatEditor);
    renderGutter(null);
  }

  // MARK: - A job's panel

  const CHART_IDS = ['loss-chart', 'error-chart', 'slope-chart', 'learned-chart', 'cut-chart'];
  const PICTURES = ['solution', 'exact', 'error'];
  const PICTURE_REFRESH_MS = 10000;
  let panel = null;

  /** Clears what the previous job left on the page, so nothing stale is shown (or tested). */
  function resetJobView(id) {
    $('job-view').dataset.jobId = id;
    $('job-title').textContent = 'Job ' + shortId(id);
    $('job-meta').textContent = id;
    $('job-status').textContent = '';
    $('job-status').className = 'badge';
    $('stream-state').textContent = '';
    $('job-notice').hidden = true;
    $('job-body').hidden = false;
    $('cut-controls').hidden = false;
    $('cut-times').value = '0, 0.25, 0.5, 0.75, 1';
    $('progress-bar').style.width = '0';
    $('progress-label').textContent = 'Loading\u2026';
    $('job-stats').replaceChildren();
    $('learned-card').hidden = true;
    $('downloads').replaceChildren();
    $('solution-note').textContent = '';
    $('output-picker').hidden = true;
    $('cancel-button').disabled = true;
    for (const chart of CHART_IDS) resetChart($(chart));
    for (const name of PICTURES) {
      const img = $(name + '-img');
      img.removeAttribute('src');
      img.dataset.loaded = 'false';
      $(name + '-placeholder').hidden = true;
    }
  }

  /** Saves what `path` answers as `file`, fetched with the token. */
  async function downloadWithToken(path, file) {
    try {
      const blob = await (await request(path)).blob();
      const url = URL.createObjectURL(blob);
      const anchor = el('a', { href: url, download: file, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
    } catch (error) {
      showNotice('Could not download ' + file + ': ' + expected(error).message);
    }
  }

  function showNotice(text, kind) {
    const notice = $('job-notice');
    notice.textContent = text;
    notice.className = 'notice' + (kind === 'info' ? ' info' : '');
    notice.hidden = !text;
  }

  class JobPanel {
    constructor(id) {
      this.id = id;
      this.base = '/v1/jobs/' + encodeURIComponent(id);
      this.view = null;
      this.spec = {};
      this.terms = [];
      this.losses = [];
      this.slopeInfo = {};
      this.slopes = [];
      this.errorOutputs = [];
      this.errors = [];
      this.solution = null;
      this.solutionMessage = 'Loading the solution\u2026';
      this.output = 'u';
      this.cutsEdited = false;
      this.source = null;
      this.timers = [];
      this.pending = new Set();
      this.renderTimer = null;
      this.finishing = false;
      this.closed = false;
      this.objectURLs = {};
    }

    // Life cycle

    async open() {
      resetJobView(this.id);
      let view;
      try {
        view = await getJSON(this.base);
      } catch (error) {
        if (this.closed) return;
        const problem = expected(error);
        $('progress-label').textContent = '';
        showNotice(problem.status === 404 ? 'There is no job with id ' + this.id + '.' : problem.message);
        $('job-body').hidden = true;
        return;
      }
      if (this.closed) return;
      this.view = view;
      this.spec = view.spec || {};
      const outputs = problemOf(this.spec).outputs || ['u'];
      this.output = outputs[0];
      this.setUpOutputs(outputs);
      this.renderHeader();
      this.renderProgress();
      this.renderStats();
      this.renderDownloads();
      await this.loadHistories();
      if (this.closed) return;
      this.renderCharts();
      if (isFinished(view.status)) {
        background(this.refreshSolution());
      } else {
        this.connect();
        background(this.refreshSolution());
        this.every(PICTURE_REFRESH_MS, () => this.refreshSolution());
      }
    }

    close() {
      this.closed = true;
      if (this.source) this.source.close();
      this.source = null;
      for (const timer of this.timers) clearInterval(timer);
      this.timers = [];
      clearTimeout(this.renderTimer);
      for (const url of Object.values(this.objectURLs)) URL.revokeObjectURL(url);
    }

    /** Runs `task` every `ms` while the panel is open, never two at once. */
    every(ms, task) {
      let running = false;
      this.timers.push(setInterval(() => {
        if (running || this.closed) return;
        running = true;
        background(Promise.resolve().then(task).finally(() => { running = false; }));
      }, ms));
    }

    async fetchHistory(path) {
      try {
        return await getJSON(this.base + path);
      } catch (error) {
        expected(error);
        return null;
      }
    }

    async loadHistories() {
      const [losses, slopes, errors] = await Promise.all(['/losses', '/slopes', '/errors'].map((p) => this.fetchHistory(p)));
      if (this.closed) return;
      if (losses) {
        this.terms = losses.terms || this.terms;
        appendRecords(this.losses, losses.records);
      }
      if (slopes) {
        this.slopeInfo = { adaptive: slopes.adaptive, scale: slopes.scale };
        appendRecords(this.slopes, slopes.records);
      }
      if (errors) {
        this.errorOutputs = errors.outputs || this.errorOutputs;
        appendRecords(this.errors, errors.records);
      }
    }

    // Live updates

    /** Opens the event stream, starting just before the oldest of the histories' last records (the pair
     *  (iteration, phase) drops what is already held). */
    connect() {
      const lasts = [this.losses, this.slopes, this.errors].filter((l) => l.length).map((l) => l[l.length - 1].iteration);
      const since = lasts.length ? Math.min(...lasts) - 1 : -1;
      this.setStreamState('connecting\u2026');
      const records = { loss: 'losses', slopes: 'slopes', error: 'errors' };
      const source = new EventStream(this.base + '/events' + (since >= 0 ? '?since=' + since : ''), {
        open: () => this.setStreamState('live'),
        event: (name, data) => {
          if (name === 'status') this.onStatus(JSON.parse(data));
          else if (records[name]) this.addRecords(records[name], JSON.parse(data));
          else if (name === 'end') {
            source.close();
            if (this.source === source) this.source = null;
            this.setStreamState('');
            const end = data ? JSON.parse(data) : {};
            if (end.status && this.view) this.view.status = end.status;
            background(this.finish());
          }
        },
        trouble: (error, fatal) => this.onStreamTrouble(source, error, fatal),
      });
      this.source = source;
    }

    onStreamTrouble(source, error, fatal) {
      if (this.closed || this.source !== source) return;
      if (fatal) {
        // The server refused the stream (a 401, or an older server without /events): poll instead.
        if (error.status === 401) showNotice('No live updates: ' + error.message);
        this.source = null;
        this.setStreamState('polling');
        this.every(2000, async () => this.onStatus(await getJSON(this.base)));
        this.every(5000, () => this.pollHistories());
      } else {
        this.setStreamState('reconnecting\u2026');
      }
    }

    setStreamState(text) {
      const node = $('stream-state');
      node.textContent = text ? '\u25cf ' + text : '';
      node.classList.toggle('live', text === 'live');
      node.title = text === 'live' ? 'Updates arrive over the event stream' : '';
    }

    async pollHistories() {
      const from = (records) => (records.length ? '?from=' + records[records.length - 1].iteration : '');
      const [losses, slopes, errors] = await Promise.all([
        this.fetchHistory('/losses' + from(this.losses)),
        this.fetchHistory('/slopes' + from(this.slopes)),
        this.fetchHistory('/errors' + from(this.errors))]);
      if (this.closed) return;
      if (losses) { this.terms = losses.terms || this.terms; this.addRecords('losses', ...(losses.records || [])); }
      if (slopes) { this.slopeInfo = { adaptive: slopes.adaptive, scale: slopes.scale }; this.addRecords('slopes', ...(slopes.records || [])); }
      if (errors) { this.errorOutputs = errors.outputs || this.errorOutputs; this.addRecords('errors', ...(errors.records || [])); }
    }

    addRecords(kind, ...records) {
      if (this.closed) return;
      if (appendRecords(this[kind], records)) this.scheduleRender(kind);
    }

    onStatus(view) {
      if (this.closed || !view) return;
      const previous = this.view ? this.view.status : null;
      this.view = Object.assign({}, this.view, view, { spec: this.spec });
      this.renderHeader();
      this.renderProgress();
      this.renderStats();
      if (isFinished(view.status)) {
        background(this.finish());
      } else if (previous === 'queued' && view.status === 'running') {
        background(this.refreshSolution());
      }
    }

    /** Once the job has finished: stop listening, then show its final records, view, solution and pictures. */
    async finish() {
      if (this.finishing || this.closed) return;
      this.finishing = true;
      if (this.source) { this.source.close(); this.source = null; }
      for (const timer of this.timers) clearInterval(timer);
      this.timers = [];
      this.setStreamState('');
      try {
        this.view = Object.assign({}, await getJSON(this.base), { spec: this.spec });
      } catch (error) {
        expected(error);
      }
      if (this.closed) return;
      this.renderHeader();
      this.renderProgress();
      this.renderStats();
      await this.pollHistories();
      await this.refreshSolution();
    }

    scheduleRender(kind) {
      this.pending.add(kind);
      if (this.renderTimer) return;
      this.renderTimer = setTimeout(() => {
        this.renderTimer = null;
        if (this.closed) return;
        const kinds = Array.from(this.pending);
        this.pending.clear();
        for (const each of kinds) this.render(each);
      }, 150);
    }

    render(kind) {
      if (kind === 'losses') { this.renderLosses(); this.renderLearned(); this.renderStats(); }
      else if (kind === 'slopes') this.renderSlopes();
      else if (kind === 'errors') { this.renderErrors(); this.renderStats(); }
      else if (kind === 'cuts') this.renderCuts();
    }

    renderCharts() {
      for (const kind of ['losses', 'slopes', 'errors', 'cuts']) this.render(kind);
    }

    // Header, progress and figures

    phaseName(phase) {
      const phases = (this.spec.training || {}).phases || [];
      return phases[phase] ? phases[phase].optimizer : 'phase ' + (phase + 1);
    }

    renderHeader() {
      const view = this.view;
      $('job-title').textContent = problemName(this.spec);
      const access = view.owner ? 'owner ' + view.owner + (view.shared ? ', shared' : '') : view.shared ? 'shared' : '';
      $('job-meta').textContent = [this.id, networkSummary(this.spec), access].filter(Boolean).join(' \u00b7 ');
      const badge = $('job-status');
      badge.textContent = view.status;
      badge.className = 'badge status-' + view.status;
      $('cancel-button').disabled = isFinished(view.status);
      if (view.status === 'failed') showNotice('The job failed: ' + (view.failure || 'no reason given'));
      else if (view.status === 'cancelled') showNotice('The job was cancelled.', 'info');
    }

    renderProgress() {
      const view = this.view;
      const progress = view.progress || {};
      const iteration = progress.iteration || 0;
      const total = progress.totalIterations || 0;
      const phases = (this.spec.training || {}).phases || [];
      let fraction = total > 0 ? Math.min(1, iteration / total) : 0;
      if (view.status === 'succeeded') fraction = 1;
      const bar = $('progress-bar');
      bar.style.width = (fraction * 100).toFixed(2) + '%';
      bar.className = 'progress-bar status-' + view.status;
      $('progress').setAttribute('aria-valuenow', String(Math.round(fraction * 100)));
      const counted = 'iteration ' + iteration.toLocaleString() + ' / ' + total.toLocaleString();
      const phase = 'phase ' + ((progress.phase || 0) + 1) + ' of ' + Math.max(phases.length, 1) + ' (' +
        this.phaseName(progress.phase || 0) + ')';
      let text;
      switch (view.status) {
        case 'queued': text = 'Queued: waiting for a worker.'; break;
        case 'running':
          text = 'Running \u00b7 ' + phase + ' \u00b7 ' + counted + ' (' + Math.floor(fraction * 100) + '%) \u00b7 ETA ' +
            formatDuration(view.etaSeconds);
          break;
        case 'succeeded':
          text = 'Succeeded \u00b7 ' + iteration.toLocaleString() + ' iterations in ' + formatDuration(view.elapsedSeconds);
          break;
        default:
          text = (view.status === 'failed' ? 'Failed' : 'Cancelled') + ' at ' + phase + ', ' + counted;
      }
      $('progress-label').textContent = text;
    }

    renderStats() {
      const view = this.view;
      if (!view) return;
      const items = [];
      const loss = view.loss || {};
      if (Number.isFinite(loss.total)) items.push(['total loss', formatNumber(loss.total)]);
      const names = this.terms.filter((name) => name in loss).concat(Object.keys(loss).filter((name) =>
        name !== 'total' && !this.terms.includes(name)));
      for (const name of names) items.push([name, formatNumber(loss[name])]);
      const error = view.error || (this.errors.length ? this.errors[this.errors.length - 1] : null);
      if (error && Number.isFinite(error.relativeL2)) items.push(['relative L2', formatNumber(error.relativeL2)]);
      const last = this.losses[this.losses.length - 1];
      if (last && last.learned) for (const [name, value] of Object.entries(last.learned)) items.push([name + ' (learned)', formatNumber(value, 5)]);
      items.push(['elapsed', formatDuration(view.elapsedSeconds)]);
      if (view.status === 'running') items.push(['ETA', formatDuration(view.etaSeconds)]);
      items.push(['created', formatTime(view.createdAt)]);
      if (view.finishedAt) items.push(['finished', formatTime(view.finishedAt)]);
      $('job-stats').replaceChildren(...items.map(([label, value]) =>
        el('div', {}, el('dt', { text: label }), el('dd', { text: value, title: value }))));
    }

    phaseMarkers(records) {
      const markers = [];
      for (let i = 1; i < records.length; i++) {
        if (records[i].phase !== records[i - 1].phase) markers.push({ x: records[i].iteration, label: this.phaseName(records[i].phase) });
      }
      return markers;
    }

    renderLosses() {
      const records = this.losses;
      const series = this.terms.map((term, index) => ({
        label: term, color: PALETTE[index % PALETTE.length],
        points: records.map((r) => [r.iteration, r.terms ? r.terms[index] : NaN]),
      }));
      const network = this.spec.network || {};
      if (network.slopeRecovery && network.adaptive && network.adaptive !== 'fixed') {
        series.push({ label: 'S(a)', color: '#8c97a3', dash: [5, 4], points: records.map((r) => [r.iteration, r.slopeRecovery]) });
      }
      series.push({ label: 'total', color: '#1d2733', width: 2.2, points: records.map((r) => [r.iteration, r.total]) });
      const resampled = records.filter((r) => r.resampled).map((r) => r.iteration);
      drawChart($('loss-chart'), {
        series, logY: true, xLabel: 'iteration', yLabel: 'loss', markers: this.phaseMarkers(records),
        ticks: { label: 'points resampled', color: '#e8590c', xs: resampled },
        empty: this.view && this.view.status === 'queued' ? 'Queued: no loss records yet.' : 'No loss records yet.',
      });
    }

    renderErrors() {
      const records = this.errors;
      const outputs = this.errorOutputs.length ? this.errorOutputs
        : records.length ? Object.keys(records[0].outputs || {}) : (problemOf(this.spec).outputs || ['u']);
      const series = outputs.map((output, index) => ({
        label: output, color: PALETTE[index % PALETTE.length],
        points: records.map((r) => [r.iteration,
          r.outputs && r.outputs[output] ? r.outputs[output].relativeL2 : outputs.length === 1 ? r.relativeL2 : NaN]),
      }));
      if (outputs.length > 1) {
        series.push({ label: 'all outputs', color: '#1d2733', width: 2.2, points: records.map((r) => [r.iteration, r.relativeL2]) });
      }
      const every = (this.spec.training || {}).evaluateEvery;
      let empty = 'No error records yet.';
      if (!hasExactSolution(this.spec)) empty = 'This problem has no exact solution to compare with.';
      else if (this.view && !isFinished(this.view.status)) {
        empty = every ? 'No evaluation yet: the error is measured every ' + every + ' iterations.' : 'The error is measured at the end.';
      }
      drawChart($('error-chart'), {
        series, logY: true, xLabel: 'iteration', yLabel: 'relative L2 error', markers: this.phaseMarkers(records), empty,
      });
    }

    renderSlopes() {
      const network = this.spec.network || {};
      const adaptive = this.slopeInfo.adaptive || network.adaptive || 'fixed';
      const scale = this.slopeInfo.scale || network.scale || 1;
      const layers = network.layers || [];
      const records = this.slopes;
      const last = records[records.length - 1];
      const count = last && last.layerMeans ? last.layerMeans.length : 0;
      const series = [];
      for (let k = 0; k < count; k++) {
        series.push({ label: 'layer ' + (k + 1), color: PALETTE[k % PALETTE.length],
          points: records.map((r) => [r.iteration, r.layerMeans ? r.layerMeans[k] : NaN]) });
      }
      // N-LAAF: every neuron's n*a, laid out layer by layer; the band spans each layer's smallest to largest.
      const bands = [];
      const neurons = layers.reduce((sum, width) => sum + width, 0);
      if (adaptive === 'neuron' && neurons > 0) {
        for (let k = 0, offset = 0; k < layers.length; offset += layers[k], k++) {
          const start = offset, end = offset + layers[k];
          bands.push({ label: k === 0 ? 'per-neuron min\u2013max' : '', color: PALETTE[k % PALETTE.length],
            points: records.filter((r) => r.slopes && r.slopes.length === neurons).map((r) => {
              let lo = Infinity, hi = -Infinity;
              for (let i = start; i < end; i++) { const v = r.slopes[i] * scale; if (v < lo) lo = v; if (v > hi) hi = v; }
              return [r.iteration, lo, hi];
            }) });
        }
      }
      $('slope-caption').textContent = {
        fixed: 'fixed activation: n\u00b7a = 1 throughout',
        global: 'n\u00b7a, one slope for the whole network',
        layer: 'n\u00b7a per hidden layer (L-LAAF)',
        neuron: 'n\u00b7\u0101 per hidden layer; band: min\u2013max over its neurons (N-LAAF)',
      }[adaptive] || 'n\u00b7\u0101 per hidden layer';
      drawChart($('slope-chart'), {
        series, bands, xLabel: 'iteration', yLabel: 'n\u00b7\u0101', markers: this.phaseMarkers(records),
        empty: adaptive === 'fixed' ? 'Fixed activation: no trainable slopes.' : 'No slope records yet.',
      });
    }

    renderLearned() {
      const names = learnedParameterNames(this.spec, this.losses);
      const card = $('learned-card');
      card.hidden = names.length === 0;
      if (!names.length) return;
      const exact = problemOf(this.spec).exact || {};
      const series = names.map((name, index) => ({ label: name, color: PALETTE[index % PALETTE.length],
        points: this.losses.map((r) => [r.iteration, r.learned ? r.learned[name] : NaN]) }));
      const references = names.filter((name) => typeof exact[name] === 'number').map((name) => ({
        y: exact[name], color: PALETTE[names.indexOf(name) % PALETTE.length], label: name + ' = ' + formatNumber(exact[name], 4) }));
      const values = series.flatMap((s) => s.points.map((p) => p[1])).concat(references.map((r) => r.y)).filter(Number.isFinite);
      const positive = values.length > 0 && values.every((v) => v > 0);
      const logY = positive && Math.max(...values) / Math.min(...values) > 30;
      drawChart($('learned-chart'), {
        series, references, logY, xLabel: 'iteration', yLabel: 'value', markers: this.phaseMarkers(this.losses),
        empty: 'No records of the learned parameters yet.',
      });
    }

    // The solution: pictures and line cuts

    setUpOutputs(outputs) {
      const select = $('output-select');
      select.replaceChildren(...outputs.map((name) => el('option', { value: name, text: name })));
      select.value = this.output;
      $('output-picker').hidden = outputs.length < 2;
    }

    async refreshSolution() {
      if (this.closed || !this.view) return;
      if (this.view.status === 'queued') {
        for (const name of PICTURES) this.showPlaceholder(name, 'Queued: the solution appears after the first checkpoint.');
        this.solutionMessage = 'Queued: no solution yet.';
        this.render('cuts');
        return;
      }
      const inputs = (problemOf(this.spec).inputs || []).length;
      if (inputs > 2) {
        // A grid over three inputs is large; its pictures are the server's to choose, its cuts are not drawn.
        this.solutionMessage = 'Line cuts are drawn for problems with one or two inputs.';
        this.render('cuts');
      }
      if (inputs === 1) {
        for (const name of PICTURES) this.showPlaceholder(name, 'One input: the solution is the line plot below.');
        await this.loadSolution();
        return;
      }
      const frame = $('solution-img').parentElement;
      const ratio = window.devicePixelRatio || 1;
      // Server-side text is drawn in pixels: ask for a picture at least 560 wide and let CSS scale it down.
      const width = Math.max(560, Math.min(1600, Math.round((frame.clientWidth || 360) * ratio)));
      const query = '?output=' + encodeURIComponent(this.output) + '&width=' + width + '&height=' + Math.round(width * 5 / 8);
      const exact = hasExactSolution(this.spec);
      await Promise.all([
        this.loadPicture('solution', this.base + '/solution.png' + query),
        exact ? this.loadPicture('exact', this.base + '/exact.png' + query)
          : this.showPlaceholder('exact', 'This problem has no exact solution.'),
        exact ? this.loadPicture('error', this.base + '/error.png' + query)
          : this.showPlaceholder('error', 'No exact solution, so no error to show.'),
        inputs > 2 ? null : this.loadSolution(),
      ]);
    }

    showPlaceholder(name, text) {
      const img = $(name + '-img');
      if (img.dataset.loaded === 'true') return;
      const placeholder = $(name + '-placeholder');
      placeholder.textContent = text;
      placeholder.hidden = false;
    }

    /** Fetches a picture and shows it from a blob URL, so an answer without one (409 before the first
     *  checkpoint, 404 without an exact solution) becomes a placeholder instead of a broken image. */
    async loadPicture(name, url) {
      let blob;
      try {
        blob = await (await request(url)).blob();
      } catch (error) {
        const problem = expected(error);
        if (this.closed) return;
        const unsaved = this.view && isFinished(this.view.status) ? 'The job ended before its network was saved.'
          : 'No checkpoint yet: the picture appears after the first one.';
        this.showPlaceholder(name, problem.status === 409 ? unsaved
          : problem.status === 404 ? problem.message.replace(/^./, (c) => c.toUpperCase()) + '.'
            : 'Could not load the picture: ' + problem.message);
        return;
      }
      if (this.closed) return;
      const img = $(name + '-img');
      const url2 = URL.createObjectURL(blob);
      const previous = this.objectURLs[name];
      this.objectURLs[name] = url2;
      img.onload = () => {
        if (previous) URL.revokeObjectURL(previous);
        if (this.closed) return;
        img.dataset.loaded = 'true';
        $(name + '-placeholder').hidden = true;
      };
      img.onerror = () => {
        if (!this.closed) this.showPlaceholder(name, 'The server sent a picture the browser cannot show.');
      };
      img.src = url2;
    }

    async loadSolution() {
      try {
        const solution = await getJSON(this.base + '/solution');
        if (this.closed) return;
        this.solution = solution;
        const notes = [];
        if (solution.final === false) notes.push('from the latest checkpoint' + (Number.isFinite(solution.iteration) ? ' (iteration ' + solution.iteration + ')' : ''));
        if (Number.isFinite(solution.relativeL2)) notes.push('relative L2 ' + formatNumber(solution.relativeL2));
        $('solution-note').textContent = notes.join(' \u00b7 ');
      } catch (error) {
        const problem = expected(error);
        if (this.closed) return;
        const unsaved = this.view && isFinished(this.view.status) ? 'The job ended before its network was saved.'
          : 'No checkpoint yet: the cuts appear after the first one.';
        this.solutionMessage = problem.status === 409 ? unsaved
          : 'No solution: ' + problem.message;
      }
      this.render('cuts');
    }

    /** Default cut positions: 0, 1/4, 1/2, 3/4 and 1 of the first axis' range (t for time-dependent problems). */
    defaultCuts(values) {
      const lo = values[0], hi = values[values.length - 1];
      return [0, 0.25, 0.5, 0.75, 1].map((f) => formatNumber(lo + f * (hi - lo), 4)).join(', ');
    }

    renderCuts() {
      const canvas = $('cut-chart');
      const solution = this.solution;
      if (!solution) {
        drawChart(canvas, { series: [], empty: this.solutionMessage });
        return;
      }
      const axes = solution.axes || [];
      const values = solutionGrid(solution, 'value', this.output);
      const exact = solutionGrid(solution, 'exact', this.output);
      const input = $('cut-times');
      if (axes.length === 1 && values) {
        $('cut-controls').hidden = true;
        const xs = solution[axes[0]] || [];
        const series = [{ label: this.output, color: PALETTE[0], points: xs.map((x, j) => [x, values[j]]) }];
        if (exact) series.push({ label: 'exact', color: PALETTE[0], dash: [6, 4], width: 1.2, points: xs.map((x, j) => [x, exact[j]]) });
        drawChart(canvas, { series, xLabel: axes[0], yLabel: this.output });
        return;
      }
      if (axes.length !== 2 || !values) {
        drawChart(canvas, { series: [], empty: 'Line cuts are drawn for problems with one or two inputs.' });
        return;
      }
      $('cut-controls').hidden = false;
      const rows = solution[axes[0]] || [];
      const xs = solution[axes[1]] || [];
      $('cut-axis').textContent = axes[0];
      if (!this.cutsEdited) input.value = this.defaultCuts(rows);
      const wanted = input.value.split(/[,;\s]+/).map(Number.parseFloat).filter(Number.isFinite);
      const indices = [];
      for (const value of wanted) {
        let best = 0;
        rows.forEach((row, i) => { if (Math.abs(row - value) < Math.abs(rows[best] - value)) best = i; });
        if (rows.length && !indices.includes(best)) indices.push(best);
      }
      const series = [];
      indices.slice(0, PALETTE.length).forEach((i, n) => {
        const color = PALETTE[n % PALETTE.length];
        series.push({ label: axes[0] + ' = ' + formatNumber(rows[i], 4), color, points: xs.map((x, j) => [x, values[i][j]]) });
        if (exact) series.push({ color, dash: [6, 4], width: 1.2, points: xs.map((x, j) => [x, exact[i][j]]) });
      });
      drawChart(canvas, { series, xLabel: axes[1], yLabel: this.output,
        empty: 'Give the ' + axes[0] + ' values to cut at, separated by commas.' });
    }

    // Downloads and cancel

    renderDownloads() {
      const name = shortId(this.id);
      // A plain link cannot carry the token: with one set, the click fetches the bytes and saves them instead.
      const link = (label, path, file) => el('a', { class: 'button', href: this.base + path, download: name + '-' + file, text: label,
        onclick: (event) => {
          if (!auth.token) return;
          event.preventDefault();
          background(downloadWithToken(this.base + path, name + '-' + file));
        } });
      const groups = [
        ['Solution', [['JSON', '/solution', 'solution.json'], ['CSV', '/solution?format=csv', 'solution.csv'],
          ['NumPy', '/solution?format=npy', 'solution.npy']]],
        ['Losses', [['JSON', '/losses', 'losses.json'], ['CSV', '/losses?format=csv', 'losses.csv']]],
        ['Slopes', [['JSON', '/slopes', 'slopes.json'], ['CSV', '/slopes?format=csv', 'slopes.csv']]],
        ['Errors', [['JSON', '/errors', 'errors.json'], ['CSV', '/errors?format=csv', 'errors.csv']]],
        ['Model', [['JSON', '/model', 'model.json']]],
        ['Pictures', ['solution', 'exact', 'error', 'losses', 'slopes', 'errors'].map((p) => [p + '.png', '/' + p + '.png', p + '.png'])],
      ];
      $('downloads').replaceChildren(...groups.map(([title, links]) =>
        el('div', { class: 'download-group' }, el('span', { text: title }), links.map(([label, path, file]) => link(label, path, file)))));
    }

    async cancel() {
      if (!window.confirm('Cancel job ' + shortId(this.id) + ' (' + problemName(this.spec) + ')?')) return;
      const button = $('cancel-button');
      button.disabled = true;
      try {
        const view = await (await request(this.base, { method: 'DELETE' })).json();
        this.onStatus(view);
        list.key = '';
        background(refreshJobList());
      } catch (error) {
        showNotice('Could not cancel: ' + expected(error).message);
        button.disabled = this.view ? isFinished(this.view.status) : false;
      }
    }
  }

  // MARK: - Routing and start-up

  function route() {
    const match = /^#job=(.+)$/.exec(location.hash);
    if (match) {
      const id = decodeURIComponent(match[1]);
      if (!panel || panel.id !== id) {
        if (panel) panel.close();
        panel = new JobPanel(id);
        $('submit-view').hidden = true;
        $('job-view').hidden = false;
        background(panel.open());
      }
      document.title = 'Job ' + shortId(id) + ' \u00b7 pinn-service';
    } else {
      if (panel) panel.close();
      panel = null;
      $('job-view').hidden = true;
      $('submit-view').hidden = false;
      document.title = 'New job \u00b7 pinn-service';
    }
    list.key = '';
    renderJobList();
  }

  /** The token field: Use stores the token (an empty field forgets it) and reloads what the page shows. */
  function setUpTokenForm() {
    const input = $('token-input');
    input.value = auth.token;
    showTokenState(null);
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      auth.token = input.value.trim();
      try {
        if (auth.token) window.localStorage.setItem(TOKEN_KEY, auth.token);
        else window.localStorage.removeItem(TOKEN_KEY);
      } catch (_) {
        // Storage disabled: kept for this page only.
      }
      showTokenState(null);
      if (panel) { panel.close(); panel = null; }
      route();
      background(refreshJobList());
      background(loadPresets());
    });
  }

  function start() {
    setUpTokenForm();
    setUpSubmitForm();
    $('job-filter').addEventListener('change', (event) => {
      list.filter = event.target.value;
      list.key = '';
      background(refreshJobList());
    });
    $('cancel-button').addEventListener('click', () => { if (panel) background(panel.cancel()); });
    $('output-select').addEventListener('change', (event) => {
      if (!panel) return;
      panel.output = event.target.value;
      for (const name of PICTURES) $(name + '-img').dataset.loaded = 'false';
      background(panel.refreshSolution());
    });
    const recut = debounce(() => { if (panel) panel.render('cuts'); }, 300);
    $('cut-times').addEventListener('input', () => { if (panel) panel.cutsEdited = true; recut(); });
    window.addEventListener('resize', debounce(() => { if (panel && panel.view) panel.renderCharts(); }, 200));
    window.addEventListener('hashchange', route);
    route();
    background(refreshJobList());
    setInterval(() => background(refreshJobList()), 2000);
    background(loadPresets());
  }

  start();
})();
"""#
}
