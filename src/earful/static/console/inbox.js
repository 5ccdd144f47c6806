// The inbox's keyboard and the reply form's "open the original".
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll(".queue-row"));
  let current = rows.length ? 0 : -1;

  function focus(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach((row, i) => row.classList.toggle("focused", i === current));
    rows[current].focus();
  }

  function submitBulk(action, value) {
    const form = document.getElementById("bulk");
    rows.forEach((row) => { row.querySelector("input[name=ids]").checked = false; });
    rows[current].querySelector("input[name=ids]").checked = true;
    document.getElementById("bulk-action").value = action;
    document.getElementById("bulk-value").value = value;
    form.submit();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (!rows.length || event.metaKey || event.ctrlKey || event.altKey) return;
    if (target.matches("input[type=text], input[type=search], textarea, select")) return;
    const actions = {
      j: () => focus(current + 1),
      k: () => focus(current - 1),
      x: () => { const box = rows[current].querySelector("input[name=ids]"); box.checked = !box.checked; },
      o: () => { window.location.href = rows[current].dataset.href; },
      Enter: () => { window.location.href = rows[current].dataset.href; },
      e: () => submitBulk("status", "done"),
      i: () => submitBulk("status", "ignored"),
      a: () => submitBulk("assign", "me"),
    };
    const run = actions[event.key];
    if (run) { event.preventDefault(); run(); }
  });
  if (rows.length) focus(0);

  const all = document.getElementById("select-all");
  if (all) all.addEventListener("change", () => {
    rows.forEach((row) => { row.querySelector("input[name=ids]").checked = all.checked; });
  });

  const reply = document.getElementById("reply-form");
  if (reply) reply.addEventListener("submit", () => {
    const original = reply.dataset.original;
    if (reply.dataset.owned !== "1" && /^https?:\/\//i.test(original || "")) {
      window.open(original, "_blank", "noopener");
    }
  });
})();
