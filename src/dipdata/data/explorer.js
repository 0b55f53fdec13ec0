// dipdata explorer: filters, search, and the records of a sentence. Plain JavaScript, no
// library, nothing loaded from elsewhere; the page is complete without it.
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var shown = document.getElementById("shown");
  var panel = document.getElementById("selected");
  var panelHome = panel.parentNode;
  var phone = window.matchMedia("(max-width: 50rem)");
  var records = Array.prototype.slice.call(document.querySelectorAll("article.record"));
  var texts = records.map(function (r) { return r.textContent.toLowerCase(); });

  function has(record, name, value) {
    return !value || (" " + record.getAttribute("data-" + name) + " ").indexOf(" " + value + " ") >= 0;
  }

  function apply() {
    var section = form.elements.section.value, kind = form.elements.kind.value;
    var country = form.elements.country.value;
    var counterpart = form.elements.counterpart.value, region = form.elements.region.value;
    var words = form.elements.q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var count = 0;
    records.forEach(function (record, i) {
      var ok = has(record, "section", section) && has(record, "kind", kind) &&
        has(record, "country", country) && has(record, "counterpart", counterpart) &&
        has(record, "region", region) &&
        words.every(function (w) { return texts[i].indexOf(w) >= 0; });
      record.hidden = !ok;
      if (ok) { count += 1; }
    });
    Array.prototype.forEach.call(document.querySelectorAll("section.table"), function (table) {
      var visible = table.querySelectorAll("article.record:not([hidden])").length;
      var all = table.querySelectorAll("article.record").length;
      table.hidden = !visible;
      var label = table.querySelector(".count");
      if (label) { label.textContent = visible === all ? "(" + all + ")" : "(" + visible + " of " + all + ")"; }
    });
    shown.textContent = count + " of " + records.length + " records shown";
    var rows = document.querySelectorAll("#meetings-table tbody tr"), visible = 0;
    Array.prototype.forEach.call(rows, function (row) {
      var ok = has(row, "counterpart", counterpart) && has(row, "region", region) &&
        has(row, "kind", kind);
      row.hidden = !ok;
      if (ok) { visible += 1; }
    });
    var told = document.getElementById("meetings-shown");
    if (told) { told.textContent = visible + " of " + rows.length + " rows shown"; }
  }

  // The sticky filter bar's height, so that a record scrolled to lies below it (none on a
  // phone, where the bar does not stick).
  function measure() {
    var sticky = window.getComputedStyle(form).position === "sticky";
    document.documentElement.style.setProperty("--bar", (sticky ? form.offsetHeight : 0) + "px");
  }

  // A deep link's record: shown (the filters cleared if they hide it), opened, scrolled to.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (!target) { return; }
    if (target.closest("[hidden]")) {
      form.reset();
      apply();
      measure();  // the bar's words (the count shown) may have changed its height
    }
    var details = target.matches("article.record") && target.querySelector("details");
    if (details) {
      details.open = true;
      target.scrollIntoView();
    } else if (target.closest("[hidden]") === null) {
      target.scrollIntoView();
    }
  }

  // A record's title in the language shown (its heading holds both where it has a Chinese one).
  function label(id) {
    var target = document.getElementById(id);
    var heading = target && target.querySelector("h4");
    if (!heading) { return id; }
    var shown = heading.querySelector(zh() ? ".zh" : ".en");
    return (shown || heading).textContent;
  }

  var switcher = document.getElementById("language");
  function zh() { return document.documentElement.getAttribute("data-language") === "zh"; }
  function language(chinese) {
    document.documentElement.setAttribute("data-language", chinese ? "zh" : "en");
    switcher.setAttribute("aria-pressed", chinese ? "true" : "false");
    try { window.localStorage.setItem("dipdata-language", chinese ? "zh" : "en"); } catch (e) {}
  }

  function choose(button) {
    Array.prototype.forEach.call(document.querySelectorAll("button.sentence[aria-pressed=true]"),
      function (b) { b.setAttribute("aria-pressed", "false"); });
    button.setAttribute("aria-pressed", "true");
    var ids = button.getAttribute("data-records").split(" ").filter(Boolean);
    var number = button.getAttribute("data-number");
    var chinese = button.closest(".zh") !== null;
    panel.textContent = "";
    var heading = document.createElement("h3");
    heading.textContent = chinese ? "第" + number + "句涉及" + ids.length + "条记录" :
      "Sentence " + number + " speaks of " + ids.length + (ids.length === 1 ? " record" : " records");
    var list = document.createElement("ul");
    list.className = "sentence-records";
    ids.forEach(function (id) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#" + id;
      link.textContent = label(id);
      item.appendChild(link);
      list.appendChild(item);
    });
    panel.appendChild(heading);
    panel.appendChild(list);
    if (phone.matches) {  // below the sentence, not a screen's length further down
      button.insertAdjacentElement("afterend", panel);
      panel.classList.add("beside");
    } else if (panel.parentNode !== panelHome) {
      panelHome.appendChild(panel);
      panel.classList.remove("beside");
    }
  }

  form.addEventListener("input", apply);
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
  document.getElementById("review").addEventListener("click", function (event) {
    var button = event.target.closest("button.sentence");
    if (button) { choose(button); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("a[data-country]"), function (link) {
    link.addEventListener("click", function () {
      form.reset();
      form.elements.country.value = link.getAttribute("data-country");
      apply();
    });
  });
  var table = document.getElementById("meetings-table");
  if (table) {
    table.querySelector("thead").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-column]");
      if (!button) { return; }
      var column = Number(button.getAttribute("data-column"));
      var heading = button.parentNode;  // aria-sort belongs to the column header
      var down = heading.getAttribute("aria-sort") === "ascending";
      Array.prototype.forEach.call(table.querySelectorAll("thead th"), function (th) {
        th.removeAttribute("aria-sort");
      });
      heading.setAttribute("aria-sort", down ? "descending" : "ascending");
      var body = table.tBodies[0];
      var sorted = Array.prototype.slice.call(body.rows).sort(function (a, b) {
        var x = a.cells[column].textContent, y = b.cells[column].textContent;
        return (x < y ? -1 : x > y ? 1 : 0) * (down ? -1 : 1);
      });
      sorted.forEach(function (row) { body.appendChild(row); });
    });
    document.getElementById("download-meetings").addEventListener("click", function () {
      function cell(text) { return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text; }
      var lines = [Array.prototype.map.call(table.tHead.rows[0].cells, function (c) {
        return cell(c.textContent); }).join(",")];
      Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
        if (!row.hidden) {
          lines.push(Array.prototype.map.call(row.cells, function (c) {
            return cell(c.textContent); }).join(","));
        }
      });
      var link = document.getElementById("meetings-csv") || document.createElement("a");
      link.href = "data:text/csv;charset=utf-8," + encodeURIComponent(lines.join("\n") + "\n");
      link.download = "dipdata-meetings.csv";
      link.id = "meetings-csv";
      link.hidden = true;
      link.textContent = "dipdata-meetings.csv";
      document.body.appendChild(link);
      link.click();
    });
  }
  switcher.addEventListener("click", function () {
    language(!zh());
    measure();  // the filter bar's height changes with its words
  });
  var chosen = null;
  try { chosen = window.localStorage.getItem("dipdata-language"); } catch (e) {}
  language(/[?&]lang=zh/.test(window.location.search) || chosen === "zh");
  window.addEventListener("hashchange", reveal);
  window.addEventListener("resize", measure);
  apply();
  measure();
  reveal();
}());
