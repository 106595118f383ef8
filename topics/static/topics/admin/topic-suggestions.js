// Topic suggestions in the topics field, a text box of comma-separated names.
// As the writer types the last name, approved topics matching it (and aliases, with
// the topic each leads to) are listed under the field, following the WAI-ARIA
// combobox pattern: Down and Up move through the list, Enter or a click chooses,
// Escape closes. Choosing completes the name being typed. Without JavaScript the
// field is the same text box, without suggestions; new names still become proposals.
(function () {
  "use strict";
  if (!window.fetch || !window.AbortController) {
    return;
  }
  const MIN_LENGTH = 2; // the server suggests nothing for less
  const DELAY = 150; // milliseconds of quiet before asking

  // The names of the text as typed: split at commas outside double quotes, as
  // django-taggit reads them. The last one is the name being typed.
  function segments(value) {
    const found = [];
    let quoted = false;
    let start = 0;
    for (let i = 0; i < value.length; i += 1) {
      if (value[i] === '"') {
        quoted = !quoted;
      } else if (value[i] === "," && !quoted) {
        found.push(value.slice(start, i));
        start = i + 1;
      }
    }
    found.push(value.slice(start));
    return found;
  }

  function bare(segment) {
    return segment.trim().replace(/^"|"$/g, "").trim();
  }

  // As django-taggit writes names: quoted when they hold a space or a comma.
  function quoted(name) {
    return /[ ,]/.test(name) ? '"' + name + '"' : name;
  }

  function enhance(input) {
    const url = input.dataset.suggestionsUrl;
    const list = document.createElement("ul");
    list.id = (input.id || "topics") + "-suggestions";
    list.className = "topic-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Suggested topics");
    list.hidden = true;
    const status = document.createElement("span");
    status.className = "topic-suggestions-status";
    status.setAttribute("role", "status");
    input.after(list, status);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("autocomplete", "off");

    const answers = new Map(); // term -> suggestions, for this page
    let shown = [];
    let active = -1;
    let timer = 0;
    let request = null;

    function highlight(index) {
      const items = list.children;
      if (active >= 0 && items[active]) {
        items[active].setAttribute("aria-selected", "false");
      }
      active = index;
      if (active >= 0) {
        items[active].setAttribute("aria-selected", "true");
        items[active].scrollIntoView({ block: "nearest" });
        input.setAttribute("aria-activedescendant", items[active].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function option(suggestion, index) {
      const item = document.createElement("li");
      item.id = list.id + "-" + index;
      item.setAttribute("role", "option");
      item.setAttribute("aria-selected", "false");
      if (suggestion.alias) {
        const topic = document.createElement("span");
        topic.className = "topic-suggestion-topic";
        topic.textContent = "→ " + suggestion.name;
        item.append(suggestion.alias + " ", topic);
        item.setAttribute("aria-label", suggestion.alias + ", another name for " + suggestion.name);
      } else {
        item.textContent = suggestion.name;
      }
      return item;
    }

    function show(suggestions) {
      shown = suggestions;
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.replaceChildren(...suggestions.map(option));
      const open = suggestions.length > 0;
      if (open) {
        list.style.left = input.offsetLeft + "px";
        list.style.top = input.offsetTop + input.offsetHeight + "px";
        list.style.minWidth = input.offsetWidth + "px";
      }
      list.hidden = !open;
      input.setAttribute("aria-expanded", String(open));
      status.textContent = open
        ? suggestions.length + (suggestions.length === 1 ? " topic" : " topics") + " suggested"
        : "";
    }

    function close() {
      show([]);
    }

    function choose(index) {
      const parts = segments(input.value);
      const before = parts.slice(0, -1).join(",");
      input.value = (before ? before + ", " : "") + quoted(shown[index].name) + ", ";
      input.setSelectionRange(input.value.length, input.value.length);
      close();
    }

    function typed() {
      const parts = segments(input.value);
      return bare(parts[parts.length - 1]);
    }

    function lookup() {
      const parts = segments(input.value);
      const term = typed();
      const taken = new Set(parts.slice(0, -1).map((part) => bare(part).toLowerCase()));
      const fresh = (suggestions) =>
        suggestions.filter((suggestion) => !taken.has(suggestion.name.toLowerCase()));
      if (request) {
        request.abort();
        request = null;
      }
      if (term.length < MIN_LENGTH) {
        close();
      } else if (answers.has(term)) {
        show(fresh(answers.get(term)));
      } else {
        request = new AbortController();
        fetch(url + "?" + new URLSearchParams({ q: term }), {
          credentials: "same-origin",
          headers: { Accept: "application/json" },
          signal: request.signal,
        })
          .then((response) => (response.ok ? response.json() : { results: [] }))
          .then((data) => {
            answers.set(term, data.results);
            // Unless the writer has typed on or left the field meanwhile.
            if (typed() === term && document.activeElement === input) {
              show(fresh(data.results));
            }
          })
          .catch(() => {});
      }
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(lookup, DELAY);
    });
    input.addEventListener("keydown", function (event) {
      const open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) {
          highlight((active + 1) % shown.length);
        } else {
          lookup();
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active <= 0 ? shown.length - 1 : active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        // Complete the name; the form is not sent.
        event.preventDefault();
        choose(active);
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", close);
    // Keep the focus in the field while a suggestion is clicked.
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", function (event) {
      const item = event.target.closest("[role=option]");
      if (item) {
        choose(Array.prototype.indexOf.call(list.children, item));
      }
    });
  }

  function start() {
    document.querySelectorAll("input[data-suggestions-url]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
