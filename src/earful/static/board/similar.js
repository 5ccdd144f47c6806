// The submit form asks the board for similar ideas while the title is typed, so people
// can vote for an existing idea before posting theirs. Without JavaScript, the form's
// "Check for similar ideas" button does the same with a round trip.
(function () {
  "use strict";
  var form = document.getElementById("idea-form");
  if (!form) return;
  var title = form.querySelector("[name=title]");
  var body = form.querySelector("[name=body]");
  var box = document.getElementById("similar");
  var list = document.getElementById("similar-list");
  var url = form.getAttribute("data-similar-url");
  var timer = null;
  var asked = "";

  function show(ideas) {
    while (list.firstChild) list.removeChild(list.firstChild);
    ideas.forEach(function (idea) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = idea.url;
      link.textContent = idea.title;
      var small = document.createElement("small");
      small.textContent = " " + idea.status + " · " + idea.votes + (idea.votes === 1 ? " vote" : " votes");
      item.appendChild(link);
      item.appendChild(small);
      list.appendChild(item);
    });
    box.hidden = ideas.length === 0;
  }

  function ask() {
    var draft = title.value.trim();
    if (draft.length < 5) return;
    var params = new URLSearchParams({ title: draft, body: body.value.slice(0, 2000) });
    if (params.toString() === asked) return;
    asked = params.toString();
    fetch(url + "?" + asked, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { ideas: [] }; })
      .then(function (data) { show(data.ideas || []); })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  title.addEventListener("input", later);
  body.addEventListener("change", later);
})();
