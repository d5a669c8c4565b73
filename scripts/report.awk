# report.awk: writes report.html from the tables and charts that
# scripts/demo leaves in its output directory.  Run by scripts/report:
#
#	awk -v out=DIR -f scripts/report.awk > DIR/report.html
#
# Every number in the text is read from those tables, never written here;
# every string that comes from data is escaped for HTML (esc).  No dates and
# no randomness, so the same tables give the same bytes.  POSIX awk only.

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

# ---- the series ---------------------------------------------------------------

function series_setup() {
	NSER = split("prosecution protection prevention persons_convicted persons_prosecuted detected_victims", SER, " ")
	for (i = 1; i <= 3; i++) {
		SRC[SER[i]] = "3p"
		NAME[SER[i]] = "3P " SER[i] " score"
		SUBJ[SER[i]] = "the 3P " SER[i] " score"
		UNIT[SER[i]] = " points"
		SOURCE[SER[i]] = "policy_3p.csv"
	}
	for (i = 4; i <= 6; i++) {
		SRC[SER[i]] = "glotip"
		UNIT[SER[i]] = ""
		SOURCE[SER[i]] = "glotip_country_year.csv"
	}
	NAME["persons_convicted"] = "persons convicted"
	NAME["persons_prosecuted"] = "persons prosecuted"
	NAME["detected_victims"] = "detected victims"
	SUBJ["persons_convicted"] = "the yearly number of persons convicted"
	SUBJ["persons_prosecuted"] = "the yearly number of persons prosecuted"
	SUBJ["detected_victims"] = "the yearly number of detected victims"
	# Countries are compared per 100,000 inhabitants (scripts/demo, step
	# glotip_rates): the before/after tables hold the GLOTIP series as rates
	for (i = 4; i <= 6; i++) {
		PP[SER[i]] = SER[i] "_per_100k"
		PPNAME[SER[i]] = NAME[SER[i]] " per 100,000 inhabitants"
		PPSUBJ[SER[i]] = SUBJ[SER[i]] " per 100,000 inhabitants"
	}
}

# the indicator, name and subject of series s in the before/after tables
function ppind(s) { return (s in PP) ? PP[s] : s }
function ppname(s) { return (s in PPNAME) ? PPNAME[s] : NAME[s] }
function ppsubj(s) { return (s in PPSUBJ) ? PPSUBJ[s] : SUBJ[s] }

# the size of a difference in the series' own unit: "0.76 points", "12.3"
function amount(x, s) { return mag(x) UNIT[s] }

# Country names and ratification years by iso3, from a joined table (the
# GLOTIP names are UNODC's, the 3P names ISO's: each series keeps its own
# source's names); for GLOTIP also the suppressed rows of the three series.
# Read here line by line: the tables are large, and little of them is needed.
function names(file, src,    path, line, f, n, i, C, iso) {
	path = out "/" file
	if ((getline line < path) <= 0)
		return
	n = csvsplit(line, f)
	for (i = 1; i <= n; i++)
		C[f[i]] = i
	while ((getline line < path) > 0) {
		csvsplit(line, f)
		iso = f[C["iso3"]]
		if (!((src, iso) in COUNTRY)) {
			COUNTRY[src, iso] = f[C["country"]]
			EVENTYEAR[src, iso] = f[C["event_year"]]
		}
		if (("value_flag" in C) && f[C["indicator"]] ~ /^(persons_convicted|persons_prosecuted|detected_victims)$/) {
			NSERIESROWS++
			if (f[C["value_flag"]] == "<5")
				NSUPPRESSED++
		}
	}
	close(path)
}

function country(s, iso) {
	if ((SRC[s], iso) in COUNTRY)
		return COUNTRY[SRC[s], iso]
	return iso
}

# ---- sections -------------------------------------------------------------------

function head() {
	print "<!DOCTYPE html>"
	print "<html lang=\"en\">"
	print "<head>"
	print "<meta charset=\"utf-8\">"
	print "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	print "<title>Trafficking in persons: trends and the Palermo Protocol (tt demo report)</title>"
	print "<style>"
	print "body { margin: 0; background: #fff; color: #1a1a1a; font: 16px/1.55 system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", \"Liberation Sans\", Arial, sans-serif; }"
	print "main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }"
	print "h1 { font-size: 1.9rem; line-height: 1.25; margin: 0 0 .5rem; color: #123; }"
	print "h2 { font-size: 1.4rem; margin: 2.8rem 0 .6rem; padding-top: .6rem; border-top: 1px solid #ccd3da; color: #123; }"
	print "h3 { font-size: 1.1rem; margin: 1.8rem 0 .4rem; color: #123; }"
	print "p, li { max-width: 46rem; }"
	print ".lede { font-size: 1.08rem; color: #333; }"
	print ".reading { border-left: 4px solid #4a7fb0; background: #f3f7fb; padding: .6rem 1rem; max-width: 44rem; }"
	print ".note, figcaption, .file { color: #555; font-size: .9rem; }"
	print "nav ol { columns: 2; padding-left: 1.2rem; }"
	print "figure { margin: 1.2rem 0 1.8rem; }"
	print "figure svg { display: block; width: 100%; max-width: 56rem; height: auto; border: 1px solid #e3e7eb; }"
	print "figcaption { margin-top: .35rem; }"
	print "table { border-collapse: collapse; margin: .8rem 0 1.4rem; font-size: .92rem; }"
	print "caption { text-align: left; font-weight: 600; padding-bottom: .35rem; color: #123; }"
	print "th, td { border: 1px solid #d5dbe1; padding: .3rem .6rem; vertical-align: top; }"
	print "th { background: #eef2f6; text-align: left; font-weight: 600; }"
	print "td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }"
	print "tr.sub th { background: #f7f9fb; font-weight: 500; font-style: italic; }"
	print "pre { background: #f6f7f8; border: 1px solid #e1e4e8; padding: .7rem .9rem; overflow-x: auto; font-size: .82rem; line-height: 1.4; }"
	print "code { font-size: .9em; }"
	print "a { color: #1f5c99; }"
	print ".missing { color: #a33; }"
	print "@media print { h2 { break-before: auto; } figure, table { break-inside: avoid; } }"
	print "</style>"
	print "</head>"
	print "<body>"
	print "<main>"
}

function intro() {
	print "<h1>Trafficking in persons: trends, and the years before and after the Palermo Protocol</h1>"
	printf "<p class=\"lede\">What the data shipped with tt show about the spread of the UN Trafficking in Persons Protocol (&ldquo;Palermo Protocol&rdquo;, 2000), about worldwide law-enforcement totals, and about prosecutions, convictions, identified victims and anti-trafficking policy before and after each country ratified. Every number and every sentence of reading below is computed from the tables by the commands shown at the end (<code>make demo</code>, %s); nothing is typed in by hand.</p>\n", esc(VERSION)
	print "<p class=\"note\">Read the results with the limits in <a href=\"#limits\">What these charts cannot show</a>: counts of prosecutions, convictions and identified victims measure what states did and reported, not how much trafficking there is, and a change after ratification is not by itself an effect of ratification.</p>"
	print "<nav><ol>"
	print "<li><a href=\"#data\">The data and their checks</a></li>"
	print "<li><a href=\"#diffusion\">The Protocol's spread</a></li>"
	print "<li><a href=\"#global\">Worldwide law-enforcement totals</a></li>"
	print "<li><a href=\"#prepost\">Before and after ratification</a></li>"
	print "<li><a href=\"#event\">Event studies: ratifiers against countries not yet party</a></li>"
	print "<li><a href=\"#trust\">How far to trust these intervals</a></li>"
	print "<li><a href=\"#cases\">Two countries up close</a></li>"
	print "<li><a href=\"#limits\">What these charts cannot show</a></li>"
	print "<li><a href=\"#sources\">Sources and caveats</a></li>"
	print "<li><a href=\"#commands\">How each chart was made</a></li>"
	print "</ol></nav>"
}

function data_section(   r, total, nfiles, bad) {
	print "<h2 id=\"data\">1. The data and their checks</h2>"
	if (!has("check")) {
		print "<p class=\"missing\">(check.csv was not made)</p>"
		return
	}
	total = 0; bad = 0
	print "<table id=\"table-checks\">"
	print "<caption>The shipped tables and <code>tt-check</code></caption>"
	print "<tr><th>file</th><th>rows</th><th>problems found by tt-check</th></tr>"
	for (r = 1; r <= ROWS["check"]; r++) {
		printf "<tr><td><code>data/%s</code></td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		       esc(get("check", r, "file")), num(get("check", r, "rows")),
		       num(get("check", r, "problems"))
		total += get("check", r, "rows")
		bad += get("check", r, "problems")
	}
	print "</table>"
	nfiles = ROWS["check"]
	if (bad == 0)
		printf "<p class=\"reading\">All %d shipped %s (%s rows) %s <code>tt-check</code>: well-formed CSV, numbers where numbers belong, years in range, ISO dates, and no country, indicator and year twice.</p>\n",
		       nfiles, plural(nfiles, "table", "tables"), num(total), plural(nfiles, "passes", "pass")
	else
		printf "<p class=\"reading\">tt-check found %s %s in the %d shipped tables; see <code>notes.txt</code>. The results below may be affected.</p>\n",
		       num(bad), plural(bad, "problem", "problems"), nfiles
}

# Parties by year: consents per instrument, cumulated.
function diffusion_section(   r, ins, name, y, c, first, last, half, busy, busyn, total, at2003, at2013) {
	print "<h2 id=\"diffusion\">2. The Protocol's spread</h2>"
	svg("diffusion.svg", "The Protocol's spread", "Parties to the Palermo Protocol and to the Convention against Transnational Organized Crime (UNTOC), cumulative, by year of ratification or accession.")
	if (!has("parties")) {
		print "<p class=\"missing\">(parties_by_year.csv was not made)</p>"
		return
	}
	s = ""
	for (ins = 1; ins <= 2; ins++) {
		name = ins == 1 ? "palermo" : "untoc"
		total = 0; busyn = 0; first = ""; at2003 = 0; at2013 = 0
		for (r = 1; r <= ROWS["parties"]; r++) {
			if (get("parties", r, "instrument") != name)
				continue
			y = get("parties", r, "year"); c = get("parties", r, "consents")
			if (first == "")
				first = y
			last = y
			total = get("parties", r, "parties")
			if (y <= 2003) at2003 = total
			if (y <= 2013) at2013 = total
			if (c + 0 > busyn) { busyn = c + 0; busy = y }
		}
		# the year by which half of the parties in the file had joined
		half = ""
		for (r = 1; r <= ROWS["parties"]; r++)
			if (get("parties", r, "instrument") == name && half == "" &&
			    2 * get("parties", r, "parties") >= total)
				half = get("parties", r, "year")
		N[name] = total; AT2003[name] = at2003; AT2013[name] = at2013
		BUSY[name] = busy; BUSYN[name] = busyn; HALF[name] = half
		FIRST[name] = first; LAST[name] = last
	}
	printf "<p class=\"reading\">The file lists %s states and organisations that became party to the Protocol, the first in %s and the latest in %s. %s were party by the end of 2003, the year the Protocol entered into force, and %s by the end of 2013, the last year for which the UN record here is complete; half of all the parties listed had joined by %s, and the busiest year was %s, with %s new parties. The parent Convention (UNTOC)%s: %s parties by the end of 2003, %s by 2013, %s in the file.</p>\n",
	       num(N["palermo"]), esc(FIRST["palermo"]), esc(LAST["palermo"]), num(AT2003["palermo"]),
	       num(AT2013["palermo"]), esc(HALF["palermo"]), esc(BUSY["palermo"]), num(BUSYN["palermo"]),
	       (AT2003["untoc"] > AT2003["palermo"] && AT2013["untoc"] > AT2013["palermo"]) ? " was ahead of it at both dates" : "",
	       num(AT2003["untoc"]), num(AT2013["untoc"]), num(N["untoc"])
	print "<p class=\"note\">After mid-2014 the list was rebuilt act by act from official and news pages: it names 180 of the 182 Protocol parties the UN counted in April 2024 (two are not identified, and Eritrea is a party with no date). Some later dates are derived from the entry into force (minus 30 days) or known only to the month or year, and a few rest on a single weak source; data/README.md lists them. The flattening of the curve after 2014 may still be partly an artefact of the record.</p>"
}

function global_section(   r, ind, i, nind, IND, LBL, fy, fv, ly, lv, mx, mxy, s, t) {
	print "<h2 id=\"global\">3. Worldwide law-enforcement totals</h2>"
	svg("global_trends.svg", "Worldwide law-enforcement totals", "Trafficking prosecutions, convictions and victims identified worldwide, as reported to the US State Department (TIP Report global law-enforcement data).")
	if (!has("global")) {
		print "<p class=\"missing\">(global_law_enforcement.csv was not made)</p>"
		return
	}
	nind = split("prosecutions convictions victims_identified", IND, " ")
	LBL["prosecutions"] = "prosecutions"
	LBL["convictions"] = "convictions"
	LBL["victims_identified"] = "identified victims"
	s = ""
	for (i = 1; i <= nind; i++) {
		ind = IND[i]; fy = ""; mx = -1
		for (r = 1; r <= ROWS["global"]; r++) {
			if (get("global", r, "indicator") != ind || get("global", r, "value") == "")
				continue
			if (fy == "") { fy = get("global", r, "year"); fv = get("global", r, "value") }
			ly = get("global", r, "year"); lv = get("global", r, "value")
			if (get("global", r, "value") + 0 > mx) { mx = get("global", r, "value") + 0; mxy = ly }
		}
		if (fy == "")
			continue
		t = ""
		for (r = 1; r <= ROWS["trend"]; r++)
			if (get("trend", r, "indicator") == ind && get("trend", r, "term") == "pct_change")
				t = sprintf(" On a log-linear trend (OLS on the logarithm, %d years) that is %s%% a year (95%% CI %s%% to %s%%).",
					    get("trend", r, "n"), num(get("trend", r, "estimate")),
					    num(get("trend", r, "conf_low")), num(get("trend", r, "conf_high")))
		s = s sprintf(" Reported %s went from %s in %s to %s in %s%s.%s",
			      LBL[ind], num(fv), esc(fy), num(lv), esc(ly),
			      mxy == ly ? ", the highest of the series" : sprintf(" (highest: %s in %s)", num(mx), esc(mxy)), t)
	}
	printf "<p class=\"reading\">%s</p>\n", substr(s, 2)
	print "<p class=\"note\">These are sums of what governments chose to report to the State Department in each year. More countries reporting, or reporting more completely, raises them as surely as more enforcement does; the series cannot separate the two. 2003–2015 come from the 2007 and 2016 reports, 2017–2023 from the 2024 report (a secondary copy of its table, checked against two other summaries); the 2016 totals were not found, hence the gap in the chart (data/README.md gives the edition and confidence of every year).</p>"
	index_section()
}

# ---- counts on the proportional scale (tt-panel, tt-trend --method poisson) ----

# the row of table name with indicator s and column col equal to v (0: none)
function row_of(name, s, col, v,    r) {
	for (r = 1; r <= ROWS[name]; r++)
		if (get(name, r, "indicator") == s && get(name, r, col) == v)
			return r
	return 0
}

# "12% higher", "3.4% lower", "no different" for a percent change x
function pctword(x) {
	if (x == "")
		return "–"
	if (x + 0 == 0)
		return "no different"
	return mag(x) "% " (x + 0 < 0 ? "lower" : "higher")
}

function pctci(lo, hi) {
	if (lo == "" || hi == "")
		return "–"
	return num(lo) "% to " num(hi) "%"
}

# The coverage-adjusted index of each GLOTIP series beside its raw sums: the
# first and the last year of the index, with the countries reporting.
function index_section(   i, s, r, y, last, b, rb, rl, sb, sl, raw, lo, hi, idx, txt) {
	b = INDEXBASE
	print "<h3 id=\"index\">The GLOTIP counts, each country against itself</h3>"
	printf "<p>A sum over the countries that report in a year rises when more, or larger, countries report. <code>tt-panel --model index</code> instead fits each GLOTIP series with a fixed effect for every country and every year (Poisson pseudo-maximum likelihood, as <code>fixest::fepois</code>), so that each country is compared only with itself; the year effects, as an index with %s = 100, are the <em>coverage-adjusted</em> trend: 80 means that a typical reporting country recorded 20%% fewer cases than in %s. Intervals are 95%%, clustered by country.</p>\n", esc(b), esc(b)
	svg("glotip_index.svg", "Coverage-adjusted GLOTIP counts", "GLOTIP persons convicted, persons prosecuted and detected victims: year effects of a Poisson regression with country and year fixed effects, as an index (" b " = 100), with 95% confidence intervals clustered by country.")
	if (!has("index") || !has("totals")) {
		print "<p class=\"missing\">(glotip_index.csv or glotip_totals.csv was not made)</p>"
		return
	}
	print "<table id=\"table-index\">"
	printf "<caption>Raw sums and the coverage-adjusted index (%s = 100)</caption>\n", esc(b)
	print "<tr><th>series</th><th>sum reported, " esc(b) " (countries)</th><th>last year</th><th>sum reported (countries)</th><th>change of the sum</th><th>index (95% CI)</th><th>change within countries</th></tr>"
	for (i = 4; i <= NSER; i++) {
		s = SER[i]
		last = ""
		for (r = 1; r <= ROWS["index"]; r++)
			if (get("index", r, "indicator") == s && get("index", r, "estimate") != "" &&
			    (last == "" || get("index", r, "year") + 0 > last + 0))
				last = get("index", r, "year")
		rb = row_of("totals", s, "year", b); rl = row_of("totals", s, "year", last)
		idx = row_of("index", s, "year", last)
		if (last == "" || !rb || !rl || !idx) {
			printf "<tr><td>%s</td><td colspan=\"6\" class=\"missing\">no index</td></tr>\n", esc(NAME[s])
			continue
		}
		sb = get("totals", rb, "sum"); sl = get("totals", rl, "sum")
		raw = sb + 0 > 0 ? 100 * (sl / sb - 1) : ""
		lo = get("index", idx, "conf_low"); hi = get("index", idx, "conf_high")
		printf "<tr><td>%s</td><td class=\"n\">%s (%s)</td><td class=\"n\">%s</td><td class=\"n\">%s (%s)</td><td class=\"n\">%s%%</td><td class=\"n\">%s (%s)</td><td class=\"n\">%s%%</td></tr>\n",
		       esc(NAME[s]), num(sb), num(get("totals", rb, "count")), esc(last), num(sl),
		       num(get("totals", rl, "count")), raw == "" ? "–" : num(raw),
		       num(get("index", idx, "estimate")), ci(lo, hi), num(get("index", idx, "estimate") - 100)
		txt = sprintf("Summed over the countries that reported, %s went from %s in %s (%s countries) to %s in %s (%s countries): %s. Compared within each country, the level in %s was %s of %s's (95%% CI %s), that is %s. ",
			      NAME[s], num(sb), esc(b), num(get("totals", rb, "count")), num(sl), esc(last),
			      num(get("totals", rl, "count")), raw == "" ? "–" : pctword(raw), esc(last),
			      num(get("index", idx, "estimate")) "%", esc(b), ci(lo, hi),
			      pctword(get("index", idx, "estimate") - 100))
		if (raw != "" && lo != "" && hi != "" && (100 + raw < lo + 0 || 100 + raw > hi + 0))
			txt = txt sprintf("The sum moved %s than the within-country index allows: the difference is not a change inside the countries but a change in which countries reported, and how large they are (%s countries reported in %s, %s in %s).",
					  100 + raw > hi + 0 ? "up more" : "down more", num(get("totals", rb, "count")), esc(b),
					  num(get("totals", rl, "count")), esc(last))
		else if (raw != "")
			txt = txt "Here the sum and the within-country index agree within the index's uncertainty: the change of who reported does not distort this series much over these years."
		INDEXTXT[s] = txt
	}
	print "</table>"
	for (i = 4; i <= NSER; i++)
		if (SER[i] in INDEXTXT)
			printf "<p class=\"reading\">%s</p>\n", INDEXTXT[SER[i]]
}

# Percent answers beside the level ones for count series s (section 4): the
# PPML two-way fixed-effects effect of post, and each country's Poisson
# trend, as a forest plot.
function pct_prepost(s,    r, rp, rt, d, e, n, up, down, k, v, V, i, j, t, med, txt) {
	r = pooled(s)
	d = r ? get(P_NAME, r, "estimate") : ""
	rp = row_of("twfe", s, "term", "pct_post"); rt = row_of("twfe", s, "term", "post")
	n = 0; up = 0; down = 0
	for (k = 1; k <= ROWS["ptrend"]; k++) {
		if (get("ptrend", k, "indicator") != s || get("ptrend", k, "estimate") == "")
			continue
		V[++n] = get("ptrend", k, "estimate") + 0
		if (get("ptrend", k, "conf_low") != "" && get("ptrend", k, "conf_low") + 0 > 0) up++
		if (get("ptrend", k, "conf_high") != "" && get("ptrend", k, "conf_high") + 0 < 0) down++
	}
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && V[j] < V[j - 1]; j--) { t = V[j]; V[j] = V[j - 1]; V[j - 1] = t }
	med = n ? (n % 2 ? V[(n + 1) / 2] : (V[n / 2] + V[n / 2 + 1]) / 2) : ""
	if (!rp) {
		printf "<p class=\"missing\">(no Poisson result for %s)</p>\n", esc(NAME[s])
		return
	}
	e = get("twfe", rp, "estimate")
	txt = sprintf("In proportion: with a fixed effect for every country and every year (Poisson, <code>tt-panel</code>, years to %s), %s was %s in the years after ratification than in the years before (95%% CI %s; %s, %s observations). ",
		      esc(LASTGLOTIP), SUBJ[s], pctword(e), pctci(get("twfe", rp, "conf_low"), get("twfe", rp, "conf_high")),
		      pis(get("twfe", rt, "p_value")), num(get("twfe", rp, "n")))
	if (d != "" && e != "" && (d + 0 > 0) != (e + 0 > 0) && d + 0 != 0 && e + 0 != 0)
		txt = txt sprintf("The level answer above (%s %s) and the percent answer point different ways: the mean of the differences is carried by a few countries with large counts, while the typical country, weighed by its own size, moved the other way. ",
				  amount(d, s), d + 0 < 0 ? "lower" : "higher")
	else if (d != "" && e != "")
		txt = txt "The level answer above points the same way; in percent, a country with 10 cases counts as much as one with 10,000. "
	if (n)
		txt = txt sprintf("Country by country over all their years (a Poisson trend each), %s rose significantly in %d of %d countries and fell in %d; the median change was %s%% a year.",
				  NAME[s], up, n, down, num(med))
	printf "<p class=\"reading\">%s</p>\n", txt
	svg("pct_" s ".svg", "Percent change a year: " NAME[s], "Percent change a year of " NAME[s] " by country: Poisson trend over all the country's years (tt-trend --method poisson), with its 95% confidence interval (HC1). Intervals reaching past the frame are cut. Source: " SOURCE[s] ".")
}

# The extended TWFE event study in percent beside tt-event's level answer
# (section 5).
function pct_event(s,    a, c, rp, e, p, txt, lp, how) {
	a = row_of("etwfe", s, "term", "att_simple")
	c = event_row("event_" SRC[s], s, "att_simple")
	rp = row_of("twfe", s, "term", "pct_post")
	if (!a || get("etwfe", a, "estimate") == "") {
		printf "<p class=\"missing\">(no extended TWFE result for %s)</p>\n", esc(NAME[s])
		return
	}
	e = get("etwfe", a, "estimate"); p = get("etwfe", a, "p_value")
	txt = sprintf("In percent (Wooldridge's extended two-way fixed effects, Poisson: each ratification cohort in each year against the countries not yet party, %s observations), %s was %s in the years from ratification on (95%% CI %s; %s). ",
		      num(get("etwfe", a, "n")), SUBJ[s], pctword(e),
		      pctci(get("etwfe", a, "conf_low"), get("etwfe", a, "conf_high")), pis(p))
	if (c && get("event_" SRC[s], c, "estimate") != "") {
		if ((get("event_" SRC[s], c, "estimate") + 0 > 0) == (e + 0 > 0))
			txt = txt "It points the same way as the difference in levels above. "
		else
			txt = txt "It points the other way from the difference in levels above: in levels the few countries with large counts decide, in percent each country weighs by its own size. "
		# the level answer's test is the one its verdict uses (section 5):
		# the randomization p-value for these counts
		lp = get("event_" SRC[s], c, "p_perm"); how = "randomization "
		if (lp == "" && SRC[s] != "glotip") {
			lp = get("event_" SRC[s], c, "p_value"); how = ""
		}
		if (lp != "" && p != "" && (lp + 0 < 0.05) != (p + 0 < 0.05))
			txt = txt sprintf("One of the two is clearly away from zero (%s%s in levels, %s here) and the other is not, so neither answer is secure. ",
					  how, pis(lp), pis(p))
	}
	if (rp)
		txt = txt sprintf("The classic single-coefficient estimate (section 4) is %s; with ratifications spread over many years it also compares late ratifiers with early ones, whose effects may still be changing, and is not read as the effect.",
				  pctword(get("twfe", rp, "estimate")))
	printf "<p class=\"reading\">%s</p>\n", txt
	svg("event_pct_" s ".svg", "Event study in percent: " NAME[s], "Percent effect on " NAME[s] " by years since ratification, with its 95% confidence interval clustered by country (extended TWFE, Poisson, tt-panel --model etwfe). Source: " SOURCE[s] ".")
}

# Per-country differences of series s from table name: counts of rises and
# falls, kept in D_* for the readings and the top/bottom tables.
function diffs(name, s,    r, d, i, j, t) {
	NDIFF = 0; ROSE = 0; FELL = 0; SAME = 0
	for (r = 1; r <= ROWS[name]; r++) {
		if (get(name, r, "indicator") != ppind(s) || get(name, r, "term") != "diff" ||
		    get(name, r, "iso3") == "ALL" || get(name, r, "estimate") == "")
			continue
		d = get(name, r, "estimate") + 0
		NDIFF++
		D_ISO[NDIFF] = get(name, r, "iso3")
		D_EST[NDIFF] = d
		D_LO[NDIFF] = get(name, r, "conf_low")
		D_HI[NDIFF] = get(name, r, "conf_high")
		D_N[NDIFF] = get(name, r, "n")
		if (d > 0) ROSE++
		else if (d < 0) FELL++
		else SAME++
	}
	# largest rise first; ties by iso3, so the order never depends on input order
	for (i = 2; i <= NDIFF; i++)
		for (j = i; j > 1 && (D_EST[j] > D_EST[j - 1] ||
		     (D_EST[j] == D_EST[j - 1] && D_ISO[j] < D_ISO[j - 1])); j--) {
			t = D_ISO[j]; D_ISO[j] = D_ISO[j - 1]; D_ISO[j - 1] = t
			t = D_EST[j]; D_EST[j] = D_EST[j - 1]; D_EST[j - 1] = t
			t = D_LO[j]; D_LO[j] = D_LO[j - 1]; D_LO[j - 1] = t
			t = D_HI[j]; D_HI[j] = D_HI[j - 1]; D_HI[j - 1] = t
			t = D_N[j]; D_N[j] = D_N[j - 1]; D_N[j - 1] = t
		}
}

function pooled_row(name, s, term,    r) {
	for (r = 1; r <= ROWS[name]; r++)
		if (get(name, r, "iso3") == "ALL" && get(name, r, "indicator") == ppind(s) &&
		    get(name, r, "term") == term)
			return r
	return 0
}

# The pooled rows of series s: sets P_NAME (its table), P_SR and P_ST (the
# signed-rank and sign-test rows) and the per-country D_* (diffs); returns
# the pooled_diff row, 0 when there is none.
function pooled(s) {
	P_NAME = "prepost_" SRC[s]
	P_SR = pooled_row(P_NAME, s, "signed_rank")
	P_ST = pooled_row(P_NAME, s, "sign_test")
	diffs(P_NAME, s)
	return pooled_row(P_NAME, s, "pooled_diff")
}

function prepost_table(   i, s, r) {
	print "<table id=\"table-prepost-pooled\">"
	printf "<caption>Before and after ratification, pooled across countries (%s)</caption>\n", esc(WINDOW)
	print "<tr><th>series</th><th>countries</th><th>mean difference after − before</th><th>95% CI</th><th>t-test p</th><th>rose / fell / unchanged</th><th>sign test p</th><th>signed-rank p</th></tr>"
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		r = pooled(s)
		if (!r) {
			printf "<tr><td>%s</td><td colspan=\"7\" class=\"missing\">no pooled rows</td></tr>\n", esc(ppname(s))
			continue
		}
		printf "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%d / %d / %d</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		       esc(ppname(s)), num(get(P_NAME, r, "n")), num(get(P_NAME, r, "estimate")),
		       ci(get(P_NAME, r, "conf_low"), get(P_NAME, r, "conf_high")), pval(get(P_NAME, r, "p_value")),
		       ROSE, FELL, SAME, pval(get(P_NAME, P_ST, "p_value")), pval(get(P_NAME, P_SR, "p_value"))
	}
	print "</table>"
}

function prepost_reading(s,    r, n, d, lo, hi, p, txt) {
	r = pooled(s)
	if (!r) {
		printf "<p class=\"missing\">(no pooled result for %s)</p>\n", esc(ppname(s))
		return
	}
	n = get(P_NAME, r, "n"); d = get(P_NAME, r, "estimate")
	lo = get(P_NAME, r, "conf_low"); hi = get(P_NAME, r, "conf_high"); p = get(P_NAME, r, "p_value")
	txt = sprintf("Across %s countries with %s on both sides of ratification (%s), %s was on average %s after ratification than before (95%% CI %s; %s). ",
		      num(n), (SRC[s] == "3p" ? "a " : "a count of ") esc(NAME[s]), esc(WINDOW_SHORT), ppsubj(s),
		      d + 0 == 0 ? "the same" : amount(d, s) (d + 0 < 0 ? " lower" : " higher"),
		      ci(lo, hi), pis(p))
	txt = txt sprintf("%d of %d rose, %d fell%s (sign test %s; signed-rank test %s). ",
			  ROSE, NDIFF, FELL, SAME ? sprintf(", %d did not change", SAME) : "",
			  pis(get(P_NAME, P_ST, "p_value")), pis(get(P_NAME, P_SR, "p_value")))
	if (lo != "" && hi != "" && (lo + 0 > 0 || hi + 0 < 0) && get(P_NAME, P_ST, "p_value") + 0 < 0.05)
		txt = txt "The change leans clearly one way across countries. It is a comparison of earlier with later years, though: anything else that changed over the same years moves it too (see the event studies below)."
	else if (lo != "" && hi != "" && (lo + 0 > 0 || hi + 0 < 0))
		txt = txt "The average moved, but the countries do not lean one way as clearly: a few large changes carry the mean."
	else if (get(P_NAME, P_ST, "p_value") != "" && get(P_NAME, P_ST, "p_value") + 0 < 0.05)
		txt = txt "Most countries moved the same way, but the average change is uncertain: a few large changes in the other direction weigh on it."
	else
		txt = txt "The data do not show a consistent change: the interval includes zero and rises and falls are close to balanced."
	if (SRC[s] == "glotip" && NDIFF > 0)
		txt = txt sprintf(" The largest rise was %s (%s), the largest fall %s (%s). Per inhabitant, large countries do not dominate the mean as they would in counts, but the rates of small countries, resting on a few cases, move the most.",
				  esc(country(s, D_ISO[1])), (D_EST[1] > 0 ? "+" : "") num(D_EST[1]),
				  esc(country(s, D_ISO[NDIFF])), num(D_EST[NDIFF]))
	printf "<p class=\"reading\">%s</p>\n", txt
}

function topbottom_table(s,    i, k, name, r, lim) {
	name = "prepost_" SRC[s]
	diffs(name, s)
	if (NDIFF == 0)
		return
	k = NDIFF < 10 ? int((NDIFF + 1) / 2) : 5
	printf "<table id=\"table-topbottom-%s\">\n", esc(s)
	printf "<caption>%s: %s (difference of means, after − before; ties in alphabetical order)</caption>\n",
	       esc(ppname(s)), k == 1 ? "the largest rise and the largest fall" : "the " k " largest rises and falls"
	print "<tr><th></th><th>country</th><th>ratified</th><th>difference</th><th>95% CI</th><th>years (before + after)</th></tr>"
	print "<tr class=\"sub\"><th colspan=\"6\">largest rises</th></tr>"
	for (i = 1; i <= k; i++)
		topbottom_row(s, i)
	print "<tr class=\"sub\"><th colspan=\"6\">largest falls</th></tr>"
	lim = NDIFF - k + 1
	if (lim <= k) lim = k + 1
	for (i = NDIFF; i >= lim; i--)
		topbottom_row(s, i)
	print "</table>"
}

function topbottom_row(s, i) {
	printf "<tr><td class=\"n\">%d</td><td>%s <span class=\"file\">%s</span></td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
	       i, esc(country(s, D_ISO[i])), esc(D_ISO[i]), esc(EVENTYEAR[SRC[s], D_ISO[i]]),
	       num(D_EST[i]), ci(D_LO[i], D_HI[i]), num(D_N[i])
}

function prepost_section(   i, s) {
	print "<h2 id=\"prepost\">4. Before and after ratification</h2>"
	printf "<p>For each country and series, <code>tt-prepost</code> compares the mean of the years before ratification with the mean of the years from ratification on (%s), with Welch's t test. With <code>--pooled</code> it then asks whether these per-country differences lean one way across countries: their mean with a t interval, a sign test of rises against falls, and a Wilcoxon signed-rank test. Countries that never ratified, or whose data begin after they ratified, have no difference and do not count. The GLOTIP counts are compared per 100,000 inhabitants (<code>tt-join --attach data/population.csv</code>, then <code>tt-rate</code>): in counts, a change of a few hundred cases in a country of a billion people would outweigh everything a small country does.</p>\n", esc(WINDOW)
	prepost_table()
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		printf "<h3>%s</h3>\n", esc(NAME[s]) (SRC[s] == "3p" ? " (1 = no compliance, 5 = full)" : "")
		prepost_reading(s)
		svg("forest_" s ".svg", "Before and after ratification: " ppname(s), "Change in " ppname(s) " after ratification, by country: difference of means (after − before) with its 95% confidence interval (Welch). Source: " SOURCE[s] (SRC[s] == "glotip" ? ", population from population.csv (World Bank)" : "") ".")
		topbottom_table(s)
		if (SRC[s] == "glotip")
			pct_prepost(s)
	}
}

function event_row(name, s, term,    r) {
	for (r = 1; r <= ROWS[name]; r++)
		if (get(name, r, "indicator") == s && get(name, r, "term") == term)
			return r
	return 0
}

function event_table(   i, s, name, a, dy, g, pt) {
	print "<table id=\"table-event-aggregates\">"
	printf "<caption>Event studies (Callaway–Sant'Anna, %s): overall effects and the pre-trend test</caption>\n", esc(EWINDOW)
	print "<tr><th>series</th><th>countries</th><th>ATT, all post-ratification years</th><th>95% CI</th><th>p</th><th>randomization p</th><th>ATT by years since ratification</th><th>ATT by cohort</th><th>pre-trend test</th></tr>"
	for (i = 1; i <= NSER; i++) {
		s = SER[i]; name = "event_" SRC[s]
		a = event_row(name, s, "att_simple"); dy = event_row(name, s, "att_dynamic")
		g = event_row(name, s, "att_group"); pt = event_row(name, s, "pretrend")
		if (!a) {
			printf "<tr><td>%s</td><td colspan=\"8\" class=\"missing\">no estimate</td></tr>\n", esc(NAME[s])
			continue
		}
		printf "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s<br><span class=\"file\">%s</span></td><td class=\"n\">%s<br><span class=\"file\">%s</span></td><td class=\"n\">%s</td></tr>\n",
		       esc(NAME[s]), num(get(name, a, "n")), num(get(name, a, "estimate")),
		       ci(get(name, a, "conf_low"), get(name, a, "conf_high")), pval(get(name, a, "p_value")),
		       pval(get(name, a, "p_perm")),
		       num(get(name, dy, "estimate")), ci(get(name, dy, "conf_low"), get(name, dy, "conf_high")),
		       num(get(name, g, "estimate")), ci(get(name, g, "conf_low"), get(name, g, "conf_high")),
		       pt ? sprintf("χ² %s, df %s, %s; randomization %s", num(get(name, pt, "statistic")), esc(get(name, pt, "df")), pis(get(name, pt, "p_value")), pis(get(name, pt, "p_perm"))) : "–"
	}
	print "</table>"
}

# The verdict on the overall effect, from the inference the placebo
# calibration supports: for the GLOTIP counts the randomization p-value
# (the intervals are too narrow there), for the 3P scores the interval.
function event_verdict(name, s, a,    pp, lo, hi) {
	pp = get(name, a, "p_perm")
	lo = get(name, a, "conf_low"); hi = get(name, a, "conf_high")
	if (SRC[s] == "glotip" || (lo == "" && pp != "")) {
		if (pp == "")
			return "There is no randomization p-value for this series, so no verdict."
		if (pp + 0 <= 0.05)
			return sprintf("The data show a change: reassigning the ratification years to the countries at random gives an average this far from zero in only %s of reassignments (randomization %s), the test the placebo calibration below supports for these counts.", pct1(pp), pis(pp))
		return sprintf("The data do not show a change: reassigning the ratification years to the countries at random gives an average at least this far from zero in %s of reassignments (randomization %s), the test the placebo calibration below supports for these counts.", pct1(pp), pis(pp))
	}
	if (lo == "" || hi == "")
		return "There is no interval for this series, so no verdict."
	if (lo + 0 > 0 || hi + 0 < 0)
		return sprintf("The data show a change: the 95%% interval excludes zero%s.", pp != "" ? sprintf(" (randomization %s)", pis(pp)) : "")
	return sprintf("The data do not show a change: the 95%% interval includes zero%s.", pp != "" ? sprintf(" (randomization %s)", pis(pp)) : "")
}

function pct1(p) { return sprintf("%.1f%%", 100 * p) }

function event_reading(s,    name, a, pt, r, e, lo, hi, p, txt, nrel, nsig, pp, how) {
	name = "event_" SRC[s]
	a = event_row(name, s, "att_simple"); pt = event_row(name, s, "pretrend")
	if (!a) {
		printf "<p class=\"missing\">(no event-study result for %s)</p>\n", esc(NAME[s])
		return
	}
	e = get(name, a, "estimate"); lo = get(name, a, "conf_low"); hi = get(name, a, "conf_high")
	p = get(name, a, "p_value")
	nrel = 0; nsig = 0
	for (r = 1; r <= ROWS[name]; r++)
		if (get(name, r, "indicator") == s && get(name, r, "term") == "att" &&
		    get(name, r, "rel_year") != "" && get(name, r, "rel_year") + 0 >= 0 &&
		    get(name, r, "estimate") != "") {
			nrel++
			if (get(name, r, BANDLO) != "" && (get(name, r, BANDLO) + 0 > 0 || get(name, r, BANDHI) + 0 < 0))
				nsig++
		}
	txt = sprintf("Comparing each country's change since the year before ratification with the change among countries not yet party in the same years (%s countries in the analysis, %s of them ratifiers in the cells averaged), %s was on average %s in the years from ratification on (%s); in %d of the %d years shown after ratification, the chart's band excludes zero. ",
		      num(get(name, a, "n")), num(get(name, a, "n_treated")), SUBJ[s],
		      e + 0 == 0 ? "no different" : amount(e, s) (e + 0 < 0 ? " lower" : " higher"),
		      lo == "" ? "no interval: a cell it averages rests on a single country on one side, whose uncertainty no method can measure" : "95% CI " ci(lo, hi) "; " pis(p), nsig, nrel)
	txt = txt event_verdict(name, s, a)
	# the pre-trend verdict: the randomization p-value where there is one
	# (the intervals' Wald test rejects too often on these data, see
	# "How far to trust these intervals"), else the Wald test's
	pp = (pt && get(name, pt, "p_perm") != "") ? get(name, pt, "p_perm") : (pt ? get(name, pt, "p_value") : "")
	how = (pt && get(name, pt, "p_perm") != "") ? "randomization " : ""
	if (pp != "" && pp + 0 <= 0.05)
		txt = txt sprintf(" But the pre-trend test rejects parallel trends (χ² = %s, df %s, %s%s): the ratifiers were already moving differently from the comparison countries before they ratified, so this estimate cannot be read as an effect of ratification.",
				  num(get(name, pt, "statistic")), esc(get(name, pt, "df")), how, pis(pp))
	else if (pp != "")
		txt = txt sprintf(" The years before ratification are jointly compatible with no difference (pre-trend test χ² = %s, df %s, %s%s), which a causal reading needs but does not prove.",
				  num(get(name, pt, "statistic")), esc(get(name, pt, "df")), how, pis(pp))
	if (SRC[s] == "glotip")
		txt = txt " With counts, a cell resting on a few large countries can dominate the average, and few countries report in the years before they ratified: treat the estimate as fragile."
	printf "<p class=\"reading\">%s</p>\n", txt
}

function event_section(   i, s) {
	print "<h2 id=\"event\">5. Event studies: ratifiers against countries not yet party</h2>"
	printf "<p>A before/after difference mixes the effect of ratifying with everything else that changed over the same years. <code>tt-event</code> estimates, for each group of countries that ratified in the same year and each later year, the change since the year before ratification minus the change among countries that had not yet ratified (Callaway and Sant'Anna's staggered difference-in-differences, with not-yet-treated controls), and averages these by years since ratification. Intervals come from a bootstrap over countries (%s). The shaded band in each chart is the %s; the estimates before ratification (left of the dashed line) should hover around zero if the comparison is fair. Years: %s.</p>\n", esc(EBOOT), BANDTEXT, esc(EWINDOW)
	event_table()
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		printf "<h3>%s</h3>\n", esc(NAME[s])
		event_reading(s)
		svg("event_" s ".svg", "Event study: " NAME[s], "Event study of " NAME[s] ": average effect by years since ratification, with the " BANDTEXT " (Callaway–Sant'Anna, not-yet-treated controls). Source: " SOURCE[s] ".")
		if (SRC[s] == "glotip")
			pct_event(s)
	}
}

# ---- how far to trust the event studies' intervals (scripts/calibrate) ----

function calib_row(ind, method, term,    r) {
	for (r = 1; r <= ROWS["calib"]; r++)
		if (get("calib", r, "indicator") == ind && get("calib", r, "method") == method &&
		    get("calib", r, "term") == term)
			return r
	return 0
}

function calibration_section(   i, s, r, m, nm, M, MH, t, NT, T, share, worst) {
	print "<h2 id=\"trust\">How far to trust these intervals</h2>"
	if (!has("calib")) {
		print "<p class=\"missing\">(calibration.csv was not made)</p>"
		return
	}
	printf "<p>A check of the event studies' inference on these very data (<code>scripts/calibrate</code>: %s). The real ratification years are handed out to the countries at random, so that ratifying can have had no effect, and the event study is run on each shuffled table; a trustworthy 95%% interval then excludes zero in about 5%% of the draws, and a trustworthy p-value is at most 0.05 in about 5%%. The table gives the share of draws that found an effect, out of the draws in which the estimate had an interval or p-value (in brackets). The intervals come from the bootstrap over countries (the default, used in the section above), the multiplier bootstrap (R did's default) or did's analytic formula; the randomization p-value from reassigning the ratification years.</p>\n", esc(CALIB)
	nm = split("bootstrap multiplier analytic permutation", M, " ")
	split("bootstrap interval,multiplier interval,analytic interval,randomization p", MH, ",")
	NT = split("att_simple att_dynamic att_group pretrend", T, " ")
	print "<table id=\"table-calibration\">"
	print "<caption>Share of 5% tests that find an effect where there is none (placebo draws; should be near 5%)</caption>"
	printf "<tr><th>series</th><th>estimate</th>"
	for (m = 1; m <= nm; m++)
		printf "<th>%s</th>", MH[m]
	print "</tr>"
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		for (t = 1; t <= NT; t++) {
			printf "<tr><td>%s</td><td>%s</td>", t == 1 ? esc(NAME[s]) : "", esc(T[t])
			for (m = 1; m <= nm; m++) {
				r = calib_row(s, M[m], T[t])
				if (!r) {
					printf "<td class=\"n\">–</td>"
					continue
				}
				share = get("calib", r, "share")
				printf "<td class=\"n\">%s <span class=\"file\">(%s)</span></td>", pct1(share), esc(get("calib", r, "draws"))
				if (M[m] == "bootstrap" && T[t] == "att_simple" && share + 0 > worst[SRC[s]] + 0)
					worst[SRC[s]] = share
			}
			print "</tr>"
		}
	}
	print "</table>"
	printf "<p class=\"reading\">On the GLOTIP counts the randomization p-values find an effect close to the nominal 5%% of the time, as a permutation test must; the bootstrap interval of the overall effect, with cells on fewer than three ratifying countries left out (<code>tt-event --min-treated 3</code>, the default), in up to %s of draws, and the pre-trend test of every interval method far too often. So this report reads the GLOTIP event studies, and every pre-trend test, from the randomization p-values. On the 3P scores, with many countries and few gaps, the intervals of the effects hold their level (worst bootstrap share for att_simple %s).</p>\n", pct1(worst["glotip"]), pct1(worst["3p"])
}

function case_reading(k,    name, iso, r, s, mp, mq, d, lv, sl, np, nq, txt) {
	mp = mq = d = lv = sl = 0
	name = "case" k
	s = "persons_convicted"
	iso = get("cases", k, "iso3")
	for (r = 1; r <= ROWS[name]; r++) {
		if (get(name, r, "term") == "mean_pre") { mp = r; np = get(name, r, "n") }
		if (get(name, r, "term") == "mean_post") { mq = r; nq = get(name, r, "n") }
		if (get(name, r, "term") == "diff") d = r
		if (get(name, r, "term") == "its_level") lv = r
		if (get(name, r, "term") == "its_slope") sl = r
	}
	txt = sprintf("%s ratified in %s. In the %s %s with a number before, it convicted on average %s persons a year; in the %s %s from ratification on, %s: %s %s%s. ",
		      esc(country(s, iso)), esc(get("cases", k, "event_year")),
		      num(np), plural(np, "year", "years"), num(get(name, mp, "estimate")),
		      num(nq), plural(nq, "year", "years"), num(get(name, mq, "estimate")),
		      mag(get(name, d, "estimate")), get(name, d, "estimate") + 0 < 0 ? "fewer" : "more",
		      get(name, d, "conf_low") == "" ? "" : sprintf(" (95%% CI %s, Welch %s)",
			ci(get(name, d, "conf_low"), get(name, d, "conf_high")), pis(get(name, d, "p_value"))))
	if (lv && get(name, lv, "estimate") != "")
		txt = txt sprintf("The segmented regression (the two fitted lines) puts a jump of %s at ratification (95%% CI %s) and a change of trend of %s a year (95%% CI %s), with Newey–West errors.",
				  num(get(name, lv, "estimate")), ci(get(name, lv, "conf_low"), get(name, lv, "conf_high")),
				  num(get(name, sl, "estimate")), ci(get(name, sl, "conf_low"), get(name, sl, "conf_high")))
	txt = txt " One country's series can jump when its law or its way of counting changes; read it against the country's own reports."
	printf "<p class=\"reading\">%s</p>\n", txt
}

function cases_section(   k, r) {
	print "<h2 id=\"cases\">6. Two countries up close</h2>"
	if (!has("cases")) {
		print "<p class=\"missing\">(cases.csv was not made)</p>"
		return
	}
	print "<p>Pooled numbers hide what single countries did. The demo picks, from the data, the two countries with the longest balanced record of persons convicted around ratification: the most years with a number on the shorter side (before or after), then the most years in all. All their years are shown, not only the window used above.</p>"
	print "<table id=\"table-cases\">"
	print "<caption>The countries with the longest balanced record of persons convicted</caption>"
	print "<tr><th>country</th><th>ratified</th><th>years with a number before</th><th>after</th></tr>"
	for (r = 1; r <= ROWS["cases"]; r++)
		printf "<tr><td>%s <span class=\"file\">%s</span></td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		       esc(country("persons_convicted", get("cases", r, "iso3"))), esc(get("cases", r, "iso3")), esc(get("cases", r, "event_year")),
		       num(get("cases", r, "years_before")), num(get("cases", r, "years_after"))
	print "</table>"
	for (k = 1; k <= ROWS["cases"] && k <= 2; k++) {
		printf "<h3>%s</h3>\n", esc(country("persons_convicted", get("cases", k, "iso3")))
		case_reading(k)
		svg("case" k ".svg", "Case " k ": " country("persons_convicted", get("cases", k, "iso3")), "Persons convicted in " country("persons_convicted", get("cases", k, "iso3")) ", by year, with the ratification of the Palermo Protocol (dashed) and the segmented regression before and after it. Source: glotip_country_year.csv.")
		synth_case(k)
	}
}

# ---- a case's synthetic control (tt-synth; scripts/demo's synth_cases.csv) ----

# "a mix of Sri Lanka (0.49), Nepal (0.28) and Bangladesh (0.19)": the
# donors of table t with their weights, largest first as tt-synth writes them
function synth_donors(t, s,    r, n, txt, item) {
	n = 0
	txt = ""
	for (r = 1; r <= ROWS[t]; r++) {
		if (get(t, r, "term") != "weight")
			continue
		item = esc(country(s, get(t, r, "donor"))) " (" num(get(t, r, "estimate")) ")"
		DONOR_ITEM[++n] = item
	}
	for (r = 1; r <= n; r++)
		txt = txt (r == 1 ? "" : r == n ? " and " : ", ") DONOR_ITEM[r]
	return n == 1 ? txt " alone, the best mix of them," : "a mix of " txt
}

# the row of table t with this term (the first), or 0
function synth_row(t, term,    r) {
	for (r = 1; r <= ROWS[t]; r++)
		if (get(t, r, "term") == term)
			return r
	return 0
}

# What the synthetic control of case k shows, every number from its table:
# the mix, the fit before ratification against the spread of the country's
# own series then (tt-synth's poor-fit rule: RMSPE above a fifth of the sd),
# the gap after, and the placebo rank in words.
function synth_reading(k, s, t, iso,    who, ev, r, n, y, m, ss, sd, g, ng, mg, ra, J, rank, pre, txt, first, last) {
	who = esc(country(s, iso))
	ev = get(t, synth_row(t, "event"), "year")
	n = 0; m = 0; ss = 0; ng = 0; mg = 0
	for (r = 1; r <= ROWS[t]; r++) {
		y = get(t, r, "year")
		if (get(t, r, "term") == "treated" && y + 0 < ev + 0) {
			n++
			g = get(t, r, "estimate") - m
			m += g / n
			ss += g * (get(t, r, "estimate") - m)
		}
		if (get(t, r, "term") == "gap") {
			if (first == "")
				first = y
			last = y
		}
		if (get(t, r, "term") == "gap" && y + 0 >= ev + 0) {
			ng++
			mg += get(t, r, "estimate")
		}
	}
	sd = n > 1 ? sqrt(ss / (n - 1)) : ""
	mg = ng ? mg / ng : ""
	ra = synth_row(t, "ratio")
	J = get(t, ra, "n") - 1
	rank = get(t, ra, "statistic")
	pre = get(t, synth_row(t, "rmspe_pre"), "estimate")
	txt = sprintf("<strong>Synthetic control.</strong> Of the %s countries that had not ratified by %s and have %s in every year from %s, %s tracks %s before it ratified in %s with a root mean squared gap of %s%s",
		      num(J), esc(last), esc(SUBJ[s] == "" ? NAME[s] : SUBJ[s]), esc(first), synth_donors(t, s), who, esc(ev), amount(pre, s),
		      sd == "" ? "" : sprintf(" (the standard deviation of %s in %s in those %s years: %s)", esc(SUBJ[s]), who, num(n), amount(sd, s)))
	if (sd != "" && pre + 0 > 0.2 * sd)
		txt = txt ": more than a fifth of that spread, so the mix does not really follow the country, and the gaps after ratification say little. "
	else
		txt = txt ". "
	if (mg != "")
		txt = txt sprintf("From %s on %s was on average %s %s the mix (root mean squared gap %s). ",
				  esc(ev), who, amount(mg, s), mg < 0 ? "below" : "above",
				  amount(get(t, synth_row(t, "rmspe_post"), "estimate"), s))
	if (get(t, ra, "p_value") != "")
		txt = txt sprintf("Is that more than chance? Each of the %s donors in turn was treated as if it had ratified in %s, with the others as its pool: %s of them show a gap after %s as large as %s's, relative to how well they were fitted before (the ratio of the two root mean squared gaps, %s for %s). So %s ranks %s of %s, p = %s: %s",
				  num(J), esc(ev), num(rank - 1), esc(ev), who, num(get(t, ra, "estimate")), who, who, num(rank), num(J + 1), pval(get(t, ra, "p_value")),
				  rank - 1 == 0 ? "none of the countries that had not ratified shows a gap as large, the strongest evidence " num(J + 1) " countries can give." : get(t, ra, "p_value") + 0 <= 0.1 ? "few of the countries that had not ratified show a gap as large by chance." : "a gap this size is not rare among countries that had not ratified, so this one says little about ratification.")
	else
		txt = txt "The mix fits the years before exactly, so the ratio of the gaps after to before, and its placebo rank, are not defined."
	printf "<p class=\"reading\">%s</p>\n", txt
}

function synth_case(k,    r, s, t, iso, tried, ok) {
	if (!("synth_cases" in ROWS))
		load("synth_cases", "synth_cases.csv")
	tried = ""
	ok = 0
	for (r = 1; r <= ROWS["synth_cases"]; r++) {
		if (get("synth_cases", r, "rank") != k)
			continue
		s = get("synth_cases", r, "indicator")
		iso = get("synth_cases", r, "iso3")
		if (get("synth_cases", r, "status") == "ok") {
			ok = r
			break
		}
		tried = tried sprintf("%s for %s%s: %s. ", tried == "" ? "No synthetic control could be made" : "Nor",
				      esc(NAME[s]), get("synth_cases", r, "from") == "" ? " in all years" : " from " esc(get("synth_cases", r, "from")),
				      esc(get("synth_cases", r, "reason")))
	}
	if (tried != "")
		printf "<p class=\"note\">%s%s</p>\n", tried, ok ? "" : "A synthetic control needs countries that had not yet ratified with a number in every year, at least three years before ratification and one after."
	if (!ok)
		return
	t = "synth" k
	load(t, "case" k "_synth.csv")
	synth_reading(k, s, t, iso)
	svg("case" k "_synth.svg", "Case " k ": " country(s, iso) ", synthetic control", NAME[s] " of " country(s, iso) " against its synthetic control (dashed, above), and below the gap between them in front of the gap of every donor treated as a placebo (grey). Source: " SOURCE[s] ".")
}

function coverage_sentence(ind, label,    r, y, c, lo, hi, ylo, yhi) {
	lo = ""; hi = ""
	for (r = 1; r <= ROWS["coverage"]; r++) {
		if (get("coverage", r, "indicator") != ind)
			continue
		y = get("coverage", r, "year"); c = get("coverage", r, "count")
		if (lo == "" || c + 0 < lo + 0) { lo = c; ylo = y }
		if (hi == "" || c + 0 > hi + 0) { hi = c; yhi = y }
	}
	if (lo == "")
		return ""
	return sprintf("%s from %s countries (%s) to %s (%s)", label, num(lo), esc(ylo), num(hi), esc(yhi))
}

function suppressed() {
	if (NSERIESROWS == 0)
		return ""
	return sprintf("%s of the %s GLOTIP rows of the three series used here (%s) are suppressed as &ldquo;fewer than 5&rdquo;",
		       num(NSUPPRESSED), num(NSERIESROWS), pct(NSUPPRESSED / NSERIESROWS))
}

function limits_section(   s1, s2, s3, s4) {
	print "<h2 id=\"limits\">7. What these charts cannot show</h2>"
	print "<ul>"
	s1 = coverage_sentence("detected_victims", "the number of countries reporting detected victims in a year ranges")
	s2 = coverage_sentence("persons_convicted", "those reporting convictions")
	printf "<li><strong>Who reports changes over time.</strong> In GLOTIP %s%s. A total or an average over whichever countries reported mostly tracks who reported; that is why the analyses compare each country with itself.</li>\n", s1, s2 == "" ? "" : ", " s2
	s3 = suppressed()
	if (s3 != "")
		printf "<li><strong>Small counts are hidden.</strong> %s, and tt reads them as missing, so a country's mean leans toward its larger years, most for small countries and for convictions.</li>\n", s3
	print "<li><strong>Reporting is not prevalence.</strong> Prosecutions, convictions and identified victims count what authorities did and recorded. A rise after ratification can be a new law, a new recording system or more victims coming forward, and a fall can be a weaker reporting effort; neither tells how much trafficking there is.</li>"
	print "<li><strong>Ratification is not randomly timed.</strong> Countries ratify when governments, donors and the US TIP Report press them, often together with new laws, agencies and reporting. The event study compares them with countries that had not yet ratified, but those differ too; a passed pre-trend test does not rule out such differences.</li>"
	print "<li><strong>The 3P index is a coding of the US TIP Reports.</strong> Its scores measure how the State Department described each government's policy, dated by the year assessed, and the reports themselves cite ratification; a rise in the score after ratification may partly be the coding reacting to it.</li>"
	print "<li><strong>The list of parties is less certain after mid-2014.</strong> Two Protocol parties are still not identified and some later dates are derived or known only to the month or year, so a later ratifier could count as never treated or in the wrong year. The event studies therefore stop at " esc(EYEARS) ".</li>"
	print "<li><strong>Many comparisons, few countries.</strong> Six series, several tests each: some intervals will exclude zero by chance. Small groups of countries drive many of the event-study cells.</li>"
	print "</ul>"
}

function sources_section() {
	print "<h2 id=\"sources\">8. Sources and caveats</h2>"
	print "<p>Summarised from <code>data/README.md</code>, which gives the full provenance, licences and transformations.</p>"
	print "<table id=\"table-sources\">"
	print "<tr><th>file</th><th>what</th><th>source</th><th>caveats</th></tr>"
	print "<tr><td><code>palermo_parties.csv</code></td><td>signature and consent dates, Palermo Protocol and UNTOC</td><td>UN Treaty Collection tables as of 2014-07-10 (scraped in GitHub zmjones/untreaties), later acts from official and news pages</td><td>rebuilt after mid-2014 from single pages: 180 of 182 Protocol parties named; some dates derived from the entry into force or only to the month or year (columns precision, basis, confidence)</td></tr>"
	print "<tr><td><code>palermo_protocol_parties_partial.csv</code></td><td>per-source treaty records with entry-into-force dates</td><td>Dutch treaty series, whatconvention.org, PacLII and others</td><td>68 participants only; supplementary, checked but not used here</td></tr>"
	print "<tr><td><code>glotip_country_year.csv</code></td><td>UNODC GLOTIP counts by country and year: detected victims, persons prosecuted, convicted, and more</td><td>UNODC, Global Report on Trafficking in Persons, data_glotip.xlsx (14/04/2025)</td><td>coverage changes from year to year; counts under 5 suppressed (read as missing); national definitions change</td></tr>"
	print "<tr><td><code>glotip_by_sex_age.csv</code></td><td>the same by sex and age</td><td>the same</td><td>about half suppressed; duplicate keys kept as <code>_dup</code> series; not used here</td></tr>"
	print "<tr><td><code>policy_3p.csv</code></td><td>3P anti-trafficking policy index: prosecution, protection, prevention (1&ndash;5)</td><td>Cho, Dreher &amp; Neumayer (2014), via Kelley &amp; Heiss's scorecard-diplomacy replication data</td><td>2000&ndash;2013; dated by the year assessed (TIP report year &minus; 1); a coding of TIP reports</td></tr>"
	print "<tr><td><code>tip_tiers.csv</code></td><td>US TIP Report tier placements</td><td>US State Department, via scorecard-diplomacy</td><td>ordinal; report years 2001&ndash;2015; checked but not used here</td></tr>"
	print "<tr><td><code>tip_global_law_enforcement.csv</code></td><td>TIP Report world totals: prosecutions, convictions, victims identified</td><td>TIP Reports 2007 and 2016, via Kelley's Figure 3.2 data (2003&ndash;2015); the 2024 TIP Report, via a secondary copy (2017&ndash;2023)</td><td>sums of what governments reported; later editions revise earlier years; 2016 totals missing; edition and confidence per row</td></tr>"
	print "<tr><td><code>population.csv</code></td><td>population by country and year, for rates per 100,000 inhabitants</td><td>World Bank SP.POP.TOTL (Open Knowledge data package, PDDL)</td><td>countries only; the Cook Islands and the Holy See have no rate</td></tr>"
	print "</table>"
}

function foot() {
	print "<h2 id=\"commands\">9. How each chart was made</h2>"
	print "<p>Run from the top of the tt source tree with the tools on the <code>PATH</code> (<code>make demo</code> does this). The tools' notes and warnings (countries with too few years, values skipped as missing) are collected in <code>notes.txt</code> beside this page; the tables behind every chart are the CSV files there, described in <code>plots/README.md</code>.</p>"
	commands()
	print "</main>"
	print "</body>"
	print "</html>"
}

function meta(   r) {
	VERSION = "tt"
	WINDOW = "all years"; WINDOW_SHORT = "all years"
	EWINDOW = "all relative years"; EBOOT = ""
	for (r = 1; r <= ROWS["meta"]; r++)
		M[get("meta", r, "key")] = get("meta", r, "value")
	if ("version" in M) VERSION = M["version"]
	if ("window" in M) WINDOW = M["window"]
	if ("window_short" in M) WINDOW_SHORT = M["window_short"]
	if ("event_window" in M) EWINDOW = M["event_window"]
	if ("bootstrap" in M) EBOOT = M["bootstrap"]
	CALIB = ("calibration" in M) ? M["calibration"] : "the committed table"

	EYEARS = ("event_years" in M) ? M["event_years"] : "the last year of the data"
	INDEXBASE = ("index_base" in M) ? M["index_base"] : "the first year"
	LASTGLOTIP = ("last_glotip" in M) ? M["last_glotip"] : "the last year"
	BANDTEXT = "pointwise 95% confidence interval"
	BANDLO = "conf_low"; BANDHI = "conf_high"
	if (M["band"] == "uniform") {
		BANDTEXT = "95% uniform confidence band (sup-t: it covers all the years of a chart at once, so it is wider than a pointwise interval)"
		BANDLO = "band_low"; BANDHI = "band_high"
	}
}

BEGIN {
	out = ENVIRON["TT_REPORT_DIR"]
	if (out == "")
		out = "plots"
	series_setup()
	load("meta", "meta.csv")
	load("check", "check.csv")
	load("parties", "parties_by_year.csv")
	load("global", "global_law_enforcement.csv")
	load("trend", "global_trend.csv")
	# the page needs only the differences and the pooled rows
	load("prepost_3p", "prepost_policy_3p.csv", "term", "^(diff|pooled_diff|signed_rank|sign_test)$")
	load("prepost_glotip", "prepost_glotip.csv", "term", "^(diff|pooled_diff|signed_rank|sign_test)$")
	load("event_3p", "event_policy_3p.csv")
	load("event_glotip", "event_glotip.csv")
	load("calib", "calibration.csv")
	load("cases", "cases.csv")
	load("case1", "case1_prepost.csv")
	load("case2", "case2_prepost.csv")
	load("coverage", "coverage_glotip.csv")
	load("index", "glotip_index.csv")
	load("totals", "glotip_totals.csv")
	load("twfe", "panel_twfe_glotip.csv")
	load("etwfe", "panel_etwfe_glotip.csv")
	load("ptrend", "trend_poisson_glotip.csv", "term", "^pct_change$")
	names("policy_3p_joined.csv", "3p")
	names("glotip_joined.csv", "glotip")
	meta()
	head()
	intro()
	data_section()
	diffusion_section()
	global_section()
	prepost_section()
	event_section()
	calibration_section()
	cases_section()
	limits_section()
	sources_section()
	foot()
}
