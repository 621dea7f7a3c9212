// Storyline dashboard. Feed content is untrusted: it only ever reaches the page through
// textContent and attribute setters, never parsed as HTML, and links must be http(s).
'use strict';

const SVG = 'http://www.w3.org/2000/svg';
const state = {
  stories: [], selected: -1, next: null, seq: null, source: null, reloadTimer: 0,
  openStory: null,
};

function $(id) { return document.getElementById(id); }

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = String(text);
  return e;
}

/** The URL if it is http(s), else null: javascript:, data: and the like are never links. */
function safeUrl(u) {
  if (typeof u !== 'string') return null;
  try {
    const url = new URL(u);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch (e) {
    return null;
  }
}

function link(u, text) {
  const href = safeUrl(u);
  if (!href) return el('span', null, text);
  const a = el('a', null, text);
  a.href = href;
  a.rel = 'noopener noreferrer nofollow';
  a.target = '_blank';
  return a;
}

function when(iso) {
  if (!iso) return '–';
  const d = new Date(iso);
  return isNaN(d) ? '–' : d.toLocaleString(undefined,
    { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

function meta(parts) {
  const m = el('div', 'meta');
  for (const p of parts) if (p !== null && p !== undefined && p !== '') m.append(el('span', null, p));
  return m;
}

/** A bar chart of counts (oldest first) as inline SVG. */
function chart(counts, width, height, label) {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('class', 'chart');
  svg.setAttribute('width', width);
  svg.setAttribute('height', height);
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const base = document.createElementNS(SVG, 'line');
  base.setAttribute('x1', 0);
  base.setAttribute('x2', width);
  base.setAttribute('y1', height - 0.5);
  base.setAttribute('y2', height - 0.5);
  svg.append(base);
  const max = Math.max(1, ...counts);
  const w = width / Math.max(1, counts.length);
  counts.forEach((c, i) => {
    const h = c === 0 ? 0 : Math.max(1, Math.round(c / max * (height - 1)));
    const r = document.createElementNS(SVG, 'rect');
    r.setAttribute('x', (i * w).toFixed(2));
    r.setAttribute('y', height - h);
    r.setAttribute('width', Math.max(1, w - 1).toFixed(2));
    r.setAttribute('height', h);
    svg.append(r);
  });
  return svg;
}

function query() {
  const p = new URLSearchParams();
  const q = $('q').value.trim();
  if (q) p.set('q', q);
  if ($('lang').value) p.set('lang', $('lang').value);
  const source = $('source').value.trim();
  if (source) p.set('source', source);
  p.set('sort', $('sort').value);
  return p;
}

async function getJson(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await r.json().catch(() => ({}));
  if (!r.ok) throw new Error(body.error || ('HTTP ' + r.status));
  return body;
}

async function loadStories(append) {
  const p = query();
  if (append && state.next) p.set('cursor', state.next);
  try {
    const page = await getJson('/api/stories?' + p);
    const keep = state.selected >= 0 && state.stories[state.selected]
      ? state.stories[state.selected].id : null;
    state.stories = append ? state.stories.concat(page.stories) : page.stories;
    state.next = page.next;
    if (state.seq === null || page.seq > state.seq) state.seq = page.seq;
    state.selected = keep ? state.stories.findIndex(s => s.id === keep) : state.selected;
    renderStories(page.matched);
    connect();
  } catch (e) {
    $('status').textContent = 'Cannot load stories: ' + e.message;
  }
}

function renderStories(matched) {
  const list = $('stories');
  list.replaceChildren();
  state.stories.forEach((s, i) => {
    const li = el('li', 'story');
    li.dataset.id = s.id;
    li.tabIndex = -1;
    if (i === state.selected) li.classList.add('selected');
    const main = el('div', 'main');
    main.append(el('div', 'headline', s.headline || s.id));
    main.append(meta([
      s.sources + (s.sources === 1 ? ' source' : ' sources'),
      s.articles + (s.articles === 1 ? ' article' : ' articles'),
      s.copies + (s.copies === 1 ? ' copy' : ' copies'),
      'first seen ' + when(s.firstSeen),
      s.velocity.lastHour + ' in the last hour',
      s.status !== 'open' ? s.status : null,
    ]));
    li.append(main, chart(s.arrivals, 96, 28, 'arrivals per hour, last 24 hours'));
    li.addEventListener('click', () => { location.hash = '#/story/' + encodeURIComponent(s.id); });
    list.append(li);
  });
  $('status').textContent = matched === 0 ? 'No stories match.'
    : `${state.stories.length} of ${matched} stories`;
  $('more').hidden = !state.next;
}

function scheduleReload() {
  clearTimeout(state.reloadTimer);
  state.reloadTimer = setTimeout(() => {
    loadStories(false);
    if (state.openStory) loadStory(state.openStory, true);
  }, 250);
}

function connect() {
  if (state.source) return;
  const url = '/api/stream' + (state.seq !== null ? '?lastEventId=' + state.seq : '');
  const es = new EventSource(url);
  state.source = es;
  es.addEventListener('open', () => { $('live').textContent = 'live'; $('live').classList.add('on'); });
  es.addEventListener('error', () => { $('live').textContent = 'reconnecting…'; $('live').classList.remove('on'); });
  es.addEventListener('story', scheduleReload);
  es.addEventListener('gone', scheduleReload);
  es.addEventListener('reset', scheduleReload);
}

function why(w) {
  if (!w) return null;
  const parts = [`score ${w.score} ≥ ${w.threshold}`, `words ${w.words}`,
    `names agree ${w.agreement}`, `time ${w.time}`];
  for (const k of ['names', 'numbers', 'terms']) {
    if (w[k] && w[k].length) parts.push(`${k}: ${w[k].join(', ')}`);
  }
  if (w.conflicts && w.conflicts.length) parts.push('conflicts: ' + w.conflicts.join(', '));
  return el('div', 'why', 'Joined: ' + parts.join('; '));
}

function articleItem(a, cls) {
  const li = el('li', cls);
  li.dataset.id = a.id;
  const title = el('div', 'title');
  title.append(link(a.url, a.title || a.id));
  li.append(title);
  li.append(meta([a.source, 'published ' + when(a.published), 'fetched ' + when(a.fetched),
    a.lang, a.revision > 0 ? 'revision ' + a.revision : null]));
  if (a.lead) li.append(el('p', 'lead', a.lead));
  return li;
}

async function loadStory(id, quiet) {
  try {
    const d = await getJson('/api/stories/' + encodeURIComponent(id));
    renderStory(d);
  } catch (e) {
    if (!quiet) $('story').replaceChildren(el('p', 'muted', 'Cannot load the story: ' + e.message));
  }
}

function renderStory(d) {
  const s = d.story;
  const box = $('story');
  box.replaceChildren();
  box.dataset.id = s.id;
  box.append(el('h2', 'headline', s.headline || s.id));
  box.append(meta([s.sources + ' sources', s.articles + ' articles', s.copies + ' copies',
    'first seen ' + when(s.firstSeen), 'updated ' + when(s.lastUpdate), s.status,
    s.languages.join(', ')]));
  if (d.arrivals.counts.length) {
    box.append(el('div', 'muted', 'Arrivals per hour since ' + when(d.arrivals.start)));
    box.append(chart(d.arrivals.counts, Math.min(720, 12 * d.arrivals.counts.length), 48,
      'arrivals per hour'));
  }
  const list = el('ul', 'articles');
  for (const entry of d.articles) {
    const a = entry.article;
    const li = articleItem(a, 'article');
    if (a.verdict === 'new_story') li.append(el('div', 'why', 'Started the story'));
    const w = why(a.why);
    if (w) li.append(w);
    if (a.duplicateOf) li.append(el('div', 'why', 'Copy of ' + a.duplicateOf + ' (its original left the history)'));
    if (entry.copies.length) {
      li.append(el('div', 'muted', `Published first; ${entry.copies.length} ` +
        (entry.copies.length === 1 ? 'copy:' : 'copies:')));
      const copies = el('ul', 'copies');
      for (const c of entry.copies) {
        const ci = articleItem(c, 'copy');
        ci.append(el('div', 'why', c.verdict === 'exact_duplicate' ? 'Exact copy'
          : `Copy: Jaccard ${c.similarity.toFixed(2)} [${c.lower.toFixed(2)}–${c.upper.toFixed(2)}]`));
        copies.append(ci);
      }
      li.append(copies);
    }
    list.append(li);
  }
  box.append(list);
}

async function loadFeeds() {
  const body = $('feeds').tBodies[0];
  try {
    const d = await getJson('/api/feeds');
    body.replaceChildren();
    for (const f of d.feeds) {
      const tr = el('tr');
      const name = el('td');
      name.append(el('div', null, f.source || ''), el('div', 'muted', f.url));
      const h = f.health;
      const status = h ? (h.status === 'failing'
        ? `failing (${h.consecutiveFailures} in a row)` : h.status) : 'unknown';
      tr.append(name, el('td', 'status-' + (h ? h.status : 'unknown'), status),
        el('td', null, when(h && h.lastPoll)), el('td', null, when(h && h.nextPoll)),
        el('td', null, f.articlesPerDay), el('td', null, h && h.problem ? h.problem : '–'));
      body.append(tr);
    }
  } catch (e) {
    body.replaceChildren(el('tr', null, 'Cannot load feeds: ' + e.message));
  }
}

function route() {
  const hash = location.hash || '#/';
  const story = hash.startsWith('#/story/') ? decodeURIComponent(hash.slice(8)) : null;
  const feeds = hash === '#/feeds';
  $('stories-view').hidden = !!story || feeds;
  $('story-view').hidden = !story;
  $('feeds-view').hidden = !feeds;
  $('filters').hidden = !!story || feeds;
  $('tab-stories').classList.toggle('current', !feeds);
  $('tab-feeds').classList.toggle('current', feeds);
  state.openStory = story;
  if (story) { $('story').replaceChildren(); loadStory(story); }
  if (feeds) loadFeeds();
}

function select(i) {
  if (!state.stories.length) return;
  state.selected = Math.max(0, Math.min(state.stories.length - 1, i));
  const items = $('stories').children;
  for (let k = 0; k < items.length; k++) items[k].classList.toggle('selected', k === state.selected);
  items[state.selected].scrollIntoView({ block: 'nearest' });
}

document.addEventListener('keydown', e => {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement;
  if (e.key === 'Escape') {
    if (typing) e.target.blur();
    if (state.openStory || location.hash === '#/feeds') location.hash = '#/';
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey || state.openStory) return;
  if (e.key === 'j') select(state.selected + 1);
  else if (e.key === 'k') select(state.selected - 1);
  else if (e.key === 'Enter' && state.selected >= 0) {
    location.hash = '#/story/' + encodeURIComponent(state.stories[state.selected].id);
  }
});

let typingTimer = 0;
for (const id of ['q', 'source']) {
  $(id).addEventListener('input', () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => loadStories(false), 300);
  });
}
for (const id of ['lang', 'sort']) $(id).addEventListener('change', () => loadStories(false));
$('filters').addEventListener('submit', e => { e.preventDefault(); loadStories(false); });
$('more').addEventListener('click', () => loadStories(true));
window.addEventListener('hashchange', route);
route();
loadStories(false);
