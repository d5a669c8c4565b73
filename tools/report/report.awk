# report.awk: tt-report's page.  Reads the template (report.html.in) on
# standard input and the tables, charts and cmd_*.txt files that tt-report
# left in $TT_REPORT_DIR; writes report.html on standard output:
#
#	TT_REPORT_DIR=DIR awk -f report-lib.awk -f report.awk < report.html.in
#
# The template holds the page and its static prose.  A block
#	@@section KEY Heading@@ ... @@end@@
# becomes a numbered section when its inputs are there, else its heading and
# one sentence saying why it is left out; a line @@NAME@@ inside it is the
# computed part NAME (below), and {{key}} in any line a value of meta.csv or
# of the series.  Every number in the text is read from the tables that the
# tools wrote, never computed here beyond picking rows.

# ---- the series and the countries ---------------------------------------------

function series_setup(   r, s) {
	NSER = 0
	for (r = 1; r <= ROWS["series"]; r++) {
		s = get("series", r, "indicator")
		SER[++NSER] = s
		LABEL[s] = get("series", r, "label")
		KIND[s] = get("series", r, "kind")
		if (KIND[s] == "count") NCOUNT++; else NSCORE++
	}
}

# Country names and event years by iso3, read from data.csv line by line.
function names(   path, line, f, n, i, C, iso, k) {
	path = out "/data.csv"
	if ((getline line < path) <= 0)
		return
	n = csvsplit(line, f)
	for (i = 1; i <= n; i++)
		C[f[i]] = i
	while ((getline line < path) > 0) {
		csvsplit(line, f)
		iso = f[C["iso3"]]
		# the countries with a value both before and after their event,
		# per series: without one, an effect of post is not identified
		if (("post" in C) && f[C["post"]] != "" && f[C["value"]] != "") {
			k = f[C["indicator"]] SUBSEP iso
			if (!((k, f[C["post"]]) in SIDE)) {
				SIDE[k, f[C["post"]]] = 1
				if ((k, 1 - f[C["post"]]) in SIDE)
					SWITCHERS[f[C["indicator"]]]++
			}
		}
		if (iso in COUNTRY)
			continue
		NUNITS++
		COUNTRY[iso] = ("country" in C) && f[C["country"]] != "" ? f[C["country"]] : iso
		if (("event_year" in C) && f[C["event_year"]] != "") {
			NTREATED++
			ey = f[C["event_year"]] + 0
			if (FIRSTEVENT == "" || ey < FIRSTEVENT) FIRSTEVENT = ey
			if (LASTEVENT == "" || ey > LASTEVENT) LASTEVENT = ey
		}
	}
	close(path)
}

function country(iso) { return (iso in COUNTRY) ? COUNTRY[iso] : iso }
function lab(s) { return esc(LABEL[s]) }

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

# "0.43 lower", "1.2 higher", "no different" for a difference x in levels
function levelword(x) {
	if (x == "")
		return "–"
	if (num(x) == "0")
		return "no different"
	return mag(x) (x + 0 < 0 ? " lower" : " higher")
}

# a chart inline, or why its step was not made
function chart(file, short, label,    name) {
	name = substr(file, 1, length(file) - 4)
	if (!exists(file)) {
		notmade(name, "The chart " esc(file))
		return
	}
	svg(file, short, label)
}

function reading(txt) { printf "<p class=\"reading\">%s</p>\n", txt }
function missing(txt) { printf "<p class=\"missing\">(%s)</p>\n", txt }

# a table written by tt-table, in a box with an id and a caption
function pubtable(id, file, caption,    path, line, n) {
	path = out "/" file
	printf "<div id=\"table-%s\" class=\"table-wrap\">\n<p class=\"note\"><strong>%s</strong></p>\n", id, caption
	n = 0
	while ((getline line < path) > 0) {
		print line
		n++
	}
	close(path)
	if (n == 0)
		missing(esc(file) " was not made")
	print "</div>"
}

function exists(file,    line, r) {
	r = (getline line < (out "/" file)) > 0
	close(out "/" file)
	return r
}

# ---- which sections the inputs support ----------------------------------------

function available(key) {
	if (key == "diffusion") return exists("diffusion.svg")
	if (key == "index") return has("index_count") || has("index_score")
	if (key == "trend") return has("trend_count")
	if (key == "prepost") return has("prepost")
	if (key == "event") return has("event_score") || has("panel_etwfe")
	if (key == "trust") return has("calib")
	if (key == "cases") return has("cases")
	return 1
}

# why step NAME was not made: the tool's last message, from failed.csv
function failmsg(name,    r) {
	for (r = 1; r <= ROWS["failed"]; r++)
		if (get("failed", r, "step") == name)
			return esc(get("failed", r, "message"))
	return ""
}

function notmade(name, what,    m) {
	m = failmsg(name)
	missing(what " could not be made" (m != "" ? ": " m : ""))
}

function skipped(key,    m) {
	if (key == "index" && (m = failmsg("index_count") failmsg("index_score")) != "")
		return "The index could not be fitted: " m
	if (key == "trend" && (m = failmsg("trend_count")) != "")
		return "No Poisson trend could be fitted: " m
	if (key == "prepost" && (m = failmsg("prepost")) != "")
		return "No comparison before and after the event could be made: " m
	if (key == "event" && (m = failmsg("event_score") failmsg("panel_count")) != "")
		return "No event study could be made: " m
	if (key == "diffusion" && M["events"] == "" && JOINED)
		return "The table came joined with its events, without the events table (<code>--events</code>), so their spread is not drawn."
	if (key == "trust" && M["events"] == "" && !JOINED)
		return "No events table was given, so there is no event study to calibrate."
	if (key == "diffusion" || key == "prepost" || key == "event")
		return M["events"] == "" && !JOINED ? "No events table was given (<code>--events</code>), so nothing is compared before and after an event." : "No country in the table has an event and data to compare."
	if (key == "index") return "No series could be fitted with country and year effects (each needs countries with more than one year)."
	if (key == "trend") return "No series of the series file is a count, so there are no Poisson trends."
	if (key == "trust") return "No placebo calibration table was given (<code>--calibration</code>, made by <code>scripts/calibrate</code>), so the event studies' intervals are shown as computed."
	if (key == "cases") return M["events"] == "" && !JOINED ? "No events table was given, so there is no country to follow around its event." : "No country has data on both sides of its event."
	return "Not made."
}

# ---- computed parts ---------------------------------------------------------------

function part(name) {
	if (name == "nav") nav()
	else if (name == "checks") checks()
	else if (name == "series") series_table()
	else if (name == "coverage") coverage()
	else if (name == "diffusion") diffusion()
	else if (name == "index") index_part()
	else if (name == "trend") trend_part()
	else if (name == "prepost") prepost_part()
	else if (name == "event") event_part()
	else if (name == "calibration") calibration_part()
	else if (name == "cases") cases_part()
	else if (name == "limits") limits_part()
	else if (name == "sources") sources_part()
	else if (name == "commands") commands()
}

function nav(   i) {
	print "<nav><ol>"
	for (i = 1; i <= NSEC; i++)
		printf "<li><a href=\"#%s\">%s</a>%s</li>\n", SECKEY[i], SECHEAD[i],
		       available(SECKEY[i]) ? "" : " <span class=\"skipped\">(not made)</span>"
	print "</ol></nav>"
}

function checks(   r, bad) {
	print "<table id=\"table-checks\">"
	print "<caption>The tables and <code>tt-check</code></caption>"
	print "<tr><th>file</th><th>rows</th><th>problems found by tt-check</th></tr>"
	bad = 0
	for (r = 1; r <= ROWS["check"]; r++) {
		printf "<tr><td><code>%s</code></td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		       esc(get("check", r, "file")), num(get("check", r, "rows")), num(get("check", r, "problems"))
		bad += get("check", r, "problems")
	}
	print "</table>"
	if (bad == 0)
		reading(sprintf("%s the contract with no problem: well-formed CSV, a number or a missing mark in every value cell, a year in every year cell, and no country, series and year twice.",
				ROWS["check"] == 1 ? "The table passes" : "Both tables pass"))
	else
		reading(sprintf("<code>tt-check</code> found %s %s; each is listed in <code>notes.txt</code>. The analyses below read the rows that the tools accept.",
				num(bad), plural(bad, "problem", "problems")))
}

function series_table(   i, s) {
	print "<table id=\"table-series\">"
	print "<caption>The series (the series file)</caption>"
	print "<tr><th>indicator</th><th>label</th><th>kind</th><th>analysed</th></tr>"
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		printf "<tr><td><code>%s</code></td><td>%s</td><td>%s</td><td>%s</td></tr>\n", esc(s), lab(s), esc(KIND[s]),
		       KIND[s] == "count" ? "in proportion: Poisson trends and fixed-effects Poisson (PPML) panels" : "in levels: differences of means, linear panels, Callaway &amp; Sant'Anna event study"
	}
	print "</table>"
}

# the years of series s in coverage.csv, and the fewest and most countries
# reporting in a year
function coverage(   i, s, r, y, c, y1, y2, lo, hi, ylo, yhi, txt, all) {
	if (NUNITS)
		reading(sprintf("The table holds %s %s%s.", num(NUNITS), plural(NUNITS, "country", "countries"),
				NTREATED ? sprintf(", %s of them with an event (from %s to %s)", num(NTREATED), FIRSTEVENT, LASTEVENT) : ""))
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		y1 = ""; lo = ""; hi = ""
		for (r = 1; r <= ROWS["coverage"]; r++) {
			if (get("coverage", r, "indicator") != s)
				continue
			y = get("coverage", r, "year") + 0; c = get("coverage", r, "count") + 0
			if (c == 0) continue
			if (y1 == "" || y < y1) y1 = y
			if (y2 == "" || y > y2) y2 = y
			if (lo == "" || c < lo) { lo = c; ylo = y }
			if (hi == "" || c > hi) { hi = c; yhi = y }
		}
		if (y1 == "")
			txt = sprintf("%s: no value in the table.", lab(s))
		else if (lo == hi)
			txt = sprintf("%s: values from %s to %s; %s %s reported in every year.", lab(s), y1, y2, num(lo), plural(lo, "country", "countries"))
		else
			txt = sprintf("%s: values from %s to %s; %s %s reported in %s, the fewest, and %s in %s, the most.",
				      lab(s), y1, y2, num(lo), plural(lo, "country", "countries"), ylo, num(hi), yhi)
		COVTXT[s] = lo == hi ? "" : sprintf("the number of countries reporting %s ranges from %s (%s) to %s (%s)", lab(s), num(lo), ylo, num(hi), yhi)
		all = all (i > 1 ? "<br> " : "") txt
		y2 = ""
	}
	reading(all)
}

function diffusion() {
	chart("diffusion.svg", "Countries by year of the event",
	    "Countries by year of the event (" M["instrument"] "), cumulative, from the events table.")
}

function last_year(name, s,    r, last) {
	last = ""
	for (r = 1; r <= ROWS[name]; r++)
		if (get(name, r, "indicator") == s && get(name, r, "estimate") != "" &&
		    (last == "" || get(name, r, "year") + 0 > last + 0))
			last = get(name, r, "year")
	return last
}

# the base year of series s in index table name: the one given, else the
# first year of coverage.csv with countries that has no row in the index
function base_of(name, s,    r, y, b) {
	if (M["base_year"] != "")
		return M["base_year"]
	b = ""
	for (r = 1; r <= ROWS["coverage"]; r++) {
		y = get("coverage", r, "year")
		if (get("coverage", r, "indicator") == s && get("coverage", r, "count") + 0 > 0 &&
		    !row_of(name, s, "year", y) && (b == "" || y + 0 < b + 0))
			b = y
	}
	return b
}

function index_part(   i, s, b, last, idx, rb, rl, sb, sl, raw, lo, hi, txt) {
	if (has("index_count")) {
		print "<h3>Counts, in proportion</h3>"
		chart("index_count.svg", "Coverage-adjusted index of the counts",
		    "Counts: year effects of a Poisson regression with country and year fixed effects, as an index (base year = 100), with 95% confidence intervals clustered by country.")
		print "<table id=\"table-index\">"
		print "<caption>Sums over the countries reporting and the coverage-adjusted index (base year = 100)</caption>"
		print "<tr><th>series</th><th>base year</th><th>sum reported (countries)</th><th>last year</th><th>sum reported (countries)</th><th>change of the sum</th><th>index (95% CI)</th></tr>"
		for (i = 1; i <= NSER; i++) {
			s = SER[i]
			if (KIND[s] != "count") continue
			last = last_year("index_count", s); b = base_of("index_count", s)
			idx = last == "" ? 0 : row_of("index_count", s, "year", last)
			rb = row_of("coverage", s, "year", b); rl = row_of("coverage", s, "year", last)
			if (!idx || !rb || !rl) {
				printf "<tr><td>%s</td><td colspan=\"6\" class=\"missing\">no index</td></tr>\n", lab(s)
				continue
			}
			sb = get("coverage", rb, "sum"); sl = get("coverage", rl, "sum")
			raw = sb + 0 > 0 ? 100 * (sl / sb - 1) : ""
			lo = get("index_count", idx, "conf_low"); hi = get("index_count", idx, "conf_high")
			printf "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s (%s)</td><td class=\"n\">%s</td><td class=\"n\">%s (%s)</td><td class=\"n\">%s%%</td><td class=\"n\">%s (%s)</td></tr>\n",
			       lab(s), esc(b), num(sb), num(get("coverage", rb, "count")), esc(last), num(sl),
			       num(get("coverage", rl, "count")), raw == "" ? "–" : num(raw),
			       num(get("index_count", idx, "estimate")), ci(lo, hi)
			txt = sprintf("Summed over the countries that reported, %s went from %s in %s (%s countries) to %s in %s (%s countries): %s. Compared within each country, the level in %s was %s of %s's (95%% CI %s), that is %s. ",
				      lab(s), num(sb), esc(b), num(get("coverage", rb, "count")), num(sl), esc(last),
				      num(get("coverage", rl, "count")), raw == "" ? "–" : pctword(raw), esc(last),
				      num(get("index_count", idx, "estimate")) "%", esc(b), ci(lo, hi),
				      pctword(get("index_count", idx, "estimate") - 100))
			if (raw != "" && lo != "" && hi != "" && (100 + raw < lo + 0 || 100 + raw > hi + 0))
				txt = txt sprintf("The sum moved %s than the within-country index allows: the difference is a change in which countries reported, and how large they are, not a change inside the countries.",
						  100 + raw > hi + 0 ? "up more" : "down more")
			else if (raw != "")
				txt = txt "Here the sum and the within-country index agree within the index's uncertainty: the change of who reported does not distort this series much over these years."
			T[i] = txt
		}
		print "</table>"
		for (i = 1; i <= NSER; i++)
			if (i in T) { reading(T[i]); delete T[i] }
	}
	if (has("index_score")) {
		print "<h3>Scores, in levels</h3>"
		chart("index_score.svg", "Coverage-adjusted change of the scores",
		    "Scores: year effects of a linear regression with country and year fixed effects, as the change from the base year, with 95% confidence intervals clustered by country.")
		for (i = 1; i <= NSER; i++) {
			s = SER[i]
			if (KIND[s] != "score") continue
			last = last_year("index_score", s); b = base_of("index_score", s)
			idx = last == "" ? 0 : row_of("index_score", s, "year", last)
			if (!idx) { missing("no index for " lab(s)); continue }
			reading(sprintf("Compared within each country, %s was %s in %s than in %s (95%% CI %s, %s).",
					lab(s), levelword(get("index_score", idx, "estimate")), esc(last), esc(b),
					ci(get("index_score", idx, "conf_low"), get("index_score", idx, "conf_high")),
					pis(get("index_score", idx, "p_value"))))
		}
	}
}

function trend_part(   i, s, r) {
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		if (KIND[s] != "count") continue
		printf "<h3>%s</h3>\n", lab(s)
		chart("pct_" s ".svg", LABEL[s] ": yearly percent change by country",
		    LABEL[s] ": each country's percent change a year (Poisson trend, HC1), with its 95% confidence interval.")
		r = row_of("trend_summary", s, "indicator", s)
		if (!r || get("trend_summary", r, "count") + 0 == 0) { missing("no country has a trend of " lab(s)); continue }
		reading(sprintf("Over the %s %s with a Poisson trend of %s, the median yearly change was %s%%; half of the countries lie between %s%% and %s%% a year.",
				num(get("trend_summary", r, "count")), plural(get("trend_summary", r, "count"), "country", "countries"), lab(s),
				num(get("trend_summary", r, "median")), num(get("trend_summary", r, "q1")), num(get("trend_summary", r, "q3"))))
	}
}

function pooled(s, term) {
	return row_of("prepost", s, "term", term)
}

function prepost_part(   i, s, d, g, txt, lo, hi, p) {
	pubtable("prepost-pooled", "table_prepost.html", "Pooled over the countries: the mean of the differences (after minus before, 95% CI) and the share of countries that rose (sign test), with p-values and the number of countries.")
	for (i = 1; i <= NSER; i++) {
		s = SER[i]
		d = pooled(s, "pooled_diff"); g = pooled(s, "sign_test")
		if (!d || !g || get("prepost", d, "estimate") == "") {
			reading(sprintf("%s: no country has values on both sides of its event within %s years, so nothing is compared.", lab(s), M["window"]))
			continue
		}
		txt = sprintf("%s: across %s countries with years on both sides, the mean after the event was on average %s than before (95%% CI %s, %s); %s of the countries rose (sign test %s).",
			      lab(s), num(get("prepost", d, "n")), levelword(get("prepost", d, "estimate")),
			      ci(get("prepost", d, "conf_low"), get("prepost", d, "conf_high")), pis(get("prepost", d, "p_value")),
			      pct(get("prepost", g, "estimate")), pis(get("prepost", g, "p_value")))
		lo = get("prepost", d, "conf_low"); hi = get("prepost", d, "conf_high"); p = get("prepost", g, "p_value")
		if (lo != "" && hi != "" && (lo + 0 > 0 || hi + 0 < 0) && p != "" && p + 0 < 0.05)
			txt = txt " The change leans clearly one way across countries. It is a comparison of earlier with later years, though: anything else that changed over the same years moves it too (see the event studies below)."
		else if (lo != "" && hi != "" && (lo + 0 > 0 || hi + 0 < 0))
			txt = txt " The average moved, but the countries do not lean one way as clearly: a few large changes carry the mean."
		else if (p != "" && p + 0 < 0.05)
			txt = txt " Most countries moved the same way, but the average change is uncertain: a few large changes in the other direction weigh on it."
		else
			txt = txt " The data do not show a consistent change: the interval includes zero and rises and falls are close to balanced."
		if (KIND[s] == "count")
			txt = txt " As a count, its mean difference is carried by the largest countries; the share that rose counts every country once."
		reading(txt)
		if (KIND[s] == "score") {
			printf "<h3>%s</h3>\n", lab(s)
			chart("forest_" s ".svg", LABEL[s] ": after minus before, by country",
			    LABEL[s] ": difference of the means after and before the event, by country, with 95% Welch confidence intervals.")
		}
	}
}

function event_part(   i, s, a, pt, txt, rp, rt, e, v, lv, pc, w) {
	if (!has("event_score") && failmsg("event_score") != "") {
		print "<h3>Scores: difference in differences</h3>"
		notmade("event_score", "The event study of the scores")
	}
	if (!(has("panel_etwfe") || has("panel_twfe")) && failmsg("panel_count") != "") {
		print "<h3>Counts: percent effects</h3>"
		notmade("panel_count", "The Poisson panels of the counts")
	}
	if (has("event_score")) {
		print "<h3>Scores: difference in differences</h3>"
		pubtable("event-aggregates", "table_event.html", "Callaway &amp; Sant'Anna: the simple and the dynamic average effect after the event, and the joint test of the years before it (pretrend), per series.")
		for (i = 1; i <= NSER; i++) {
			s = SER[i]
			if (KIND[s] != "score") continue
			a = row_of("event_score", s, "term", "att_simple"); pt = row_of("event_score", s, "term", "pretrend")
			printf "<h4>%s</h4>\n", lab(s)
			chart("event_" s ".svg", LABEL[s] ": event study",
			    LABEL[s] ": effect by years since the event (Callaway & Sant'Anna, not-yet-treated controls), with a 95% uniform band.")
			if (!a) { missing("no event study of " lab(s)); continue }
			txt = sprintf("Against countries not yet treated, %s was on average %s after the event (95%% CI %s, %s%s).",
				      lab(s), levelword(get("event_score", a, "estimate")),
				      ci(get("event_score", a, "conf_low"), get("event_score", a, "conf_high")),
				      pis(get("event_score", a, "p_value")),
				      get("event_score", a, "p_perm") != "" ? "; permutation " pis(get("event_score", a, "p_perm")) : "")
			if (pt && get("event_score", pt, "p_value") != "")
				txt = txt sprintf(" The years before the event %s (pretrend test %s).",
						  get("event_score", pt, "p_value") + 0 < 0.05 ? "already differ, so the comparison is in doubt" : "do not differ detectably",
						  pis(get("event_score", pt, "p_value")))
			reading(txt)
		}
	}
	if (has("panel_etwfe") || has("panel_twfe")) {
		print "<h3>Counts: percent effects</h3>"
		pubtable("panel", "table_panel.html", "Poisson with country and year fixed effects: the percent effect of the years after the event (twfe, pct_post) and Wooldridge's extended TWFE average (att_simple, in percent), 95% CI clustered by country.")
		for (i = 1; i <= NSER; i++) {
			s = SER[i]
			if (KIND[s] != "count") continue
			printf "<h4>%s</h4>\n", lab(s)
			chart("event_pct_" s ".svg", LABEL[s] ": event study in percent",
			    LABEL[s] ": percent effect by years since the event (extended TWFE, PPML), with 95% confidence intervals clustered by country.")
			if (!SWITCHERS[s]) {
				reading(sprintf("No country has values of %s both before and after its event: the country effects absorb any effect of the event, so none is estimated.", lab(s)))
				continue
			}
			rp = row_of("panel_twfe", s, "term", "pct_post"); rt = row_of("panel_twfe", s, "term", "post")
			e = row_of("panel_etwfe", s, "term", "att_simple")
			if (!rp) { missing("no Poisson result for " lab(s)); continue }
			txt = sprintf("With a fixed effect for every country and every year, %s was %s in the years after the event than before (95%% CI %s; %s, %s observations).",
				      lab(s), pctword(get("panel_twfe", rp, "estimate")),
				      pctci(get("panel_twfe", rp, "conf_low"), get("panel_twfe", rp, "conf_high")),
				      pis(get("panel_twfe", rt, "p_value")), num(get("panel_twfe", rp, "n")))
			if (e && get("panel_etwfe", e, "estimate") != "")
				txt = txt sprintf(" Comparing each cohort only with countries not yet treated (extended TWFE), the average effect is %s (95%% CI %s, %s).",
						  pctword(get("panel_etwfe", e, "estimate")),
						  pctci(get("panel_etwfe", e, "conf_low"), get("panel_etwfe", e, "conf_high")),
						  pis(get("panel_etwfe", e, "p_value")))
			reading(txt)
			a = row_of("event_count", s, "term", "att_simple")
			if (a && get("event_count", a, "p_perm") != "") {
				v = get("event_count", a, "p_perm") + 0 <= 0.05 ? "show" : "do not show"
				lv = get("event_count", a, "estimate") + 0
				pc = e ? get("panel_etwfe", e, "estimate") : ""
				w = pc != "" && lv * (pc + 0) < 0 ? " The percent effect above has the other sign: an average in counts is carried by the countries with the largest counts, a percent effect by each country's change in proportion to its level." : ""
				reading(sprintf("Randomization check: handing the event years out to the countries again at random, %s times, an average effect on %s (in counts, against countries not yet treated) at least as large as the actual one, %s, came up in %s of the reassignments (permutation %s). %s",
						num(M["reps"]), lab(s), levelword(get("event_count", a, "estimate")),
						pct(get("event_count", a, "p_perm")), pis(get("event_count", a, "p_perm")),
						"By this test, which is exact however few countries each cohort holds, the data " v " a change at the event." w))
			} else if (failmsg("event_count") != "")
				notmade("event_count", "The randomization check")
		}
	}
}

# one row per series and method, one column per term: the share of draws
# that rejected
function calibration_part(   r, m, ind, t, nt, nr, WORST, WHAT, TERM, ROW, SH, txt, i, j) {
	nt = 0; nr = 0
	for (r = 1; r <= ROWS["calib"]; r++) {
		m = get("calib", r, "method"); ind = get("calib", r, "indicator"); t = get("calib", r, "term")
		if (!(t in TERM)) TERM[t] = ++nt
		TN[nt] = t
		if (!((ind, m) in ROW)) { ROW[ind, m] = ++nr; RI[nr] = ind; RM[nr] = m }
		SH[ind, m, t] = get("calib", r, "share")
		DRAWS = get("calib", r, "draws")
		if (!(m in WORST) || get("calib", r, "share") + 0 > WORST[m]) {
			WORST[m] = get("calib", r, "share") + 0
			WHAT[m] = t " of " LABEL[ind]
		}
	}
	print "<table id=\"table-calibration\">"
	printf "<caption>Share of %s placebo draws in which a 5%% test found an effect</caption>\n", num(DRAWS)
	printf "<tr><th>series</th><th>method</th>"
	for (j = 1; j <= nt; j++) printf "<th>%s</th>", esc(TN[j])
	print "</tr>"
	for (i = 1; i <= nr; i++) {
		printf "<tr><td>%s</td><td>%s</td>", esc(LABEL[RI[i]]), esc(RM[i])
		for (j = 1; j <= nt; j++)
			printf "<td class=\"n\">%s</td>", ((RI[i], RM[i], TN[j]) in SH) ? pct(SH[RI[i], RM[i], TN[j]]) : "–"
		print "</tr>"
	}
	print "</table>"
	txt = "With no effect present, a 95% interval should exclude zero in about 5% of the draws. "
	for (r = 1; r <= ROWS["calib_summary"]; r++) {
		m = get("calib_summary", r, "method")
		txt = txt sprintf("%s %s inference rejected in %s of the draws on average (at most %s, %s)%s", r == 1 ? "The" : "the", esc(m),
				  pct(get("calib_summary", r, "mean")), pct(get("calib_summary", r, "max")), esc(WHAT[m]),
				  r < ROWS["calib_summary"] ? "; " : ".")
	}
	reading(txt)
}

function cases_part(   k, r, iso, t, d, lv, syn, ok, n, txt) {
	print "<table id=\"table-cases\">"
	print "<caption>The countries followed</caption>"
	print "<tr><th>case</th><th>country</th><th>event year</th><th>years before</th><th>years after</th></tr>"
	for (r = 1; r <= ROWS["cases"]; r++)
		printf "<tr><td class=\"n\">%s</td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		       esc(get("cases", r, "rank")), esc(country(get("cases", r, "iso3"))), esc(get("cases", r, "event_year")),
		       num(get("cases", r, "years_before")), num(get("cases", r, "years_after"))
	print "</table>"
	for (k = 1; k <= ROWS["cases"]; k++) {
		iso = get("cases", k, "iso3")
		t = "case" k
		printf "<h3>Case %d: %s</h3>\n", k, esc(country(iso))
		if (!exists(t ".svg")) { notmade(t, "The chart of case " k); continue }
		chart(t ".svg", "Case " k ": " country(iso), country(iso) ": " LABEL[SER[1]] " by year, the event, and the segmented trend before and after it.")
		d = row_of(t, SER[1], "term", "diff"); lv = row_of(t, SER[1], "term", "its_level")
		if (d)
			reading(sprintf("In %s, %s averaged %s in the %s years before the event and %s in the %s years from it: %s (95%% CI %s, %s)%s.",
					esc(country(iso)), lab(SER[1]), num(get(t, row_of(t, SER[1], "term", "mean_pre"), "estimate")),
					num(get("cases", k, "years_before")), num(get(t, row_of(t, SER[1], "term", "mean_post"), "estimate")),
					num(get("cases", k, "years_after")), levelword(get(t, d, "estimate")), ci(get(t, d, "conf_low"), get(t, d, "conf_high")),
					pis(get(t, d, "p_value")),
					lv && get(t, lv, "estimate") != "" ? sprintf("; the segmented regression puts the jump at the event at %s (95%% CI %s)", num(get(t, lv, "estimate")), ci(get(t, lv, "conf_low"), get(t, lv, "conf_high"))) : ""))
		syn = t "_synth"
		if (has(syn)) {
			chart(syn ".svg", "Case " k ": synthetic control", country(iso) " against its synthetic control, and the gaps of the placebos.")
			r = row_of(syn, SYNTHSER[k], "term", "ratio")
			n = 0; txt = ""
			for (ok = 1; ok <= ROWS[syn]; ok++)
				if (get(syn, ok, "term") == "weight" && n < 4) {
					txt = txt (n ? ", " : "") esc(country(get(syn, ok, "donor"))) " " pct(get(syn, ok, "estimate"))
					n++
				}
			if (r)
				reading(sprintf("The synthetic %s of %s is a mix of countries without the event (largest weights: %s). After the event the gap between the country and its synthetic control is %s times the gap before it (post/pre RMSPE); %s placebos, each a donor treated as if it had the event, p = %s.",
						lab(SYNTHSER[k]), esc(country(iso)), txt, num(get(syn, r, "estimate")),
						get(syn, r, "p_value") + 0 <= 0.1 ? "larger than for most" : "not unusual among the",
						num(get(syn, r, "p_value"))))
		} else {
			txt = ""
			for (r = 1; r <= ROWS["synth_cases"]; r++)
				if (get("synth_cases", r, "rank") == k)
					txt = txt (txt == "" ? "" : "; ") lab(get("synth_cases", r, "indicator")) (get("synth_cases", r, "from") != "" ? " from " get("synth_cases", r, "from") : "") ": " esc(get("synth_cases", r, "reason"))
			reading("No synthetic control could be built for " esc(country(iso)) (txt == "" ? "." : ": " txt "."))
		}
	}
}

function limits_part(   i, n, txt) {
	n = 0; txt = ""
	for (i = 1; i <= NSER; i++)
		if (COVTXT[SER[i]] != "" && n < 2) {
			txt = txt (n ? "; " : "") COVTXT[SER[i]]
			n++
		}
	if (txt != "")
		printf "<p class=\"note\">In these data %s.</p>\n", txt
}

function sources_part(   path, line, n) {
	print "<table id=\"table-sources\">"
	print "<tr><th>file</th><th>role</th></tr>"
	printf "<tr><td><code>%s</code></td><td>the long table analysed</td></tr>\n", esc(M["table"])
	if (M["events"] != "")
		printf "<tr><td><code>%s</code></td><td>the events%s</td></tr>\n", esc(M["events"]),
		       M["instrument"] != "" ? " (instrument " esc(M["instrument"]) ")" : ""
	if (M["calibration"] != "")
		printf "<tr><td><code>%s</code></td><td>the placebo calibration</td></tr>\n", esc(M["calibration"])
	print "</table>"
	path = out "/sources.txt"
	n = 0
	while ((getline line < path) > 0) {
		if (line == "") continue
		if (!n++) print "<ul id=\"source-list\">"
		printf "<li>%s</li>\n", esc(line)
	}
	close(path)
	if (n) print "</ul>"
	else print "<p class=\"note\">No source was given (<code>--source</code>): say where the table comes from when you publish it.</p>"
}

# ---- the page ---------------------------------------------------------------------

function fill(line,    k, v, p, rest) {
	rest = line; line = ""
	while ((p = index(rest, "{{")) > 0) {
		k = substr(rest, p + 2)
		k = substr(k, 1, index(k, "}}") - 1)
		v = (k in V) ? V[k] : esc(M[k])
		line = line substr(rest, 1, p - 1) v
		rest = substr(rest, p + 4 + length(k))
	}
	return line rest
}

function words(   i, s) {
	s = ""
	for (i = 1; i <= NSER; i++)
		s = s (i == 1 ? "" : i == NSER ? " and " : ", ") lab(SER[i])
	return s
}

BEGIN {
	out = ENVIRON["TT_REPORT_DIR"]
	load("meta", "meta.csv")
	for (r = 1; r <= ROWS["meta"]; r++)
		M[get("meta", r, "key")] = get("meta", r, "value")
	load("series", "series.csv")
	series_setup()
	load("check", "check.csv")
	load("coverage", "coverage.csv")
	load("index_count", "index_count.csv")
	load("index_score", "index_score.csv")
	load("trend_count", "trend_count.csv", "term", "^pct_change$")
	load("trend_summary", "trend_count_summary.csv")
	load("prepost", "prepost.csv", "iso3", "^ALL$")
	load("event_score", "event_score.csv", "term", "^(att_simple|pretrend)$")
	load("event_count", "event_count.csv", "term", "^att_simple$")
	load("panel_twfe", "panel_twfe.csv")
	load("panel_etwfe", "panel_etwfe.csv", "term", "^att_simple$")
	load("calib", "calibration.csv")
	load("calib_summary", "calibration_summary.csv")
	load("cases", "cases.csv")
	load("failed", "failed.csv")
	load("synth_cases", "synth_cases.csv")
	for (k = 1; k <= ROWS["cases"]; k++) {
		load("case" k, "case" k "_prepost.csv")
		load("case" k "_synth", "case" k "_synth.csv")
		for (r = 1; r <= ROWS["synth_cases"]; r++)
			if (get("synth_cases", r, "rank") == k && get("synth_cases", r, "status") == "ok")
				SYNTHSER[k] = get("synth_cases", r, "indicator")
	}
	JOINED = has("prepost")
	names()

	V["title"] = esc(M["title"] != "" ? M["title"] : "Report on " M["table"])
	V["serieslist"] = words()
	V["eventphrase"] = M["events"] != "" || JOINED ? "what changed around each country's event" (M["instrument"] != "" ? " (" esc(M["instrument"]) ")" : "") : "their trends (no events table was given, so nothing is compared before and after an event)"
	V["window"] = "the " M["window"] " years before the event against the year of the event and the " M["window"] " after (relative years &minus;" M["window"] " to " M["window"] ")"
	V["eventwindow"] = "relative years &minus;" M["window"] " to " M["window"] (M["event_to"] != "" ? ", years to " M["event_to"] : "")
	V["bootstrap"] = M["reps"] " bootstrap replications and permutations, seed " M["seed"]

	# the template, whole: the table of contents needs every section first
	while ((getline line) > 0) {
		TPL[++NT] = line
		if (line ~ /^@@section /) {
			NSEC++
			SECKEY[NSEC] = line; sub(/^@@section /, "", SECKEY[NSEC]); sub(/ .*/, "", SECKEY[NSEC])
			SECHEAD[NSEC] = line; sub(/^@@section [^ ]* /, "", SECHEAD[NSEC]); sub(/@@$/, "", SECHEAD[NSEC])
		}
	}
	sec = 0; skip = 0
	for (i = 1; i <= NT; i++) {
		line = TPL[i]
		if (line ~ /^@@section /) {
			sec++
			printf "<h2 id=\"%s\">%d. %s</h2>\n", SECKEY[sec], sec, SECHEAD[sec]
			if (!available(SECKEY[sec])) {
				printf "<p class=\"skipped\">%s</p>\n", skipped(SECKEY[sec])
				skip = 1
			}
		} else if (line == "@@end@@")
			skip = 0
		else if (skip)
			continue
		else if (line ~ /^@@[a-z]+@@$/)
			part(substr(line, 3, length(line) - 4))
		else
			print fill(line)
	}
}
