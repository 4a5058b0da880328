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
