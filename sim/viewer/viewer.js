// The osisim step-through viewer. Everything it shows comes from the JSON
// data embedded in the page; it makes no network request.
(function () {
  'use strict';

  var D = JSON.parse(document.getElementById('osisim-data').textContent);
  var E = D.events;
  var N = E.length;

  var T = {
    en: {
      speed: 'speed', jump: 'event', marked: 'marked only', topology: 'Topology', layers: 'Layers',
      fields: 'Header fields', bytes: 'Bytes', stepBack: 'Step back (Left arrow)',
      stepForward: 'Step forward (Right arrow)', playPause: 'Play / pause (Space)',
      allNodes: 'all nodes', allLayers: 'all layers', allProtos: 'all protocols', noPDU: '(no PDU)',
      layer: 'Layer', in: 'In', out: 'Out', more: 'more', of: 'of', shown: 'shown',
      noBytes: 'This event carries no octets.', noPDUText: 'This event is about no PDU.',
      carried: 'octets of the frame this belongs to', ownFields: 'this PDU',
      drop: 'drop', retransmit: 'retransmission', timeout: 'timeout', dupack: 'duplicate ACK', fault: 'link fault',
      reason: 'reason', cause: 'cause', octets: 'octets', pass: 'pass', none: 'nothing at this layer',
      dirs: { down: 'down', up: 'up', forward: 'forward', wire: 'wire', drop: 'drop', state: 'state', timer: 'timer', note: 'note' }
    },
    zh: {
      speed: '速度', jump: '事件', marked: '仅标记', topology: '拓扑', layers: '各层',
      fields: '首部字段', bytes: '字节', stepBack: '后退一步（左方向键）',
      stepForward: '前进一步（右方向键）', playPause: '播放 / 暂停（空格）',
      allNodes: '全部节点', allLayers: '全部层', allProtos: '全部协议', noPDU: '（无 PDU）',
      layer: '层', in: '输入', out: '输出', more: '更多', of: '/', shown: '显示',
      noBytes: '此事件不携带字节。', noPDUText: '此事件不涉及 PDU。',
      carried: '所属帧的字节', ownFields: '本 PDU',
      drop: '丢弃', retransmit: '重传', timeout: '超时', dupack: '重复确认', fault: '链路故障',
      reason: '原因', cause: '起因', octets: '字节', pass: '处理', none: '本层无动作',
      dirs: { down: '封装↓', up: '解封↑', forward: '转发', wire: '线路', drop: '丢弃', state: '状态', timer: '计时器', note: '说明' }
    }
  };
  var DIRSYM = { down: '\u2193', up: '\u2191', forward: '\u21c4', wire: '\u223f', drop: '\u2715', state: '\u25c6', timer: '\u23f1', note: '\u2022' };
  var MARKS = ['drop', 'retransmit', 'timeout', 'dupack', 'fault'];
  var ROW = 26;

  var st = {
    model: D.models[0], lang: D.scenario.lang === 'zh' ? 'zh' : 'en', cur: 0, F: [], playing: false, timer: null, speed: 1,
    open: {}, // sections opened or closed by hand
    sel: null, // the selected section or field: {sec: i, fld: j or -1}
    filter: { node: '', layer: 0, proto: '', marked: false }
  };

  // ---- helpers ----
  function $(id) { return document.getElementById(id); }
  function esc(s) {
    return String(s).replace(/[&<>"]/g, function (c) { return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' }[c]; });
  }
  function t(k) { return T[st.lang][k] || T.en[k] || k; }
  // An event's text and a PDU's summary in the page's language.
  function tx(e) { return st.lang === 'zh' && e.text_zh ? e.text_zh : e.text; }
  function sm(p) { return st.lang === 'zh' && p.summary_zh ? p.summary_zh : p.summary; }
  function secs(ns) {
    var us = Math.floor(ns / 1000);
    var s = String(Math.floor(us / 1e6));
    var f = String(us % 1e6);
    while (f.length < 6) f = '0' + f;
    return s + '.' + f;
  }
  function modelLayer(osi) { return st.model.map[osi]; }
  function modelLayerName(n) {
    var ml = st.model.layers[n - 1];
    return st.lang === 'zh' ? ml.zh : ml.name;
  }
  function layerColor(osi) { return 'var(--L' + osi + ')'; }
  function topOSI(n) { // the highest OSI layer a model layer holds, for its colour
    var best = 1;
    for (var l = 1; l <= 7; l++) if (st.model.map[l] === n) best = l;
    return best;
  }
  function pduName(osi) {
    var o = D.osi[osi - 1];
    return st.lang === 'zh' ? o.pdu_zh : o.pdu;
  }

  // Blobs decode on first use.
  var blobCache = {};
  function blobBytes(i) {
    if (blobCache[i]) return blobCache[i];
    var bin = atob(D.blobs[i - 1].b64);
    var a = new Uint8Array(bin.length);
    for (var k = 0; k < bin.length; k++) a[k] = bin.charCodeAt(k);
    blobCache[i] = a;
    return a;
  }
  // The event whose own octets a blob is: its fields give the values of
  // the blob's outermost header.
  var blobOwner = {};
  // Events by pass.
  var passes = {};
  for (var i = 0; i < N; i++) {
    var e = E[i];
    var p = e.pdu;
    if (p && p.blob && !p.borrowed && blobOwner[p.blob] === undefined) blobOwner[p.blob] = i;
    (passes[e.pass] || (passes[e.pass] = [])).push(i);
  }

  // ---- filters ----
  function buildFilters() {
    var nodes = [], kinds = [], seenN = {}, seenK = {};
    D.topology.nodes.forEach(function (n) { if (!seenN[n.name]) { seenN[n.name] = 1; nodes.push(n.name); } });
    E.forEach(function (e) {
      if (!seenN[e.node]) { seenN[e.node] = 1; nodes.push(e.node); }
      var k = e.pdu ? e.pdu.kind : '-';
      if (!seenK[k]) { seenK[k] = 1; kinds.push(k); }
    });
    kinds.sort();
    var fn = $('fNode'), fl = $('fLayer'), fp = $('fProto');
    fn.innerHTML = '<option value="">' + esc(t('allNodes')) + '</option>' +
      nodes.map(function (n) { return '<option value="' + esc(n) + '">' + esc(n) + '</option>'; }).join('');
    fn.value = st.filter.node;
    fl.innerHTML = '<option value="0">' + esc(t('allLayers')) + '</option>' +
      st.model.layers.slice().reverse().map(function (ml) {
        return '<option value="' + ml.n + '">L' + ml.n + ' ' + esc(st.lang === 'zh' ? ml.zh : ml.name) + '</option>';
      }).join('');
    if (st.filter.layer > st.model.layers.length) st.filter.layer = 0;
    fl.value = String(st.filter.layer);
    fp.innerHTML = '<option value="">' + esc(t('allProtos')) + '</option>' +
      kinds.map(function (k) { return '<option value="' + esc(k) + '">' + esc(k === '-' ? t('noPDU') : k) + '</option>'; }).join('');
    fp.value = st.filter.proto;
  }
  function applyFilters() {
    var f = st.filter, out = [];
    for (var i = 0; i < N; i++) {
      var e = E[i];
      if (f.node && e.node !== f.node) continue;
      if (f.layer && modelLayer(e.layer) !== f.layer) continue;
      if (f.proto && (e.pdu ? e.pdu.kind : '-') !== f.proto) continue;
      if (f.marked && !e.mark) continue;
      out.push(i);
    }
    st.F = out;
    st.pos = new Int32Array(N).fill(-1);
    for (var k = 0; k < out.length; k++) st.pos[out[k]] = k;
    $('count').textContent = out.length + ' ' + t('of') + ' ' + N;
    $('spacer').style.height = (out.length * ROW) + 'px';
    renderList();
  }
  // fpos returns the position in F of the first event at or after index i.
  function fpos(i) {
    var lo = 0, hi = st.F.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (st.F[mid] < i) lo = mid + 1; else hi = mid;
    }
    return lo;
  }

  // ---- the virtualised event list ----
  function rowHTML(i) {
    var e = E[i];
    var ml = modelLayer(e.layer);
    var cls = 'row' + (i === st.cur ? ' sel' : '') + (e.mark ? ' m-' + e.mark : '') + (e.chapter ? ' chapter' : '');
    var what = e.pdu && (e.dir === 'down' || e.dir === 'forward') ? sm(e.pdu) : tx(e);
    var title = '#' + e.seq + ' ' + secs(e.t_ns) + ' s ' + e.node + (e.iface ? '.' + e.iface : '') + ' ' + tx(e) +
      (e.cause ? ' [' + e.cause + ']' : '') + (e.reason ? ' (' + e.reason + ')' : '');
    return '<div class="' + cls + '" data-i="' + i + '" title="' + esc(title) + '">' +
      '<span class="seq">' + e.seq + '</span><span class="nd">' + esc(e.node) + '</span>' +
      '<span class="ly" style="color:' + layerColor(topOSI(ml)) + '">L' + ml + '</span>' +
      '<span class="dr">' + DIRSYM[e.dir] + '</span>' + esc(what) + '</div>';
  }
  // Sizes are read when the window changes, never between writes, so
  // that a step costs one layout.
  var size = { listH: 400, hexW: 500, tlW: 600, tlH: 26 };
  function measure() {
    size.listH = $('list').clientHeight;
    size.hexW = $('hexBody').clientWidth;
    size.tlW = $('tl').clientWidth;
    size.tlH = $('tl').clientHeight;
  }
  function renderList(scrollTop) {
    var list = $('list');
    if (scrollTop === undefined) scrollTop = list.scrollTop;
    var first = Math.max(0, Math.floor(scrollTop / ROW) - 5);
    var last = Math.min(st.F.length, first + Math.ceil(size.listH / ROW) + 10);
    var h = [];
    for (var k = first; k < last; k++) {
      h.push(rowHTML(st.F[k]).replace('<div class="row', '<div style="top:' + (k * ROW) + 'px" class="row'));
    }
    $('rows').innerHTML = h.join('');
  }
  function scrollToCurrent() {
    var list = $('list');
    var k = st.pos[st.cur], at = list.scrollTop;
    if (k >= 0) {
      var top = k * ROW;
      if (top < at) at = top;
      else if (top + ROW > at + size.listH) at = top + ROW - size.listH;
      if (at !== list.scrollTop) list.scrollTop = at;
    }
    renderList(at);
  }

  // ---- selection and stepping ----
  function select(i) {
    if (i < 0 || i >= N) return;
    st.cur = i;
    st.sel = null;
    st.open = {};
    var p = E[i].pdu;
    if (p && p.sect) st.sel = { sec: p.sect - 1, fld: -1 };
    render();
  }
  function step(d) {
    if (!st.F.length) return;
    var k = st.pos[st.cur];
    if (k < 0) k = d > 0 ? fpos(st.cur) - 1 : fpos(st.cur);
    k = Math.max(0, Math.min(st.F.length - 1, k + d));
    select(st.F[k]);
    return k;
  }
  function play(on) {
    st.playing = on;
    $('play').innerHTML = on ? '<svg viewBox="0 0 16 16" width="16" height="16"><path d="M3 2h4v12H3zM9 2h4v12H9z"/></svg>' :
      '<svg viewBox="0 0 16 16" width="16" height="16"><path d="M4 2v12l10-6z"/></svg>';
    $('play').classList.toggle('on', on);
    if (st.timer) { clearInterval(st.timer); st.timer = null; }
    if (on) {
      st.timer = setInterval(function () {
        var k = st.pos[st.cur];
        if (k >= st.F.length - 1) { play(false); return; }
        step(1);
      }, 1000 / st.speed);
    }
  }

  // ---- rendering ----
  function render() {
    renderCaption();
    scrollToCurrent();
    renderTopology();
    renderStack();
    renderTree();
    renderHex();
    drawTimeline();
    var e = E[st.cur];
    $('pos').textContent = '#' + e.seq + ' / ' + E[N - 1].seq;
    $('jump').value = e.seq;
  }
  function renderCaption() {
    var e = E[st.cur];
    var ml = modelLayer(e.layer);
    var h = '<span class="mono">#' + e.seq + '</span> &nbsp;' + secs(e.t_ns) + ' s &nbsp;<b>' + esc(e.node) +
      (e.iface ? '.' + esc(e.iface) : '') + '</b> &nbsp;<span class="lay" style="color:' + layerColor(topOSI(ml)) + '">L' + ml + ' ' +
      esc(modelLayerName(ml)) + '</span> ' + DIRSYM[e.dir] + ' ' + esc(T[st.lang].dirs[e.dir] || e.dir) + ': ' + esc(tx(e));
    if (e.reason) h += ' <span class="why">[' + esc(t('reason')) + ': ' + esc(e.reason) + ']</span>';
    if (e.cause) h += ' <span class="why">[' + esc(t('cause')) + ': ' + esc(e.cause) + ']</span>';
    $('caption').innerHTML = h;
    $('caption').title = tx(e);
  }

  // The topology, with the current event's PDU on its link or node.
  var UX = 125, UY = 105, MX = 70, MY = 48;
  function nodePos(n) { return { x: MX + n.x * UX, y: MY + n.y * UY }; }
  function renderTopology() {
    var svg = $('net');
    var nodes = D.topology.nodes, byName = {};
    var maxX = 0, maxY = 0, minX = 0;
    nodes.forEach(function (n) { byName[n.name] = n; maxX = Math.max(maxX, n.x); minX = Math.min(minX, n.x); maxY = Math.max(maxY, n.y); });
    var w = MX * 2 + (maxX - minX) * UX, h = MY * 2 + maxY * UY + 20;
    svg.setAttribute('viewBox', (minX * UX) + ' 0 ' + w + ' ' + h);
    var e = E[st.cur];
    var g = [];
    var activeLink = -1;
    D.topology.links.forEach(function (l, k) {
      if (e.peer && ((l.a === e.node && l.b === e.peer && (!e.iface || l.a_port === e.iface)) ||
        (l.b === e.node && l.a === e.peer && (!e.iface || l.b_port === e.iface)))) activeLink = k;
    });
    D.topology.links.forEach(function (l, k) {
      var a = nodePos(byName[l.a]), b = nodePos(byName[l.b]);
      g.push('<line class="link' + (k === activeLink ? ' active' : '') + '" x1="' + a.x + '" y1="' + a.y + '" x2="' + b.x + '" y2="' + b.y + '"><title>' +
        esc(l.a + '.' + l.a_port + ' - ' + l.b + '.' + l.b_port + ': ' + l.rate + ', ' + l.delay + ', ' + l.code) + '</title></line>');
      var pa = { x: a.x + (b.x - a.x) * 0.3, y: a.y + (b.y - a.y) * 0.3 }, pb = { x: b.x + (a.x - b.x) * 0.3, y: b.y + (a.y - b.y) * 0.3 };
      // Port names sit above a horizontal link and beside a vertical one.
      var vert = Math.abs(b.x - a.x) < Math.abs(b.y - a.y);
      var dx = vert ? 7 : 0, dy = vert ? 4 : -6, anchor = vert ? 'start' : 'middle';
      g.push('<text class="port" x="' + (pa.x + dx) + '" y="' + (pa.y + dy) + '" text-anchor="' + anchor + '">' + esc(l.a_port) + '</text>');
      g.push('<text class="port" x="' + (pb.x + dx) + '" y="' + (pb.y + dy) + '" text-anchor="' + anchor + '">' + esc(l.b_port) + '</text>');
    });
    nodes.forEach(function (n) {
      var p = nodePos(n), act = n.name === e.node;
      var shape;
      if (n.kind === 'router') shape = '<circle cx="' + p.x + '" cy="' + p.y + '" r="20"/>' +
        '<path d="M' + (p.x - 10) + ' ' + p.y + 'h20M' + p.x + ' ' + (p.y - 10) + 'v20" stroke="#445" stroke-width="2"/>';
      else if (n.kind === 'switch' || n.kind === 'hub') shape = '<rect x="' + (p.x - 30) + '" y="' + (p.y - 13) + '" width="60" height="26" rx="4"/>' +
        '<path d="M' + (p.x - 16) + ' ' + (p.y - 4) + 'h32M' + (p.x - 16) + ' ' + (p.y + 4) + 'h32" stroke="#445" stroke-width="2"/>';
      else shape = '<rect x="' + (p.x - 22) + '" y="' + (p.y - 16) + '" width="44" height="30" rx="3"/>' +
        '<rect x="' + (p.x - 10) + '" y="' + (p.y + 14) + '" width="20" height="4" fill="#445"/>';
      var addr = (n.ports || []).filter(function (pt) { return pt.addr; }).map(function (pt) { return pt.addr; })[0] || '';
      var tip = n.name + ' (' + n.kind + ')' + (n.ports || []).map(function (pt) {
        return '\n' + pt.name + (pt.mac ? ' ' + pt.mac : '') + (pt.addr ? ' ' + pt.addr : '');
      }).join('');
      g.push('<g class="node' + (act ? ' active' : '') + '" data-node="' + esc(n.name) + '"><title>' + esc(tip) + '</title>' + shape +
        '<text class="nodeName" x="' + p.x + '" y="' + (p.y + 36) + '" text-anchor="middle">' + esc(n.name) + '</text>' +
        (addr ? '<text class="addr" x="' + p.x + '" y="' + (p.y + 50) + '" text-anchor="middle">' + esc(addr) + '</text>' : '') + '</g>');
    });
    // The PDU of the current event.
    var at = byName[e.node] ? nodePos(byName[e.node]) : null;
    if (at) {
      var ml = modelLayer(e.layer);
      var color = layerColor(topOSI(ml));
      var label = e.pdu ? (e.pdu.kind === 'bits' ? pduName(1) : e.pdu.kind.toUpperCase()) : (T[st.lang].dirs[e.dir] || e.dir);
      var pos = { x: at.x, y: at.y - 40 };
      if (activeLink >= 0) {
        var q = nodePos(byName[e.peer]);
        pos = { x: at.x + (q.x - at.x) * 0.5, y: at.y + (q.y - at.y) * 0.5 - 16 };
        g.push('<path d="M' + (at.x + (q.x - at.x) * 0.38) + ' ' + (at.y + (q.y - at.y) * 0.38 + 8) + 'L' + (at.x + (q.x - at.x) * 0.62) + ' ' +
          (at.y + (q.y - at.y) * 0.62 + 8) + '" stroke="' + color + '" stroke-width="3" marker-end="url(#arrow)"/>');
      }
      var wdt = Math.max(44, label.length * 9 + 22);
      g.push('<g class="pdu" id="pduMark"><rect x="' + (pos.x - wdt / 2) + '" y="' + (pos.y - 11) + '" width="' + wdt + '" height="22" style="fill:' + color + '"/>' +
        '<text x="' + pos.x + '" y="' + (pos.y + 4) + '" text-anchor="middle">' + DIRSYM[e.dir] + ' ' + esc(label) + '</text></g>');
      if (e.dir === 'drop') {
        var c = activeLink >= 0 ? pos : at;
        g.push('<path class="x" d="M' + (c.x - 9) + ' ' + (c.y + 16) + 'l18 18m0 -18l-18 18"/>');
      }
    }
    svg.innerHTML = '<defs><marker id="arrow" viewBox="0 0 10 10" refX="8" refY="5" markerWidth="5" markerHeight="5" orient="auto-start-reverse">' +
      '<path d="M0 0L10 5L0 10z" fill="#333"/></marker></defs>' + g.join('');
  }

  // The node's layer stack: what each layer did in this pass, receiving
  // (In, read from the bottom up) and sending (Out, from the top down).
  function renderStack() {
    var e = E[st.cur];
    var pass = passes[e.pass] || [st.cur];
    var node = D.topology.nodes.filter(function (n) { return n.name === e.node; })[0];
    $('stackNode').textContent = '\u2014 ' + e.node + (node ? ' (' + node.kind + ')' : '');
    var L = st.model.layers.length;
    var cells = {};
    pass.forEach(function (i) {
      var x = E[i];
      var key = modelLayer(x.layer) + x.side;
      (cells[key] || (cells[key] = [])).push(i);
    });
    var h = ['<tr><th>' + esc(t('layer')) + '</th><th>' + esc(t('in')) + ' \u2191</th><th>' + esc(t('out')) + ' \u2193</th></tr>'];
    for (var n = L; n >= 1; n--) {
      var active = modelLayer(e.layer) === n;
      h.push('<tr data-layer="' + n + '"' + (active ? ' class="active"' : '') + '><td class="ln" style="border-left-color:' + layerColor(topOSI(n)) + '">L' + n + ' ' +
        esc(modelLayerName(n)) + '</td>' + cellHTML(cells[n + 'in'], 'in') + cellHTML(cells[n + 'out'], 'out') + '</tr>');
    }
    $('stackTable').innerHTML = h.join('');
    afterLayout();
  }
  function cellHTML(list, side) {
    if (!list || !list.length) return '<td class="cell ' + side + '"></td>';
    var show = list;
    var MAX = 2;
    if (list.length > MAX) {
      // Keep the events nearest to the current one.
      show = list.slice().sort(function (a, b) { return Math.abs(a - st.cur) - Math.abs(b - st.cur); }).slice(0, MAX).sort(function (a, b) { return a - b; });
    }
    var h = show.map(function (i) {
      var x = E[i];
      var what = x.pdu ? sm(x.pdu) : tx(x);
      if (x.dir === 'up' || x.dir === 'drop' || x.dir === 'wire') what = tx(x);
      return '<div data-i="' + i + '" class="' + (i === st.cur ? 'cur' : '') + (x.dir === 'drop' ? ' drop' : '') + '" title="' + esc('#' + x.seq + ' ' + tx(x)) + '">' +
        DIRSYM[x.dir] + ' ' + esc(what) + '</div>';
    }).join('');
    if (list.length > show.length) h += '<div class="more">+' + (list.length - show.length) + ' ' + esc(t('more')) + '</div>';
    return '<td class="cell ' + side + '">' + h + '</td>';
  }

  // The sections the current event shows: its blob's layout, with the
  // values of the outermost header taken from the event that owns the blob.
  function currentSections() {
    var e = E[st.cur], p = e.pdu;
    var out = [];
    if (!p) return out;
    if (p.blob) {
      var layout = D.blobs[p.blob - 1].sections;
      var owner = E[blobOwner[p.blob]];
      var ownVals = {};
      ((owner && owner.pdu.fields) || []).forEach(function (f) { ownVals[f.name] = f.value; });
      layout.forEach(function (s, k) {
        var fields = s.fields.map(function (f) {
          return { name: f[0], value: f.length > 3 ? f[3] : (k === 0 ? ownVals[f[0]] : ''), o: f[1], l: f[2] };
        });
        if (k === 0 && owner) {
          var have = {};
          s.fields.forEach(function (f) { have[f[0]] = 1; });
          owner.pdu.fields && owner.pdu.fields.forEach(function (f) {
            if (!have[f.name]) fields.push({ name: f.name, value: f.value, o: -1, l: 0 });
          });
        }
        out.push({ name: s.name, kind: s.kind, fields: fields });
      });
    }
    return out;
  }
  function renderTree() {
    var e = E[st.cur], p = e.pdu;
    var body = $('treeBody');
    if (!p) { body.innerHTML = '<div class="note">' + esc(t('noPDUText')) + '</div>'; return; }
    var S = currentSections();
    var h = ['<div class="tree"><ul>'];
    if (!p.sect && p.fields && p.fields.length) {
      // The PDU's own fields have no place in the octets shown (bits, a
      // session or presentation unit): list them first.
      h.push('<li class="open"><span class="sec own">' + esc(p.kind + ' \u2014 ' + t('ownFields')) + '</span><ul>');
      p.fields.forEach(function (f) {
        h.push('<li><span class="fld nooff"><span class="k">' + esc(f.name) + ':</span> ' + esc(f.value) + '</span></li>');
      });
      h.push('</ul></li>');
      if (S.length) h.push('<li class="note">' + esc(t('carried')) + '</li>');
    }
    S.forEach(function (s, k) {
      var selSec = st.sel && st.sel.sec === k;
      var open = st.open[k] !== undefined ? st.open[k] : ((p.sect && p.sect - 1 === k) || (st.sel && st.sel.sec === k) || S.length === 1);
      h.push('<li class="' + (open ? 'open' : '') + '" data-sec="' + k + '"><span class="sec' + (selSec && st.sel.fld < 0 ? ' sel' : '') + '" data-sec="' + k + '">' +
        esc(s.name) + '</span><ul>');
      s.fields.forEach(function (f, j) {
        var sel = selSec && st.sel.fld === j;
        h.push('<li><span class="fld' + (sel ? ' sel' : '') + (f.o < 0 ? ' nooff' : '') + '" data-sec="' + k + '" data-fld="' + j + '" title="' +
          esc(f.name + ': ' + f.value + (f.o >= 0 ? ' (bits ' + f.o + '-' + (f.o + f.l - 1) + ')' : '')) + '"><span class="k">' + esc(f.name) + ':</span> ' + esc(f.value) + '</span></li>');
      });
      h.push('</ul></li>');
    });
    h.push('</ul></div>');
    body.innerHTML = h.join('');
  }

  // charWidth measures the width of a character of the hex dump's font.
  var chWidth = 0;
  function charWidth(el) {
    if (chWidth) return chWidth;
    var m = document.createElement('span');
    m.textContent = '0123456789abcdef0123456789abcdef';
    el.appendChild(m);
    chWidth = m.getBoundingClientRect().width / 32 || 8.2;
    el.removeChild(m);
    return chWidth;
  }

  // The hex dump, with the selected section or field highlighted.
  function byteRanges(fields) {
    var set = {};
    fields.forEach(function (f) {
      if (f.o < 0 || f.l <= 0) return;
      for (var b = Math.floor(f.o / 8); b <= Math.floor((f.o + f.l - 1) / 8); b++) set[b] = 1;
    });
    return set;
  }
  function renderHex() {
    var e = E[st.cur], p = e.pdu, body = $('hexBody');
    if (!p || !p.blob) { body.textContent = t('noBytes'); $('hexInfo').textContent = ''; return; }
    var bytes = blobBytes(p.blob);
    var S = currentSections();
    var own = p.sect ? byteRanges(S[p.sect - 1].fields) : {};
    var hi = {};
    if (st.sel && S[st.sel.sec]) {
      var s = S[st.sel.sec];
      hi = byteRanges(st.sel.fld >= 0 ? [s.fields[st.sel.fld]] : s.fields);
    }
    var chW = charWidth(body), width = (size.hexW || 500) - 12;
    var per = 16, ascii = true;
    if (width / chW < 73) ascii = false;
    if (width / chW < 56) { per = 8; ascii = true; }
    hexLayout = { per: per, chW: chW };
    // Each line is plain text with a span per run of octets of one kind
    // (highlighted, of this PDU's header, or neither): a few elements per
    // line, so that even a full-size frame lays out fast.
    var lines = [];
    for (var off = 0; off < bytes.length; off += per) {
      var o = off.toString(16);
      while (o.length < 4) o = '0' + o;
      var h = '<span class="off">' + o + '</span>  ', as = '', run = '', runCls = '', runAt = off;
      var wrap = function () {
        return runCls ? '<span class="' + runCls + '" data-b="' + runAt + '">' + run + '</span>' : run;
      };
      for (var k = 0; k < per && off + k < bytes.length; k++) {
        var b = off + k, v = bytes[b];
        var cls = hi[b] ? 'hi' : (own[b] ? 'sec' : '');
        var hv = (v < 16 ? '0' : '') + v.toString(16);
        var sep = k === 8 ? '  ' : ' ';
        if (k === 0) { runCls = cls; run = hv; }
        else if (cls === runCls) run += sep + hv;
        else { h += wrap() + sep; runCls = cls; runAt = b; run = hv; }
        as += v >= 32 && v < 127 ? esc(String.fromCharCode(v)) : '.';
      }
      h += wrap();
      if (ascii) {
        var pad = per - Math.min(per, bytes.length - off);
        h += new Array(pad * 3 + (per === 16 && pad > 8 ? 1 : 0) + 1).join(' ') + '  <span class="asc">' + as + '</span>';
      }
      lines.push('<div class="hl" data-o="' + off + '">' + h + '</div>');
    }
    body.innerHTML = lines.join('');
    var n = Object.keys(hi).length;
    $('hexInfo').textContent = '\u2014 ' + bytes.length + ' ' + t('octets') + (p.borrowed ? ' (' + t('carried') + ')' : '') +
      (n ? ', ' + n + ' ' + t('shown') : '');
    afterLayout();
  }

  var hexLayout = { per: 16, chW: 8 };

  // Once laid out, the current event's row of the layer panel and the
  // highlighted octets are scrolled into sight: in the next frame, so that
  // a burst of steps lays the page out once.
  var pending = false;
  function afterLayout() {
    if (pending) return;
    pending = true;
    requestAnimationFrame(function () {
      pending = false;
      var box = $('stackBody'), cur = document.querySelector('#stackTable td.cell div.cur');
      if (cur) {
        var top = cur.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop;
        if (top < box.scrollTop + 24 || top > box.scrollTop + box.clientHeight - 24) box.scrollTop = Math.max(0, top - box.clientHeight / 2);
      }
      var hex = $('hexBody'), first = hex.querySelector('span.hi');
      if (first) {
        var y = first.getBoundingClientRect().top - hex.getBoundingClientRect().top + hex.scrollTop;
        if (y < hex.scrollTop || y > hex.scrollTop + hex.clientHeight - 20) hex.scrollTop = Math.max(0, y - 40);
      }
    });
  }

  // ---- timeline ----
  var MARKCOL = { drop: '--drop', retransmit: '--retransmit', timeout: '--timeout', dupack: '--dupack', fault: '--fault' };
  var marked = [];
  for (var mi = 0; mi < N; mi++) if (E[mi].mark) marked.push(mi);
  function cssVar(v) { return getComputedStyle(document.documentElement).getPropertyValue(v).trim(); }
  var tlStatic = null; // the marks, drawn once per size
  function drawTimeline() {
    var c = $('tl');
    var w = size.tlW, h = size.tlH, r = window.devicePixelRatio || 1;
    if (!w || !h) return;
    var x = function (i) { return N > 1 ? 2 + (w - 4) * i / (N - 1) : w / 2; };
    if (c.width !== Math.round(w * r) || c.height !== Math.round(h * r) || !tlStatic) {
      c.width = Math.round(w * r); c.height = Math.round(h * r);
      tlStatic = document.createElement('canvas');
      tlStatic.width = c.width; tlStatic.height = c.height;
      var s = tlStatic.getContext('2d');
      s.setTransform(r, 0, 0, r, 0, 0);
      s.fillStyle = '#eef1f5';
      s.fillRect(0, 6, w, h - 12);
      s.fillStyle = cssVar('--accent');
      for (var i = 0; i < N; i++) if (E[i].chapter) s.fillRect(Math.round(x(i)), 1, 1, 5);
      ['fault', 'dupack', 'retransmit', 'timeout', 'drop'].forEach(function (m) {
        s.fillStyle = cssVar(MARKCOL[m]);
        marked.forEach(function (i) { if (E[i].mark === m) s.fillRect(Math.round(x(i)) - 1, 6, 3, h - 12); });
      });
    }
    var g = c.getContext('2d');
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, c.width, c.height);
    g.drawImage(tlStatic, 0, 0);
    g.setTransform(r, 0, 0, r, 0, 0);
    g.fillStyle = '#000';
    g.fillRect(Math.round(x(st.cur)) - 1, 0, 2, h);
  }
  function timelineIndex(ev) {
    var c = $('tl'), rect = c.getBoundingClientRect();
    var fx = (ev.clientX - rect.left - 2) / Math.max(1, rect.width - 4);
    var i = Math.round(fx * (N - 1));
    i = Math.max(0, Math.min(N - 1, i));
    // Snap to a marked event within 4 pixels.
    var tol = 4 / Math.max(1, rect.width) * N, best = -1;
    marked.forEach(function (m) { if (Math.abs(m - i) <= tol && (best < 0 || Math.abs(m - i) < Math.abs(best - i))) best = m; });
    return best >= 0 ? best : i;
  }
  function buildLegend() {
    $('legend').innerHTML = MARKS.map(function (m) {
      return '<span><i style="background:var(' + MARKCOL[m] + ')"></i>' + esc(t(m)) + '</span>';
    }).join('');
  }

  // ---- model and language ----
  function buildSwitches() {
    $('models').innerHTML = D.models.map(function (m) {
      return '<button data-model="' + m.id + '"' + (m === st.model ? ' class="on"' : '') + '>' + esc(m.name) + '</button>';
    }).join('');
    Array.prototype.forEach.call(document.querySelectorAll('#langs button'), function (b) {
      b.classList.toggle('on', b.getAttribute('data-lang') === st.lang);
    });
  }
  function relabel() {
    document.documentElement.lang = st.lang === 'zh' ? 'zh-CN' : 'en';
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n]'), function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    Array.prototype.forEach.call(document.querySelectorAll('[data-i18n-title]'), function (el) { el.title = t(el.getAttribute('data-i18n-title')); });
    var sc = D.scenario;
    var title = st.lang === 'zh' && sc.title_zh ? sc.title_zh : sc.title;
    $('scenario').textContent = sc.name + ' \u2014 ' + title + ' (seed ' + sc.seed + ')';
    $('scenario').title = (st.lang === 'zh' && sc.summary_zh ? sc.summary_zh : sc.summary) || '';
    buildSwitches();
    buildFilters();
    buildLegend();
  }
  function setModel(id) {
    D.models.forEach(function (m) { if (m.id === id) st.model = m; });
    relabel();
    measure();
    applyFilters();
    render();
  }
  function setLang(l) {
    st.lang = l;
    relabel();
    measure();
    applyFilters();
    render();
  }

  // ---- events ----
  $('list').addEventListener('scroll', function () { renderList(); });
  $('rows').addEventListener('click', function (ev) {
    var r = ev.target.closest('.row');
    if (r) select(+r.getAttribute('data-i'));
  });
  $('stackTable').addEventListener('click', function (ev) {
    var d = ev.target.closest('div[data-i]');
    if (d) select(+d.getAttribute('data-i'));
  });
  $('treeBody').addEventListener('click', function (ev) {
    var f = ev.target.closest('.fld'), s = ev.target.closest('.sec');
    if (f && f.hasAttribute('data-fld')) {
      st.sel = { sec: +f.getAttribute('data-sec'), fld: +f.getAttribute('data-fld') };
    } else if (s && s.hasAttribute('data-sec')) {
      var k = +s.getAttribute('data-sec');
      var li = s.parentNode;
      if (st.sel && st.sel.sec === k && st.sel.fld < 0) st.open[k] = !li.classList.contains('open');
      else st.open[k] = true;
      st.sel = { sec: k, fld: -1 };
    } else return;
    renderTree();
    renderHex();
  });
  $('hexBody').addEventListener('click', function (ev) {
    // The octet under the pointer, from its column: four digits of
    // offset and two spaces, then three characters an octet, with one
    // more space after the eighth.
    var line = ev.target.closest('.hl');
    if (!line) return;
    var col = Math.floor((ev.clientX - line.getBoundingClientRect().left) / hexLayout.chW) - 6;
    if (hexLayout.per === 16 && col >= 24) col -= 1;
    if (col < 0 || col % 3 === 2) return;
    var k = Math.floor(col / 3);
    if (k >= hexLayout.per) return;
    var at = +line.getAttribute('data-o') + k;
    var bytes = blobBytes(E[st.cur].pdu.blob);
    if (at >= bytes.length) return;
    var bit = at * 8, S = currentSections(), best = null;
    S.forEach(function (s, k) {
      s.fields.forEach(function (f, j) {
        if (f.o >= 0 && f.l > 0 && f.o <= bit + 7 && bit < f.o + f.l && (!best || f.l < best.l)) best = { sec: k, fld: j, l: f.l };
      });
    });
    if (best) { st.sel = { sec: best.sec, fld: best.fld }; renderTree(); renderHex(); }
  });
  $('net').addEventListener('click', function (ev) {
    var g = ev.target.closest('g[data-node]');
    if (!g) return;
    st.filter.node = st.filter.node === g.getAttribute('data-node') ? '' : g.getAttribute('data-node');
    $('fNode').value = st.filter.node;
    applyFilters();
  });
  $('back').addEventListener('click', function () { step(-1); });
  $('fwd').addEventListener('click', function () { step(1); });
  $('play').addEventListener('click', function () { play(!st.playing); });
  $('speed').addEventListener('change', function () { st.speed = +this.value; if (st.playing) play(true); });
  $('jump').addEventListener('change', function () {
    var seq = +this.value;
    var lo = 0, hi = N - 1;
    while (lo < hi) { var mid = (lo + hi) >> 1; if (E[mid].seq < seq) lo = mid + 1; else hi = mid; }
    select(lo);
  });
  $('fNode').addEventListener('change', function () { st.filter.node = this.value; applyFilters(); scrollToCurrent(); });
  $('fLayer').addEventListener('change', function () { st.filter.layer = +this.value; applyFilters(); scrollToCurrent(); });
  $('fProto').addEventListener('change', function () { st.filter.proto = this.value; applyFilters(); scrollToCurrent(); });
  $('fMarked').addEventListener('change', function () { st.filter.marked = this.checked; applyFilters(); scrollToCurrent(); });
  $('models').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-model]');
    if (b) setModel(b.getAttribute('data-model'));
  });
  $('langs').addEventListener('click', function (ev) {
    var b = ev.target.closest('button[data-lang]');
    if (b) setLang(b.getAttribute('data-lang'));
  });
  $('tl').addEventListener('click', function (ev) { select(timelineIndex(ev)); });
  $('tl').addEventListener('mousemove', function (ev) {
    var e = E[timelineIndex(ev)];
    $('timeline').title = '#' + e.seq + ' ' + e.node + ': ' + tx(e) + (e.cause ? ' [' + e.cause + ']' : '');
  });
  document.addEventListener('keydown', function (ev) {
    var tag = (ev.target.tagName || '').toLowerCase();
    if (tag === 'input' || tag === 'select' || tag === 'textarea') return;
    var k = ev.key;
    if (k === 'ArrowRight' || k === 'ArrowDown') { step(1); ev.preventDefault(); }
    else if (k === 'ArrowLeft' || k === 'ArrowUp') { step(-1); ev.preventDefault(); }
    else if (k === ' ' || k === 'Spacebar') { play(!st.playing); ev.preventDefault(); }
    else if (k === 'PageDown') { step(20); ev.preventDefault(); }
    else if (k === 'PageUp') { step(-20); ev.preventDefault(); }
    else if (k === 'Home') { if (st.F.length) select(st.F[0]); ev.preventDefault(); }
    else if (k === 'End') { if (st.F.length) select(st.F[st.F.length - 1]); ev.preventDefault(); }
  });
  // Buttons keep no focus, so that Space always plays.
  Array.prototype.forEach.call(document.querySelectorAll('button'), function (b) {
    b.addEventListener('mouseup', function () { b.blur(); });
  });
  window.addEventListener('resize', function () { measure(); renderList(); renderHex(); drawTimeline(); });

  // The state the tests (and a curious reader) can inspect.
  window.osisimViewer = {
    data: D, state: st, select: select, step: step, setModel: setModel, setLang: setLang,
    selectField: function (sec, fld) { st.sel = { sec: sec, fld: fld }; renderTree(); renderHex(); },
    charWidth: function () { return charWidth($('hexBody')); }
  };

  relabel();
  measure();
  applyFilters();
  if (N) select(0);
})();
