/* EdgeGate dashboard: the Clips section (bundle org.edgegate.clips), filled from /edgegate/clips/ (the JSON list).
   Hooked into the dashboard by one element <div id="eg-clips"> and this script; nothing else of the page is touched. */
(function () {
  'use strict';
  var BASE = '/edgegate/clips/';
  var box = document.getElementById('eg-clips');
  if (!box) { return; }
  var SHOWN = 12;

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  var title = el('h2', 'Clips ', 'eg-title');
  var note = el('span', 'what the cameras saw around each rule\'s trigger (docs/clips.md)', 'eg-note');
  title.appendChild(note);
  var form = el('p', null, 'eg-filter');
  var cams = el('input'); cams.type = 'text'; cams.size = 20; cams.placeholder = 'camera ids, space-separated';
  var secs = el('input'); secs.type = 'number'; secs.min = 1; secs.max = 600; secs.value = 10; secs.style.width = '5em';
  var rec = el('button', 'Record'); rec.type = 'button'; rec.id = 'eg-clips-record';
  var said = el('span', '', 'eg-note');
  form.appendChild(cams); form.appendChild(secs); form.appendChild(el('span', ' s ')); form.appendChild(rec); form.appendChild(said);
  var list = el('div', null, 'eg-cameras'); list.id = 'eg-clips-list';
  var player = el('div'); player.id = 'eg-clips-player';
  box.appendChild(title); box.appendChild(form); box.appendChild(player); box.appendChild(list);

  rec.addEventListener('click', function () {
    var body = new URLSearchParams();
    body.set('cameras', cams.value.trim());
    body.set('seconds', secs.value);
    fetch(BASE + 'record', { method: 'POST', credentials: 'same-origin', body: body })
      .then(function (r) { return r.text().then(function (t) { said.textContent = ' ' + t; refresh(); }); })
      .catch(function (e) { said.textContent = ' ' + e; });
  });

  function play(clip, camera) {
    player.textContent = '';
    var img = el('img'); img.alt = clip + ' ' + camera; img.style.maxWidth = '640px';
    img.src = BASE + encodeURIComponent(clip) + '/' + encodeURIComponent(camera) + '.mjpg';
    var close = el('button', 'Close'); close.type = 'button';
    close.addEventListener('click', function () { img.src = ''; player.textContent = ''; });
    player.appendChild(el('p', 'Replay of ' + clip + ', ' + camera + ' (recorded pace)')); player.appendChild(img); player.appendChild(close);
  }

  function render(clips) {
    list.textContent = '';
    if (!clips.length) { list.appendChild(el('p', 'no clips yet', 'eg-note')); return; }
    clips.slice(-SHOWN).reverse().forEach(function (c) {
      c.cameras.forEach(function (cam) {
        if (!cam.frames) { return; }
        var card = el('div', null, 'eg-camera');
        var thumb = el('img'); thumb.loading = 'lazy'; thumb.alt = c.clip; thumb.style.maxWidth = '240px'; thumb.style.cursor = 'pointer';
        thumb.src = BASE + encodeURIComponent(c.clip) + '/' + encodeURIComponent(cam.id) + '.jpg';
        thumb.title = 'replay';
        thumb.addEventListener('click', function () { play(c.clip, cam.id); });
        card.appendChild(thumb);
        card.appendChild(el('div', c.clip + ' (' + c.state + ')'));
        card.appendChild(el('div', cam.id + ': ' + cam.frames + ' frames, ' + ((c.last - c.first) / 1000).toFixed(1) + ' s', 'eg-note'));
        var links = el('div');
        [cam.file, 'readings.jsonl', 'manifest.json'].forEach(function (f) {
          var a = el('a', f + ' '); a.href = BASE + encodeURIComponent(c.clip) + '/' + f; links.appendChild(a);
        });
        card.appendChild(links);
        list.appendChild(card);
      });
    });
  }

  function refresh() {
    fetch(BASE, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(render)
      .catch(function () { /* the next refresh tries again */ });
  }
  refresh();
  setInterval(refresh, 10000);
})();
