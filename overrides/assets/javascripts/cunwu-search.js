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
  var selects = Array.prototype.slice.call(form.querySelectorAll("[data-cw-filter]"));
  var PAGE = 10;
  var root = new URL(form.getAttribute("data-root").replace(/\/?$/, "/"), location.href);
  var pagefind = null;
  var seq = 0;
  var shown = [];
  var shownCount = 0;

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
      });
    }
    return pagefind;
  }

  function say(text) {
    statusLine.textContent = text;
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

  function excerpt(html) {
    // Pagefind's excerpt is text with <mark> around the words found; keep only that markup.
    var span = document.createElement("span");
    span.className = "cw-item__excerpt";
    var body = new DOMParser().parseFromString(html, "text/html").body;
    Array.prototype.forEach.call(body.childNodes, function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        span.appendChild(mark);
      } else {
        span.appendChild(document.createTextNode(node.textContent));
      }
    });
    return span;
  }

  function item(data) {
    var m = data.meta || {};
    var li = document.createElement("li");
    li.className = "cw-item";
    var a = document.createElement("a");
    a.className = "cw-item__link";
    a.href = data.url;
    var title = document.createElement("span");
    title.className = "cw-item__title";
    title.textContent = m.title || data.url;
    a.appendChild(title);
    var meta = document.createElement("span");
    meta.className = "cw-item__meta";
    var badge = document.createElement("span");
    badge.className = "cw-badge cw-badge--" + (m.status_key || "");
    badge.textContent = m.status || "";
    meta.appendChild(badge);
    [m.village, m.category].forEach(function (text) {
      if (!text) return;
      var span = document.createElement("span");
      span.textContent = text;
      meta.appendChild(span);
    });
    if (m.date) {
      var time = document.createElement("time");
      if (m.iso) time.setAttribute("datetime", m.iso);
      time.textContent = m.date;
      meta.appendChild(time);
    }
    a.appendChild(meta);
    if (data.excerpt && input.value.trim()) a.appendChild(excerpt(data.excerpt));
    li.appendChild(a);
    return li;
  }

  function showMore(mine) {
    var next = shown.slice(shownCount, shownCount + PAGE);
    shownCount += next.length;
    more.hidden = true;
    return Promise.all(next.map(function (r) { return r.data(); })).then(function (datas) {
      if (mine !== seq) return;
      datas.forEach(function (d) { list.appendChild(item(d)); });
      more.hidden = shownCount >= shown.length;
    });
  }

  // Village names typed in the box become the village filter: Pagefind's index splits Chinese with
  // jieba (东柳村 is one word) but the browser splits the query with ICU (东 / 柳村), so the words
  // would not meet. Longest names first, so that 东柳村 is not taken for a shorter 柳村.
  var villages = Array.prototype.slice.call(form.querySelectorAll("[data-cw-filter=village] option[data-name]"))
    .map(function (o) { return { id: o.value, name: o.getAttribute("data-name") }; })
    .sort(function (a, b) { return b.name.length - a.name.length; });

  function parse(q) {
    var ids = [];
    var text = q;
    villages.forEach(function (v) {
      if (v.name.length > 1 && text.indexOf(v.name) >= 0) {
        ids.push(v.id);
        text = text.split(v.name).join(" ");
      }
    });
    return { text: text.replace(/\s+/g, " ").trim(), villages: ids };
  }

  function words(text) {
    if (typeof Intl === "undefined" || !Intl.Segmenter) return text.split(" ").filter(Boolean);
    var out = [];
    var seg = new Intl.Segmenter("zh", { granularity: "word" }).segment(text);
    for (var it = seg[Symbol.iterator](), s = it.next(); !s.done; s = it.next()) {
      if (s.value.isWordLike && out.indexOf(s.value.segment) < 0) out.push(s.value.segment);
    }
    return out;
  }

  // One Pagefind search per word, so that a matter with only some of the words is still found
  // (道路硬化 finds 水泥硬化 of a road). When no word of the index begins with the word typed,
  // Pagefind answers for the longest index word it begins with (机场 → 机): then the best result
  // lacks the word. In that case the word is looked up character by character (柳村 → 柳 村,
  // which also finds it inside a longer index word such as 东柳村), and of the best matches only
  // those whose text holds the word are kept. Otherwise every result holds it: no check needed.
  var CHECK = 20;
  function holds(data, word) {
    // Pagefind's text marks its word breaks with zero-width spaces: ignore them and white space.
    return (data.content || "").replace(/[\s\u200b]+/g, "").indexOf(word) >= 0;
  }
  function checked(results, word) {
    var top = results.slice(0, CHECK);
    return Promise.all(top.map(function (x) { return x.data(); })).then(function (datas) {
      return top.filter(function (x, i) { return holds(datas[i], word); });
    });
  }
  function han(word) {
    return Array.from(word).length > 1 && /[\u3400-\u9fff]/.test(word);
  }
  function searchWord(pf, word, opts) {
    var chars = Array.from(word);
    return pf.search(word, opts).then(function (res) {
      if (!han(word)) return res.results;
      var first = res.results[0];
      return (first ? first.data() : Promise.resolve(null)).then(function (data) {
        if (data && holds(data, word)) return res.results;
        return pf.search(chars.join(" "), opts).then(function (r) {
          var seen = {};
          var pool = r.results.concat(res.results).filter(function (x) {
            return seen[x.id] ? false : (seen[x.id] = true);
          });
          return checked(pool, word);
        });
      });
    });
  }

  // Matters with every word first, then those with some of them; a matter that shares only one
  // character with the query (场 of 飞机场 in 广场) is not worth showing.
  function ranked(lists, terms) {
    var byId = {};
    var order = [];
    lists.forEach(function (results, t) {
      results.forEach(function (r) {
        var hit = byId[r.id];
        if (!hit) {
          hit = byId[r.id] = { r: r, hits: 0, chars: 0, score: 0 };
          order.push(hit);
        }
        hit.hits += 1;
        hit.chars += Array.from(terms[t]).length;
        hit.score += r.score;
      });
    });
    return order.filter(function (h) { return h.hits === terms.length || h.chars > 1; })
      .sort(function (a, b) { return b.hits - a.hits || b.score - a.score; });
  }

  // First one Pagefind search with every word: it keeps the matters that have them all, and on a
  // large site that is enough (one search is far less work on a slow phone than one per word).
  // Its answer is taken when its best result really holds each word and there is a page of them;
  // otherwise each word is searched on its own, and matters with some of the words follow.
  function find(pf, terms, opts) {
    return pf.search(terms.join(" "), opts).then(function (res) {
      var first = res.results[0];
      return (first ? first.data() : Promise.resolve(null)).then(function (data) {
        var trusted = !!data && terms.every(function (w) { return !han(w) || holds(data, w); });
        var all = trusted ? res.results.map(function (r) { return { r: r, hits: terms.length }; }) : [];
        if (trusted && (all.length >= PAGE || terms.length === 1)) return all;
        return Promise.all(terms.map(function (w) { return searchWord(pf, w, opts); })).then(function (lists) {
          var each = ranked(lists, terms);
          if (!trusted) return each;
          var seen = {};
          all.forEach(function (h) { seen[h.r.id] = true; });
          return all.concat(each.filter(function (h) { return !seen[h.r.id] && h.hits < terms.length; }));
        });
      });
    });
  }

  function run() {
    var q = input.value.trim();
    var f = filters();
    var mine = ++seq;
    var lostBefore = lost;
    remember(q, f);
    var parsed = parse(q);
    if (parsed.villages.length) {
      var chosen = f.village;
      f.village = chosen ? (parsed.villages.indexOf(chosen) >= 0 ? chosen : { all: [chosen].concat(parsed.villages) })
        : { any: parsed.villages };
    }
    var terms = words(parsed.text);
    if (!terms.length && !Object.keys(f).length) {
      list.textContent = "";
      more.hidden = true;
      say("");
      return Promise.resolve();
    }
    say("正在搜索…");
    return load().then(function (pf) {
      if (!terms.length) {
        // Pages are numbered newest first (builder/search.py), the order of a search without words.
        return pf.search(null, { filters: f }).then(function (res) {
          return res.results.map(function (r) { return { r: r, hits: 0 }; });
        });
      }
      return find(pf, terms, { filters: f });
    }).then(function (hits) {
      if (mine !== seq || !hits) return;
      shown = hits.map(function (h) { return h.r; });
      shownCount = 0;
      list.textContent = "";
      more.hidden = true;
      var full = hits.filter(function (h) { return h.hits === terms.length; }).length;
      if (!hits.length) {
        if (lost > lostBefore) say(OFFLINE);
        else say(terms.length ? "没有找到含“" + parsed.text + "”的事项。可以换一个更短的词，或减少筛选条件。"
          : "没有符合条件的事项。");
        return;
      }
      if (!terms.length) say("共 " + hits.length + " 件事项");
      else if (full === hits.length) say("找到 " + full + " 件事项");
      else if (full) say("找到 " + full + " 件事项，另有 " + (hits.length - full) + " 件含有其中部分词语");
      else say("没有同时含有这些词的事项；以下 " + hits.length + " 件含有其中部分词语");
      return showMore(mine);
    }).catch(function () {
      // A chunk of the index that did not arrive (a lost connection): say so, never spin.
      if (mine === seq) say(OFFLINE);
    });
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
  more.addEventListener("click", function () { showMore(seq); });

  load(); // start fetching pagefind.js and its WebAssembly while the reader types
  if (input.value || Object.keys(filters()).length) run();
  else if (!("ontouchstart" in window)) input.focus();
})();
