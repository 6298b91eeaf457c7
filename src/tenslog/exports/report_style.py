"""The report's CSS. On screen a readable column; on paper (print) everything must fit ONE A4
page, with 40 or 400 sessions, notes for the doctor and a personal trial (a test prints it
with headless Chromium and counts the pages): small type, a narrow chart, no page breaks."""

CSS = """
@page { size: A4; margin: 8mm 11mm; }
* { box-sizing: border-box; }
body { font-family: "Segoe UI", "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; color: #222;
       font-size: 10.5pt; line-height: 1.4; max-width: 180mm; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 16pt; margin: 0 0 2pt; font-weight: 600; }
h2 { font-size: 11.5pt; margin: 12pt 0 4pt; color: #2f5d80; font-weight: 600; }
p { margin: 0 0 5pt; }
.patient { font-size: 12pt; font-weight: 600; margin: 0 0 2pt; }
.meta { color: #555; margin-bottom: 8pt; }
.box { background: #f3f6f8; border-left: 4px solid #2f6f9f; padding: 6pt 9pt; }
.box p:first-child { font-weight: 600; }
img { width: 100%; height: auto; display: block; margin: 4pt 0; }
.svg svg { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 9.5pt; }
th, td { text-align: left; padding: 2pt 6pt; border-bottom: 1px solid #ddd; }
th { font-weight: 600; background: #f3f6f8; }
td.n, th.n { text-align: right; white-space: nowrap; }
.cols { display: flex; gap: 12pt; }
.cols > div { flex: 1; }
td.nw { white-space: nowrap; }
ul.notes { margin: 0; padding-left: 14pt; }
.small { font-size: 8.8pt; color: #555; }
.keys th { color: #2f5d80; background: none; padding-top: 3pt; }
.cols > div.wide { flex: 1.2; }
.trial .svg { flex: 0 0 34%; }
@media print {
  body { margin: 0; max-width: none; padding: 0; font-size: 7.3pt; line-height: 1.2; }
  h1 { font-size: 12pt; } h2 { font-size: 9pt; margin: 4pt 0 1.5pt; }
  .patient { font-size: 10pt; } .meta { margin-bottom: 3pt; }
  p { margin: 0 0 1.5pt; } .box { padding: 2.5pt 7pt; }
  img { width: 46%; margin: 0 auto; } table { font-size: 7pt; } th, td { padding: 0.3pt 4pt; }
  .trial p { font-size: 7pt; } .cols { gap: 10pt; }
  .small { font-size: 6.8pt; }
  h2, .box, table, .cols, img, ul.notes { break-inside: avoid; }
}
"""
