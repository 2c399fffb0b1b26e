/* Report-deadline countdowns: every <time class="countdown" data-due="ISO"> shows the time left
 * ("剩余 1:59:58") or overdue ("已超时 0:05:12"), updated every second; rows get class "overdue". */
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function fmt(ms) {
    var s = Math.floor(Math.abs(ms) / 1000);
    var d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600), m = Math.floor((s % 3600) / 60);
    return (d ? d + "天" : "") + h + ":" + pad(m) + ":" + pad(s % 60);
  }
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.countdown[data-due]").forEach(function (el) {
      var left = Date.parse(el.getAttribute("data-due")) - now;
      el.textContent = left >= 0 ? "剩余 " + fmt(left) : "已超时 " + fmt(left);
      el.classList.toggle("overdue", left < 0);
      var row = el.closest("tr");
      if (row) { row.classList.toggle("overdue", left < 0); }
    });
  }
  tick();
  window.setInterval(tick, 1000);
  document.body.addEventListener("htmx:afterSwap", tick);
})();
