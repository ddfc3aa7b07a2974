// Run-down page: the "Cetak" (print) button, and a confirmation before deleting.
document.addEventListener("DOMContentLoaded", () => {
  for (const button of document.querySelectorAll("[data-agenda-print]")) {
    button.hidden = false;
    button.addEventListener("click", () => window.print());
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) {
        event.preventDefault();
      }
    });
  }
});
