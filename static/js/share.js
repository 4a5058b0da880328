// "Copy link" on a story: copies the story's address and says so. Without JavaScript
// (or a clipboard) the same link simply opens the story's permanent address.
document.addEventListener("click", (event) => {
  const link = event.target instanceof Element ? event.target.closest("a[data-copy-link]") : null;
  if (!link || !navigator.clipboard) {
    return;
  }
  event.preventDefault();
  navigator.clipboard.writeText(link.href).then(() => {
    const status = document.getElementById("share-status");
    if (status) {
      status.textContent = link.dataset.copied;
    }
  });
});
