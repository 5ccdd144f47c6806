// Votes without leaving the page: the vote forms post as usual (they work without
// JavaScript); with it, the form is sent with fetch and the score and buttons update.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("vote")) return;
    var button = event.submitter;
    if (!button || !window.fetch || !window.FormData) return;
    event.preventDefault();
    var data = new FormData(form);
    data.set("value", button.value);
    fetch(form.action, { method: "POST", body: data, credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.redirected || (response.headers.get("Content-Type") || "").indexOf("json") < 0) {
          window.location.href = response.url;  // the sign-in page, for a visitor
          return null;
        }
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (!result) return;
        if (!result.ok) { window.alert(result.body.error || "The vote did not count."); return; }
        form.querySelector(".score").textContent = result.body.score;
        ["up", "down"].forEach(function (name) {
          var b = form.querySelector("button." + name);
          var on = (name === "up" && result.body.mine === 1) || (name === "down" && result.body.mine === -1);
          b.classList.toggle("on", on);
          b.setAttribute("aria-pressed", on ? "true" : "false");
        });
      })
      .catch(function () { form.submit(); });
  });
})();
