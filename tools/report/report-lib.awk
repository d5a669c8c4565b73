# report-lib.awk: loading and formatting tables for tt-report's page:
# RFC 4180 records, tables by column name, HTML escaping, numbers for reading,
# SVG charts inlined with their ids made unique, the commands of each chart.
# report.awk uses it (awk -f report-lib.awk -f report.awk).  POSIX awk only;
# no dates and no randomness, so the same tables give the same bytes.

# ---- reading CSV ------------------------------------------------------------

# Splits one RFC 4180 record (no line breaks inside fields: the demo's
# tables have none) into f[1..n]; returns n.  Splits at every comma first,
# then joins the pieces of a quoted field back together: much faster in awk
# than reading a character at a time.
function csvsplit(line, f,    n, m, i, p, part) {
	m = split(line, part, ",")
	if (index(line, "\"") == 0) {
		for (i = 1; i <= m; i++)
			f[i] = part[i]
		return m
	}
	n = 0
	for (i = 1; i <= m; i++) {
		p = part[i]
		if (substr(p, 1, 1) == "\"") {
			# a quoted field ends in an odd run of quotes
			while (!closed(p) && i < m)
				p = p "," part[++i]
			p = substr(p, 2, length(p) - 2)
			gsub(/""/, "\"", p)
		}
		f[++n] = p
	}
	return n
}

# whether a piece that opens a quoted field also closes it
function closed(p,    q) {
	if (length(p) < 2)
		return 0
	match(p, /"+$/)
	q = RSTART ? RLENGTH : 0
	if (RSTART == 1)	# the piece is only quotes: the opening one too
		q--
	return q % 2 == 1
}

# Loads out/FILE as table NAME: ROWS[NAME] data rows, COL[NAME, header] the
# column number, CELL[NAME, row, column] the fields; with KEEPCOL, only the
# rows whose KEEPCOL matches the regular expression KEEPRE (big tables hold
# far more than the page needs).  A missing file is an empty table (the
# section then says so), so a half-finished demo still gives a page.
function load(name, file, keepcol, keepre,    path, line, f, n, i, r, k) {
	path = out "/" file
	ROWS[name] = 0
	if ((getline line < path) <= 0) {
		MISSING[name] = file
		return 0
	}
	sub(/\r$/, "", line)
	n = csvsplit(line, f)
	for (i = 1; i <= n; i++)
		COL[name, f[i]] = i
	k = (keepcol != "" && (name, keepcol) in COL) ? COL[name, keepcol] : 0
	r = 0
	while ((getline line < path) > 0) {
		sub(/\r$/, "", line)
		n = csvsplit(line, f)
		if (k && f[k] !~ keepre)
			continue
		r++
		for (i = 1; i <= n; i++)
			CELL[name, r, i] = f[i]
	}
	close(path)
	ROWS[name] = r
	return r
}

function get(name, r, col) {
	if (!((name, col) in COL))
		return ""
	return CELL[name, r, COL[name, col]]
}

function has(name) { return ROWS[name] > 0 }

# ---- writing HTML and numbers -----------------------------------------------

function esc(s) {
	gsub(/&/, "\\&amp;", s)
	gsub(/</, "\\&lt;", s)
	gsub(/>/, "\\&gt;", s)
	gsub(/"/, "\\&quot;", s)
	gsub(/'/, "\\&#39;", s)
	return s
}

function commas(digits,    s) {
	s = ""
	while (length(digits) > 3) {
		s = "," substr(digits, length(digits) - 2) s
		digits = substr(digits, 1, length(digits) - 3)
	}
	return digits s
}

# A number for reading: whole numbers from 100 up, fewer decimals as the
# size grows, a typographic minus.  Empty stays empty (written as a dash).
function num(x,    a, s) {
	if (x == "")
		return "–"
	x += 0
	a = x < 0 ? -x : x
	if (a < 1e-12)	# rounding noise of a fit, not a number to read
		x = a = 0
	if (a == int(a) && a < 1e15)
		s = commas(sprintf("%.0f", a))
	else if (a >= 100)
		s = commas(sprintf("%.0f", a))
	else if (a >= 10)
		s = sprintf("%.1f", a)
	else if (a >= 1)
		s = sprintf("%.2f", a)
	else if (a >= 0.01)
		s = sprintf("%.2f", a)
	else if (a == 0)
		s = "0"
	else
		s = sprintf("%.1g", a)
	if (x < 0 && s !~ /^[0.,]+$/)
		s = "−" s
	return s
}

# unsigned size of a difference: "12.3 higher" reads better than "−12.3 lower"
function mag(x) { x += 0; return num(x < 0 ? -x : x) }

function ci(lo, hi) {
	if (lo == "" || hi == "")
		return "–"
	return num(lo) " to " num(hi)
}

function pval(p) {
	if (p == "")
		return "–"
	p += 0
	if (p < 0.001)
		return "&lt; 0.001"
	if (p < 0.1)
		return sprintf("%.3f", p)
	return sprintf("%.2f", p)
}

# "p = 0.29" or "p < 0.001"
function pis(p) {
	p = pval(p)
	return (substr(p, 1, 1) == "&" ? "p " : "p = ") p
}

function pct(x) { return sprintf("%.0f", 100 * x) "%" }

function plural(n, one, many) { return (n + 0 == 1) ? one : many }

# ---- charts and commands ----------------------------------------------------

# Inlines out/FILE (an SVG written by gnuplot): drops the XML declaration
# and doctype, puts the chart's own prefix on every id and reference to an
# id (each gnuplot SVG defines the same ids, and ids must be unique in one
# page), and gives the chart a title.
function svg(file, short, label,    path, line, p, n) {
	path = out "/" file
	p = "c" ++NSVG "-"
	n = 0
	printf "<figure id=\"fig-%s\">\n", esc(substr(file, 1, length(file) - 4))
	while ((getline line < path) > 0) {
		n++
		if (line ~ /^<\?xml/ || line ~ /^<!DOCTYPE/)
			continue
		gsub(/id='/, "id='" p, line)
		gsub(/id="/, "id=\"" p, line)
		gsub(/href='#/, "href='#" p, line)
		gsub(/href="#/, "href=\"#" p, line)
		gsub(/url\(#/, "url(#" p, line)
		if (line ~ /^<title>Gnuplot<\/title>$/)
			line = "<title>" esc(label) "</title>"
		print line
	}
	close(path)
	if (n == 0)
		printf "<p class=\"missing\">(chart %s was not made)</p>\n", esc(file)
	printf "<figcaption>%s <a href=\"#cmd-%s\">How it was made</a>.</figcaption>\n</figure>\n",
	       esc(label), esc(substr(file, 1, length(file) - 4))
	CHARTS[++NCHARTS] = file
	CHARTLABEL[NCHARTS] = short
}

# The commands behind each chart, kept by scripts/demo in cmd_NAME.txt.
function commands(   i, name, path, line, n) {
	for (i = 1; i <= NCHARTS; i++) {
		name = substr(CHARTS[i], 1, length(CHARTS[i]) - 4)
		path = out "/cmd_" name ".txt"
		printf "<h3 id=\"cmd-%s\">%s <span class=\"file\">(%s)</span></h3>\n<pre>",
		       esc(name), esc(CHARTLABEL[i]), esc(CHARTS[i])
		n = 0
		while ((getline line < path) > 0) {
			print esc(line)
			n++
		}
		close(path)
		if (n == 0)
			print "(no commands recorded)"
		print "</pre>"
	}
}
