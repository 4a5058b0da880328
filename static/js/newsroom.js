// The newsroom's own behaviour, loaded with defer (no inline scripts: strict CSP).
// A picture larger than the server accepts is refused as soon as it is chosen, with the
// same message the server would give, instead of after a long upload.
document.addEventListener("change", (event) => {
  const input = event.target;
  if (!(input instanceof HTMLInputElement) || input.type !== "file" || !input.dataset.maxBytes) {
    return;
  }
  const note = document.getElementById(`${input.id}-too-big`);
  const file = input.files && input.files[0];
  const tooBig = Boolean(file) && file.size > Number(input.dataset.maxBytes);
  if (tooBig) {
    input.value = "";
  }
  if (note) {
    note.hidden = !tooBig;
  }
});

// The moderation queue by keyboard (keys listed on the page, templates/newsroom/_keys.html):
// j/k choose the next/previous comment, a/s/d/f press its Approve (or Restore), Spam,
// Delete and Feature (or Unfeature) buttons, then the next comment is chosen. Rows are
// replaced in place by htmx, so the choice is kept by id and put back after each swap.
let chosenId = null;
let advanceAfterLoad = false;

function queueRows() {
  const list = document.getElementById("moderation-list");
  return list ? Array.from(list.querySelectorAll(":scope > li.mod-comment")) : [];
}

function choose(row) {
  for (const old of document.querySelectorAll(".mod-comment.chosen")) {
    old.classList.remove("chosen");
  }
  if (!row) {
    return;
  }
  chosenId = row.id;
  row.classList.add("chosen");
  row.focus({ preventScroll: true });
  row.scrollIntoView({ block: "nearest" });
}

function step(by) {
  const rows = queueRows();
  const at = rows.findIndex((row) => row.id === chosenId);
  const next = at + by;
  if (next >= rows.length) {
    const more = document.querySelector("#queue-more a");
    if (more && !advanceAfterLoad) {
      advanceAfterLoad = true;
      more.click();
    }
    return;
  }
  choose(rows[Math.max(0, next)]);
}

const KEY_BUTTONS = {
  a: ["button.approve", "button.restore"],
  s: ["button.spam"],
  d: ["button.delete"],
  f: ["button.feature", "button.unfeature"],
};

document.addEventListener("keydown", (event) => {
  const target = event.target;
  if (event.ctrlKey || event.metaKey || event.altKey || !queueRows().length) {
    return;
  }
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) {
    return;
  }
  if (event.key === "j" || event.key === "k") {
    event.preventDefault();
    step(event.key === "j" ? 1 : -1);
    return;
  }
  const row = chosenId && document.getElementById(chosenId);
  const selectors = KEY_BUTTONS[event.key];
  if (!row || !selectors) {
    return;
  }
  const button = selectors.map((s) => row.querySelector(s)).find(Boolean);
  if (button) {
    event.preventDefault();
    button.click();
    step(1);
  }
});

document.addEventListener("htmx:after:settle", () => {
  const row = chosenId && document.getElementById(chosenId);
  if (row && !row.classList.contains("chosen")) {
    row.classList.add("chosen");
  }
  if (advanceAfterLoad && !document.querySelector("#queue-more.htmx-request")) {
    advanceAfterLoad = false;
    step(1);
  }
});

// The picture picker: "Insert" writes the picture's Markdown line into the story where the
// cursor is, as a paragraph of its own (so it becomes a figure), and the preview follows.
document.addEventListener("click", (event) => {
  const button = event.target instanceof Element && event.target.closest("button.insert-picture");
  const body = document.getElementById("body");
  if (!button || !(body instanceof HTMLTextAreaElement)) {
    return;
  }
  const before = body.value.slice(0, body.selectionStart).replace(/\s*$/, "");
  const after = body.value.slice(body.selectionEnd).replace(/^\s*/, "");
  const line = button.dataset.markdown;
  body.value = [before, line, after].filter(Boolean).join("\n\n");
  const cursor = (before ? before.length + 2 : 0) + line.length;
  body.setSelectionRange(cursor, cursor);
  body.focus();
  body.dispatchEvent(new Event("input", { bubbles: true }));
});
