// The story's writing screen: a live word count under the body, accessible names for
// the widgets that the admin and its libraries leave unnamed, and Ctrl/Cmd+S to save
// and keep editing. Loaded in the page's <head>; the Content-Security-Policy allows no
// inline script, so everything is wired up here.
(function () {
  "use strict";

  // Letters or digits, with inner apostrophes and hyphens: "don't" and "well-known"
  // are one word each, a dash between spaces is none.
  const WORD = /[\p{L}\p{N}]+(?:['’-][\p{L}\p{N}]+)*/gu;

  function countWords(text) {
    const words = text.match(WORD);
    return words ? words.length : 0;
  }

  // The wording comes translated from the server, one form per plural category of the
  // page's language, on the body's textarea (`word_count_forms` in articles/admin_forms.py).
  function describeCount(count, textarea) {
    const lang = document.documentElement.lang || undefined;
    const category = new Intl.PluralRules(lang).select(count);
    const forms = textarea.dataset;
    const key = "wordCount" + category.charAt(0).toUpperCase() + category.slice(1);
    const wording = forms[key] || forms.wordCountOther || "{count}";
    return wording.replace("{count}", count.toLocaleString(lang));
  }

  // The <label> of a form control, given an id so that other elements can point at it.
  function labelOf(control) {
    if (!control.id) {
      return null;
    }
    const label = document.querySelector('label[for="' + control.id + '"]');
    if (label && !label.id) {
      label.id = control.id + "_label";
    }
    return label;
  }

  // The prose editor's writing area (a contenteditable textbox) is named by the
  // Body label and described by its help text, as its textarea was.
  function nameEditor(editor, textarea) {
    const area = editor.view.dom;
    const label = labelOf(textarea);
    if (label) {
      area.setAttribute("aria-labelledby", label.id);
    }
    const help = textarea.getAttribute("aria-describedby");
    if (help) {
      area.setAttribute("aria-describedby", help);
    }
    area.setAttribute("aria-multiline", "true");
  }

  function addWordCount(editor, textarea) {
    const wrapper = textarea.closest(".prose-editor");
    if (!wrapper || textarea.name !== "body") {
      return;
    }
    const output = document.createElement("p");
    output.className = "word-count";
    output.id = textarea.id + "_wordcount";
    wrapper.after(output);
    function update() {
      const text = editor.getText({ blockSeparator: "\n" });
      output.textContent = describeCount(countWords(text), textarea);
    }
    editor.on("update", update);
    update();
  }

  // The editors start as modules, after this script: listen before they are ready.
  document.addEventListener("prose-editor:ready", function (event) {
    const { editor, textarea } = event.detail;
    nameEditor(editor, textarea);
    addWordCount(editor, textarea);
  });

  // Select2 (the admin's autocomplete boxes) names its box after the current choice
  // only, which is empty for an empty field, and its search boxes not at all.
  function nameAutocomplete(select) {
    const container = select.nextElementSibling;
    const label = labelOf(select);
    if (!label || !container || !container.classList.contains("select2")) {
      return;
    }
    const box = container.querySelector(".select2-selection--single");
    if (box) {
      // The choice itself is a read-only textbox, as nameless as the box when empty.
      const choice = box.querySelector(".select2-selection__rendered");
      const names = label.id + (choice && choice.id ? " " + choice.id : "");
      box.setAttribute("aria-labelledby", names);
      if (choice) {
        choice.setAttribute("aria-labelledby", names);
      }
    }
    const search = container.querySelector(".select2-search__field");
    if (search) {
      search.setAttribute("aria-labelledby", label.id);
    }
    if (!select.dataset.namedSearch && window.django && window.django.jQuery) {
      select.dataset.namedSearch = "1";
      // The drop-down's own search box is made each time it opens.
      window.django.jQuery(select).on("select2:open", function () {
        const field = document.querySelector(".select2-container--open .select2-search__field");
        if (field) {
          field.setAttribute("aria-labelledby", label.id);
        }
      });
    }
  }

  function watchAutocompletes() {
    // The admin starts Select2 on jQuery's ready, which may come after this; name each
    // box when its Select2 markup appears next to it.
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      if (select.name.includes("__prefix__") || !select.parentElement) {
        return;
      }
      nameAutocomplete(select);
      new MutationObserver(function () {
        nameAutocomplete(select);
      }).observe(select.parentElement, { childList: true });
    });
  }

  // Ctrl+S (Cmd+S on a Mac) saves and stays on the form, exactly as the "Save and
  // continue editing" button does, so the editor's content goes with it.
  function saveOnShortcut(event) {
    const key = event.key && event.key.toLowerCase();
    if (key !== "s" || !(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) {
      return;
    }
    const button = document.querySelector('form[id$="_form"] [type=submit][name="_continue"]');
    if (!button || !button.form) {
      return;
    }
    event.preventDefault();
    if (event.repeat || button.form.dataset.saving) {
      return;
    }
    button.form.dataset.saving = "1";
    if (button.form.requestSubmit) {
      button.form.requestSubmit(button);
    } else {
      button.click();
    }
  }

  function start() {
    watchAutocompletes();
    document.addEventListener("keydown", saveOnShortcut);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
