// The comment section's own behaviour, loaded with defer (no inline scripts: strict CSP).

// Whether a swap puts new content in place of the part of the page that holds `element`
// (the whole section, re-sorted): then what it brings is not a second copy.
function replaces(task, element) {
  const target = typeof task.target === "string" ? document.querySelector(task.target) : task.target;
  const spec = task.swapSpec;
  const style = typeof spec === "string" ? spec.split(/\s/)[0] : spec && spec.style;
  return Boolean(target && target.contains(element) && /^(outer|inner)/.test(style || ""));
}

// A comment reaches the page by more than one road (the reader's own post, the poll,
// "Load more"); whichever brings it second finds it there and does not add it again.
document.addEventListener("htmx:before:swap", (event) => {
  const tasks = event.detail.tasks;
  let added = 0;
  let dropped = 0;
  for (const task of tasks) {
    for (const comment of task.fragment.querySelectorAll("li.comment[id]")) {
      const shown = document.getElementById(comment.id);
      if (shown && !replaces(task, shown)) {
        comment.remove();
        dropped += 1;
      } else {
        added += 1;
      }
    }
  }
  // A poll that brought only comments already here (the reader's own, posted while the
  // poll was under way) has nothing new to announce.
  if (dropped && !added) {
    const status = tasks.findIndex((task) => task.target && task.target.id === "comment-status");
    if (status >= 0) {
      tasks.splice(status, 1);
    }
  }
});

// Edit and Delete go when the edit window closes: the server refuses them from then on.
setInterval(() => {
  for (const actions of document.querySelectorAll("[data-editable-until]")) {
    if (Date.parse(actions.dataset.editableUntil) <= Date.now()) {
      actions.remove();
    }
  }
}, 1000);

// Focus follows what the reader did: the comment they posted or deleted, the first of
// those they loaded (the server marks it data-focus).
document.addEventListener("htmx:after:swap", () => {
  const target = document.querySelector("[data-focus]");
  if (target) {
    target.removeAttribute("data-focus");
    target.focus();
  }
});
