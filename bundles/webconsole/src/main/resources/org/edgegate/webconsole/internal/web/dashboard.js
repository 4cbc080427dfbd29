/*
 * EdgeGate dashboard (Felix Web Console plugin). Polls data.json once a second and each camera's
 * picture a few times a second. Everything from the gateway is put into the page as text nodes
 * (textContent), never as HTML: ids, values and reasons come from configuration and devices.
 */
(function () {
  'use strict';

  var box = document.getElementById('edgegate-dashboard');
  if (!box) {
    return;
  }
  var root = box.getAttribute('data-root');
  var DATA_MS = 1000;
  var PICTURE_MS = 250;
  var STATES = ['STARTING', 'OPEN', 'RECONNECTING', 'STOPPED', 'FAILED'];

  var statusLine = document.getElementById('eg-status');
  var pause = document.getElementById('eg-pause');
  var prefixInput = document.getElementById('eg-prefix');
  var stateNote = document.getElementById('eg-state-note');
  var cameraBox = document.getElementById('eg-cameras');
  var cards = new Map(); // camera id -> card
  var dataTimer = null;

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
    fill('eg-sensors', data.sensors, function (tr, s) {
      td(tr, s.id);
      td(tr, s.port);
      var status = td(tr, '');
      status.appendChild(badge(s.error ? 'FAILED' : s.state));
      var why = s.error || s.reason || s.lastError;
      if (why) {
        status.appendChild(el('div', 'eg-reason', why));
      }
      td(tr, s.lines, 'eg-number');
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
    head.appendChild(el('strong', null, id));
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
    card.img.addEventListener('load', function () { nextPicture(card, PICTURE_MS); });
    card.img.addEventListener('error', function () { nextPicture(card, 2000); });
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
    card.badge.replaceChildren(badge(c.error ? 'FAILED' : c.state));
    card.start.disabled = !!c.running;
    card.stop.disabled = !c.running;
    card.stats.textContent = c.error ? '' : c.source + ' · ' + c.width + 'x' + c.height + ' · ' +
        number(c.fps, 1) + ' fps · ' + c.frames + ' frames · ' + c.dropped + ' dropped · encode ' +
        number(c.encodeMillis, 2) + ' ms';
    card.reason.textContent = c.error || [c.reason, c.lastError].filter(Boolean).join(' · ');
  }

  function loadPicture(card) {
    if (card.gone) {
      return;
    }
    if (paused()) {
      nextPicture(card, 500);
      return;
    }
    card.n += 1;
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
        health(data);
        sensors(data);
        cameras(data);
        state(data);
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
})();
