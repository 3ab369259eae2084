"""The client report's Jinja2 template and its print stylesheet (A4, page numbers, no script)."""

CSS = """
@page {
  size: A4;
  margin: 16mm 15mm 18mm 15mm;
  @bottom-left { content: string(doc-title); font-size: 8pt; color: #6b7080; width: 140mm;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  @bottom-right { content: counter(page) " / " counter(pages); font-size: 8pt; color: #6b7080; }
}
@page :first { @bottom-left { content: none; } @bottom-right { content: none; } }
html { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1f2430;
  font-size: 10pt; line-height: 1.4; }
body { margin: 0 auto; max-width: 190mm; padding: 0 4mm; }
h1 { font-size: 22pt; margin: 0 0 6mm; string-set: doc-title content(); line-height: 1.2;
  overflow-wrap: anywhere; }
h2, h3, p, li { overflow-wrap: anywhere; }
h2 { font-size: 15pt; margin: 0 0 3mm; padding-bottom: 1mm; border-bottom: 2px solid #3b6fd8;
  break-after: avoid; }
h3 { font-size: 11.5pt; margin: 5mm 0 2mm; break-after: avoid; }
p { margin: 0 0 2.5mm; }
.cover { padding-top: 45mm; break-after: page; }
.cover .kicker { color: #3b6fd8; font-size: 11pt; text-transform: uppercase;
  letter-spacing: 0.08em; margin-bottom: 3mm; }
.cover dl { display: grid; grid-template-columns: 48mm auto; gap: 2mm 4mm; margin-top: 12mm; }
.cover dt { color: #6b7080; }
.cover dd { margin: 0; overflow-wrap: anywhere; }
.cover .meta { margin-top: 12mm; }
.cover .meta div { margin-bottom: 2mm; }
.cover .meta span { display: inline-block; width: 52mm; color: #6b7080; vertical-align: top; }
.cover .meta b { display: inline-block; width: 120mm; font-weight: normal;
  overflow-wrap: anywhere; }
.toc { margin-top: 14mm; max-width: 120mm; }
.toc-title { color: #6b7080; margin-bottom: 2mm; }
.toc ol { margin: 0; padding-left: 5mm; }
.toc li { margin-bottom: 1mm; }
.toc a { color: inherit; text-decoration: none; }
@media print { .toc a::after { content: leader(".") target-counter(attr(href), page); } }
section { break-before: page; }
section.first { break-before: auto; }
.kpis { display: grid; grid-template-columns: repeat(4, 1fr); gap: 3mm; margin: 0 0 4mm; }
.kpi { border: 1px solid #dde1ea; border-radius: 2mm; padding: 2mm 3mm; }
.kpi .v { font-size: 13pt; font-weight: bold; }
.kpi .l { font-size: 8pt; color: #6b7080; }
.findings li { margin-bottom: 2mm; }
.findings { padding-left: 5mm; margin: 0 0 3mm; }
.caveats li { color: #4a4f5c; font-size: 9pt; }
.chart { margin: 2mm 0 4mm; break-inside: avoid; text-align: center; }
.chart figcaption { text-align: left; margin: 1mm 0 0; }
.chart svg { max-width: 100%; height: auto; }
.caption { font-size: 8.5pt; color: #6b7080; margin: 0 0 4mm; }
table { border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 1mm 0 4mm; }
th, td { padding: 0.8mm 1.5mm; border-bottom: 1px solid #e3e6ee; vertical-align: top;
  overflow-wrap: break-word; }
th { text-align: left; color: #4a4f5c; font-weight: bold; background: #f4f6fa; }
thead { display: table-header-group; }
table.kept { break-inside: avoid; }
tr { break-inside: avoid; }
td.n, th.n { text-align: right; }
td.n { white-space: nowrap; }
tr.won td { font-weight: bold; color: #2e9e5b; }
tr.total td { font-weight: bold; border-top: 1px solid #9aa1b0; }
.better { color: #2b8a3e; }
.worse { color: #c92a2a; }
.method li { margin-bottom: 1.5mm; }
.note { font-size: 8.5pt; color: #6b7080; }
@media screen { body { padding: 8mm; } section { border-top: 1px solid #dde1ea;
  padding-top: 6mm; margin-top: 8mm; } }
"""

TEMPLATE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy"
 content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>{{ title }}</title>
<style>{{ css }}</style>
</head>
<body>
<div class="cover">
  <div class="kicker">{{ kicker }}</div>
  <h1>{{ title }}</h1>
  <div class="meta">
  {% for label, value in cover %}<div><span>{{ label }}</span><b>{{ value }}</b></div>
  {% endfor %}
  </div>
  <nav class="toc"><div class="toc-title">{{ contents }}</div>
  <ol>{% for s in sections %}<li><a href="#{{ s.key }}">{{ s.title }}</a></li>{% endfor %}</ol>
  </nav>
</div>
{% for s in sections %}
<section id="{{ s.key }}"{% if loop.first %} class="first"{% endif %}>
  <h2>{{ s.title }}</h2>
  {% for block in s.blocks %}
    {% if block.kind == "h3" %}<h3>{{ block.text }}</h3>
    {% elif block.kind == "p" %}<p>{{ block.text }}</p>
    {% elif block.kind == "caption" %}<p class="caption">{{ block.text }}</p>
    {% elif block.kind == "note" %}<p class="note">{{ block.text }}</p>
    {% elif block.kind == "list" %}<ul class="findings {{ block.cls }}">
      {% for item in block["items"] %}<li>{{ item }}</li>{% endfor %}</ul>
    {% elif block.kind == "kpis" %}<div class="kpis">
      {% for label, value in block["items"] %}<div class="kpi"><div class="v">{{ value }}</div>
      <div class="l">{{ label }}</div></div>{% endfor %}</div>
    {% elif block.kind == "chart" %}<figure class="chart">{{ block.svg }}{% if block.text %}
      <figcaption class="caption">{{ block.text }}</figcaption>{% endif %}</figure>
    {% elif block.kind == "table" %}<table{% if block.cls %} class="{{ block.cls }}"{% endif %}>
      <thead><tr>{% for h in block.head %}<th{% if block.numeric[loop.index0] %} class="n"{%
        endif %}>{{ h }}</th>{% endfor %}</tr></thead>
      <tbody>{% for row in block.rows %}<tr{% if row.cls %} class="{{ row.cls }}"{% endif %}>{%
        for cell in row.cells %}<td{% if block.numeric[loop.index0] %} class="n"{% endif %}>{{
        cell }}</td>{% endfor %}</tr>{% endfor %}</tbody></table>
    {% endif %}
  {% endfor %}
</section>
{% endfor %}
</body>
</html>
"""
