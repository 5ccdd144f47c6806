// A form with data-similar-url asks that address for posts like the draft while its title
// is typed, so people find an existing idea or question before posting a new one. The
// answer is {"matches": [{"url", "title", "note"}]}. Without JavaScript, the form's
// "Check for similar ..." button does the same with a round trip.
(function () {
  "use strict";
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var title = form.querySelector("[name=title]");
  var body = form.querySelector("[name=body]");
  var box = document.getElementById("similar");
  var list = document.getElementById("similar-list");
  var url = form.getAttribute("data-similar-url");
  var timer = null;
  var asked = "";

  function show(matches) {
    while (list.firstChild) list.removeChild(list.firstChild);
    matches.forEach(function (match) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = match.url;
      link.textContent = match.title;
      var small = document.createElement("small");
      small.textContent = " " + match.note;
      item.appendChild(link);
      item.appendChild(small);
      list.appendChild(item);
    });
    box.hidden = matches.length === 0;
  }

  function ask() {
    var draft = title.value.trim();
    if (draft.length < 5) return;
    var params = new URLSearchParams({ title: draft, body: body.value.slice(0, 2000) });
    if (params.toString() === asked) return;
    asked = params.toString();
    fetch(url + "?" + asked, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { matches: [] }; })
      .then(function (data) { show(data.matches || []); })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  title.addEventListener("input", later);
  body.addEventListener("change", later);
})();
