/* Cunwu search: a small UI over Pagefind's JS API (pagefind/pagefind.js, served from this site).
   Lighter than Pagefind's ready-made UI on a slow phone: only pagefind.js, its WebAssembly, the
   index chunks of the words typed and one fragment per result shown are fetched.
   The form is in the page hidden; this script shows it, so without JavaScript nothing is broken. */
(function () {
  "use strict";
  var form = document.querySelector("[data-cw-search]");
  if (!form) return;
  var input = form.querySelector("#cw-q");
  var statusLine = form.querySelector("[data-cw-status]");
  var list = form.querySelector("[data-cw-results]");
  var more = form.querySelector("[data-cw-more]");
  var offer = form.querySelector("[data-cw-offer]");
  var selects = Array.prototype.slice.call(form.querySelectorAll("[data-cw-filter]"));
  var PAGE = 10;
  var MORE = more.textContent;
  var EARLIER = more.getAttribute("data-cw-earlier") || MORE;
  var root = new URL(form.getAttribute("data-root").replace(/\/?$/, "/"), location.href);
  var pagefind = null;
  var seq = 0;
  var shown = [];
  var shownCount = 0;
  var shownWords = [];

  // Pagefind treats an index chunk that did not arrive as a word found nowhere: count its failed
  // requests, so that a lost connection is said as such rather than as "nothing found".
  var lost = 0;
  var realFetch = window.fetch;
  window.fetch = function (input) {
    var url = String(input && input.url ? input.url : input);
    var got = realFetch.apply(this, arguments);
    if (url.indexOf("/pagefind/") < 0) return got;
    return got.then(function (r) { if (!r.ok) lost++; return r; }, function (e) { lost++; throw e; });
  };
  var OFFLINE = "搜索暂时无法使用，请检查网络后重试，或按下面的状态、类别或村查看。";

  // The parts of the index, newest first (builder/engine/search.py: Part): the first is
  // Pagefind's own; each later one is merged into it when the results need older matters.
  var parts = [];
  try {
    parts = JSON.parse(document.querySelector('meta[name="cunwu-pagefind-parts"]').getAttribute("content"));
  } catch (e) {
    parts = [];
  }
  var merged = {0: Promise.resolve()}; // part → its merge into Pagefind

  function load() {
    if (!pagefind) {
      pagefind = import(new URL("pagefind/pagefind.js", root).href).then(function (pf) {
        // No web worker: one file less to download before the first result; the index is small work.
        // The cache tag names this build's index; the page preloads pagefind-entry.json?ts=<tag>.
        var tag = document.querySelector('meta[name="cunwu-pagefind"]');
        var opts = { baseUrl: root.pathname, excerptLength: 24, noWorker: true };
        if (tag) opts.metaCacheTag = tag.getAttribute("content");
        return pf.options(opts).then(function () {
          pf.init();
          return pf;
        });
      });
      pagefind.catch(function () {
        pagefind = null; // the next search tries again
        merged = {0: Promise.resolve()};
      });
    }
    return pagefind;
  }

  // The parts that may hold matters of the filters chosen (a year filter skips the others).
  function wanted(f) {
    var out = [];
    parts.forEach(function (p, k) {
      if (!k || !f.year || !p.years.length || (f.year >= p.years[0] && f.year <= p.years[1])) out.push(k);
    });
    return out.length ? out : [0];
  }
  // The parts these filters want that are not searched yet, newest first.
  function unsearched(f) {
    return wanted(f).filter(function (k) { return !merged[k]; });
  }
  // The next ``count`` parts not yet searched for these filters, merged at once; resolves to
  // false when none is left.
  function mergeNext(f, count) {
    if (!unsearched(f).length) return Promise.resolve(false);
    return inOrder(f).then(load).then(function (pf) {
      var next = unsearched(f).slice(0, count || 1);
      return Promise.all(next.map(function (k) {
        var p = parts[k];
        merged[k] = pf.mergeIndex(new URL("pagefind/" + p.path, root).pathname,
          { baseUrl: root.pathname, metaCacheTag: p.tag });
        return merged[k];
      })).then(function () { return true; }, function (e) {
        // A part that did not arrive stays in Pagefind, broken: start Pagefind afresh next time.
        return restart().then(function () { throw e; });
      });
    });
  }
  // Pagefind lists the results of its indexes in the order they were merged: when a part these
  // filters want is newer than one merged already (a year filter skipped it), Pagefind starts
  // afresh, so that results stay newest first.
  function inOrder(f) {
    var highest = Math.max.apply(null, Object.keys(merged).map(Number));
    var first = unsearched(f)[0];
    return first !== undefined && first < highest ? restart() : Promise.resolve();
  }
  function restart() {
    var old = pagefind;
    pagefind = null;
    merged = {0: Promise.resolve()};
    return old ? old.then(function (pf) { return pf.destroy(); }, function () {}) : Promise.resolve();
  }
  // The date from which every matter was searched, or "" when every part that may hold them
  // was: that of the last part before the first one not searched.
  function since(f) {
    var want = wanted(f);
    var i = 0;
    while (i < want.length && merged[want[i]]) i++;
    return i < want.length ? parts[want[i - 1]].since : "";
  }

  function say(text) {
    statusLine.textContent = text;
  }
  // While a search (or the next results) is under way, the list says so to screen readers.
  function busy(on) {
    if (on) list.setAttribute("aria-busy", "true");
    else list.removeAttribute("aria-busy");
  }

  function filters() {
    var out = {};
    selects.forEach(function (s) {
      if (s.value) out[s.getAttribute("data-cw-filter")] = s.value;
    });
    return out;
  }

  function remember(q, f) {
    var params = new URLSearchParams();
    if (q) params.set("q", q);
    Object.keys(f).forEach(function (k) { params.set(k, f[k]); });
    var qs = params.toString();
    history.replaceState(null, "", location.pathname + (qs ? "?" + qs : ""));
  }

  // --- what is typed, as the index holds it (builder/views/searchtext.py: the same rules) -------
  // Runs of Chinese characters, Latin letters and digits (with .-/: inside: 4.5米, 2025-001), read
  // as NFKC in lower case; a run is searched as the tokens of its overlapping pairs of characters,
  // in order, as one Pagefind phrase: a matter is found when its text holds the run.
  var C = "[\u3007\u3400-\u9fff\uf900-\ufaff\u{20000}-\u{323af}0-9a-z%]";
  var RUN = new RegExp(C + "+(?:[-./:]" + C + "+)*", "gu");
  var ASCII = "0123456789abcdefghijklmnopqrstuvwxyz%-./:";
  var B36 = "0123456789abcdefghijklmnopqrstuvwxyz";
  var MARK = "\u2042"; // starts the index text in a page's content

  function norm(text) {
    return text.normalize("NFKC").toLowerCase();
  }
  function runs(text) {
    var out = [];
    (norm(text).match(RUN) || []).forEach(function (r) {
      if (out.indexOf(r) < 0) out.push(r);
    });
    return out;
  }
  function code(ch) {
    var cp = ch.codePointAt(0);
    var n;
    if (cp >= 0x20000) {
      n = cp - 0x20000;
      return B36[Math.floor(n / 46656)] + B36[Math.floor(n / 1296) % 36] + B36[Math.floor(n / 36) % 36] + B36[n % 36];
    }
    if (cp >= 0x3400 && cp <= 0x9fff) n = cp - 0x3400;
    else if (cp === 0x3007) n = 27648;
    else if (cp < 128) n = 27649 + ASCII.indexOf(ch);
    else n = 27700 + cp - 0xf900;
    return B36[10 + Math.floor(n / 1296)] + B36[Math.floor(n / 36) % 36] + B36[n % 36];
  }
  function tokens(run) {
    var chars = Array.from(run);
    var out = [];
    for (var i = 0; i + 1 < chars.length; i++) out.push(code(chars[i]) + code(chars[i + 1]));
    return out;
  }

  // Text with each character's place in its normalised form, so that what is typed (read as
  // NFKC, lower case) is found and marked in the text as written.
  function indexed(text) {
    var chars = Array.from(text);
    var flat = "";
    var at = [];
    chars.forEach(function (ch, i) {
      var n = norm(ch);
      for (var k = 0; k < n.length; k++) at.push(i);
      flat += n;
    });
    at.push(chars.length);
    return { chars: chars, flat: flat, at: at };
  }
  // [start, end) of each place the words typed are in ``t``, in order.
  function spans(t, words) {
    var out = [];
    words.forEach(function (w) {
      for (var i = t.flat.indexOf(w); i >= 0; i = t.flat.indexOf(w, i + w.length)) {
        out.push([t.at[i], t.at[i + w.length - 1] + 1]);
      }
    });
    return out.sort(function (x, y) { return x[0] - y[0]; });
  }
  // Characters ``from`` to ``to`` of ``t`` into ``el``, the words typed in <mark> (text nodes and
  // elements, never HTML).
  function fill(el, t, found, from, to) {
    var pos = from;
    found.forEach(function (sp) {
      if (sp[0] < pos || sp[0] >= to) return;
      el.appendChild(document.createTextNode(t.chars.slice(pos, sp[0]).join("")));
      var mark = document.createElement("mark");
      mark.textContent = t.chars.slice(sp[0], Math.min(sp[1], to)).join("");
      el.appendChild(mark);
      pos = Math.min(sp[1], to);
    });
    el.appendChild(document.createTextNode(t.chars.slice(pos, Math.max(pos, to)).join("")));
    return el;
  }
  function marked(el, text, words) {
    var t = indexed(text);
    return fill(el, t, spans(t, words), 0, t.chars.length);
  }

  // The index text read back: each token is two characters, a run's tokens overlap by one
  // (道路 路硬 硬化 → 道路硬化), so the runs of the matter's own words come back, in order,
  // as the index read them (NFKC, lower case), a space between runs.
  function uncode(t, i) {
    if (t[i] >= "0" && t[i] <= "9") {
      return [String.fromCodePoint(0x20000 + parseInt(t.substr(i, 4), 36)), i + 4];
    }
    var n = (B36.indexOf(t[i]) - 10) * 1296 + B36.indexOf(t[i + 1]) * 36 + B36.indexOf(t[i + 2]);
    var cp = n < 27648 ? 0x3400 + n : n === 27648 ? 0x3007 : n < 27700 ? ASCII.charCodeAt(n - 27649) : 0xf900 + n - 27700;
    return [String.fromCodePoint(cp), i + 3];
  }
  function decoded(content) {
    var out = "";
    var last = null;
    (content.split(MARK)[1] || "").split(/[\s\u200b.]+/).forEach(function (t) {
      if (!/^[0-9a-z]{6,8}$/.test(t)) return;
      var first = uncode(t, 0);
      var second = uncode(t, first[1]);
      if (second[1] !== t.length) return;
      if (first[0] === last) out += second[0];
      else out += (out ? " " : "") + first[0] + second[0];
      last = second[0];
    });
    return out;
  }

  // The excerpt: some 50 characters of the matter's own words (after its number, village and
  // title, shown above) around the first place they hold a word typed, the words marked.
  var AROUND = 16;
  var WIDTH = 50;
  function excerpt(data, head, words) {
    var text = decoded(data.content || "");
    var t = indexed(text);
    var pos = 0; // past the runs of the number, village and title that start the index text
    runs(head).forEach(function (r) {
      if (t.flat.indexOf(r, pos) === pos) pos += r.length;
      while (t.flat[pos] === " ") pos++;
    });
    var skip = t.at[pos];
    var found = spans(t, words);
    var after = found.filter(function (sp) { return sp[0] >= skip; });
    var from = after.length ? Math.max(skip, after[0][0] - AROUND) : skip;
    if (t.chars[from] === " ") from++;
    var to = Math.min(t.chars.length, from + WIDTH);
    var span = document.createElement("span");
    span.className = "cw-item__excerpt";
    if (from > skip) span.appendChild(document.createTextNode("…"));
    fill(span, t, found, from, to);
    if (to < t.chars.length) span.appendChild(document.createTextNode("…"));
    return span;
  }

  function item(data, words) {
    var m = data.meta || {};
    var li = document.createElement("li");
    li.className = "cw-item";
    var a = document.createElement("a");
    a.className = "cw-item__link";
    a.href = data.url;
    var title = document.createElement("span");
    title.className = "cw-item__title";
    marked(title, m.title || data.url, words);
    a.appendChild(title);
    var meta = document.createElement("span");
    meta.className = "cw-item__meta";
    var badge = document.createElement("span");
    badge.className = "cw-badge cw-badge--" + (m.status_key || "");
    badge.textContent = m.status || "";
    meta.appendChild(badge);
    // The matter's number (the last part of its address), when it is what was typed.
    var number = (data.url.match(/([^/]+)\/?$/) || ["", ""])[1];
    var byNumber = words.some(function (w) { return norm(number).indexOf(w) >= 0; });
    [m.village, m.category, byNumber ? "编号 " + number : ""].forEach(function (text) {
      if (!text) return;
      meta.appendChild(marked(document.createElement("span"), text, words));
    });
    if (m.date) {
      var time = document.createElement("time");
      if (m.iso) time.setAttribute("datetime", m.iso);
      time.textContent = m.date;
      meta.appendChild(time);
    }
    a.appendChild(meta);
    if (words.length) a.appendChild(excerpt(data, [number, m.village, m.title].join(" "), words));
    li.appendChild(a);
    return li;
  }

  function showMore(mine) {
    var next = shown.slice(shownCount, shownCount + PAGE);
    shownCount += next.length;
    more.hidden = true;
    busy(true);
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
      if (mine !== seq) return;
      datas.forEach(function (d) { list.appendChild(item(d, shownWords)); });
      // Past the results found, the button looks in the older parts of the index, if any is left.
      var older = shownCount >= shown.length && since(asked.f);
      more.textContent = older ? EARLIER : MORE;
      more.hidden = shownCount >= shown.length && !older;
      busy(false);
    });
  }

  // One Pagefind phrase search per run typed. Matters holding every run come first, then those
  // holding some (most runs first); within each, Pagefind's order: newest first (a phrase found
  // scores the same everywhere, and pages are numbered newest first: builder/engine/pagefind_index.py).
  function find(pf, words, opts) {
    return Promise.all(words.map(function (w) {
      return pf.search('"' + tokens(w).join(" ") + '"', opts).then(function (res) { return res.results; });
    })).then(function (lists) {
      var byId = {};
      var order = [];
      lists.forEach(function (results) {
        results.forEach(function (r) {
          var hit = byId[r.id];
          if (!hit) {
            hit = byId[r.id] = { r: r, hits: 0, first: order.length };
            order.push(hit);
          }
          hit.hits += 1;
        });
      });
      return order.sort(function (a, b) { return b.hits - a.hits || a.first - b.first; });
    });
  }

  // A word found nowhere, in pairs of characters: 道路硬化 → 道路 硬化, 飞机场 → 飞机 机场.
  function pieces(words) {
    var out = [];
    words.forEach(function (w) {
      var chars = Array.from(w);
      if (chars.length < 3) {
        out.push(w);
        return;
      }
      for (var i = 0; i + 1 < chars.length; i += 2) out.push(chars[i] + chars[i + 1]);
      if (chars.length % 2) out.push(chars[chars.length - 2] + chars[chars.length - 1]);
    });
    return out.filter(function (w, i) { return out.indexOf(w) === i; });
  }

  // Matters found in the parts of the index searched so far: while fewer than ``want`` of them
  // hold every word and older parts may hold some, those parts are merged and searched too, as
  // long as search ``mine`` is the newest.
  function gather(words, f, want, mine, step) {
    step = step || 1;
    var searched = 0; // parts in the search below
    return inOrder(f).then(load).then(function (pf) {
      // Parts on their way for an earlier search are searched too, once they are here.
      var keys = Object.keys(merged);
      searched = keys.length;
      return Promise.all(keys.map(function (k) { return merged[k]; })).then(function () { return pf; });
    }).then(function (pf) {
      if (words.length) return find(pf, words, { filters: f });
      return pf.search(null, { filters: f }).then(function (res) {
        // Pages are numbered newest first (builder/engine/pagefind_index.py), the order of a search without words.
        return res.results.map(function (r) { return { r: r, hits: 0 }; });
      });
    }).then(function (hits) {
      var full = hits.filter(function (h) { return h.hits === words.length; }).length;
      // A newer search (the reader typed on) fetches what it needs itself.
      if (full >= want || mine !== seq) return hits;
      // Parts merged meanwhile for another search: search them before fetching more.
      if (Object.keys(merged).length > searched) return gather(words, f, want, mine, step);
      // One older part, then two at once, then four: a word found in few matters (or none)
      // waits for a few rounds of requests, not one round per part.
      return mergeNext(f, step).then(function (more) { return more ? gather(words, f, want, mine, step * 2) : hits; });
    });
  }

  // Matters holding what was typed; when none does, those holding its parts (道路硬化 → 道路, 硬化),
  // each marked with the words it was found by (``of``).
  function search(words, f, want) {
    var mine = seq;
    return gather(words, f, want, mine).then(function (hits) {
      var split = pieces(words);
      if (hits.length || split.length === words.length) return hits;
      return gather(split, f, want, mine).then(function (more) {
        return more.map(function (h) { return { r: h.r, hits: h.hits, of: split }; });
      });
    });
  }

  var asked = { words: [], f: {} }; // the search shown: words typed and filters
  function done(hits, words) {
    shown = hits.map(function (h) { return h.r; });
    shownWords = hits.length && hits[0].of ? hits[0].of : words;
    shownCount = 0;
    // What was found, for benchmarks/search.py (result ids and how many runs each holds).
    form.cunwuFound = hits.map(function (h) { return [h.r.id, h.hits]; });
    list.textContent = "";
    more.hidden = true;
  }

  // The status line for ``hits`` of ``words`` under the filters ``f``: how many, and from which
  // date, while older parts of the index are not searched yet.
  function tell(hits, words, f) {
    var from = since(f);
    var upto = from ? "（" + from + "以来）" : "";
    if (hits.length && hits[0].of) {
      var split = hits[0].of;
      var all = hits.filter(function (h) { return h.hits === split.length; }).length;
      say("没有找到含“" + words.join(" ") + "”的事项；以下 " + hits.length + " 件" + upto + "含有其中部分词语"
        + (all ? "（前 " + all + " 件含有“" + split.join("”“") + "”）" : ""));
      return;
    }
    var full = hits.filter(function (h) { return h.hits === words.length; }).length;
    if (!words.length) say("共 " + hits.length + " 件事项" + upto);
    else if (full === hits.length) say("找到 " + full + " 件事项" + upto);
    else if (full) say("找到 " + full + " 件事项" + upto + "，另有 " + (hits.length - full) + " 件含有其中部分词语");
    else say("没有同时含有这些词的事项；以下 " + hits.length + " 件" + upto + "含有其中部分词语");
  }

  // A part or chunk of the index that did not arrive (a lost connection): say so, never spin.
  function offline(mine) {
    return function () {
      if (mine !== seq) return;
      say(OFFLINE);
      busy(false);
    };
  }

  function run() {
    var q = input.value.trim();
    var f = filters();
    var mine = ++seq;
    var lostBefore = lost;
    remember(q, f);
    var typed = runs(q);
    var words = typed.filter(function (w) { return Array.from(w).length > 1; });
    asked = { words: words, f: f };
    offer.hidden = true;
    if (!words.length && (typed.length || !Object.keys(f).length)) {
      done([], []);
      busy(false);
      // One character is found in too many matters to mean anything, and the index holds pairs.
      say(typed.length ? "请至少输入两个字，例如“道路”“补偿”；也可以用下面的筛选。" : "");
      return Promise.resolve();
    }
    say("正在搜索…");
    busy(true);
    return search(words, f, PAGE).then(function (hits) {
      if (mine !== seq || !hits) return;
      done(hits, words);
      if (!hits.length) {
        busy(false);
        if (lost > lostBefore) say(OFFLINE);
        else {
          say(words.length ? "没有找到含“" + words.join(" ") + "”的事项。可以换一个词，或减少筛选条件。"
            : "没有符合条件的事项。");
          offer.hidden = false;
        }
        return;
      }
      tell(hits, words, f);
      return showMore(mine);
    }).catch(offline(mine));
  }

  // The results shown are all there are in the parts searched: search the next older part too,
  // keeping those shown in their places and adding the others after them.
  function earlier() {
    var mine = seq;
    var q = asked;
    more.hidden = true;
    busy(true);
    say("正在查找更早的事项…");
    return mergeNext(q.f).then(function () {
      return search(q.words, q.f, shown.length + PAGE);
    }).then(function (hits) {
      if (mine !== seq) return;
      var seen = {};
      shown.slice(0, shownCount).forEach(function (r) { seen[r.id] = true; });
      var kept = shown.slice(0, shownCount);
      shown = kept.concat(hits.filter(function (h) { return !seen[h.r.id]; }).map(function (h) { return h.r; }));
      form.cunwuFound = hits.map(function (h) { return [h.r.id, h.hits]; });
      tell(hits, q.words, q.f);
      return showMore(mine);
    }).catch(offline(mine));
  }

  var timer = null;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(run, 150);
  }

  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  selects.forEach(function (s) {
    var v = params.get(s.getAttribute("data-cw-filter"));
    if (v && s.querySelector('option[value="' + CSS.escape(v) + '"]')) s.value = v;
  });
  form.hidden = false;

  input.addEventListener("input", soon);
  selects.forEach(function (s) { s.addEventListener("change", run); });
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    clearTimeout(timer);
    input.blur(); // closes the phone keyboard so the results show
    run();
  });
  more.addEventListener("click", function () {
    if (shownCount < shown.length) showMore(seq);
    else earlier();
  });

  load(); // start fetching pagefind.js and its WebAssembly while the reader types
  if (input.value || Object.keys(filters()).length) run();
  else if (!("ontouchstart" in window)) input.focus();
})();
