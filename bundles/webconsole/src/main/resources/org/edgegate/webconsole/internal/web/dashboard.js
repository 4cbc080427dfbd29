/*
 * EdgeGate dashboard (Felix Web Console plugin). Polls data.json once a second, trends.json (only what
 * is new) every two seconds; each camera is its MJPEG stream (bundles/http) or, without one, its picture
 * reloaded a few times a second. Charts are uPlot, served
 * by the bundle. Everything from the gateway is put into the page as text nodes
 * (textContent), never as HTML: ids, values and reasons come from configuration and devices.
 */
(function () {
  'use strict';

  var box = document.getElementById('edgegate-dashboard');
  if (!box) {
    return;
  }
  var root = box.getAttribute('data-root');
  var consoleRoot = root.replace(/\/[^\/]*$/, '');
  var DATA_MS = 1000;
  var TRENDS_MS = 2000;
  var PICTURE_MS = 250;
  /** The MJPEG streams of bundles/http, on the same server (live video; pictures when absent). */
  var STREAMS = '/edgegate/cameras/';
  var STATES = ['STARTING', 'OPEN', 'RECONNECTING', 'STOPPED', 'FAILED'];

  var statusLine = document.getElementById('eg-status');
  var pause = document.getElementById('eg-pause');
  var prefixInput = document.getElementById('eg-prefix');
  var stateNote = document.getElementById('eg-state-note');
  var cameraBox = document.getElementById('eg-cameras');
  var cards = new Map(); // camera id -> card
  var dataTimer = null;
  var trendTimer = null;
  var trendBox = document.getElementById('eg-trends');
  var trendSensors = new Map(); // sensor id -> { el, head, charts, channels: Map(channel -> trend) }
  var trendSince = 0;
  var trendWindow = 600;
  var config = { items: {}, factories: {} };
  var lastSensors = [];

  function paused() {
    return pause.checked || document.hidden;
  }

  // ---- small DOM helpers (text only) -----------------------------------------------------

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function td(tr, text, cls) {
    var cell = el('td', cls, text);
    tr.appendChild(cell);
    return cell;
  }

  function badge(state) {
    var known = STATES.indexOf(state) >= 0;
    return el('span', 'eg-state eg-' + (known ? state.toLowerCase() : 'unknown'), state || '?');
  }

  function fill(tableId, rows, render, empty) {
    var body = document.querySelector('#' + tableId + ' tbody');
    var columns = document.querySelectorAll('#' + tableId + ' thead th').length;
    var fresh = document.createDocumentFragment();
    if (rows.length === 0) {
      var tr = el('tr');
      td(tr, empty, 'eg-empty').colSpan = columns;
      fresh.appendChild(tr);
    }
    rows.forEach(function (row) {
      var tr = el('tr');
      render(tr, row);
      fresh.appendChild(tr);
    });
    body.replaceChildren(fresh);
  }

  function ago(now, then) {
    if (then === null || then === undefined) {
      return '-';
    }
    var s = Math.max(0, (now - then) / 1000);
    if (s < 10) {
      return s.toFixed(1) + ' s ago';
    }
    if (s < 120) {
      return Math.round(s) + ' s ago';
    }
    if (s < 7200) {
      return Math.round(s / 60) + ' min ago';
    }
    if (s < 172800) {
      return Math.round(s / 3600) + ' h ago';
    }
    return Math.round(s / 86400) + ' d ago';
  }

  function number(v, digits) {
    return typeof v === 'number' ? v.toFixed(digits) : '-';
  }

  /** A link to the thing's configuration form in the console's Configuration tab, or its id as text. */
  function configLink(kind, id) {
    var pid = config.items[kind + '/' + id];
    if (!pid) {
      return el('span', null, id);
    }
    var a = el('a', 'eg-config', id);
    a.href = consoleRoot + '/configMgr/' + encodeURIComponent(pid);
    a.title = 'configuration ' + pid;
    return a;
  }

  function addLinks() {
    document.querySelectorAll('#edgegate-dashboard a.eg-add').forEach(function (a) {
      var factory = config.factories[a.getAttribute('data-kind')];
      if (factory) {
        a.href = consoleRoot + '/configMgr/' + encodeURIComponent(factory);
        a.title = 'a new configuration of ' + factory;
        a.style.display = '';
      } else {
        a.style.display = 'none';
      }
    });
  }

  // ---- sections ----------------------------------------------------------------------------

  function health(data) {
    fill('eg-health', data.health, function (tr, m) {
      td(tr, m.kind);
      td(tr, m.id);
      td(tr, '').appendChild(badge(m.error ? 'FAILED' : m.state));
      td(tr, m.error ? '-' : ago(data.now, m.since));
      td(tr, m.error || m.reason);
    }, 'No sensors, cameras or endpoints configured.');
  }

  function sensors(data) {
    lastSensors = data.sensors;
    fill('eg-sensors', data.sensors, function (tr, s) {
      td(tr, '').appendChild(configLink('sensor', s.id));
      td(tr, s.port);
      var status = td(tr, '');
      status.appendChild(badge(s.error ? 'FAILED' : s.state));
      var why = s.error || s.reason || s.lastError;
      if (why) {
        status.appendChild(el('div', 'eg-reason', why));
      }
      td(tr, s.lines, 'eg-number');
      td(tr, number(s.linesPerSecond, 1), 'eg-number');
      td(tr, s.parseErrors, 'eg-number');
      td(tr, s.droppedLines, 'eg-number');
      var values = td(tr, '', 'eg-values');
      if (s.reading) {
        s.reading.values.forEach(function (v) {
          var item = el('span', 'eg-value');
          item.appendChild(el('span', 'eg-value-name', v.name));
          item.appendChild(document.createTextNode(' ' + v.value + (v.unit ? ' ' + v.unit : '')));
          values.appendChild(item);
        });
      } else {
        values.textContent = '-';
      }
      if (s.lastLine) {
        values.title = 'last line: ' + s.lastLine;
      }
      td(tr, ago(data.now, s.lastSeen));
    }, 'No sensors configured.');
  }

  function endpoints(data) {
    fill('eg-endpoints', data.endpoints || [], function (tr, e) {
      td(tr, '').appendChild(configLink(e.kind, e.id));
      td(tr, e.mode);
      td(tr, e.address, 'eg-key');
      var status = td(tr, '');
      status.appendChild(badge(e.error ? 'FAILED' : e.state));
      if (e.error || e.reason) {
        status.appendChild(el('div', 'eg-reason', e.error || e.reason));
      }
      td(tr, e.sent, 'eg-number');
      td(tr, e.dropped, 'eg-number');
      td(tr, e.errors, 'eg-number');
      td(tr, e.lastError || '-');
    }, 'No endpoints configured.');
  }

  // ---- trends: one uPlot chart per sensor channel ---------------------------------------------

  function trendSensor(id) {
    var ts = trendSensors.get(id);
    if (ts) {
      return ts;
    }
    ts = { channels: new Map() };
    ts.el = el('div', 'eg-trend-sensor');
    ts.head = el('div', 'eg-trend-head');
    ts.charts = el('div', 'eg-trend-charts');
    ts.el.appendChild(ts.head);
    ts.el.appendChild(ts.charts);
    ts.el.setAttribute('data-sensor', id);
    trendSensors.set(id, ts);
    // keep the blocks in id order
    var after = null;
    trendSensors.forEach(function (other, otherId) {
      if (otherId > id && other.el.parentNode && (!after || otherId < after.id)) {
        after = { id: otherId, el: other.el };
      }
    });
    trendBox.insertBefore(ts.el, after ? after.el : null);
    return ts;
  }

  function trendChart(ts, sensorId, channel) {
    var tr = ts.channels.get(channel);
    if (tr) {
      return tr;
    }
    tr = { t: [], v: [], lo: [], hi: [], unit: '' };
    tr.el = el('div', 'eg-trend');
    tr.el.setAttribute('data-channel', channel);
    var title = el('div', 'eg-trend-title');
    tr.name = el('span', null, channel);
    tr.now = el('span', 'eg-trend-now', '-');
    title.appendChild(tr.name);
    title.appendChild(tr.now);
    tr.range = el('div', 'eg-trend-range', '');
    tr.plotBox = el('div', 'eg-trend-plot');
    tr.el.appendChild(title);
    tr.el.appendChild(tr.plotBox);
    tr.el.appendChild(tr.range);
    var chartsInOrder = Array.prototype.slice.call(ts.charts.children);
    var next = chartsInOrder.find(function (c) { return c.getAttribute('data-channel') > channel; });
    ts.charts.insertBefore(tr.el, next || null);
    ts.channels.set(channel, tr);
    if (typeof uPlot === 'function') {
      tr.plot = new uPlot({
        width: 320, height: 110,
        legend: { show: false },
        cursor: { points: { show: false } },
        scales: { x: { time: true } },
        axes: [
          { size: 24, font: '10px sans-serif', grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' } },
          { size: 46, font: '10px sans-serif', grid: { stroke: '#eee' }, ticks: { stroke: '#ddd' } }
        ],
        series: [
          {},
          { label: channel, stroke: '#1565c0', width: 1.5, fill: 'rgba(21,101,192,0.08)', points: { show: false } },
          { label: 'min', stroke: 'rgba(21,101,192,0.25)', width: 1, points: { show: false } },
          { label: 'max', stroke: 'rgba(21,101,192,0.25)', width: 1, points: { show: false } }
        ]
      }, [[], [], [], []], tr.plotBox);
    }
    return tr;
  }

  function merge(tr, series, now) {
    var from = series.t.length ? series.t[0] : Infinity;
    var keep = 0;
    while (keep < tr.t.length && tr.t[keep] < from) {
      keep++;
    }
    ['t', 'v', 'lo', 'hi'].forEach(function (k) {
      tr[k] = tr[k].slice(0, keep).concat(series[k]);
    });
    var old = 0;
    while (old < tr.t.length && tr.t[old] <= now - trendWindow) {
      old++;
    }
    if (old > 0) {
      ['t', 'v', 'lo', 'hi'].forEach(function (k) { tr[k] = tr[k].slice(old); });
    }
    tr.unit = series.unit || '';
  }

  function drawTrend(tr, now) {
    var n = tr.t.length;
    var unit = tr.unit ? ' ' + tr.unit : '';
    tr.now.textContent = n ? tr.v[n - 1] + unit : '-';
    if (n) {
      var lo = Math.min.apply(null, tr.lo);
      var hi = Math.max.apply(null, tr.hi);
      tr.range.textContent = 'min ' + lo + unit + ' · max ' + hi + unit + ' · ' + n + ' points';
    } else {
      tr.range.textContent = 'no values in the last 10 minutes';
    }
    tr.el.setAttribute('data-points', String(n));
    if (tr.plot) {
      tr.plot.setScale('x', { min: now - trendWindow, max: now });
      tr.plot.setData([tr.t, tr.v, tr.lo, tr.hi], false);
      tr.plot.setScale('x', { min: now - trendWindow, max: now });
    }
  }

  function trendHeads() {
    var present = new Set();
    lastSensors.forEach(function (s) {
      present.add(s.id);
      var ts = trendSensors.get(s.id);
      if (!ts) {
        return;
      }
      ts.head.replaceChildren(configLink('sensor', s.id), badge(s.error ? 'FAILED' : s.state),
          document.createTextNode(number(s.linesPerSecond, 1) + ' lines/s · ' + s.parseErrors + ' errors · ' +
              s.droppedLines + ' dropped'));
    });
    trendSensors.forEach(function (ts, id) {
      if (!present.has(id)) {
        ts.el.remove();
        trendSensors.delete(id);
      }
    });
    if (trendSensors.size === 0 && !trendBox.querySelector('.eg-empty')) {
      trendBox.appendChild(el('p', 'eg-empty', 'No numeric readings in the last 10 minutes.'));
    } else if (trendSensors.size > 0) {
      trendBox.querySelectorAll('.eg-empty').forEach(function (e) { e.remove(); });
    }
  }

  function refreshTrends() {
    clearTimeout(trendTimer);
    if (paused()) {
      trendTimer = setTimeout(refreshTrends, 500);
      return;
    }
    fetch(root + '/trends.json?since=' + trendSince, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.json();
      })
      .then(function (data) {
        trendWindow = data.window;
        var known = new Set(lastSensors.map(function (s) { return s.id; }));
        Object.keys(data.sensors).forEach(function (sensorId) {
          if (known.size && !known.has(sensorId)) {
            return; // a removed sensor's last minutes: not shown
          }
          var ts = trendSensor(sensorId);
          var channels = data.sensors[sensorId];
          Object.keys(channels).forEach(function (channel) {
            merge(trendChart(ts, sensorId, channel), channels[channel], data.now);
          });
        });
        trendSensors.forEach(function (ts) {
          ts.channels.forEach(function (tr) { drawTrend(tr, data.now); });
        });
        trendHeads();
        trendSince = data.now - 1;
      })
      .catch(function () {
        // the data loop reports an unreachable gateway
      })
      .then(function () {
        clearTimeout(trendTimer);
        trendTimer = setTimeout(refreshTrends, TRENDS_MS);
      });
  }

  function state(data) {
    var st = data.state;
    if (!st.available) {
      stateNote.textContent = 'The state service is not available.';
    } else if (st.error) {
      stateNote.textContent = st.error;
    } else if (st.total > st.entries.length) {
      stateNote.textContent = 'showing ' + st.entries.length + ' of ' + st.total + ' entries: narrow the prefix';
    } else {
      stateNote.textContent = st.total + (st.total === 1 ? ' entry' : ' entries');
    }
    fill('eg-state', st.entries, function (tr, e) {
      td(tr, e.key, 'eg-key');
      td(tr, e.value, 'eg-state-value');
      td(tr, e.type);
      td(tr, e.version, 'eg-number');
      td(tr, ago(data.now, e.time));
    }, st.prefix ? 'No entries under this prefix.' : 'The state is empty.');
  }

  // ---- cameras: one card each, its picture reloaded in its own loop ---------------------------

  function cameras(data) {
    var seen = new Set();
    data.cameras.forEach(function (c) {
      seen.add(c.id);
      var card = cards.get(c.id) || newCard(c.id);
      updateCard(card, c);
    });
    cards.forEach(function (card, id) {
      if (!seen.has(id)) {
        card.gone = true;
        clearTimeout(card.timer);
        card.el.remove();
        cards.delete(id);
      }
    });
    if (cards.size === 0 && !cameraBox.querySelector('.eg-empty')) {
      cameraBox.appendChild(el('p', 'eg-empty', 'No cameras configured.'));
    } else if (cards.size > 0) {
      cameraBox.querySelectorAll('.eg-empty').forEach(function (e) { e.remove(); });
    }
  }

  function newCard(id) {
    var card = { id: id, n: 0, gone: false, timer: null };
    card.el = el('div', 'eg-camera');
    var head = el('div', 'eg-camera-head');
    card.title = el('strong');
    head.appendChild(card.title);
    card.badge = el('span');
    head.appendChild(card.badge);
    card.start = el('button', 'ui-state-default ui-corner-all', 'Start');
    card.stop = el('button', 'ui-state-default ui-corner-all', 'Stop');
    card.start.type = 'button';
    card.stop.type = 'button';
    card.start.addEventListener('click', function () { control(card, 'start'); });
    card.stop.addEventListener('click', function () { control(card, 'stop'); });
    head.appendChild(card.start);
    head.appendChild(card.stop);
    card.el.appendChild(head);
    card.img = el('img', 'eg-picture');
    card.img.alt = 'picture of camera ' + id;
    card.mode = 'stream';
    card.streaming = false;
    card.img.addEventListener('load', function () {
      if (card.mode === 'stream') {
        card.streaming = false; // the stream ended (camera gone, server stopping): come back for a new one
        nextPicture(card, 1000);
      } else {
        nextPicture(card, PICTURE_MS);
      }
    });
    card.img.addEventListener('error', function () {
      if (card.mode === 'stream') {
        card.mode = 'picture'; // no MJPEG streams here (bundles/http not installed): refreshing pictures
        card.streaming = false;
        nextPicture(card, 0);
      } else {
        nextPicture(card, 2000);
      }
    });
    card.el.appendChild(card.img);
    card.stats = el('div', 'eg-camera-stats');
    card.reason = el('div', 'eg-reason');
    card.el.appendChild(card.stats);
    card.el.appendChild(card.reason);
    cameraBox.appendChild(card.el);
    cards.set(id, card);
    loadPicture(card);
    return card;
  }

  function updateCard(card, c) {
    card.title.replaceChildren(configLink('camera', c.id));
    card.badge.replaceChildren(badge(c.error ? 'FAILED' : c.state));
    card.el.setAttribute('data-running', String(!!c.running));
    card.el.setAttribute('data-mode', card.mode);
    card.start.disabled = !!c.running;
    card.stop.disabled = !c.running;
    card.stats.textContent = c.error ? '' : c.source + ' · ' + c.width + 'x' + c.height + ' · ' +
        number(c.fps, 1) + ' fps · ' + c.frames + ' frames · ' + c.dropped + ' dropped · encode ' +
        number(c.encodeMillis, 2) + ' ms' + (c.jpeg ? ' · JPEG ' + c.jpeg : '');
    card.reason.textContent = c.error || [c.reason, c.lastError].filter(Boolean).join(' · ');
  }

  function loadPicture(card) {
    if (card.gone) {
      return;
    }
    if (paused()) {
      if (card.streaming) {
        card.img.removeAttribute('src'); // ends the stream while paused
        card.streaming = false;
      }
      nextPicture(card, 500);
      return;
    }
    card.n += 1;
    if (card.mode === 'stream') {
      if (!card.streaming) {
        card.streaming = true;
        card.img.src = STREAMS + encodeURIComponent(card.id) + '/stream.mjpg?n=' + card.n;
      }
      nextPicture(card, 500); // only to notice a pause
      return;
    }
    card.img.src = root + '/camera.jpg?id=' + encodeURIComponent(card.id) + '&n=' + card.n;
  }

  function nextPicture(card, delay) {
    clearTimeout(card.timer);
    card.timer = setTimeout(function () { loadPicture(card); }, delay);
  }

  function control(card, action) {
    card.start.disabled = true;
    card.stop.disabled = true;
    fetch(root + '/camera.json', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Requested-With': 'EdgeGate' },
      body: new URLSearchParams({ id: card.id, action: action })
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) {
          throw new Error(body.error || ('HTTP ' + r.status));
        }
      });
    }).catch(function (e) {
      card.reason.textContent = action + ' failed: ' + e.message;
    }).then(refresh);
  }

  // ---- the refresh loop --------------------------------------------------------------------

  function refresh() {
    clearTimeout(dataTimer);
    if (paused()) {
      dataTimer = setTimeout(refresh, 500);
      return;
    }
    var url = root + '/data.json?prefix=' + encodeURIComponent(prefixInput.value.trim());
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) {
        if (!r.ok) {
          throw new Error('HTTP ' + r.status);
        }
        return r.json();
      })
      .then(function (data) {
        config = data.config || config;
        addLinks();
        health(data);
        sensors(data);
        cameras(data);
        endpoints(data);
        state(data);
        trendHeads();
        statusLine.textContent = 'Updated ' + new Date(data.now).toLocaleTimeString();
        statusLine.className = '';
      })
      .catch(function (e) {
        statusLine.textContent = 'Cannot reach the gateway (' + e.message + '); retrying';
        statusLine.className = 'eg-stale';
      })
      .then(function () {
        clearTimeout(dataTimer);
        dataTimer = setTimeout(refresh, DATA_MS);
      });
  }

  var typing = null;
  prefixInput.addEventListener('input', function () {
    clearTimeout(typing);
    typing = setTimeout(refresh, 300);
  });
  refresh();
  refreshTrends();
})();
