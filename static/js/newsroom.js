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
