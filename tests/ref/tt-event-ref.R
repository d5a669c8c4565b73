# Reference outputs for the CLI cases of tt-event checked against R
# (tests/cli/tt-event/r-*/).
#
# Regenerate (from the top of the tree, /work/main):
#     Rscript tests/ref/tt-event-ref.R
# It rewrites the `expout` of each case listed at the bottom (and the input
# of r-mpdta-unbalanced) and nothing else; each case has a `tol` file, so
# the test runner compares the numbers to that relative tolerance
# (tests/numcmp) and every other cell exactly.  Needs base R only.
#
# The R package did is not installed here, so this script is a second,
# independent implementation of the definitions in tt-event(1) (those of
# did's att_gt with est_method "reg", xformla ~1, and aggte), written
# directly from them with plain means over data frames.  Its link to did
# itself is the check below: on mpdta with never-treated controls and the
# varying base every ATT(g,t), every event-time estimate, every cohort
# effect and the two overall aggregates it computes must round to the
# numbers did's README prints (tests/ref/mpdta/published_*.csv), or the
# script stops.  The simple aggregate (did's aggte type "simple") is not
# among the published numbers; it is the cohort-size weighted mean of the
# same post-treatment cells.
#
# The unbalanced case uses a panel made here from mpdta (a quarter of the
# counties, some values blanked, some rows removed): each ATT(g,t) then uses
# the units observed in both years it compares, tt-event's rule (did's own
# allow_unbalanced_panel = TRUE estimator differs).

stopifnot(file.exists("tools/tt-event.c"))

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
quote_csv <- function(s)
	ifelse(grepl("[\",\n\r]", s), paste0("\"", gsub("\"", "\"\"", s), "\""), s)

# One analysis.  d: data frame unit, year, y (NA missing), g (0 never).
cs_did <- function(d, control = "never", base = "varying", lo = -Inf, hi = Inf,
		   balance = FALSE) {
	d <- d[!is.na(d$y), ]
	years <- sort(unique(d$year))
	nT <- length(years)
	units <- unique(d[, c("unit", "g")])
	units$g[units$g > max(years)] <- 0
	units <- units[!(units$g != 0 & units$g <= min(years)), ]
	if (balance) {
		seen <- table(d$unit)
		units <- units[units$unit %in% names(seen)[seen == nT], ]
	}
	d <- d[d$unit %in% units$unit, ]
	d$g <- units$g[match(d$unit, units$unit)]
	cohorts <- sort(unique(units$g[units$g != 0]))
	size <- sapply(cohorts, function(g) sum(units$g == g))
	wide <- reshape(d[, c("unit", "year", "y")], idvar = "unit", timevar = "year",
			direction = "wide")
	Y <- as.matrix(wide[, paste0("y.", years)])
	gu <- units$g[match(wide$unit, units$unit)]

	cells <- NULL
	for (g in cohorts) {
		gb <- max(which(years < g))
		for (ti in seq_len(nT)) {
			post <- years[ti] >= g
			if (post || base == "universal")
				bi <- gb
			else if (ti == 1)
				next
			else
				bi <- ti - 1
			late <- years[max(ti, bi)]
			ctrl <- gu == 0
			if (control == "notyet")
				ctrl <- ctrl | (gu > late & gu != g)
			dy <- Y[, ti] - Y[, bi]
			tr <- gu == g & !is.na(dy)
			co <- ctrl & !is.na(dy)
			ref <- ti == bi
			att <- if (ref) 0 else if (any(tr) && any(co))
				mean(dy[tr]) - mean(dy[co]) else NA
			n <- if (ref) sum(gu == g) else sum(tr) + sum(co)
			cells <- rbind(cells, data.frame(g = g, t = years[ti], e = years[ti] - g,
				att = att, n = n, ref = ref, size = size[cohorts == g]))
		}
	}
	ok <- cells[!is.na(cells$att), ]
	es <- sort(unique(ok$e[ok$e >= lo & ok$e <= hi]))
	ev <- do.call(rbind, lapply(es, function(e) {
		k <- ok[ok$e == e, ]
		data.frame(e = e, att = sum(k$size * k$att) / sum(k$size), n = sum(k$size),
			   ref = all(k$ref))
	}))
	post <- ok[ok$e >= 0 & ok$e <= hi, ]
	simple <- sum(post$size * post$att) / sum(post$size)
	grp <- do.call(rbind, lapply(unique(post$g), function(g) {
		k <- post[post$g == g, ]
		data.frame(g = g, att = mean(k$att), size = k$size[1])
	}))
	list(cells = cells, events = ev, simple = simple,
	     dynamic = mean(ev$att[ev$e >= 0]),
	     group = sum(grp$size * grp$att) / sum(grp$size), groups = grp,
	     pre_df = sum(ev$e < 0 & !ev$ref), n_units = nrow(units))
}

# The table tt-event writes with --reps 0 --detail: no standard errors.
table_of <- function(r, method, lo = -Inf, hi = Inf) {
	row <- function(rel, term, est, df, n, cohort = NA, year = NA)
		paste(c(fmt(rel), term, fmt(est), "", "", fmt(df), "", "", "", fmt(n),
			quote_csv(method), "", "", fmt(cohort), fmt(year)), collapse = ",")
	out <- "rel_year,term,estimate,std_error,statistic,df,p_value,conf_low,conf_high,n,method,band_low,band_high,cohort,year"
	for (i in seq_len(nrow(r$events)))
		out <- c(out, row(r$events$e[i], "att", r$events$att[i], NA, r$events$n[i]))
	out <- c(out, row(NA, "att_simple", r$simple, NA, r$n_units),
		 row(NA, "att_dynamic", r$dynamic, NA, r$n_units),
		 row(NA, "att_group", r$group, NA, r$n_units),
		 row(NA, "pretrend", NA, r$pre_df, r$n_units))
	for (i in seq_len(nrow(r$groups)))
		out <- c(out, row(NA, "att_cohort", r$groups$att[i], NA, r$groups$size[i],
				  r$groups$g[i]))
	c <- r$cells[r$cells$e >= lo & r$cells$e <= hi, ]
	for (i in seq_len(nrow(c)))
		out <- c(out, row(c$e[i], "att_gt", c$att[i], NA, c$n[i], c$g[i], c$t[i]))
	out
}

write_case <- function(case, lines) {
	path <- file.path("tests/cli/tt-event", case, "expout")
	stopifnot(dir.exists(dirname(path)))
	writeLines(lines, path)
	cat("wrote", path, "(", length(lines), "lines )\n")
}

mp <- read.csv("tests/ref/mpdta/mpdta.csv")
d <- data.frame(unit = mp$countyreal, year = mp$year, y = mp$lemp, g = mp$first.treat)

# did's published numbers, to the 4 decimals printed
r <- cs_did(d)
pub_gt <- read.csv("tests/ref/mpdta/published_att_gt.csv")
pub_dyn <- read.csv("tests/ref/mpdta/published_dynamic.csv")
pub_grp <- read.csv("tests/ref/mpdta/published_group.csv")
same4 <- function(x, want) all(abs(x - want) <= 0.5e-4 + 1e-12)
stopifnot(nrow(r$cells) == 12, same4(r$cells$att, pub_gt$att),
	  r$cells$g == pub_gt$cohort, r$cells$t == pub_gt$year)
k <- pub_dyn$rel_year != "overall"
stopifnot(same4(r$events$att, pub_dyn$att[k]), same4(r$dynamic, pub_dyn$att[!k]))
k <- pub_grp$cohort != "overall"
stopifnot(same4(r$groups$att, pub_grp$att[k]), same4(r$group, pub_grp$att[!k]))
cat(sprintf("mpdta: every published estimate matched; simple %.6f\n", r$simple))

write_case("r-mpdta-never", table_of(r, "cs-did(never,varying)"))
write_case("r-mpdta-notyet-universal",
	   table_of(cs_did(d, "notyet", "universal", -2, 2), "cs-did(notyet,universal)", -2, 2))
write_case("r-mpdta-window",
	   table_of(cs_did(d, "notyet", "varying", -1, 2), "cs-did(notyet,varying)", -1, 2))

# An unbalanced panel: every fourth county in the order of the file, some
# values blanked, some rows left out.
keep <- unique(mp$countyreal)[seq(1, 500, by = 4)]
u <- mp[mp$countyreal %in% keep, c("countyreal", "year", "lemp", "first.treat")]
u$lemp <- sprintf("%.15g", u$lemp)
u$lemp[(u$countyreal * 7 + u$year) %% 11 == 0] <- ""
u <- u[(u$countyreal + 3 * u$year) %% 13 != 0, ]
names(u) <- c("county", "year", "value", "first_treat")
dir <- "tests/cli/tt-event/r-mpdta-unbalanced"
write.csv(u, file.path(dir, "input.csv"), row.names = FALSE, quote = FALSE)
du <- data.frame(unit = u$county, year = u$year,
		 y = ifelse(u$value == "", NA, as.numeric(u$value)), g = u$first_treat)
write_case("r-mpdta-unbalanced", table_of(cs_did(du, "notyet"), "cs-did(notyet,varying)"))
write_case("r-mpdta-balance", table_of(cs_did(du, "never", balance = TRUE),
				       "cs-did(never,varying,balanced)"))
