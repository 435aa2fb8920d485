// taiyaku: remember the reader's language choice. No redirect by browser language: only a choice the reader
// made on this site (by opening a language's pages) sends the language chooser onward; "?choose" stays.
(function () {
  var key = "taiyaku.lang";
  var root = document.documentElement;
  try {
    if (root.hasAttribute("data-chooser")) {
      var saved = window.localStorage.getItem(key);
      if (saved && location.search.indexOf("choose") < 0 && document.querySelector('a[data-lang="' + saved + '"]')) {
        location.replace(saved + "/");
      }
    } else if (root.getAttribute("data-lang")) {
      window.localStorage.setItem(key, root.getAttribute("data-lang"));
    }
  } catch (e) { /* storage disabled: nothing to remember */ }
})();

// Keep the reader's place across a language switch: section and note ids are the same in every language, so the
// other language's page opens at the section in the address (#sec-2, #fn:3).
(function () {
  function carryHash(event) {
    var link = event.target.closest && event.target.closest(".languages a[hreflang]");
    if (link && location.hash) link.hash = location.hash;
  }
  document.addEventListener("click", carryHash);
  document.addEventListener("auxclick", carryHash);  // a middle click opens the same place in a new tab
})();
