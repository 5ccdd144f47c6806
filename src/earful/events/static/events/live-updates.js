/* Following a stop live: while the stop is on (live_feed.py decides; the page says where to
   poll in data-live-feed), ask every ~20 s for updates newer than the newest one shown and
   put each in its place (newest first), announce it in the polite status region, and drop
   the updates staff deleted (the answer lists every current id). A hidden tab and failed
   requests back off (up to 5 minutes); the tab coming back asks at once; the answer saying
   `follow: false` (the stop is over or cancelled) ends it. Without JavaScript the page is
   complete as rendered: a reload shows the same updates. */
(function () {
  "use strict";

  var section = document.querySelector("[data-live-feed]");
  if (!section || !window.fetch || !("content" in document.createElement("template"))) return;

  var MAX_DELAY = 5 * 60 * 1000;
  var FOLLOW_UP = 1000; // a second batch, or ids to fetch again
  var list = section.querySelector(".update-list");
  var none = section.querySelector(".none");
  var status = section.querySelector("[data-live-status]");
  var feed = section.getAttribute("data-live-feed");
  var cursor = parseInt(section.getAttribute("data-cursor"), 10) || 0;
  var base = Math.max(5, parseInt(section.getAttribute("data-poll-seconds"), 10) || 20) * 1000;
  var startsIn = parseInt(section.getAttribute("data-starts-in"), 10) || 0;
  var failures = 0;
  var hiddenRounds = 0;
  var timer = null;
  var busy = false;
  var stopped = false;
  var lastPoll = 0;
  var lastMissing = "";

  function shown() {
    return Array.prototype.slice.call(list.querySelectorAll("article.update[id^='update-']"));
  }

  function idOf(article) {
    return parseInt(article.id.slice("update-".length), 10);
  }

  function atOf(article) {
    return parseInt(article.getAttribute("data-at"), 10) || 0;
  }

  // The server renders each update (live_feed.update_html: every value escaped, the
  // Markdown cleaned by nh3); an inert <template> parses it, and only an <article
  // class="update"> with the expected id is taken.
  function article(update) {
    var template = document.createElement("template");
    template.innerHTML = update.html;
    var element = template.content.firstElementChild;
    if (!element || !element.matches("article.update") || element.id !== "update-" + update.id) {
      return null;
    }
    return document.importNode(element, true);
  }

  function insert(update) {
    if (document.getElementById("update-" + update.id)) return null;
    var element = article(update);
    if (!element) return null;
    var at = atOf(element);
    var before = shown().filter(function (other) {
      var otherAt = atOf(other);
      return otherAt < at || (otherAt === at && idOf(other) < update.id);
    })[0];
    list.insertBefore(element, before || null);
    return element;
  }

  function dropDeleted(ids) {
    var current = {};
    ids.forEach(function (id) {
      current[id] = true;
    });
    var dropped = 0;
    shown().forEach(function (element) {
      if (!current[idOf(element)]) {
        element.remove();
        dropped += 1;
      }
    });
    return dropped;
  }

  function announce(added, dropped) {
    if (!status || (!added.length && !dropped)) return;
    var message;
    if (added.length === 1) {
      var when = added[0].querySelector("time");
      var text = (added[0].querySelector(".text") || added[0]).textContent.trim();
      if (text.length > 160) text = text.slice(0, 157) + "…";
      message = "New update from the venue" + (when ? ", " + when.textContent : "") + ": " + text;
    } else if (added.length > 1) {
      message = added.length + " new updates from the venue.";
    } else {
      message = dropped === 1 ? "An update was removed." : dropped + " updates were removed.";
    }
    status.textContent = "";
    window.setTimeout(function () {
      status.textContent = message; // text only, never markup
    }, 50);
  }

  function apply(data) {
    var added = [];
    (data.updates || []).forEach(function (update) {
      var element = insert(update);
      if (element) added.push(element);
    });
    var ids = data.ids || [];
    var dropped = dropDeleted(ids);
    cursor = Math.max(cursor, data.cursor || 0);
    // An id the page lacks below the cursor was committed after a higher one: ask again
    // from just below it (once for a given set, so a broken answer cannot loop).
    var missing = ids.filter(function (id) {
      return id <= cursor && !document.getElementById("update-" + id);
    });
    var retry = false;
    if (missing.length && missing.join() !== lastMissing) {
      cursor = Math.min(cursor, Math.min.apply(null, missing) - 1);
      retry = true;
    }
    lastMissing = missing.join();
    if (none) none.hidden = shown().length > 0;
    announce(added, dropped);
    return data.more || retry;
  }

  function schedule(wait) {
    window.clearTimeout(timer);
    timer = stopped ? null : window.setTimeout(poll, wait);
  }

  function next() {
    var wait = failures ? Math.min(base * Math.pow(2, failures), MAX_DELAY) : base;
    if (document.visibilityState === "hidden") {
      hiddenRounds += 1;
      wait = Math.max(wait, Math.min(base * Math.pow(2, hiddenRounds), MAX_DELAY));
    } else {
      hiddenRounds = 0;
    }
    schedule(wait + Math.random() * wait * 0.1); // jitter: open pages do not poll in step
  }

  function stop() {
    stopped = true;
    window.clearTimeout(timer);
    document.removeEventListener("visibilitychange", onVisible);
  }

  function poll() {
    timer = null;
    if (stopped || busy) return;
    busy = true;
    lastPoll = Date.now();
    fetch(feed + "?after=" + encodeURIComponent(String(cursor)), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        if (response.status === 304) return null;
        if (response.status === 400 || response.status === 404 || response.status === 410) {
          stop(); // the stop is gone, or this script and the server disagree: stop asking
          return null;
        }
        if (!response.ok) throw new Error("live updates answered " + response.status);
        return response.json();
      })
      .then(function (data) {
        busy = false;
        failures = 0;
        var soon = data ? apply(data) : false;
        if (data && data.follow === false) {
          stop();
          return;
        }
        if (data && data.poll_seconds > 0) base = Math.max(5, data.poll_seconds) * 1000;
        if (soon) schedule(FOLLOW_UP);
        else next();
      })
      .catch(function () {
        busy = false;
        failures = Math.min(failures + 1, 10);
        next();
      });
  }

  function onVisible() {
    if (document.visibilityState !== "visible" || stopped || busy || startsIn > 0) return;
    hiddenRounds = 0;
    if (Date.now() - lastPoll > 2000) schedule(0);
  }

  document.addEventListener("visibilitychange", onVisible);
  if (startsIn > 0) {
    var wait = startsIn * 1000;
    if (wait > 2147483647) return stop(); // weeks away: a reload on the day will follow it
    timer = window.setTimeout(function () {
      startsIn = 0;
      poll();
    }, wait);
  } else {
    next();
  }
})();
