// dotterel dashboard: the little the server cannot do. No libraries, no network access.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  // events table: a click on a row opens its story; a click on a header sorts this page
  document.querySelectorAll("tr.row-link").forEach((row) => {
    row.addEventListener("click", (ev) => {
      if (ev.target.closest("a")) return;
      window.location.href = row.dataset.href;
    });
  });
  document.querySelectorAll("table.sortable th[data-sort]").forEach((th, col) => {
    th.addEventListener("click", () => {
      const body = th.closest("table").tBodies[0];
      const asc = !th.classList.contains("asc");
      th.parentElement.querySelectorAll("th").forEach((h) => h.classList.remove("asc", "desc"));
      th.classList.add(asc ? "asc" : "desc");
      const key = (tr) => tr.cells[col] ? tr.cells[col].textContent.trim() : "";
      const num = th.dataset.sort === "num";
      const rows = Array.from(body.rows).filter((r) => r.classList.contains("row-link"));
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const c = num ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach((r) => body.appendChild(r));
    });
  });
  // story view: hovering an event or quote in the list lights up its spans in the text
  document.querySelectorAll(".records li[data-ref]").forEach((li) => {
    const marks = () => document.querySelectorAll("mark[data-refs]");
    const ref = li.dataset.ref;
    li.addEventListener("mouseenter", () => marks().forEach((m) => {
      if (m.dataset.refs.split(" ").includes(ref)) m.classList.add("hot");
    }));
    li.addEventListener("mouseleave", () => marks().forEach((m) => m.classList.remove("hot")));
  });
  const focus = document.querySelector("mark.focus");
  if (focus) focus.scrollIntoView({ block: "center" });
});
