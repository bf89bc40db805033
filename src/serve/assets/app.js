// cnfacts review page. Plain DOM: every piece of text from the store goes in
// through textContent (the h() helper), never through innerHTML, so an
// article holding <script> shows as text.
'use strict';
(() => {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';
  const TOKEN = meta('cnfacts-token');
  const READ_ONLY = meta('cnfacts-read-only') === 'true';
  const main = document.getElementById('main');

  /** Build an element; string children become text nodes. */
  function h(tag, props, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(props || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'value') el.value = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  async function api(url, { method = 'GET', body } = {}) {
    const headers = {};
    if (method !== 'GET') headers['X-Cnfacts-Token'] = TOKEN;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' });
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || `${res.status} ${res.statusText}`);
    return data;
  }

  let toastTimer;
  function toast(text, error = false) {
    const t = document.getElementById('toast');
    t.textContent = text;
    t.className = error ? 'show error' : 'show';
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (t.className = ''), error ? 5000 : 2200);
  }

  // ---------- formatting ----------
  /** A number as printed: floating-point noise rounded away (75.46亿 is 7545999999.999999), thousands separated. */
  function fmtNumber(v) {
    if (v === null || v === undefined) return '';
    const r = Number(v.toPrecision(12));
    return Number.isInteger(r) ? r.toLocaleString('en-US') : String(r);
  }
  /** Large amounts in 亿 and 万 when they read naturally so (2009.52亿, 4.7万), as articles write them: a wrong magnitude stands out against the quote. */
  function compactNumber(v) {
    if (v === null || v === undefined) return '';
    for (const [unit, size, decimals] of [['亿', 1e8, 4], ['万', 1e4, 2]]) {
      const x = v / size;
      const scaled = x * 10 ** decimals;
      if (Math.abs(x) >= 1 && Math.abs(scaled - Math.round(scaled)) < 1e-6) return `${Number(x.toPrecision(12))}${unit}`;
    }
    return fmtNumber(v);
  }
  function describeValue(f, exact = false) {
    const num = exact ? fmtNumber : compactNumber;
    const v = f.value !== null && f.value !== undefined ? num(f.value) : `${num(f.min)}–${num(f.max)}`;
    const q = { exact: '', approx: '≈', over: '>', under: '<' }[f.qualifier] ?? '';
    const dir = f.direction === 'up' ? '↑' : f.direction === 'down' ? '↓' : '';
    const unit = f.kind === 'rank' ? '' : f.unit ? ` ${f.unit}` : '';
    return `${dir}${q}${f.kind === 'rank' ? '#' : ''}${v}${unit}`;
  }
  const fold = (s) => String(s ?? '').replace(/\*\*/g, '').replace(/\s+/g, ' ');
  const effective = (f) => (f.corrections ? { ...f, ...f.corrections } : f);
  const verdictBadge = (v) => h('span', { class: `vbadge ${v || 'none'}` }, v || 'unreviewed');
  const confClass = (c) => (c < 0.6 ? 'conf-low' : c < 0.85 ? 'conf-mid' : 'conf-high');
  const orMissing = (v, text = '—') => (v === null || v === undefined || v === '' ? h('span', { class: 'missing' }, text) : String(v));
  function marked(ctx, { clip = 0 } = {}) {
    let before = fold(ctx.before), after = fold(ctx.after);
    if (clip) {
      const b = Array.from(before), a = Array.from(after);
      if (b.length > clip) before = '…' + b.slice(-clip).join('');
      if (a.length > clip) after = a.slice(0, clip).join('') + '…';
    }
    return [before, h('mark', { class: 'fig' }, fold(ctx.quote)), after];
  }
  const hashFor = (path, params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params || {})) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
    const s = q.toString();
    return `#${path}${s ? '?' + s : ''}`;
  };

  // ---------- shared state ----------
  let metaData = null;
  const undoStack = [];
  let view = null; // the current view: { onKey(e) }

  function showProgress(p) {
    if (!p) return;
    const pct = p.facts ? (100 * p.reviewed) / p.facts : 0;
    document.getElementById('progress-text').textContent = `Reviewed ${p.reviewed.toLocaleString('en-US')} of ${p.facts.toLocaleString('en-US')} (${pct.toFixed(pct < 10 && pct > 0 ? 1 : 0)}%)`;
    document.getElementById('progress-bar').style.width = `${pct}%`;
    document.getElementById('progress').title = `accepted ${p.accepted}, corrected ${p.corrected}, rejected ${p.rejected}; ${p.orphans} orphaned verdicts`;
  }

  // one change at a time: a key held down must not judge the same fact twice or skip the next one
  let saving = false;
  async function oneAtATime(body) {
    if (saving) return null;
    saving = true;
    try {
      return await body();
    } finally {
      saving = false;
    }
  }

  /** Record a verdict and remember how to take it back; null when another change is still being saved. */
  function giveVerdict(f, verdict, { corrections, note } = {}) {
    if (READ_ONLY) return toast('Read-only: verdicts cannot be changed', true), Promise.resolve(null);
    return oneAtATime(async () => {
      const previous = f.verdict ? { verdict: f.verdict, corrections: f.corrections || undefined, note: f.note || undefined } : null;
      const body = { verdict, fact_key: f.id };
      if (corrections) body.corrections = corrections;
      if (note) body.note = note;
      const res = await api(`/api/facts/${f.row}/verdict`, { method: 'PUT', body });
      undoStack.push({ row: f.row, key: f.id, quote: f.quote, previous });
      Object.assign(f, { verdict: res.verdict.verdict, corrections: res.verdict.corrections, note: res.verdict.note });
      showProgress(res.progress);
      return res.verdict;
    });
  }

  const undoLast = () => oneAtATime(async () => {
    const u = undoStack.pop();
    if (!u) return toast('Nothing to undo'), null;
    let res;
    try {
      if (u.previous) res = await api(`/api/facts/${u.row}/verdict`, { method: 'PUT', body: { ...u.previous, fact_key: u.key } });
      else res = await api(`/api/facts/${u.row}/verdict`, { method: 'DELETE' });
    } catch (err) {
      undoStack.push(u); // still there to undo once the server answers
      throw err;
    }
    showProgress(res.progress);
    toast(`Undone: ${fold(u.quote)} is ${u.previous ? u.previous.verdict : 'unreviewed'} again`);
    return { row: u.row, verdict: u.previous?.verdict ?? null, corrections: u.previous?.corrections ?? null, note: u.previous?.note ?? null };
  });

  // ---------- routing ----------
  function route() {
    const [path, qs] = location.hash.replace(/^#/, '').split('?');
    const params = new URLSearchParams(qs || '');
    const p = path || '/facts';
    const section = { '/facts': 'facts', '/documents': 'documents', '/doc': 'documents', '/consistency': 'consistency', '/stats': 'stats' }[p];
    for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.dataset.nav === section);
    view = null;
    if (p === '/facts') view = factsView(params);
    else if (p === '/documents') view = documentsView(params);
    else if (p === '/doc') view = documentView(params);
    else if (p === '/consistency') view = consistencyView(params);
    else if (p === '/stats') view = statsView(params);
    else location.hash = '#/facts';
  }

  const typing = (t) => t && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const help = document.getElementById('help');
    if (typing(e.target)) {
      if (e.key === 'Escape') {
        if (view?.onEscape?.(e)) return;
        e.target.blur();
      }
      return;
    }
    if (e.key === '?') return help.open ? help.close() : help.showModal();
    if (help.open) return;
    if (view?.onKey?.(e)) e.preventDefault();
  });
  document.getElementById('help-button').addEventListener('click', () => document.getElementById('help').showModal());

  // ---------- facts: list and card ----------
  const FILTERS = ['doc', 'subject', 'metric', 'year', 'kind', 'modality', 'minConfidence', 'maxConfidence', 'verdict', 'rule', 'sort', 'dir'];

  function factsView(params) {
    const query = {};
    for (const k of FILTERS) if (params.get(k)) query[k] = params.get(k);
    const state = { query, offset: Number(params.get('offset')) || 0, limit: 50, total: 0, facts: [], sel: 0, editing: false, focus: params.get('focus') };
    const opts = metaData?.options || { subjects: [], rules: [], years: [], documents: [] };

    const choice = (name, label, choices, cls) =>
      h('label', {}, label,
        h('select', { name, class: cls, form: 'filters', onchange: apply },
          choices.map(([v, t]) => h('option', { value: v, selected: (query[name] ?? '') === v ? true : null }, t))));
    const input = (name, label, attrs = {}) => h('label', {}, label, h('input', { name, value: query[name] ?? '', onchange: apply, ...attrs }));
    const form = h('form', { class: 'filters', id: 'filters', onsubmit: (e) => (e.preventDefault(), apply()) },
      choice('doc', 'Document', [['', 'all documents'], ...opts.documents.map((d) => [d, d])], 'wide'),
      input('subject', 'Subject', { list: 'subjects', placeholder: 'e.g. 渝北区', class: 'wide', autocomplete: 'off' }),
      h('datalist', { id: 'subjects' }, opts.subjects.map((s) => h('option', { value: s.name }, `${s.n}`))),
      input('metric', 'Metric contains', { placeholder: 'e.g. 研发', id: 'metric-filter' }),
      input('year', 'Year', { type: 'number', min: 1000, max: 3000, class: 'year' }),
      choice('kind', 'Kind', [['', 'any'], ['amount', 'amount'], ['change', 'change'], ['share', 'share'], ['rank', 'rank']]),
      choice('modality', 'Modality', [['', 'any'], ['actual', 'actual'], ['planned', 'planned']]),
      input('minConfidence', 'Confidence ≥', { type: 'number', min: 0, max: 1, step: 0.05, class: 'conf' }),
      input('maxConfidence', '≤', { type: 'number', min: 0, max: 1, step: 0.05, class: 'conf' }),
      choice('verdict', 'Verdict', [['', 'all'], ['unreviewed', 'unreviewed'], ['reviewed', 'reviewed'], ['accepted', 'accepted'], ['corrected', 'corrected'], ['rejected', 'rejected']]),
      choice('rule', 'Rule', [['', 'any rule'], ...opts.rules.map((r) => [r.name, `${r.name} (${r.n})`])], 'wide'),
      h('button', { type: 'button', class: 'reset', onclick: () => (location.hash = '#/facts') }, 'Clear'),
    );
    // sorting sits over the list it orders, still part of the filter form (form="filters")
    const sortControls = h('span', { class: 'sorting' },
      choice('sort', 'Sort by', [['', 'confidence'], ['doc', 'document order'], ['subject', 'subject'], ['metric', 'metric'], ['year', 'year']]),
      choice('dir', 'Order', [['', 'ascending'], ['desc', 'descending']]));
    function apply() {
      const q = {};
      for (const el of form.elements) if (el.name && el.value !== '') q[el.name] = el.value;
      location.hash = hashFor('/facts', q);
    }

    const countEl = h('span', { class: 'count' }, '…');
    const pageEl = h('span', {}, '');
    const prevBtn = h('button', { class: 'plain', type: 'button', title: 'previous page ([)', onclick: () => loadPage(state.offset - state.limit, 0) }, '‹ Prev');
    const nextBtn = h('button', { class: 'plain', type: 'button', title: 'next page (])', onclick: () => loadPage(state.offset + state.limit, 0) }, 'Next ›');
    const tbody = h('tbody');
    const listScroll = h('div', { class: 'listscroll' },
      h('table', { class: 'facts' },
        h('thead', {}, h('tr', {}, h('th', { class: 'conf' }, 'conf.'), h('th', { class: 'what' }, 'subject · metric · year'), h('th', { class: 'val' }, 'value'), h('th', { class: 'snip' }, 'sentence'), h('th', { class: 'verd' }, 'verdict'))),
        tbody));
    const cardPane = h('div', { class: 'cardpane', id: 'cardpane' });
    main.replaceChildren(form,
      h('div', { class: 'split' },
        h('section', { class: 'listpane', 'aria-label': 'facts' }, h('div', { class: 'listhead' }, countEl, pageEl, sortControls, h('span', { class: 'pager' }, prevBtn, nextBtn)), listScroll),
        cardPane));

    function rowFor(f, i) {
      const e = effective(f);
      const tr = h('tr', { class: `row${i === state.sel ? ' sel' : ''}`, dataset: { row: f.row, i }, onclick: () => select(i) },
        h('td', { class: 'conf' }, f.confidence.toFixed(2), h('span', { class: 'confbar' }, h('span', { class: confClass(f.confidence) }))),
        h('td', { class: 'what' },
          h('div', { class: 'subj' }, orMissing(e.subject, 'no subject')),
          h('div', {}, h('span', { class: 'met' }, orMissing(e.metric, 'no metric')), h('span', { class: 'yr' }, ' · ', orMissing(e.year, 'no year')))),
        h('td', { class: 'val', title: describeValue(e, true) }, describeValue(e)),
        h('td', { class: 'snip' }, marked(f.context, { clip: 18 })),
        h('td', { class: 'verd' }, verdictBadge(f.verdict)));
      tr.querySelector('.confbar span').style.width = `${Math.round(f.confidence * 100)}%`;
      return tr;
    }
    function renderRows() {
      tbody.replaceChildren(...state.facts.map(rowFor));
      const to = Math.min(state.offset + state.facts.length, state.total);
      countEl.textContent = `${state.total.toLocaleString('en-US')} facts`;
      pageEl.textContent = state.total ? `${(state.offset + 1).toLocaleString('en-US')}–${to.toLocaleString('en-US')}` : '';
      prevBtn.disabled = state.offset <= 0;
      nextBtn.disabled = to >= state.total;
    }
    function renderRow(i) {
      const old = tbody.children[i];
      if (old) old.replaceWith(rowFor(state.facts[i], i));
    }

    async function loadPage(offset, selIndex) {
      if (offset < 0) return;
      const q = new URLSearchParams({ ...state.query, offset: String(offset), limit: String(state.limit) });
      if (state.focus) q.set('focus', state.focus);
      let res;
      try {
        res = await api(`/api/facts?${q}`);
      } catch (err) {
        tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5, class: 'empty' }, `Cannot list facts: ${err.message}`)));
        return;
      }
      Object.assign(state, { total: res.total, offset: res.offset, facts: res.facts });
      if (state.focus) {
        const at = res.facts.findIndex((f) => String(f.row) === state.focus);
        selIndex = at >= 0 ? at : 0;
        state.focus = null;
      }
      state.sel = selIndex === -1 ? res.facts.length - 1 : Math.max(0, Math.min(selIndex, res.facts.length - 1));
      renderRows();
      if (!res.facts.length) {
        cardPane.replaceChildren(h('p', { class: 'empty' }, 'No fact matches these filters.'));
        return;
      }
      showCard();
    }

    function select(i) {
      if (i < 0 || i >= state.facts.length || i === state.sel) return;
      const prev = tbody.children[state.sel];
      if (prev) prev.classList.remove('sel');
      state.sel = i;
      state.editing = false;
      const tr = tbody.children[i];
      tr.classList.add('sel');
      tr.scrollIntoView({ block: 'nearest' });
      showCard();
    }
    function move(by) {
      const i = state.sel + by;
      if (i >= 0 && i < state.facts.length) return select(i);
      if (by > 0 && state.offset + state.facts.length < state.total) return loadPage(state.offset + state.limit, 0);
      if (by < 0 && state.offset > 0) return loadPage(state.offset - state.limit, -1);
    }

    let cardToken = 0;
    let card = null; // { fact, el, note, paragraph }
    async function showCard() {
      const f = state.facts[state.sel];
      const mine = ++cardToken;
      let full;
      try {
        full = await api(`/api/facts/${f.row}`);
      } catch (err) {
        cardPane.replaceChildren(h('p', { class: 'empty' }, `Cannot show this fact: ${err.message}`));
        return;
      }
      if (mine !== cardToken) return; // the reviewer has moved on
      Object.assign(f, { verdict: full.verdict, corrections: full.corrections, note: full.note });
      card = renderCard(full, f);
      cardPane.replaceChildren(card.el);
      if (state.editing) card.startEdit();
    }

    function renderCard(full, listFact) {
      const e = effective(full);
      const note = h('textarea', { class: 'note', name: 'note', placeholder: 'Note (n) — saved with the next verdict', value: full.note ?? '' });
      note.value = full.note ?? '';
      const paragraph = h('div', { class: 'paragraph', hidden: true });
      const FIELDS = ['value', 'min', 'max', 'unit', 'kind', 'qualifier', 'modality', 'year', 'subject', 'metric', 'scope', 'direction'];
      // two fields a line where they are short, the names on lines of their own
      const LAYOUT = [['value', 'unit'], ['min', 'max'], ['kind', 'qualifier'], ['modality', 'direction'], ['year', 'time_text'], ['subject'], ['metric'], ['scope']];
      const LABELS = { time_text: 'time words' };
      const CHOICES = { kind: ['amount', 'change', 'share', 'rank'], qualifier: ['exact', 'approx', 'over', 'under'], modality: ['actual', 'planned'], direction: ['', 'up', 'down'] };
      const NUMERIC = new Set(['value', 'min', 'max', 'year']);
      const AMOUNTS = new Set(['value', 'min', 'max']);
      const shown = (v, k) => (v === null || v === undefined ? 'none' : AMOUNTS.has(k) ? fmtNumber(v) : String(v));
      /** The grid of fields, each cell from `cell(name)`. */
      const grid = (cell) =>
        h('div', { class: 'fieldgrid' }, LAYOUT.flatMap((line) => line.map((k) =>
          h('div', { class: `field${line.length === 1 ? ' wide' : ''}`, dataset: { field: k } }, h('span', { class: 'k' }, LABELS[k] || k), h('span', { class: 'v' }, cell(k))))));
      const fieldsView = () =>
        grid((k) => (full.corrections && k in full.corrections
          ? [h('s', { class: 'old' }, shown(full[k], k)), h('span', { class: 'newval' }, shown(full.corrections[k], k))]
          : full[k] === null || full[k] === undefined ? orMissing(null) : shown(full[k], k)));
      function startEdit() {
        if (READ_ONLY) return toast('Read-only: verdicts cannot be changed', true);
        state.editing = true;
        const inputs = new Map(FIELDS.map((k) => {
          const v = e[k];
          // 75.46亿 is 7545999999.999999 in floating point: offer what was printed, and compare with a tolerance on save
          const was = v === null || v === undefined ? '' : AMOUNTS.has(k) ? String(Number(v.toPrecision(12))) : String(v);
          const el = CHOICES[k]
            ? h('select', { name: k, id: `edit-${k}` }, CHOICES[k].map((c) => h('option', { value: c, selected: (v ?? '') === c ? true : null }, c || 'none')))
            : h('input', { name: k, id: `edit-${k}`, value: was, inputmode: NUMERIC.has(k) ? 'decimal' : null, autocomplete: 'off', placeholder: 'none' });
          const mark = () => el.classList.toggle('changed', el.value !== was);
          el.addEventListener('input', mark);
          el.addEventListener('change', mark);
          return [k, el];
        }));
        const editForm = h('form', { class: 'editform', onsubmit: (ev) => (ev.preventDefault(), save()) },
          grid((k) => inputs.get(k) ?? orMissing(full[k])),
          h('div', { class: 'actions' },
            h('button', { type: 'submit', class: 'save' }, 'Save correction (Enter)'),
            h('button', { type: 'button', onclick: cancelEdit }, 'Cancel (Esc)')));
        fieldsWrap.replaceChildren(editForm);
        inputs.get('metric').focus();
        async function save() {
          const corrections = {};
          for (const [k, el] of inputs) {
            const raw = el.value.trim();
            let v = raw === '' ? null : raw;
            if (v !== null && NUMERIC.has(k)) {
              v = Number(raw.replace(/,/g, ''));
              if (!Number.isFinite(v)) return toast(`${k}: not a number`, true);
            }
            const old = full[k] ?? null;
            const same = typeof v === 'number' && typeof old === 'number' ? Math.abs(v - old) <= 1e-9 * Math.max(1, Math.abs(old)) : v === old;
            if (!same) corrections[k] = v;
          }
          if (!Object.keys(corrections).length) return toast('No field changed: press a to accept as it is', true);
          try {
            if (!(await giveVerdict(listFact, 'corrected', { corrections, note: note.value.trim() }))) return;
            toast(`Corrected ${Object.keys(corrections).join(', ')}`);
            state.editing = false;
            advance();
          } catch (err) {
            toast(`Not saved: ${err.message}`, true);
          }
        }
      }
      function cancelEdit() {
        state.editing = false;
        fieldsWrap.replaceChildren(fieldsView());
      }
      const fieldsWrap = h('div', {}, fieldsView());
      async function togglePara() {
        if (!paragraph.hidden) return (paragraph.hidden = true);
        try {
          const p = await api(`/api/facts/${full.row}/paragraph`);
          paragraph.replaceChildren(p.before, h('mark', { class: 'fig' }, p.quote), p.after);
          paragraph.hidden = false;
        } catch (err) {
          toast(err.message, true);
        }
      }
      const docHash = hashFor('/doc', { path: full.doc, focus: full.row });
      const r = full.review;
      const el = h('article', { class: 'card', 'aria-label': 'fact card', dataset: { row: full.row } },
        h('div', { class: 'sub' }, verdictBadge(full.verdict), h('span', {}, `confidence ${full.confidence.toFixed(2)}`), h('span', {}, `${full.kind}${full.modality === 'planned' ? ' · planned' : ''}`)),
        h('h2', {}, orMissing(e.subject, 'no subject'), ' · ', orMissing(e.metric, 'no metric'), ' · ', orMissing(e.year, 'no year')),
        h('div', { class: 'bigvalue' }, describeValue(e), describeValue(e, true) !== describeValue(e) ? h('span', { class: 'exact' }, describeValue(e, true)) : null),
        h('blockquote', { class: 'sentence' }, marked(full.context)),
        h('div', { class: 'linkrow' },
          h('a', { href: '#', onclick: (ev) => (ev.preventDefault(), togglePara()) }, 'Paragraph (p)'),
          h('a', { href: docHash }, `Open ${full.doc} (d)`)),
        paragraph,
        fieldsWrap,
        h('dl', { class: 'prov' },
          h('dt', {}, 'document'), h('dd', {}, h('a', { href: docHash }, full.doc), full.document?.title ? ` — ${full.document.title}` : '', full.document?.published ? ` (${full.document.published})` : ''),
          h('dt', {}, 'span'), h('dd', {}, `${full.start}–${full.end} (code points)`),
          h('dt', {}, 'fact id'), h('dd', {}, h('code', {}, full.id)),
          h('dt', {}, 'rule'), h('dd', {}, h('span', { class: 'chip main' }, full.rule)),
          h('dt', {}, 'all rules'), h('dd', {}, [...new Set(full.rules)].map((x) => h('span', { class: `chip${x === full.rule ? ' main' : ''}` }, x))),
          h('dt', {}, 'doubts'), h('dd', {}, full.doubts.length ? h('ul', { class: 'doubts' }, full.doubts.map((d) => h('li', {}, d))) : orMissing(null, 'none')),
          h('dt', {}, 'extractor'), h('dd', {}, h('code', {}, full.extractor_version))),
        READ_ONLY ? null : note,
        h('div', { class: 'actions' },
          h('button', { type: 'button', class: 'accept', disabled: READ_ONLY, onclick: () => decide('accepted') }, 'Accept (a)'),
          h('button', { type: 'button', class: 'reject', disabled: READ_ONLY, onclick: () => decide('rejected') }, 'Reject (r)'),
          h('button', { type: 'button', class: 'edit', disabled: READ_ONLY, onclick: startEdit }, 'Correct (e)'),
          h('button', { type: 'button', disabled: READ_ONLY, onclick: undo }, 'Undo (u)')),
        h('div', { class: 'status' }, r ? `${r.verdict} by ${r.reviewer || 'someone'} at ${new Date(r.at).toLocaleString()}${r.note ? ` — note: ${r.note}` : ''}` : 'Not reviewed yet.'),
        h('div', { class: 'hint' }, h('kbd', {}, 'j'), h('kbd', {}, 'k'), ' move · ', h('kbd', {}, 'a'), ' accept · ', h('kbd', {}, 'r'), ' reject · ', h('kbd', {}, 'e'), ' correct · ', h('kbd', {}, 'u'), ' undo · ', h('kbd', {}, '?'), ' all keys'));
      return { el, note, startEdit, cancelEdit, togglePara, docHash, fact: full, listFact };
    }

    /** After a verdict: show it in the list and go on to the next fact. */
    function advance() {
      renderRow(state.sel);
      if (state.sel < state.facts.length - 1 || state.offset + state.facts.length < state.total) move(1);
      else showCard();
    }
    /** The card on screen, if it is the selected fact's (it may still be loading after j/k). */
    const currentCard = () => (card && card.listFact === state.facts[state.sel] ? card : null);

    async function decide(verdict) {
      const f = state.facts[state.sel];
      if (!f) return;
      try {
        if (!(await giveVerdict(f, verdict, { note: currentCard()?.note.value.trim() }))) return;
        toast(`${verdict === 'accepted' ? 'Accepted' : 'Rejected'} ${fold(f.quote)}`);
        advance();
      } catch (err) {
        toast(`Not saved: ${err.message}`, true);
      }
    }
    async function undo() {
      try {
        const back = await undoLast();
        if (!back) return;
        const i = state.facts.findIndex((f) => f.row === back.row);
        if (i >= 0) {
          Object.assign(state.facts[i], { verdict: back.verdict, corrections: back.corrections, note: back.note });
          renderRow(i);
          if (i === state.sel) showCard();
          else select(i);
        }
      } catch (err) {
        toast(`Undo failed: ${err.message}`, true);
      }
    }

    loadPage(state.offset, 0);
    return {
      onKey(e) {
        switch (e.key) {
          case 'j': move(1); return true;
          case 'k': move(-1); return true;
          case 'a': decide('accepted'); return true;
          case 'r': decide('rejected'); return true;
          case 'e': currentCard()?.startEdit(); return true;
          case 'u': undo(); return true;
          case 'p': currentCard()?.togglePara(); return true;
          case 'n': if (currentCard() && !READ_ONLY) card.note.focus(); return true;
          case 'd': case 'o': if (currentCard()) location.hash = card.docHash; return true;
          case ']': if (state.offset + state.limit < state.total) loadPage(state.offset + state.limit, 0); return true;
          case '[': if (state.offset > 0) loadPage(state.offset - state.limit, 0); return true;
          case '/': document.getElementById('metric-filter')?.focus(); return true;
        }
        return false;
      },
      onEscape() {
        if (state.editing && card) {
          card.cancelEdit();
          return true;
        }
        return false;
      },
    };
  }

  // ---------- documents ----------
  function documentsView() {
    main.replaceChildren(h('div', { class: 'page' }, h('p', { class: 'loading' }, 'Loading documents…')));
    api('/api/documents?limit=1000').then((res) => {
      const rows = res.documents.map((d) =>
        h('tr', {},
          h('td', {}, h('a', { href: hashFor('/doc', { path: d.path }) }, d.path)),
          h('td', {}, orMissing(d.title, '')),
          h('td', {}, orMissing(d.published, '')),
          h('td', { class: 'num' }, d.chars.toLocaleString('en-US')),
          h('td', { class: 'num' }, d.facts.toLocaleString('en-US')),
          h('td', { class: 'num' }, `${d.reviewed} / ${d.facts}`),
          h('td', {}, h('a', { href: hashFor('/facts', { doc: d.path, sort: 'doc' }) }, 'review facts'))));
      main.replaceChildren(h('div', { class: 'page' },
        h('h1', {}, `Documents (${res.total.toLocaleString('en-US')})`),
        h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', {}, 'path'), h('th', {}, 'title'), h('th', {}, 'published'), h('th', { class: 'num' }, 'characters'), h('th', { class: 'num' }, 'facts'), h('th', { class: 'num' }, 'reviewed'), h('th', {}, ''))),
          h('tbody', {}, rows))));
    }).catch((err) => main.replaceChildren(h('p', { class: 'empty' }, err.message)));
    return null;
  }

  function documentView(params) {
    const path = params.get('path');
    const focus = params.get('focus');
    main.replaceChildren(h('div', { class: 'page' }, h('p', { class: 'loading' }, 'Loading the document (the first one takes a moment)…')));
    const state = { links: [], cur: -1 };
    api(`/api/document?${new URLSearchParams({ path })}`).then((d) => {
      const text = h('div', { class: 'doctext', lang: 'zh-Hans' });
      d.segments.forEach((s, i) => {
        if (s.type === 'text') {
          // for reading only: no blank space before the first line or after the last, at most one empty line between paragraphs
          let t = s.text.replace(/\n[ \t\u3000\r]*(?:\n[ \t\u3000\r]*){2,}/g, '\n\n');
          if (i === 0) t = t.replace(/^\s+/, '');
          if (i === d.segments.length - 1) t = t.replace(/\s+$/, '');
          text.append(document.createTextNode(t));
        }
        else if (s.type === 'fact') {
          const a = h('a', {
            class: `fig fact ${s.verdict || ''}`,
            href: hashFor('/facts', { doc: d.path, sort: 'doc', focus: s.row }),
            title: `fact · confidence ${s.confidence.toFixed(2)} · ${s.verdict || 'unreviewed'} — open its card`,
            dataset: { row: s.row },
          }, s.text);
          state.links.push(a);
          text.append(a);
        } else text.append(h('span', { class: 'fig number', title: `not a fact: ${s.reason || 'no rule made it one'}` }, s.text));
      });
      const legend = h('ul', { class: 'legend' },
        h('li', {}, h('span', { class: 'swatch fact' }, '12亿元'), 'fact, not reviewed'),
        h('li', {}, h('span', { class: 'swatch accepted' }, '12亿元'), 'accepted'),
        h('li', {}, h('span', { class: 'swatch corrected' }, '12亿元'), 'corrected'),
        h('li', {}, h('span', { class: 'swatch rejected' }, '12亿元'), 'rejected'),
        h('li', {}, h('span', { class: 'swatch number' }, '2023年'), 'number not made a fact (hover for why)'));
      main.replaceChildren(h('div', { class: 'page' },
        h('div', { class: 'docwrap' },
          h('div', {},
            h('h1', {}, d.title || d.path),
            h('div', { class: 'meta-line' },
              h('span', {}, d.path),
              d.published ? h('span', {}, `published ${d.published}`) : null,
              h('span', {}, `${d.facts} facts, ${d.reviewed} reviewed`),
              h('span', {}, `${d.numbers} numbers not made facts`),
              h('a', { href: hashFor('/facts', { doc: d.path, sort: 'doc' }) }, 'review these facts')),
            text),
          h('aside', { class: 'side' },
            h('div', { class: 'box' }, h('h3', {}, 'Colours'), legend),
            h('div', { class: 'box' }, h('h3', {}, 'Keys'), h('div', {}, h('kbd', {}, 'j'), ' ', h('kbd', {}, 'k'), ' next / previous fact'), h('div', {}, h('kbd', {}, 'Enter'), ' open its card'))))));
      if (focus) {
        const i = state.links.findIndex((a) => a.dataset.row === focus);
        if (i >= 0) go(i, true);
      }
    }).catch((err) => main.replaceChildren(h('p', { class: 'empty' }, `Cannot show ${path}: ${err.message}`)));
    function go(i, flash) {
      if (i < 0 || i >= state.links.length) return;
      state.links[state.cur]?.classList.remove('cur');
      state.cur = i;
      const a = state.links[i];
      a.classList.add('cur');
      a.scrollIntoView({ block: 'center' });
      a.focus({ preventScroll: true });
      if (flash) a.classList.add('flash');
    }
    return {
      onKey(e) {
        if (e.key === 'j') return go(state.cur + 1), true;
        if (e.key === 'k') return go(state.cur - 1), true;
        if (e.key === 'Enter' && state.cur >= 0) return (location.hash = state.links[state.cur].getAttribute('href')), true;
        return false;
      },
    };
  }

  // ---------- consistency ----------
  function consistencyView(params) {
    const subject = params.get('subject') || '';
    const metric = params.get('metric') || '';
    const opts = metaData?.options || { subjects: [] };
    const subjSel = h('select', { name: 'chart-subject' }, h('option', { value: '' }, 'choose a subject'), opts.subjects.map((s) => h('option', { value: s.name }, `${s.name} (${s.n})`)));
    const metSel = h('select', { name: 'chart-metric' }, h('option', { value: '' }, 'choose a metric'));
    const canvasWrap = h('div', { class: 'chartcanvas' }, h('canvas', { id: 'chart', 'aria-label': 'values by year' }));
    const chartNote = h('div', { class: 'hint' }, 'Pick a subject and one of its metrics found in more than one year, or “chart” on a group below.');
    let chart = null;
    async function loadMetrics(s, chosen) {
      metSel.replaceChildren(h('option', { value: '' }, 'choose a metric'));
      if (!s) return;
      const res = await api(`/api/chartable?${new URLSearchParams({ subject: s })}`);
      metSel.append(...res.series.map((m) => h('option', { value: m.metric }, `${m.metric} (${m.years} years)`)));
      if (chosen) {
        if (![...metSel.options].some((o) => o.value === chosen)) metSel.append(h('option', { value: chosen }, chosen));
        metSel.value = chosen;
      }
    }
    async function draw(s, m) {
      if (!s || !m) return;
      const res = await api(`/api/series?${new URLSearchParams({ subject: s, metric: m })}`);
      const groups = new Map();
      for (const p of res.points) {
        const y = p.value ?? (p.min !== null && p.max !== null ? (p.min + p.max) / 2 : null);
        if (y === null) continue;
        const key = `${p.kind}${p.unit ? ' · ' + p.unit : ''}${p.modality === 'planned' ? ' · planned' : ''}`;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push({ x: p.year, y, doc: p.doc, quote: p.quote });
      }
      const palette = ['#1d5cc4', '#d9822b', '#2f9e5b', '#b03a8c', '#6b5bd6', '#c0392b'];
      // one kind and unit at a time on the axis (a rank and a sum of money do not share a scale); the legend shows the others
      const largest = Math.max(...[...groups.values()].map((g) => g.length));
      let shownOne = false;
      const datasets = [...groups].map(([label, data], i) => {
        const hidden = shownOne || data.length < largest;
        if (!hidden) shownOne = true;
        return { label, data: data.sort((a, b) => a.x - b.x), hidden, showLine: true, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length], pointRadius: 5, pointHoverRadius: 7, tension: 0 };
      });
      chart?.destroy();
      if (typeof Chart === 'undefined') return chartNote.replaceChildren('The chart library did not load.');
      Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
      Chart.defaults.color = '#3a4354';
      chart = new Chart(canvasWrap.querySelector('canvas'), {
        type: 'scatter',
        data: { datasets },
        options: {
          maintainAspectRatio: false,
          animation: false,
          plugins: {
            title: { display: true, text: `${s} · ${m}`, font: { size: 15 } },
            tooltip: { callbacks: { label: (c) => `${c.raw.x}: ${fmtNumber(c.raw.y)} — 「${fold(c.raw.quote)}」 ${c.raw.doc}` } },
          },
          scales: { x: { type: 'linear', ticks: { stepSize: 1, callback: (v) => String(v) }, title: { display: true, text: 'year' } }, y: { title: { display: true, text: 'value' } } },
        },
      });
      chartNote.textContent = `${res.points.length} figures; several points in one year mean the sources disagree. Click the legend to show another kind or unit. Rejected facts are left out, corrections applied.`;
    }
    subjSel.addEventListener('change', () => loadMetrics(subjSel.value).catch((e) => toast(e.message, true)));
    metSel.addEventListener('change', () => (location.hash = hashFor('/consistency', { subject: subjSel.value, metric: metSel.value })));
    const groupsEl = h('div', {}, h('p', { class: 'loading' }, 'Looking for disagreements…'));
    main.replaceChildren(h('div', { class: 'page' },
      h('h1', {}, 'Consistency'),
      h('div', { class: 'chartbox' }, h('div', { class: 'controls' }, h('label', {}, 'Subject', subjSel), h('label', {}, 'Metric', metSel)), canvasWrap, chartNote),
      h('h1', {}, 'Same subject, metric and year — different values'),
      groupsEl));
    const show = (s, m) => {
      if (![...subjSel.options].some((o) => o.value === s)) subjSel.append(h('option', { value: s }, s));
      subjSel.value = s;
      return loadMetrics(s, m).then(() => draw(s, m));
    };
    if (subject && metric) show(subject, metric).catch((e) => toast(e.message, true));
    else {
      // nothing chosen: chart the series with the most years, so the view is never blank
      api('/api/chartable')
        .then((res) => (res.series.length ? show(res.series[0].subject, res.series[0].metric) : chartNote.replaceChildren('No subject and metric has figures in more than one year yet.')))
        .catch((e) => toast(e.message, true));
    }
    api('/api/consistency?limit=50').then((res) => {
      if (!res.groups.length) return groupsEl.replaceChildren(h('p', { class: 'empty' }, 'No disagreements: every subject, metric and year has one value across documents.'));
      groupsEl.replaceChildren(h('p', { class: 'meta-line' }, `${res.total} groups disagree${res.total > res.groups.length ? `; the ${res.groups.length} with the most sources first` : ''}. Rejected facts are left out and corrections applied.`),
        ...res.groups.map((g) => h('section', { class: 'group' },
          h('header', {},
            h('h3', {}, `${g.subject} · ${g.metric} · ${g.year}`),
            h('span', { class: 'tag' }, `${g.values} values in ${g.documents} documents`),
            h('span', { class: 'hint' }, `${g.kind}${g.unit ? ' · ' + g.unit : ''}${g.modality === 'planned' ? ' · planned' : ''}`),
            h('a', { href: hashFor('/consistency', { subject: g.subject, metric: g.metric }) }, 'chart')),
          h('table', {}, h('tbody', {}, g.facts.map((f) => h('tr', {},
            h('td', { class: 'v' }, describeValue(f)),
            h('td', { class: 'd' }, h('a', { href: hashFor('/facts', { doc: f.doc, sort: 'doc', focus: f.row }) }, f.doc), ' ', verdictBadge(f.verdict)),
            h('td', {}, marked(f.context, { clip: 60 })))))))));
    }).catch((err) => groupsEl.replaceChildren(h('p', { class: 'empty' }, err.message)));
    return null;
  }

  // ---------- stats and orphans ----------
  function statsView() {
    main.replaceChildren(h('div', { class: 'page' }, h('p', { class: 'loading' }, 'Counting…')));
    Promise.all([api('/api/stats'), api('/api/orphans?limit=200')]).then(([s, o]) => {
      const pct = (x) => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
      showProgress(s);
      main.replaceChildren(h('div', { class: 'page' },
        h('h1', {}, 'Review progress'),
        h('p', { class: 'meta-line' },
          h('span', {}, `reviewed ${s.reviewed} of ${s.facts}`),
          h('span', {}, `accepted ${s.accepted}`), h('span', {}, `corrected ${s.corrected}`), h('span', {}, `rejected ${s.rejected}`),
          h('span', {}, `${pct(s.acceptance)} accepted as extracted`),
          h('span', {}, `${s.orphans} orphaned verdicts`)),
        h('h1', {}, 'Acceptance per rule, weakest first'),
        h('table', { class: 'grid' },
          h('thead', {}, h('tr', {}, h('th', {}, 'rule'), h('th', { class: 'num' }, 'acceptance'), h('th', { class: 'num' }, 'reviewed'), h('th', { class: 'num' }, 'accepted'), h('th', { class: 'num' }, 'corrected'), h('th', { class: 'num' }, 'rejected'), h('th', { class: 'num' }, 'facts'))),
          h('tbody', {}, s.rules.map((r) => h('tr', {},
            h('td', {}, h('a', { href: hashFor('/facts', { rule: r.rule }) }, r.rule)),
            h('td', { class: 'num' }, pct(r.acceptance)), h('td', { class: 'num' }, r.reviewed), h('td', { class: 'num' }, r.accepted),
            h('td', { class: 'num' }, r.corrected), h('td', { class: 'num' }, r.rejected), h('td', { class: 'num' }, r.facts))))),
        h('h1', {}, `Orphaned verdicts (${o.total})`),
        o.total
          ? h('table', { class: 'grid' },
              h('thead', {}, h('tr', {}, h('th', {}, 'document'), h('th', {}, 'figure'), h('th', {}, 'verdict'), h('th', {}, 'when, who'), h('th', {}, 'sentence when judged'))),
              h('tbody', {}, o.orphans.map((v) => h('tr', {},
                h('td', {}, h('a', { href: hashFor('/doc', { path: v.doc }) }, v.doc)),
                h('td', {}, h('mark', { class: 'fig' }, v.quote)),
                h('td', {}, verdictBadge(v.verdict), v.note ? ` ${v.note}` : ''),
                h('td', {}, `${new Date(v.at).toLocaleString()}${v.reviewer ? ' · ' + v.reviewer : ''}`),
                h('td', {}, fold(v.sentence))))))
          : h('p', { class: 'empty' }, 'None: every verdict is attached to a fact in the store.')));
    }).catch((err) => main.replaceChildren(h('p', { class: 'empty' }, err.message)));
    return null;
  }

  // ---------- start ----------
  api('/api/meta')
    .then((m) => {
      metaData = m;
      showProgress(m.progress);
    })
    .catch((err) => toast(`Cannot reach the server: ${err.message}`, true))
    .finally(() => {
      window.addEventListener('hashchange', route);
      route();
    });
})();
