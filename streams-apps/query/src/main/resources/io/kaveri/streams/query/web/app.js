// The Kaveri dashboard: a first picture from the query API and the event stream's replay, then live updates
// over Server-Sent Events. Plain JS module; the one library is the vendored lightweight-charts.
import { createChart, CandlestickSeries, LineSeries } from './vendor/lightweight-charts.standalone.production.mjs';

const $ = (sel) => document.querySelector(sel);
const state = {
  apps: new Set(),
  candles: new Map(),   // symbol -> Map(windowStart -> candle)
  boards: new Map(),    // game -> Map(rank -> entry), all-time boards
  ctr: new Map(),       // campaign -> Map(windowStart -> ctr)
  me: null,             // { game, player } of "find me"
};

const fmt = (x) => (x === null || x === undefined) ? '' : Number(x).toFixed(8).replace(/\.?0+$/, '');
const chartOptions = {
  layout: { background: { color: '#182029' }, textColor: '#e6e6e6' },
  grid: { vertLines: { color: '#253040' }, horzLines: { color: '#253040' } },
  timeScale: { timeVisible: true, secondsVisible: false },
  autoSize: true,
};

async function getJson(path) {
  const r = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw Object.assign(new Error(body.error || r.statusText), { status: r.status });
  return body;
}

/* ---------- market ---------- */
const candleChart = createChart($('#candle-chart'), chartOptions);
const candleSeries = candleChart.addSeries(CandlestickSeries, {
  upColor: '#26a69a', downColor: '#ef5350', borderVisible: false, wickUpColor: '#26a69a', wickDownColor: '#ef5350',
});

function putCandle(c) {
  if (!state.candles.has(c.symbol)) {
    state.candles.set(c.symbol, new Map());
    const opt = document.createElement('option');
    opt.value = opt.textContent = c.symbol;
    const select = $('#symbol');
    select.append(opt);
    [...select.options].sort((a, b) => a.value.localeCompare(b.value)).forEach((o) => select.append(o));
    if (!select.value || select.options.length === 1) select.value = c.symbol;
  }
  const byWindow = state.candles.get(c.symbol);
  const known = byWindow.get(c.windowStart);
  // A final candle is never replaced by an older open update that arrives after it on replay.
  if (!known || !known.closed || c.closed) byWindow.set(c.windowStart, c);
  schedule(renderMarket);
}

function renderMarket() {
  const symbol = $('#symbol').value;
  const rows = [...state.candles.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([s, byWindow]) => {
    const last = [...byWindow.values()].reduce((a, b) => (a.windowStart >= b.windowStart ? a : b));
    return `<tr data-symbol="${esc(s)}"><td>${esc(s)}</td><td class="open">${fmt(last.open)}</td>`
      + `<td class="high">${fmt(last.high)}</td><td class="low">${fmt(last.low)}</td>`
      + `<td class="close">${fmt(last.close)}</td><td class="vwap">${fmt(last.vwap)}</td>`
      + `<td class="volume">${fmt(last.volume)}</td><td class="trades">${last.tradeCount}</td></tr>`;
  });
  $('#quotes tbody').innerHTML = rows.join('');
  const byWindow = state.candles.get(symbol);
  if (!byWindow) return;
  candleSeries.setData([...byWindow.values()].sort((a, b) => a.windowStart - b.windowStart).map((c) => ({
    time: Math.floor(c.windowStart / 1000), open: +c.open, high: +c.high, low: +c.low, close: +c.close,
  })));
}
$('#symbol').addEventListener('change', () => schedule(renderMarket));

async function loadMarket() {
  const body = await getJson('/api/market/symbols');
  body.result.forEach(putCandle);
}

/* ---------- leaderboard ---------- */
function putEntry(e) {
  if (e.windowStart !== null) return; // the table shows the all-time board
  if (!state.boards.has(e.gameId)) {
    state.boards.set(e.gameId, new Map());
    const opt = document.createElement('option');
    opt.value = opt.textContent = e.gameId;
    $('#game').append(opt);
    if (!$('#game').value || $('#game').options.length === 1) $('#game').value = e.gameId;
  }
  state.boards.get(e.gameId).set(e.rank, e);
  schedule(renderBoard);
}

function renderBoard() {
  const game = $('#game').value;
  const board = state.boards.get(game);
  if (!board) return;
  $('#top tbody').innerHTML = [...board.values()].sort((a, b) => a.rank - b.rank).map((e) =>
    `<tr data-player="${esc(e.playerId)}" class="${state.me && state.me.player === e.playerId ? 'me' : ''}">`
    + `<td>${e.rank}</td><td>${esc(e.playerId)}</td><td class="score">${e.score}</td></tr>`).join('');
}
$('#game').addEventListener('change', async () => {
  const game = $('#game').value;
  try {
    const body = await getJson(`/api/leaderboard/games/${encodeURIComponent(game)}/top?k=10`);
    const board = new Map();
    body.result.forEach((n) => board.set(n.rank, { gameId: game, rank: n.rank, playerId: n.playerId, score: n.score, windowStart: null }));
    state.boards.set(game, board);
  } catch (e) { /* the event stream keeps the board */ }
  schedule(renderBoard);
});

async function loadLeaderboard() {
  const body = await getJson('/api/leaderboard/games');
  for (const g of body.result) {
    const top = await getJson(`/api/leaderboard/games/${encodeURIComponent(g.gameId)}/top?k=10`);
    top.result.forEach((n) => putEntry({ gameId: g.gameId, rank: n.rank, playerId: n.playerId, score: n.score, windowStart: null }));
  }
}

async function findMe() {
  if (!state.me) return;
  const { game, player } = state.me;
  const out = $('#relative');
  try {
    const body = await getJson(`/api/leaderboard/games/${encodeURIComponent(game)}/players/${encodeURIComponent(player)}?neighbours=3`);
    const r = body.result;
    const row = (n, me) => `<tr class="${me ? 'me' : ''}"><td>${n.rank}</td><td>${esc(n.playerId)}</td><td>${n.score}</td></tr>`;
    out.innerHTML = `<p id="my-rank">${esc(player)} is #${r.rank} of ${r.totalPlayers}${r.approximate ? '+' : ''} in ${esc(game)}</p>`
      + `<table><tbody>${r.above.map((n) => row(n, false)).join('')}${row({ rank: r.rank, playerId: player, score: r.score }, true)}`
      + `${r.below.map((n) => row(n, false)).join('')}</tbody></table>`;
  } catch (e) {
    out.innerHTML = `<p class="error">${esc(e.message)}</p>`;
  }
  schedule(renderBoard);
}
$('#find-me').addEventListener('submit', (ev) => {
  ev.preventDefault();
  state.me = { game: $('#game').value, player: $('#player').value.trim() };
  findMe();
});

/* ---------- alerts, CTR, timeline ---------- */
function putAlert(a) {
  const li = document.createElement('li');
  const when = new Date(a.detectedAt || a.ts || Date.now()).toLocaleTimeString();
  li.textContent = `${when} ${a.rule || a.kind || ''} ${a.cardId || a.deviceId || ''} ${a.explanation || a.metric || ''}`;
  $('#alert-feed').prepend(li);
  while ($('#alert-feed').children.length > 100) $('#alert-feed').lastChild.remove();
}

const ctrChart = createChart($('#ctr-chart'), chartOptions);
const ctrSeries = new Map();
function putCtr(c) {
  if (!state.ctr.has(c.campaignId)) {
    state.ctr.set(c.campaignId, new Map());
    ctrSeries.set(c.campaignId, ctrChart.addSeries(LineSeries, { title: c.campaignId }));
  }
  state.ctr.get(c.campaignId).set(c.windowStart, c);
  ctrSeries.get(c.campaignId).setData([...state.ctr.get(c.campaignId).values()].sort((a, b) => a.windowStart - b.windowStart)
    .map((m) => ({ time: Math.floor(m.windowStart / 1000), value: m.ctr })));
  schedule(renderCtr);
}

function renderCtr() {
  $('#ctr-table tbody').innerHTML = [...state.ctr.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([campaign, minutes]) => {
    const m = [...minutes.values()].reduce((a, b) => (a.windowStart >= b.windowStart ? a : b));
    return `<tr data-campaign="${esc(campaign)}"><td>${esc(campaign)}</td><td>${new Date(m.windowStart).toLocaleTimeString()}</td>`
      + `<td class="impressions">${m.impressions}</td><td class="clicks">${m.clicks}</td>`
      + `<td class="ctr">${(100 * m.ctr).toFixed(2)}%</td></tr>`;
  }).join('');
}

function timelineItem(t) {
  const li = document.createElement('li');
  li.dataset.tweet = t.tweetId;
  li.textContent = `@${t.authorId}: ${t.text}`;
  return li;
}

function putTimeline(t) {
  const who = $('#follower').value.trim();
  if (who && t.followerId !== who) return;
  $('#timeline-feed').prepend(timelineItem(t));
  while ($('#timeline-feed').children.length > 100) $('#timeline-feed').lastChild.remove();
}

$('#follower').addEventListener('change', async () => {
  const who = $('#follower').value.trim();
  const feed = $('#timeline-feed');
  feed.innerHTML = '';
  if (!who || !state.apps.has('timeline')) return;
  try {
    const body = await getJson(`/api/timeline/users/${encodeURIComponent(who)}?n=50`);
    body.result.forEach((t) => feed.append(timelineItem(t)));
  } catch (e) {
    feed.innerHTML = `<li class="error">${esc(e.message)}</li>`;
  }
});

/* ---------- plumbing ---------- */
const pending = new Set();
function schedule(render) {
  if (pending.has(render)) return;
  pending.add(render);
  requestAnimationFrame(() => { pending.delete(render); render(); });
}

function esc(s) {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function connect() {
  // lastEventId=0: replay the buffered history on first connect; the browser sends Last-Event-ID on reconnects.
  const events = new EventSource('/api/events?lastEventId=0');
  const status = $('#status');
  events.onopen = () => { status.dataset.state = 'live'; status.textContent = 'live'; };
  events.onerror = () => { status.dataset.state = 'down'; status.textContent = 'reconnecting…'; };
  const on = (type, handle) => events.addEventListener(type, (m) => handle(JSON.parse(m.data)));
  on('candle', (e) => putCandle(e.value));
  on('leaderboard', (e) => putEntry(e.value));
  on('rank', (e) => { if (state.me && e.value.gameId === state.me.game) findMe(); });
  on('alert', (e) => putAlert(e.value));
  on('ctr', (e) => putCtr(e.value));
  on('timeline', (e) => putTimeline(e.value));
  on('reset', () => { state.candles.clear(); state.boards.clear(); $('#symbol').innerHTML = ''; $('#game').innerHTML = ''; });
}

async function main() {
  try {
    const body = await getJson('/api/apps');
    body.apps.forEach((a) => state.apps.add(a.app));
  } catch (e) { /* shown by the panels below */ }
  $('#apps').textContent = [...state.apps].join(' · ');
  document.querySelectorAll('.panel').forEach((p) => {
    if (!p.dataset.app.split(' ').some((a) => state.apps.has(a))) p.classList.add('absent');
  });
  connect();
  if (state.apps.has('market')) loadMarket().catch(() => {});
  if (state.apps.has('leaderboard')) loadLeaderboard().catch(() => {});
}
main();
