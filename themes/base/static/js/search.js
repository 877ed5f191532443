// Autocomplete for the search box: titles from /search/suggest/, keyboard friendly.
(function () {
  const input = document.getElementById("search-q");
  const list = document.getElementById("search-suggestions");
  if (!input || !list) return;
  let timer = null;
  let active = -1;
  let controller = null;

  function close() { list.hidden = true; list.innerHTML = ""; active = -1; input.setAttribute("aria-expanded", "false"); }

  function show(items) {
    list.innerHTML = "";
    items.forEach(function (item, index) {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.id = "search-suggestion-" + index;
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      const kind = document.createElement("span");
      kind.className = "search-suggestions__type";
      kind.textContent = item.type;
      link.appendChild(kind);
      li.appendChild(link);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    const text = input.value.trim();
    if (text.length < 2) { close(); return; }
    timer = setTimeout(function () {
      if (controller) controller.abort();
      controller = new AbortController();
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(text), { signal: controller.signal })
        .then(function (r) { return r.ok ? r.json() : { results: [] }; })
        .then(function (data) { show(data.results || []); })
        .catch(function () {});
    }, 150);
  });

  input.addEventListener("keydown", function (event) {
    const options = list.querySelectorAll("a");
    if (list.hidden || !options.length) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      active = (active + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
      options.forEach(function (o, i) { o.parentElement.classList.toggle("is-active", i === active); });
      options[active].parentElement.scrollIntoView({ block: "nearest" });
      input.setAttribute("aria-activedescendant", "search-suggestion-" + active);
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      window.location = options[active].href;
    } else if (event.key === "Escape") {
      close();
    }
  });

  document.addEventListener("click", function (event) { if (!list.contains(event.target) && event.target !== input) close(); });
})();
