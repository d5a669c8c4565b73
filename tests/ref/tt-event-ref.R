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
		   balance = FALSE, min_treated = 1) {
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

	n_all <- nrow(wide)
	IF <- NULL              # n_all x cells: did's influence functions
	IFc <- NULL             # the same with each side's variance over n - 1 (pretrend)
	TR <- NULL; CO <- NULL  # membership of each cell
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
			inf <- rep(0, n_all)
			if (!ref && !is.na(att))
				inf[tr | co] <- cell_inf(dy[tr | co], tr[tr | co], n_all)
			IF <- cbind(IF, inf)
			n1 <- function(m) if (m > 1) sqrt(m / (m - 1)) else 1
			IFc <- cbind(IFc, ifelse(tr, inf * n1(sum(tr)), inf * n1(sum(co))))
			TR <- cbind(TR, if (ref) rep(FALSE, n_all) else tr)
			CO <- cbind(CO, if (ref) rep(FALSE, n_all) else co)
			cells <- rbind(cells, data.frame(g = g, t = years[ti], e = years[ti] - g,
				att = att, n = n, ref = ref, size = size[cohorts == g],
				nt = if (ref) sum(gu == g) else sum(tr),
				nc = if (ref) 0 else sum(co)))
		}
	}
	ok <- !is.na(cells$att) & cells$nt >= min_treated
	ok[cells$ref] <- TRUE
	pg <- sapply(cells$g, function(g) mean(gu == g))  # did's pg, per cell
	# did's aggte: the estimate and its influence function
	agg <- function(k, w = pg[k] / sum(pg[k]), with_wif = TRUE)
		list(att = sum(w * cells$att[k]),
		     inf = IF[, k, drop = FALSE] %*% w +
			     if (with_wif) wif(k, pg, gu, cells$g) %*% cells$att[k] else 0)
	units_of <- function(k) c(sum(rowSums(TR[, k, drop = FALSE]) > 0),
				  sum(rowSums(CO[, k, drop = FALSE]) > 0))
	aggc <- function(k, w = pg[k] / sum(pg[k]))
		IFc[, k, drop = FALSE] %*% w + wif(k, pg, gu, cells$g) %*% cells$att[k]
	es <- sort(unique(cells$e[ok & cells$e >= lo & cells$e <= hi]))
	ev <- NULL; evinf <- NULL; evinfc <- NULL
	for (e in es) {
		k <- which(ok & cells$e == e)
		a <- agg(k)
		ev <- rbind(ev, data.frame(e = e, att = a$att, n = sum(cells$size[k]),
					   ref = all(cells$ref[k]), nt = units_of(k)[1],
					   nc = units_of(k)[2]))
		evinf <- cbind(evinf, a$inf)
		evinfc <- cbind(evinfc, aggc(k))
	}
	post <- which(ok & cells$e >= 0 & cells$e <= hi)
	simple <- agg(post)
	grp <- NULL; grpinf <- NULL
	for (g in unique(cells$g[post])) {
		k <- post[cells$g[post] == g]
		a <- agg(k, rep(1 / length(k), length(k)), FALSE)
		grp <- rbind(grp, data.frame(g = g, att = a$att, size = cells$size[k[1]],
					     nt = units_of(k)[1], nc = units_of(k)[2]))
		grpinf <- cbind(grpinf, a$inf)
	}
	gpg <- sapply(grp$g, function(g) mean(gu == g))
	group_inf <- grpinf %*% (gpg / sum(gpg)) + wif(seq_along(grp$g), gpg, gu, grp$g) %*% grp$att
	d0 <- which(ev$e >= 0)
	pre <- which(ev$e < 0 & !ev$ref)
	prek <- which(ok & cells$e < 0 & cells$e >= lo & !cells$ref)
	se <- function(inf) sqrt(colSums(inf^2)) / n_all    # did's bstrap = FALSE
	list(cells = cells, events = ev, simple = simple$att,
	     dynamic = mean(ev$att[d0]),
	     group = sum(gpg * grp$att) / sum(gpg), groups = grp,
	     pre_df = length(pre), n_units = nrow(units), min_treated = min_treated,
	     se_cells = se(IF), se_events = se(evinf), se_groups = se(grpinf),
	     se_simple = se(simple$inf), se_dynamic = se(evinf[, d0, drop = FALSE] %*%
						       rep(1 / length(d0), length(d0))),
	     se_group = se(group_inf),
	     wald = wald(ev$att[pre], evinfc[, pre, drop = FALSE], n_all),
	     n_simple = units_of(post), n_group = units_of(post),
	     n_dynamic = units_of(which(ok & cells$e >= 0 & cells$e <= hi & cells$e %in% es)),
	     n_pre = units_of(prek))
}

# DRDID's reg_did_panel without covariates (the outcome regression on an
# intercept), as did's att_gt calls it on the n1 units of one cell, then
# scaled by n/n1 as att_gt does.  dy: the changes; D: treated.
cell_inf <- function(dy, D, n) {
	n1 <- length(dy)
	X <- matrix(1, n1, 1)
	beta <- solve(crossprod(X[D == 0, , drop = FALSE]), crossprod(X[D == 0, , drop = FALSE], dy[D == 0]))
	out.delta <- as.vector(X %*% beta)
	w.treat <- D; w.cont <- D
	reg.att.treat <- w.treat * dy
	reg.att.cont <- w.cont * out.delta
	eta.treat <- mean(reg.att.treat) / mean(w.treat)
	eta.cont <- mean(reg.att.cont) / mean(w.cont)
	weights.ols <- 1 - D
	wols.x <- weights.ols * X
	wols.eX <- weights.ols * X * (dy - out.delta)
	XpX.inv <- solve(crossprod(wols.x, X) / n1)
	asy.lin.rep.ols <- wols.eX %*% XpX.inv
	inf.treat <- (reg.att.treat - w.treat * eta.treat) / mean(w.treat)
	inf.cont.1 <- reg.att.cont - w.cont * eta.cont
	M1 <- colMeans(w.cont * X)
	inf.cont.2 <- asy.lin.rep.ols %*% M1
	inf.control <- (inf.cont.1 + inf.cont.2) / mean(w.cont)
	(n / n1) * as.vector(inf.treat - inf.control)
}

# did's wif: the influence of the estimated weights pg[keepers]
wif <- function(keepers, pg, G, group) {
	if1 <- sapply(keepers, function(k) ((G == group[k]) - pg[k]) / sum(pg[keepers]))
	if2 <- rowSums(sapply(keepers, function(k) (G == group[k]) - pg[k])) %*%
		t(pg[keepers] / (sum(pg[keepers])^2))
	matrix(if1, nrow = length(G)) - if2
}

# Wald statistic with the analytic covariance inf'inf/n^2, inverted on its
# range (eigenvalues above 1e-10 of the largest)
wald <- function(theta, inf, n) {
	if (length(theta) == 0)
		return(c(NA, NA, NA))
	V <- crossprod(inf) / n^2
	e <- eigen(V, symmetric = TRUE)
	keep <- e$values > max(e$values) * 1e-10
	Vi <- e$vectors[, keep, drop = FALSE] %*% diag(1 / e$values[keep], sum(keep)) %*%
		t(e$vectors[, keep, drop = FALSE])
	W <- as.numeric(t(theta) %*% Vi %*% theta)
	c(W, sum(keep), pchisq(W, sum(keep), lower.tail = FALSE))
}

# The pretrend p-value: W/df against F(df, n_treated - 1), n_treated the
# treated units of the pre-period cells (tt-event(1), "pretrend")
pre_p <- function(wald, nt) {
	if (is.na(wald[1]) || nt < 2)
		return(NA)
	pf(wald[1] / wald[2], wald[2], nt - 1, lower.tail = FALSE)
}

# The table tt-event writes with --detail, and --reps 0 (se = FALSE: no
# standard errors) or --se analytic (se = TRUE): normal intervals, no bands;
# a cell on one treated or one control unit has no standard error, nor has
# a non-reference estimate whose standard error is 0.
table_of <- function(r, method, lo = -Inf, hi = Inf, se = FALSE) {
	z <- qnorm(0.975)
	row <- function(rel, term, est, s, df, n, nt, nc, cohort = NA, year = NA,
			stat = NA, p = NA) {
		if (!is.na(s)) {
			stat <- if (s > 0) est / s else NA
			p <- if (s > 0) 2 * pnorm(-abs(est / s)) else NA
		}
		paste(c(fmt(rel), term, fmt(est), fmt(s), fmt(stat), fmt(df), fmt(p),
			fmt(est - z * s), fmt(est + z * s), fmt(n), quote_csv(method), "", "",
			fmt(cohort), fmt(year), fmt(nt), fmt(nc)), collapse = ",")
	}
	S <- function(x) if (se) x else NA
	out <- "rel_year,term,estimate,std_error,statistic,df,p_value,conf_low,conf_high,n,method,band_low,band_high,cohort,year,n_treated,n_control"
	for (i in seq_len(nrow(r$events))) {
		s <- S(r$se_events[i])
		if (!is.na(s) && s == 0 && !r$events$ref[i]) s <- NA
		out <- c(out, row(r$events$e[i], "att", r$events$att[i], s, NA, r$events$n[i],
				  r$events$nt[i], r$events$nc[i]))
	}
	out <- c(out, row(NA, "att_simple", r$simple, S(r$se_simple), NA, r$n_units,
			  r$n_simple[1], r$n_simple[2]),
		 row(NA, "att_dynamic", r$dynamic, S(r$se_dynamic), NA, r$n_units,
		     r$n_dynamic[1], r$n_dynamic[2]),
		 row(NA, "att_group", r$group, S(r$se_group), NA, r$n_units,
		     r$n_group[1], r$n_group[2]),
		 row(NA, "pretrend", NA, NA, if (se) r$wald[2] else r$pre_df, r$n_units,
		     r$n_pre[1], r$n_pre[2], stat = S(r$wald[1]), p = S(pre_p(r$wald, r$n_pre[1]))))
	for (i in seq_len(nrow(r$groups)))
		out <- c(out, row(NA, "att_cohort", r$groups$att[i], S(r$se_groups[i]), NA,
				  r$groups$size[i], r$groups$nt[i], r$groups$nc[i], r$groups$g[i]))
	c <- r$cells
	for (i in which(c$e >= lo & c$e <= hi)) {
		s <- S(r$se_cells[i])
		if (is.na(c$att[i]) || c$ref[i]) s <- if (c$ref[i]) S(0) else NA
		else if (c$nt[i] < 2 || c$nc[i] < 2 || c$nt[i] < r$min_treated) s <- NA
		out <- c(out, row(c$e[i], "att_gt", c$att[i], s, NA, c$n[i], c$nt[i], c$nc[i],
				  c$g[i], c$t[i]))
	}
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

write_case("r-mpdta-never", table_of(r, "cs-did(never,varying,min-treated=1)"))
write_case("r-mpdta-notyet-universal",
	   table_of(cs_did(d, "notyet", "universal", -2, 2), "cs-did(notyet,universal,min-treated=1)", -2, 2))
write_case("r-mpdta-window",
	   table_of(cs_did(d, "notyet", "varying", -1, 2), "cs-did(notyet,varying,min-treated=1)", -1, 2))

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
write_case("r-mpdta-unbalanced", table_of(cs_did(du, "notyet"), "cs-did(notyet,varying,min-treated=1)"))
write_case("r-mpdta-balance", table_of(cs_did(du, "never", balance = TRUE),
				       "cs-did(never,varying,balanced,min-treated=1)"))

# ---- --se analytic: did's influence functions (bstrap = FALSE) ----------
write_case("r-mpdta-analytic", table_of(r, "cs-did(never,varying,analytic,min-treated=1)", se = TRUE))
write_case("r-mpdta-analytic-notyet-universal",
	   table_of(cs_did(d, "notyet", "universal", -2, 2), "cs-did(notyet,universal,analytic,min-treated=1)",
		    -2, 2, se = TRUE))
write_case("r-mpdta-analytic-unbalanced",
	   table_of(cs_did(du, "notyet"), "cs-did(notyet,varying,analytic,min-treated=1)", se = TRUE))

# A 2x2 worked by hand: treated changes 1, 2, 6 (mean 3, variance over n
# 14/3), control changes 0, 1, 1, 2 (mean 1, variance 1/2): ATT 2,
# se^2 = (14/3)/3 + (1/2)/4 = 121/72, se = 11/sqrt(72).
h <- data.frame(unit = rep(c("T1", "T2", "T3", "C1", "C2", "C3", "C4"), each = 2),
		year = rep(c(2001, 2002), 7),
		y = c(10, 11, 10, 12, 10, 16, 5, 5, 5, 6, 5, 6, 5, 7),
		g = rep(c(2002, 2002, 2002, 0, 0, 0, 0), each = 2))
hr <- cs_did(h)
stopifnot(abs(hr$cells$att - 2) < 1e-12, abs(hr$se_cells - 11 / sqrt(72)) < 1e-12,
	  abs(hr$se_simple - 11 / sqrt(72)) < 1e-12)
dir <- "tests/cli/tt-event/analytic-hand-2x2"
dir.create(dir, showWarnings = FALSE)
write.csv(data.frame(iso3 = h$unit, year = h$year, value = h$y,
		     event_year = ifelse(h$g == 0, "", h$g)),
	  file.path(dir, "input.csv"), row.names = FALSE, quote = FALSE)
write_case("analytic-hand-2x2", table_of(hr, "cs-did(never,varying,analytic,min-treated=1)", se = TRUE))

# A small staggered panel with a gap: cohorts 2003 (3 units) and 2004
# (2 units), 3 never treated, 2001-2005; the shares' influence matters.
set.seed(12)
s <- expand.grid(year = 2001:2005, unit = sprintf("U%d", 1:8))
s$g <- c(2003, 2003, 2003, 2004, 2004, 0, 0, 0)[match(s$unit, sprintf("U%d", 1:8))]
s$y <- round(10 + as.integer(substr(s$unit, 2, 2)) + 0.5 * (s$year - 2000) +
	     ifelse(s$g > 0 & s$year >= s$g, 1.5, 0) + rnorm(nrow(s)), 3)
s$y[s$unit == "U2" & s$year == 2002] <- NA
s$y[s$unit == "U7" & s$year == 2005] <- NA
ss <- data.frame(unit = s$unit, year = s$year, y = s$y, g = s$g)
dir <- "tests/cli/tt-event/analytic-staggered"
dir.create(dir, showWarnings = FALSE)
write.csv(data.frame(iso3 = s$unit, year = s$year, value = ifelse(is.na(s$y), "", s$y),
		     event_year = ifelse(s$g == 0, "", s$g)),
	  file.path(dir, "input.csv"), row.names = FALSE, quote = FALSE)
write_case("analytic-staggered", table_of(cs_did(ss, "notyet"), "cs-did(notyet,varying,analytic,min-treated=1)",
					  se = TRUE))

# ---- --permute: the exact randomization p-values by enumeration ---------
# The staggered panel above has 8!/(3! 2! 3!) = 560 distinct assignments of
# its cohorts (2003 x3, 2004 x2, never x3) to its units: with --permute 999
# tt-event enumerates them all, and p_perm is the share of assignments
# whose statistic is at least as far from 0 as the actual one (|estimate|
# for att rows, the Wald statistic for pretrend), among those where it is
# defined.  Here every assignment is run through cs_did above, which shares
# no code with tt-event.
perms <- function(v) {          # the distinct orderings of v
	if (length(v) <= 1)
		return(list(v))
	out <- list()
	for (x in unique(v)) {
		rest <- v[-match(x, v)]
		for (p in perms(rest))
			out[[length(out) + 1]] <- c(x, p)
	}
	out
}
stats_of <- function(r) {
	ev <- setNames(r$events$att, r$events$e)
	c(ev[as.character(-2:2)], simple = r$simple, dynamic = r$dynamic,
	  group = r$group, pretrend = r$wald[1])
}
ug <- unique(ss[, c("unit", "g")])
t0 <- stats_of(cs_did(ss, "notyet"))
A <- perms(ug$g)
stopifnot(length(A) == 560)
hits <- 0 * t0; defined <- 0 * t0
for (a in A) {
	sp <- ss
	sp$g <- a[match(sp$unit, ug$unit)]
	t <- stats_of(cs_did(sp, "notyet"))
	ok <- !is.na(t) & !is.na(t0)
	defined[ok] <- defined[ok] + 1
	hits[ok] <- hits[ok] + (abs(t[ok]) >= abs(t0[ok]) * (1 - 1e-10))
}
p <- hits / defined
dir <- "tests/cli/tt-event/r-permute-exact"
dir.create(dir, showWarnings = FALSE)
invisible(file.copy("tests/cli/tt-event/analytic-staggered/input.csv", file.path(dir, "input.csv"),
	  overwrite = TRUE))
write_case("r-permute-exact",
	   c("rel_year,term,p_perm",
	     sprintf("%d,att,%s", -2:2, fmt(p[1:5])),
	     sprintf(",att_%s,%s", c("simple", "dynamic", "group"), fmt(p[6:8])),
	     sprintf(",pretrend,%s", fmt(p[9]))))
