"""The page shell every page of the site shares: head, navigation, downloads, footer.

No network: styles and the one small script are files of the site, linked relatively, so
the site works from ``file://`` and from any static host. Every text is escaped here or by
the caller with :func:`html.escape` (``esc``).
"""

from __future__ import annotations

from html import escape
from typing import Any, Sequence

from .. import __version__


def esc(x: Any) -> str:
    return escape(str(x), quote=True)


CSS = """
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1a1a1a;background:#fff;line-height:1.45}
main{max-width:78em;margin:0 auto;padding:1em 1.5em}
a{color:#0b4f8a}a:focus,button:focus,select:focus,input:focus,summary:focus{outline:3px solid #0b4f8a;outline-offset:2px}
.skip{position:absolute;left:-999px}.skip:focus{left:1em;top:1em;background:#fff;padding:.3em}
header.top{background:#14324f;color:#fff;padding:.6em 1.5em}header.top a{color:#fff;margin-right:1.2em}
table{border-collapse:collapse;margin:.4em 0 1em}td,th{border:1px solid #bbb;padding:2px 6px;text-align:right;vertical-align:middle}
th{background:#eef2f6}td.l,th.l{text-align:left}caption{text-align:left;font-size:.9em;color:#333;padding:.2em 0}
tr.top td{background:#eef7ee}code{font-size:.85em}.sig{font-size:.75em;color:#333;max-width:26em;text-align:left}.sig code{overflow-wrap:anywhere}
.downloads{font-size:.9em;background:#f6f6f6;border:1px solid #ccc;padding:.4em .8em;margin:.6em 0}
.fig{display:inline-block;vertical-align:top;margin:0 1.5em 1em 0}
.doc{border-top:2px solid #888;margin-top:1.2em;padding-top:.4em}
.text{white-space:pre-wrap;font-family:Georgia,serif;line-height:1.7;border:1px solid #ccc;padding:.5em;flex:3;min-width:20em}
.pairs td,.pairs th{text-align:left}.side{flex:2;min-width:14em;font-size:.9em;overflow-x:auto}.row{display:flex;gap:1em;flex-wrap:wrap}
mark{color:#111;padding:0 1px}mark.tp{background:#bfe6b8}mark.fp{background:#f6c9c9;border-bottom:2px dotted #8b1a1a}
mark.fn{background:#fde8a8;border-bottom:2px dashed #6b4e00}mark.ig{background:#e3e3e3}
.st{font-size:.8em;padding:0 4px;border:1px solid #666;border-radius:3px;white-space:nowrap}
.st.correct,.st.partial{background:#bfe6b8}.st.spurious{background:#f6c9c9}.st.missing{background:#fde8a8}
.st.incorrect{background:#f3d6a4}.st.ignored{background:#e3e3e3}
body[data-field="casualties"] .text mark:not(.f-casualties),body[data-field="actors"] .text mark:not(.f-actors),
body[data-field="dates"] .text mark:not(.f-dates){background:none;border:0}
body.no-tp .text mark.tp,body.no-fp .text mark.fp,body.no-fn .text mark.fn{background:none;border:0}
form.filters{background:#f6f6f6;border:1px solid #ccc;padding:.5em .8em}form.filters label{margin-right:1em}
nav.pager a,nav.pager span{display:inline-block;padding:.1em .45em;margin:.1em}nav.pager [aria-current]{font-weight:bold;border:1px solid #333}
.muted{color:#444}
"""

JS = r"""
(function () {
  var form = document.getElementById("filters");
  if (!form) return;
  var STATUSES = ["tp", "fp", "fn"];
  function read() {
    return {sys: form.elements.sys.value, field: form.elements.field.value, errors: form.elements.errors.checked,
            st: STATUSES.filter(function (s) { return form.elements["st-" + s].checked; })};
  }
  function apply() {
    var f = read(), shown = 0, docs = document.querySelectorAll("article.doc");
    var active = f.sys !== "all" || f.field !== "all" || f.errors || f.st.length < 3;
    var want = f.errors ? f.st.filter(function (s) { return s !== "tp"; }) : f.st;
    document.body.setAttribute("data-field", f.field);
    STATUSES.forEach(function (s) { document.body.classList.toggle("no-" + s, f.st.indexOf(s) < 0); });
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i], has = (d.getAttribute("data-has") || "").split(" "), ok = !active;
      for (var j = 0; !ok && j < has.length; j++) {
        var p = has[j].split("-");
        ok = p.length === 3 && (f.sys === "all" || p[0] === f.sys) && (f.field === "all" || p[1] === f.field)
             && want.indexOf(p[2]) >= 0;
      }
      d.hidden = !ok;
      if (ok) shown++;
      d.querySelectorAll("[data-sys]").forEach(function (el) {
        el.hidden = f.sys !== "all" && el.getAttribute("data-sys") !== f.sys;
      });
      d.querySelectorAll("tr[data-field]").forEach(function (tr) {
        var st = tr.getAttribute("data-st").split(" ");
        var stOk = st[0] === "ig" ? f.st.length === 3 : st.some(function (s) { return f.st.indexOf(s) >= 0; });
        tr.hidden = !((f.field === "all" || tr.getAttribute("data-field") === f.field) && stOk);
      });
    }
    document.getElementById("shown").textContent = String(shown);
    var h = "sys=" + f.sys + "&field=" + f.field + "&st=" + f.st.join(",") + (f.errors ? "&errors=1" : "");
    if (history.replaceState) history.replaceState(null, "", "#" + h);
    document.querySelectorAll("nav.pager a").forEach(function (a) {
      a.setAttribute("href", a.getAttribute("href").split("#")[0] + "#" + h);
    });
  }
  function restore() {
    var m = {};
    location.hash.replace(/^#/, "").split("&").forEach(function (kv) { var p = kv.split("="); m[p[0]] = p[1]; });
    if (m.sys && form.elements.sys.querySelector('option[value="' + m.sys + '"]')) form.elements.sys.value = m.sys;
    if (m.field && form.elements.field.querySelector('option[value="' + m.field + '"]')) form.elements.field.value = m.field;
    if (m.st !== undefined) STATUSES.forEach(function (s) { form.elements["st-" + s].checked = m.st.split(",").indexOf(s) >= 0; });
    form.elements.errors.checked = m.errors === "1";
  }
  form.addEventListener("change", apply);
  form.addEventListener("submit", function (e) { e.preventDefault(); apply(); });
  var go = document.getElementById("goto");
  if (go) go.addEventListener("submit", function (e) {
    e.preventDefault();
    var n = parseInt(go.elements.page.value, 10), last = parseInt(go.getAttribute("data-pages"), 10);
    if (n >= 1 && n <= last) location.href = "p" + n + ".html" + location.hash;
  });
  restore();
  apply();
})();
"""


def page(title: str, body: str, *, root: str, downloads: str, scripts: bool = False) -> str:
    """A whole page; ``root`` is the relative path to the site's top ("" or "../../")."""
    script = f'<script src="{root}assets/site.js"></script>' if scripts else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<title>{esc(title)} · conflictbench</title><link rel="stylesheet" href="{root}assets/site.css"></head>'
            f'<body><a class="skip" href="#main">Skip to content</a>'
            f'<header class="top"><nav aria-label="site"><a href="{root}index.html">Leaderboard</a>'
            f'<a href="{root}cards.html">Extractor cards</a><a href="{root}slices.html">Slices</a>'
            f'<a href="{root}browse.html">Instance browser</a></nav></header>'
            f'<main id="main"><h1>{esc(title)}</h1>{downloads}{body}'
            f'<footer class="muted"><p>Generated by <code>conflictbench site</code> (conflictbench {esc(__version__)}) '
            f'from the result folders of <code>conflictbench eval</code>; no network, no build step.</p></footer>'
            f'</main>{script}</body></html>\n')


def downloads_box(runs: Sequence[Any], root: str) -> str:
    """Links to every corpus's results JSON, per-document counts CSV and predictions."""
    items = []
    for run in runs:
        base = f"{root}data/{run.slug}/"
        preds = ", ".join(f'<a href="{esc(base)}predictions/{esc(p.name)}" download>{esc(p.name)}</a>'
                          for p in run.predictions) or "none saved"
        items.append(f"<li><strong>{esc(run.corpus_name)}</strong> <code>{esc(run.fingerprint)}</code>: "
                     f'<a href="{esc(base)}results.json" download>results JSON</a> · '
                     f'<a href="{esc(base)}documents.csv" download>per-document counts (CSV)</a> · '
                     f"predictions: {preds}</li>")
    return (f'<section class="downloads" aria-label="downloads"><strong>Downloads</strong> '
            f'(recompute every interval and test from these)<ul>{"".join(items)}</ul></section>')


def fmt(x: float) -> str:
    return "—" if x != x else f"{x:.3f}"
