// The ask form asks the community for similar questions while the title is typed, so people
// find an existing answer before posting. Without JavaScript, the form's "Check for similar
// questions" button does the same with a round trip.
(function () {
  "use strict";
  var form = document.getElementById("ask-form");
  if (!form) return;
  var title = form.querySelector("[name=title]");
  var body = form.querySelector("[name=body]");
  var box = document.getElementById("similar");
  var list = document.getElementById("similar-list");
  var url = form.getAttribute("data-similar-url");
  var timer = null;
  var asked = "";

  function show(questions) {
    while (list.firstChild) list.removeChild(list.firstChild);
    questions.forEach(function (q) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = q.url;
      link.textContent = q.title;
      var small = document.createElement("small");
      small.textContent = " " + (q.solved ? "solved · " : "") + q.answers + (q.answers === 1 ? " answer" : " answers");
      item.appendChild(link);
      item.appendChild(small);
      list.appendChild(item);
    });
    box.hidden = questions.length === 0;
  }

  function ask() {
    var draft = title.value.trim();
    if (draft.length < 5) return;
    var params = new URLSearchParams({ title: draft, body: body.value.slice(0, 2000) });
    if (params.toString() === asked) return;
    asked = params.toString();
    fetch(url + "?" + asked, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { questions: [] }; })
      .then(function (data) { show(data.questions || []); })
      .catch(function () {});
  }

  function later() {
    clearTimeout(timer);
    timer = setTimeout(ask, 400);
  }

  title.addEventListener("input", later);
  body.addEventListener("change", later);
})();
