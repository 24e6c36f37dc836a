/* kg workbench, Ask: the query library (a form per query's parameters), the SPARQL editor
   (Ctrl+Enter runs; a syntax error is marked at its line), and the answer as a table with
   links to entity pages, pages of rows and downloads. Queries go to /sparql and
   /queries/NAME like any client's; parameters travel as form values and the server binds
   them as RDF terms. Every string from the graph is put into the page as text (textContent),
   never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("wb-data").textContent);
  var PAGE = 100;
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  var editor = $("wb-editor"), gutter = $("wb-lines");
  var state = { vars: [], rows: [], page: 0, body: "", graph: false, text: "", urls: [] };

  /* the editor: line numbers, Ctrl+Enter */
  function renumber(bad) {
    gutter.textContent = "";
    var n = editor.value.split("\n").length;
    for (var i = 1; i <= n; i++) {
      gutter.appendChild(el("span", i === bad ? "wb-bad" : null, String(i)));
      if (i < n) { gutter.appendChild(document.createTextNode("\n")); }
    }
    gutter.scrollTop = editor.scrollTop;
  }
  editor.addEventListener("input", function () { renumber(); });
  editor.addEventListener("scroll", function () { gutter.scrollTop = editor.scrollTop; });
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter" || !(ev.ctrlKey || ev.metaKey)) { return; }
    if (ev.target === editor) { ev.preventDefault(); runEditor(); }
    else if ($("wb-params").contains(ev.target)) { ev.preventDefault(); runSelected(); }
  });
  $("wb-run").addEventListener("click", runEditor);
  renumber();

  /* what a query returns: rows (SELECT), a boolean (ASK) or a graph (CONSTRUCT, DESCRIBE) */
  function queryForm(text) {
    var bare = text.replace(/<[^<>\s]*>/g, "<>").replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, "''")
      .replace(/#[^\n]*/g, " ");
    var m = /\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b/i.exec(bare);
    return m ? m[1].toUpperCase() : "SELECT";
  }
  function runEditor() {
    var text = editor.value, graph = /^(CONSTRUCT|DESCRIBE)$/.test(queryForm(text));
    send("/sparql", { method: "POST", body: text, headers: {
      "Content-Type": "application/sparql-query",
      "Accept": graph ? "application/n-triples" : "application/sparql-results+json" } },
      { text: text, editor: true, what: "your query" });
  }

  /* the library */
  var selected = null, list = $("wb-queries");
  data.queries.forEach(function (q) {
    var li = el("li"), b = el("button");
    b.type = "button";
    b.setAttribute("aria-pressed", "false");
    li.setAttribute("data-query", q.name);
    b.appendChild(el("span", "wb-q-name", q.name));
    b.appendChild(el("span", "wb-q-title", q.title));
    b.addEventListener("click", function () { select(q); });
    li.appendChild(b);
    list.appendChild(li);
  });
  function select(q) {
    selected = q;
    Array.prototype.forEach.call(list.querySelectorAll("button"), function (b) {
      b.setAttribute("aria-pressed", b.parentNode.getAttribute("data-query") === q.name ? "true" : "false");
    });
    $("wb-query").hidden = false;
    $("wb-query-title").textContent = q.title || q.name;
    $("wb-query-name").textContent = "Named query " + q.name + (q.params.length ? "" : " (no parameters)");
    $("wb-query-desc").textContent = q.description;
    var fields = $("wb-fields");
    fields.textContent = "";
    q.params.forEach(function (p, i) {
      var label = el("label", null, p.name + " ");
      label.appendChild(el("span", "wb-kind", "(" + p.kind + (p.optional ? ", optional" : "") + ")"));
      label.htmlFor = "wb-param-" + i;
      var input = el("input");
      input.id = "wb-param-" + i;
      input.name = p.name;
      input.type = p.kind === "date" ? "date" : p.kind === "integer" ? "number" : "text";
      input.required = !p.optional;
      input.spellcheck = false;
      fields.appendChild(label);
      fields.appendChild(input);
      if (p.description) { fields.appendChild(el("p", "wb-hint", p.description)); }
    });
    var first = fields.querySelector("input");
    (first || $("wb-run-named")).focus();
  }
  function runSelected() {
    if (!selected) { return; }
    var params = new URLSearchParams();
    Array.prototype.forEach.call($("wb-fields").querySelectorAll("input"), function (input) {
      if (input.value !== "") { params.append(input.name, input.value); }
    });
    params.append("format", "json");
    send("/queries/" + encodeURIComponent(selected.name) + "?" + params.toString(), { method: "GET" },
         { text: selected.text, editor: false, what: selected.name });
  }
  $("wb-params").addEventListener("submit", function (ev) { ev.preventDefault(); runSelected(); });
  $("wb-to-editor").addEventListener("click", function () {
    if (!selected) { return; }
    editor.value = selected.text;
    renumber();
    editor.focus();
  });

  /* running: one request at a time, timed */
  var buttons = [$("wb-run"), $("wb-run-named")];
  function send(url, init, ctx) {
    buttons.forEach(function (b) { b.disabled = true; });
    $("wb-error").hidden = true;
    $("wb-status").textContent = "Running\u2026";
    var started = performance.now();
    fetch(url, init).then(function (r) {
      return r.text().then(function (body) { return { r: r, body: body }; });
    }).then(function (x) {
      var seconds = (performance.now() - started) / 1000;
      if (!x.r.ok) { showError(x.body, ctx); } else { showAnswer(x.r.headers.get("Content-Type") || "", x.body, seconds, ctx); }
    }, function (err) {
      showError("The server did not answer (" + err.message + ")", ctx);
    }).then(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  }

  /* errors: the message, and for a syntax error in the editor the line with a caret */
  function showError(body, ctx) {
    var message = body.trim().replace(/^\d{3} [A-Za-z ]+: /, "").replace(/^<request>: /, "");
    $("wb-results").hidden = true;
    $("wb-error").hidden = false;
    $("wb-error-where").textContent = "";
    var m = /line:(\d+), col:(\d+)/.exec(message) || /error at (\d+):(\d+)/.exec(message);
    var line = m ? Number(m[1]) : 0, col = m ? Number(m[2]) : 0;
    if (ctx.editor && m) {
      $("wb-error-text").textContent = "Syntax error at line " + line + ", column " + col + ": " + message;
      var lines = ctx.text.split("\n"), where = $("wb-error-where");
      var text = lines[line - 1] === undefined ? "" : lines[line - 1];
      where.appendChild(document.createTextNode(line + " | " + text + "\n"));
      where.appendChild(el("span", "wb-caret", new Array(String(line).length + 4 + col).join(" ") + "^"));
      renumber(line);
      var at = 0;
      for (var i = 0; i < line - 1 && i < lines.length; i++) { at += lines[i].length + 1; }
      at = Math.min(at + col - 1, editor.value.length);
      editor.focus();
      editor.setSelectionRange(at, at);
    } else {
      $("wb-error-text").textContent = (ctx.editor ? "" : ctx.what + ": ") + message;
    }
  }

  /* answers */
  function ntTerm(text) {
    if (text.charAt(0) === "<") { return { type: "uri", value: text.slice(1, -1) }; }
    if (text.slice(0, 2) === "_:") { return { type: "bnode", value: text.slice(2) }; }
    var end = text.lastIndexOf("\""), raw = text.slice(1, end), rest = text.slice(end + 1);
    raw = raw.replace(/\\U([0-9A-Fa-f]{8})/g, function (_, h) { return "\\u{" + h + "}"; })
      .replace(/\\u\{([0-9A-Fa-f]+)\}/g, function (_, h) {
        var c = String.fromCodePoint(parseInt(h, 16));
        return JSON.stringify(c).slice(1, -1);
      }).replace(/\\'/g, "'");
    var t = { type: "literal", value: JSON.parse("\"" + raw + "\"") };
    if (rest.charAt(0) === "@") { t["xml:lang"] = rest.slice(1); }
    if (rest.slice(0, 2) === "^^") { t.datatype = rest.slice(3, -1); }
    return t;
  }
  var TERM = /\s*(<[^>]*>|_:[^\s.]+|"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>]*>)?)/y;
  function parseNTriples(body) {
    var rows = [];
    body.split("\n").forEach(function (line) {
      if (!line.trim() || line.trim().charAt(0) === "#") { return; }
      TERM.lastIndex = 0;
      var terms = [];
      for (var k = 0; k < 3; k++) {
        var m = TERM.exec(line);
        if (!m) { return; }
        terms.push(ntTerm(m[1]));
      }
      rows.push({ subject: terms[0], predicate: terms[1], object: terms[2] });
    });
    return rows;
  }
  function showAnswer(type, body, seconds, ctx) {
    state.urls.forEach(function (u) { URL.revokeObjectURL(u); });
    state.urls = [];
    state.body = body;
    state.text = ctx.text;
    state.graph = false;
    $("wb-results").hidden = false;
    $("wb-text").hidden = true;
    $("wb-table").hidden = false;
    var took = seconds < 1 ? Math.round(seconds * 1000) + " ms" : seconds.toFixed(2) + " s";
    var count;
    if (type.indexOf("application/n-triples") === 0) {
      state.graph = true;
      state.vars = ["subject", "predicate", "object"];
      state.rows = parseNTriples(body);
      count = state.rows.length + (state.rows.length === 1 ? " triple" : " triples");
    } else if (type.indexOf("text/turtle") === 0) {
      state.graph = true;
      state.vars = [];
      state.rows = [];
      $("wb-table").hidden = true;
      $("wb-text").hidden = false;
      $("wb-text").textContent = body;
      count = "a graph, in Turtle";
    } else {
      var answer = JSON.parse(body);
      if (answer.boolean !== undefined) {
        state.vars = ["answer"];
        state.rows = [{ answer: { type: "literal", value: String(answer.boolean) } }];
        count = "ASK: " + answer.boolean;
      } else {
        state.vars = answer.head.vars;
        state.rows = answer.results.bindings;
        count = state.rows.length + (state.rows.length === 1 ? " row" : " rows");
      }
    }
    var status = $("wb-status");
    status.textContent = count + " \u00b7 " + took + " \u00b7 " + ctx.what;
    status.setAttribute("data-rows", String(state.rows.length));
    downloads(type);
    state.page = 0;
    draw();
  }

  /* the table, a page at a time; IRIs the build minted link to their entity pages */
  function entityHref(iri) {
    var base = data.base;
    if (!base || iri.indexOf(base) !== 0 || iri.length === base.length) { return null; }
    return "/entity/" + iri.slice(base.length).split("/").map(encodeURIComponent).join("/");
  }
  function cell(term) {
    var td = el("td");
    if (!term) { return td; }
    if (term.type === "uri") {
      var to = entityHref(term.value);
      if (to) {
        var a = el("a", null, term.value.slice(data.base.length));
        a.href = to;
        a.title = term.value;
        td.appendChild(a);
      } else {
        td.appendChild(el("span", "wb-uri", term.value));
      }
    } else if (term.type === "bnode") {
      td.appendChild(el("span", "wb-uri", "_:" + term.value));
    } else {
      td.appendChild(document.createTextNode(term.value));
      if (term["xml:lang"]) { td.appendChild(el("span", "wb-lang", "@" + term["xml:lang"])); }
      if (term.datatype) { td.title = term.datatype; }
    }
    return td;
  }
  function draw() {
    var table = $("wb-table");
    table.textContent = "";
    var head = el("thead"), tr = el("tr");
    tr.appendChild(el("th", null, "#"));
    state.vars.forEach(function (v) { tr.appendChild(el("th", null, v)); });
    head.appendChild(tr);
    table.appendChild(head);
    var body = el("tbody"), from = state.page * PAGE, to = Math.min(state.rows.length, from + PAGE);
    for (var i = from; i < to; i++) {
      var row = el("tr");
      row.appendChild(el("td", "wb-n", String(i + 1)));
      for (var k = 0; k < state.vars.length; k++) { row.appendChild(cell(state.rows[i][state.vars[k]])); }
      body.appendChild(row);
    }
    table.appendChild(body);
    var pages = Math.ceil(state.rows.length / PAGE);
    $("wb-pager").hidden = pages <= 1;
    $("wb-page").textContent = state.rows.length ? "Rows " + (from + 1) + "\u2013" + to + " of " + state.rows.length : "";
    $("wb-prev").disabled = state.page === 0;
    $("wb-next").disabled = state.page >= pages - 1;
  }
  $("wb-prev").addEventListener("click", function () { if (state.page > 0) { state.page--; draw(); } });
  $("wb-next").addEventListener("click", function () {
    if ((state.page + 1) * PAGE < state.rows.length) { state.page++; draw(); }
  });

  /* downloads: CSV and JSON of rows, N-Triples and Turtle of a graph */
  function csv() {
    function field(v) { return /[",\r\n]/.test(v) ? "\"" + v.replace(/"/g, "\"\"") + "\"" : v; }
    var lines = [state.vars.map(field).join(",")];
    state.rows.forEach(function (row) {
      lines.push(state.vars.map(function (v) { return field(row[v] ? row[v].value : ""); }).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }
  function blobLink(id, text, type) {
    var a = $(id);
    if (text === null) { a.removeAttribute("href"); return; }
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    state.urls.push(url);
    a.href = url;
  }
  function downloads(type) {
    var rows = !state.graph, json = type.indexOf("json") !== -1;
    blobLink("wb-csv", rows && state.vars.length ? csv() : null, "text/csv");
    blobLink("wb-json", json ? state.body : null, "application/json");
    blobLink("wb-nt", type.indexOf("application/n-triples") === 0 ? state.body : null, "application/n-triples");
    $("wb-ttl").disabled = !state.graph;
    $("wb-ttl").title = state.graph ? "the same query again, answered in Turtle" : "Turtle is for CONSTRUCT and DESCRIBE queries";
  }
  $("wb-ttl").addEventListener("click", function () {
    if (!state.graph) { return; }
    fetch("/sparql", { method: "POST", body: state.text, headers: {
      "Content-Type": "application/sparql-query", "Accept": "text/turtle" } }).then(function (r) {
      return r.text().then(function (body) {
        if (!r.ok) { showError(body, { editor: false, what: "Turtle" }); return; }
        var a = el("a");
        a.href = URL.createObjectURL(new Blob([body], { type: "text/turtle" }));
        a.download = "result.ttl";
        state.urls.push(a.href);
        $("wb-ttl").setAttribute("data-turtle", String(body.length));
        document.body.appendChild(a);
        a.click();
        a.remove();
      });
    });
  });
})();
