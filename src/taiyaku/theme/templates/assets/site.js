// taiyaku's reading aids: the remembered language, the reading position across a language switch, and search.
// Everything works without this script; it only adds.

// The site's root URL, from this script's own address (assets/site.HASH.js): pages at any depth, any server
// path, or opened from disk agree on it.
var taiyakuRoot = (function () {
  var script = document.currentScript;
  return script ? script.src.replace(/assets\/[^\/]*$/, "") : "";
})();

// Remember the reader's language choice. No redirect by browser language: only a choice the reader made on this
// site (by opening a language's pages) sends the language chooser onward; "?choose" stays.
(function () {
  var key = "taiyaku.lang";
  var root = document.documentElement;
  try {
    if (root.hasAttribute("data-chooser")) {
      var saved = window.localStorage.getItem(key);
      // The language's own link on this page: it knows the URL style (index.html from disk, any sub-path).
      var link = saved && document.querySelector('.chooser a[data-lang="' + saved + '"]');
      if (link && location.search.indexOf("choose") < 0) location.replace(link.href);
    } else if (root.getAttribute("data-lang")) {
      window.localStorage.setItem(key, root.getAttribute("data-lang"));
    }
  } catch (e) { /* storage disabled: nothing to remember */ }
})();

// Keep the reader's place across a language switch. Section ids are positional, the same in every language, so
// the other language's page opens at the section being read: the one in the address if it is on screen, else
// the nearest section heading above the top of the text (scrolling never changes the address). The header is
// sticky, so the switch is in reach wherever the reader is.
(function () {
  var SLACK = 8;  // px: a heading just scrolled to (its top at the header's edge, give or take) counts as "here"

  function textTop() {
    var header = document.querySelector(".site-header");
    return header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  }

  function onScreen(element, top) {
    var box = element.getBoundingClientRect();
    return box.bottom > top && box.top < window.innerHeight;
  }

  function currentSection() {
    var top = textTop();
    var hashTarget = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (hashTarget && onScreen(hashTarget, top)) return hashTarget.id;
    var found = "";
    var sections = document.querySelectorAll("main [id^='sec-']");
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getBoundingClientRect().top > top + SLACK) break;
      found = sections[i].id;
    }
    return found;
  }

  function carryPlace(event) {
    var link = event.target.closest && event.target.closest(".languages a[hreflang]");
    if (!link) return;
    var section = currentSection();
    link.hash = section ? "#" + section : "";
  }
  document.addEventListener("click", carryPlace);
  document.addEventListener("auxclick", carryPlace);  // a middle click opens the same place in a new tab
})();

// A table wider than its column scrolls in its box (div.table-scroll): then the box takes the keyboard focus, so
// arrow keys scroll it too, and is named by the table's caption. A box that does not scroll stays out of the tab
// order.
(function () {
  var boxes = document.querySelectorAll(".table-scroll");
  if (!boxes.length) return;
  function mark() {
    boxes.forEach(function (box) {
      if (box.scrollWidth > box.clientWidth + 1) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        if (caption) {  // (a region needs a name; without a caption the table's own cells name it to a reader)
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", caption.textContent.trim());
        }
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  mark();
  var pending = 0;
  window.addEventListener("resize", function () {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(mark);
  });
})();

// Search with Pagefind's index (html/pagefind/, one index per language, chosen by the html element's lang): results are
// the same language's pages, matched words marked. Opened from disk the browser refuses Pagefind (module scripts
// and fetch need http), so the site searches its plain-text index instead (pagefind/disk-LANG.js, loaded by a
// script element, which works from disk): every word of the query must occur; Latin words match from a word's
// start, Japanese anywhere, as it is written without spaces.
function taiyakuDiskSearch(lang) {
  var pending = null;
  var WINDOW = 60;  // characters of context before the first match in an excerpt

  function pages() {
    if (!pending) {
      pending = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = taiyakuRoot + "pagefind/disk-" + lang + ".js";
        script.onload = function () {
          var found = window.taiyakuDiskIndex && window.taiyakuDiskIndex[lang];
          if (found) resolve(found); else reject(new Error("no index for " + lang));
        };
        script.onerror = function () { reject(new Error("no index for " + lang)); };
        document.head.appendChild(script);
      });
    }
    return pending;
  }

  function positions(text, term) {
    var found = [];
    var latin = /^[a-z0-9]/.test(term);
    var at = text.indexOf(term);
    while (at >= 0) {
      if (!latin || at === 0 || !/[a-z0-9]/.test(text.charAt(at - 1))) found.push(at);
      at = text.indexOf(term, at + term.length);
    }
    return found;
  }

  function escape(text) {
    return text.replace(/[&<>]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;" }[c]; });
  }

  // Pagefind's excerpt form: text with mark elements around each match, a line or two around the first. Japanese
  // carries more per character, so its window is narrower.
  function excerpt(text, lower, terms, first) {
    var latin = /^[a-z0-9]/.test(terms[0] || "");
    var before = latin ? 50 : 24, length = latin ? 170 : 90;
    var start = Math.max(0, first - before);
    if (latin && start > 0) {  // from a word's start
      var space = text.indexOf(" ", start);
      if (space >= 0 && space < first) start = space + 1;
    }
    var end = Math.min(text.length, start + length);
    var marks = [];
    terms.forEach(function (term) {
      positions(lower.slice(start, end), term).forEach(function (at) { marks.push([start + at, start + at + term.length]); });
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var html = start > 0 ? "…" : "";
    var at = start;
    marks.forEach(function (mark) {
      if (mark[0] < at) return;
      html += escape(text.slice(at, mark[0])) + "\u003cmark>" + escape(text.slice(mark[0], Math.min(mark[1], end))) + "\u003c/mark>";
      at = Math.min(mark[1], end);
    });
    return html + escape(text.slice(at, end)) + (end < text.length ? "…" : "");
  }

  function fold(text) {
    var folded = text.normalize("NFKC").toLowerCase();
    return folded.length === text.length ? folded : text.toLowerCase();
  }

  function search(query) {
    var terms = query.normalize("NFKC").toLowerCase().split(/\s+/).filter(Boolean);
    return pages().then(function (all) {
      var results = [];
      all.forEach(function (page, order) {
        var text = page[2];
        // The query is NFKC-folded (an IME's ＮＡＴＯ or ２０２２ is NATO, 2022): so is the text, where folding keeps
        // every character in place (full-width letters and digits do), so the marks stay where the matches are.
        var lower = fold(text);
        if (lower.length !== text.length) lower = text;  // (a case mapping that changes lengths: match as written)
        var title = fold(page[1]);
        var score = 0, first = -1;
        for (var i = 0; i < terms.length; i++) {
          var found = positions(lower, terms[i]);
          var inTitle = positions(title, terms[i]).length;
          if (!found.length && !inTitle) return;
          score += found.length + 10 * inTitle;
          if (found.length && (first < 0 || found[0] < first)) first = found[0];
        }
        if (first < 0) first = 0;  // found in the title only
        // The result opens at the section of the first match (the last heading before it), as Pagefind's do.
        var anchor = "";
        (page[3] || []).forEach(function (section) { if (section[0] <= first) anchor = "#" + section[1]; });
        results.push({ score: score, order: order, data: { url: taiyakuRoot + page[0] + anchor, meta: { title: page[1] },
                                                           excerpt: excerpt(text, lower, terms, first) } });
      });
      results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
      return { results: results.map(function (r) { return { data: function () { return Promise.resolve(r.data); } }; }) };
    });
  }

  return { ready: function () { return pages().then(function () { return { search: search }; }); } };
}

(function () {
  var box = document.querySelector(".site-search");
  if (!box || !taiyakuRoot) return;
  var input = box.querySelector("input[type=search]");
  var panel = box.querySelector(".site-search-panel");
  var status = box.querySelector(".site-search-status");
  var list = box.querySelector(".site-search-results");
  var MAX_RESULTS = 8;
  var pagefind = null;
  var indexVersion = 0;
  var latest = 0;
  box.hidden = false;
  // `taiyaku serve` says when it has a new index (made after the page was reloaded): the next search loads it,
  // as a module of its own (a new URL), since a module once imported keeps the index it loaded.
  document.addEventListener("taiyaku:search-index", function () { pagefind = null; indexVersion++; });

  function say(message, query) {
    panel.hidden = false;
    status.textContent = (message || "").replace("{query}", query || "");
  }

  function load() {
    if (!pagefind) {
      var lang = document.documentElement.getAttribute("lang") || "";
      var viaPagefind = location.protocol === "file:" ? Promise.reject(new Error("opened from disk")) :
        import(taiyakuRoot + "pagefind/pagefind.js" + (indexVersion ? "?v=" + indexVersion : "")).then(function (module) {
          // Result URLs are site paths ("/ja/x/index.html"): made absolute from the root this page was served at.
          return module.options({ baseUrl: new URL(taiyakuRoot).pathname }).then(function () { return module; });
        });
      pagefind = viaPagefind.catch(function () { return taiyakuDiskSearch(lang).ready(); });
    }
    return pagefind;
  }

  // Pagefind's result opens at the section it matched in: of its sub-results (one per heading with an id), the one
  // with the most matches, with its own excerpt. Its excerpts are cut out of the text without a mark of the cut:
  // an ellipsis where text goes on before or after (the index from disk writes its own).
  function located(data) {
    var best = null;
    (data.sub_results || []).forEach(function (sub) {
      if (sub.url && (!best || (sub.locations || []).length > (best.locations || []).length)) best = sub;
    });
    var chosen = best ? { url: best.url, meta: data.meta, excerpt: best.excerpt || data.excerpt } : data;
    if (typeof data.content !== "string" || !chosen.excerpt) return chosen;
    var plain = new DOMParser().parseFromString(chosen.excerpt, "text/html").body.textContent.trim();
    var content = data.content.replace(/\s+/g, " ").trim();
    var at = content.indexOf(plain.replace(/\s+/g, " "));
    var html = (at === 0 ? "" : "…") + chosen.excerpt + (at >= 0 && at + plain.length >= content.length ? "" : "…");
    return { url: chosen.url, meta: chosen.meta, excerpt: html };
  }

  // An excerpt is text with mark elements around the matches: copied as text and marks only.
  function excerpt(html) {
    var holder = document.createElement("p");
    holder.className = "site-search-excerpt";
    var parsed = new DOMParser().parseFromString(html, "text/html").body;
    parsed.childNodes.forEach(function (node) {
      if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        holder.appendChild(mark);
      } else {
        holder.appendChild(document.createTextNode(node.textContent));
      }
    });
    return holder;
  }

  function show(query, results) {
    list.textContent = "";
    say(results.length ? box.dataset.results : box.dataset.noResults, query);
    results.forEach(function (found) {
      var data = located(found);
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = data.url;
      link.textContent = (data.meta && data.meta.title) || data.url;
      item.appendChild(link);
      item.appendChild(excerpt(data.excerpt || ""));
      list.appendChild(item);
    });
  }

  function search() {
    var query = input.value.trim();
    var ticket = ++latest;
    if (!query) {
      list.textContent = "";
      panel.hidden = true;
      return;
    }
    say(box.dataset.searching);
    load().then(function (module) {
      return module.search(query);
    }).then(function (found) {
      if (ticket !== latest) return null;
      return Promise.all(found.results.slice(0, MAX_RESULTS).map(function (r) { return r.data(); }));
    }).then(function (results) {
      if (results && ticket === latest) show(query, results);
    }).catch(function () {
      if (ticket === latest) say(box.dataset.unavailable);
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(search, 150);
  });
  input.addEventListener("focus", function () { load().catch(function () {}); });
  // Keyboard: Enter opens the first result, the arrows move between the field and the results, Escape closes.
  input.addEventListener("keydown", function (event) {
    var first = list.querySelector("a");
    if (event.key === "Escape") {
      input.value = "";
      search();
    } else if (event.key === "Enter" && first) {
      first.click();
    } else if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    }
  });
  list.addEventListener("keydown", function (event) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var at = links.indexOf(document.activeElement);
    if (at < 0) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      var next = at + (event.key === "ArrowDown" ? 1 : -1);
      (next < 0 ? input : links[Math.min(next, links.length - 1)]).focus();
    } else if (event.key === "Escape") {
      input.focus();  // (which shows the panel again when the field holds a query)
      panel.hidden = true;
    }
  });
  document.addEventListener("click", function (event) {
    if (!box.contains(event.target)) panel.hidden = true;
  });
  input.addEventListener("focus", function () { if (input.value.trim()) panel.hidden = false; });
})();
