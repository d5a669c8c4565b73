# Reference outputs for the CLI cases of tt-panel and tt-trend --method
# poisson that are checked against R (tests/cli/tt-panel/r-*/ and
# tests/cli/tt-trend/r-poisson*/).
#
# Regenerate (from the top of the tree):
#     Rscript tests/ref/panel.R
# It writes tests/data/nbpanel.csv (the synthetic panel, from a fixed seed)
# and the `expout` of each case listed at the bottom, and nothing else.
# Each of those cases has a `tol` file (1e-6): the runner compares numbers
# to that relative tolerance and every other cell exactly.  Their `experr`
# (the tools' notes) was recorded from the tools and checked against the
# counts printed here.  Needs base R and the sandwich package.
#
# Everything is computed here with R's own functions: glm(family = poisson)
# and lm() with factor dummies for the unit and year effects,
# sandwich::vcovCL(fit, cluster = ~iso3, type = "HC0", cadjust = TRUE) for
# tt-panel, sandwich::vcovHC(type = "HC1") and sandwich::NeweyWest(lag,
# prewhite = FALSE, adjust = TRUE) for tt-trend.  The sample rules of
# tt-panel(1) (single observations, treated units with no year before the
# event, all-zero units, years and cells, repeated) are written out below,
# independently of tools/lib/panel.c.  The join of the GLOTIP counts with
# the Palermo dates is redone here too.

stopifnot(file.exists("tools/tt-panel.c"))
suppressPackageStartupMessages(library(sandwich))

fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
quote_csv <- function(s)
	ifelse(grepl("[\",\n\r]", s), paste0("\"", gsub("\"", "\"\"", s), "\""), s)
est_header <- function(lead, trail = NULL)
	paste(c(lead, "term", "estimate", "std_error", "statistic", "df", "p_value",
		"conf_low", "conf_high", "n", "method", trail), collapse = ",")
est_row <- function(lead, term, v, n, method, trail = NULL)
	paste(c(quote_csv(lead), term, fmt(c(v, n)), quote_csv(method), trail), collapse = ",")
write_case <- function(case, lines) {
	path <- file.path("tests/cli", case, "expout")
	dir.create(dirname(path), showWarnings = FALSE, recursive = TRUE)
	writeLines(lines, path)
	cat("wrote", path, "(", length(lines), "lines )\n")
}
ctl <- glm.control(epsilon = 1e-12, maxit = 100)
# glm keeps the working weights of the iteration before the last, which at
# a deviance change of 1e-12 can still differ from the final fit by 1e-6
# relative; a second fit started at the estimates converges in one step, so
# its weights, and the sandwich built on them, are those of the final fit.
# (each fit below is redone with start = the first fit's coefficients)

## ---- the synthetic negative-binomial panel ---------------------------------
# 40 units over 2001-2014, cohorts 2005, 2008, 2011 and never; unit and year
# effects, an effect growing with time since the event; counts negative
# binomial (size 1.5).  Then: about 12% of the rows missing (gaps), one unit
# whose counts are all 0 (Z00), one with a single observation (S00), one
# treated in 2001 (no year before: dropped by etwfe), and one treated cohort
# (2011) whose first treated year is all zeros (a separated cell).
make_panel <- function() {
	set.seed(20261203)
	units <- sprintf("U%02d", 1:40)
	years <- 2001:2014
	cohort <- rep(c(2005, 2008, 2011, NA), length.out = 40)
	alpha <- rnorm(40, 2, 1)
	gamma <- cumsum(rnorm(length(years), 0.05, 0.1))
	d <- expand.grid(year = years, u = 1:40)
	g <- cohort[d$u]
	eff <- ifelse(!is.na(g) & d$year >= g, -0.2 + 0.05 * (d$year - g), 0)
	mu <- exp(alpha[d$u] + gamma[d$year - 2000] + eff)
	d$value <- rnbinom(nrow(d), size = 1.5, mu = mu)
	d$iso3 <- units[d$u]
	d$event_year <- g
	d <- d[runif(nrow(d)) > 0.12, ]
	d$value[d$iso3 == "U07"] <- 0
	d$iso3[d$iso3 == "U07"] <- "Z00"
	d$value[!is.na(d$event_year) & d$event_year == 2011 & d$year == 2011] <- 0
	d$event_year[d$iso3 == "U13"] <- 2001
	d <- rbind(d, data.frame(year = 2006, u = 41, value = 5, iso3 = "S00", event_year = NA))
	d$indicator <- "cases"
	d$rel_year <- d$year - d$event_year
	d$post <- ifelse(is.na(d$event_year), NA, as.integer(d$year >= d$event_year))
	d <- d[order(d$iso3, d$year), ]
	out <- data.frame(iso3 = d$iso3, year = d$year, indicator = d$indicator,
			  value = d$value, event_year = d$event_year, rel_year = d$rel_year,
			  post = d$post)
	out[is.na(out)] <- ""
	write.csv(out, "tests/data/nbpanel.csv", row.names = FALSE, quote = FALSE)
	cat("wrote tests/data/nbpanel.csv (", nrow(out), "rows )\n")
}
make_panel()

read_table <- function(path)
	read.csv(path, colClasses = "character", na.strings = character(0),
		 check.names = FALSE)
num <- function(s) ifelse(s == "", NA_real_, suppressWarnings(as.numeric(s)))

## ---- the GLOTIP counts joined with the Palermo dates -----------------------
glotip_joined <- function() {
	d <- read_table("data/glotip_country_year.csv")
	ev <- read_table("data/palermo_parties.csv")
	ev <- ev[ev$instrument == "palermo", ]
	ey <- num(substr(ev$ratified, 1, 4))
	d$event_year <- ey[match(d$iso3, ev$iso3)]
	d$post <- ifelse(is.na(d$event_year), NA, as.integer(num(d$year) >= d$event_year))
	d
}

## ---- the sample rules -------------------------------------------------------
sample_rules <- function(d, family, model) {
	cnt <- c(single = 0, nopre = 0, zunit = 0, zyear = 0, zcell = 0)
	treated_cell <- !is.na(d$g) & d$year >= d$g
	cell <- ifelse(treated_cell, paste(d$g, d$year), NA)
	repeat {
		n0 <- nrow(d)
		k <- table(d$iso3); one <- names(k)[k == 1]
		cnt["single"] <- cnt["single"] + length(one); keep <- !(d$iso3 %in% one)
		d <- d[keep, ]; cell <- cell[keep]
		if (model == "etwfe") {
			pre <- tapply(is.na(d$g) | d$year < d$g, d$iso3, any)
			bad <- names(pre)[!pre]
			cnt["nopre"] <- cnt["nopre"] + length(bad); keep <- !(d$iso3 %in% bad)
			d <- d[keep, ]; cell <- cell[keep]
		}
		if (family == "poisson") {
			s <- tapply(d$y, d$iso3, function(v) all(v == 0)); bad <- names(s)[s]
			cnt["zunit"] <- cnt["zunit"] + length(bad); keep <- !(d$iso3 %in% bad)
			d <- d[keep, ]; cell <- cell[keep]
			s <- tapply(d$y, d$year, function(v) all(v == 0)); bad <- names(s)[s]
			cnt["zyear"] <- cnt["zyear"] + length(bad); keep <- !(as.character(d$year) %in% bad)
			d <- d[keep, ]; cell <- cell[keep]
		}
		if (family == "poisson" && model == "etwfe" && nrow(d) > 0) {
			has <- !is.na(cell)
			s <- tapply(d$y[has], cell[has], function(v) all(v == 0)); bad <- names(s)[s]
			cnt["zcell"] <- cnt["zcell"] + length(bad); keep <- !(cell %in% bad)
			d <- d[keep, ]; cell <- cell[keep]
		}
		if (nrow(d) == n0) break
	}
	cat("  drops:", paste(names(cnt), cnt, collapse = " "), " n =", nrow(d), "\n")
	d
}

## ---- one panel regression ---------------------------------------------------
# d: columns iso3, year, y, g (event year or NA), post.  Rows as tt-panel's.
panel_fit <- function(d, family, model, level, base = NA, detail = FALSE, key = NULL) {
	d <- sample_rules(d, family, model)
	n <- nrow(d)
	G <- length(unique(d$iso3))
	method <- sprintf("%s-%s(cluster=iso3)", if (family == "poisson") "ppml" else "ols", model)
	years <- sort(unique(d$year))
	ref <- if (model == "index" && !is.na(base)) base else years[1]
	d$fyear <- relevel(factor(d$year), ref = as.character(ref))
	d$fiso <- factor(d$iso3)
	cells <- NULL
	if (model == "twfe") {
		X <- matrix(ifelse(is.na(d$post), 0, d$post), ncol = 1, dimnames = list(NULL, "post"))
	} else if (model == "etwfe") {
		tc <- !is.na(d$g) & d$year >= d$g
		cells <- unique(d[tc, c("g", "year")])
		cells <- cells[order(cells$g, cells$year), ]
		X <- sapply(seq_len(nrow(cells)), function(j)
			as.numeric(tc & d$g == cells$g[j] & d$year == cells$year[j]))
		X <- matrix(X, nrow = n)
		colnames(X) <- sprintf("c%d_%d", cells$g, cells$year)
		cells$n <- colSums(X)
	} else {
		X <- matrix(0, n, 0)
	}
	# a first fit at glm's default precision finds the aliased cells (at
	# epsilon 1e-12 glm.fit's QR tolerance, epsilon/1000, is too fine to
	# see them and the iterations wander); the reported fit is on the
	# full-rank design at epsilon 1e-12
	fit_once <- function(X, control = glm.control(), start = NULL) {
		df <- data.frame(y = d$y, fiso = d$fiso, fyear = d$fyear, X, check.names = FALSE)
		f <- if (ncol(X)) as.formula(paste("y ~ fiso + fyear +", paste0("`", colnames(X), "`", collapse = " + ")))
		     else y ~ fiso + fyear
		if (family == "poisson") glm(f, family = poisson, data = df, control = control, start = start)
		else lm(f, data = df)
	}
	fit <- fit_once(X)
	cf <- coef(fit)
	alias <- colnames(X)[sapply(colnames(X), function(c) {
		v <- cf[c(c, paste0("`", c, "`"))]; all(is.na(v))
	})]
	# a cell whose year has no comparison observation (every observation of
	# that year is in a treated cell) is not identified apart from the year
	# effect: tt-panel leaves it empty and out of att/att_simple, and so
	# does this script (R would alias one of the two and report the other)
	if (model == "etwfe" && ncol(X)) {
		ctrl <- rowSums(X) == 0
		noctrl <- colnames(X)[sapply(seq_len(ncol(X)), function(j)
			!any(ctrl & as.character(d$fyear) == as.character(cells$year[j])))]
		alias <- union(alias, noctrl)
	}
	if (length(alias))
		cat("  aliased:", alias, "\n")
	Xk <- X[, setdiff(colnames(X), alias), drop = FALSE]
	fit <- fit_once(Xk, ctl)
	if (family == "poisson")
		fit <- fit_once(Xk, ctl, start = coef(fit))
	stopifnot(!anyNA(coef(fit)), family == "linear" || fit$converged)
	V <- vcovCL(fit, cluster = ~fiso, type = "HC0", cadjust = TRUE)
	b <- coef(fit)
	names(b) <- gsub("`", "", names(b)); dimnames(V) <- list(names(b), names(b))
	dfree <- if (family == "poisson") NA else G - 1
	q <- if (family == "poisson") qnorm(1 - (1 - level) / 2) else qt(1 - (1 - level) / 2, dfree)
	pval <- function(z) if (family == "poisson") 2 * pnorm(-abs(z)) else 2 * pt(-abs(z), dfree)
	# est on the natural scale: `transform` 0 none, 1 percent effect, 2 index
	infer <- function(est, se, transform) {
		if (is.na(est)) return(rep(NA, 7))
		# a standard error below 1e-5 (1 + |est|) is the rounding noise of
		# an exact fit: tt-panel leaves it empty (PANEL_EXACT_SE)
		if (!is.na(se) && se < 1e-5 * (1 + abs(est))) se <- NA
		z <- est / se; lo <- est - q * se; hi <- est + q * se
		tr <- switch(transform + 1, identity, function(x) 100 * (exp(x) - 1),
			     function(x) 100 * exp(x))
		c(tr(est), se, z, dfree, pval(z), tr(lo), tr(hi))
	}
	pt_tr <- if (family == "poisson") 1 else 0
	out <- character(0)
	lead <- function(v) c(key, v)
	if (model == "twfe") {
		v <- infer(b["post"], sqrt(V["post", "post"]), 0)
		out <- est_row(key, "post", v, n, method)
		if (family == "poisson")
			out <- c(out, est_row(key, "pct_post", c(100 * (exp(v[1]) - 1), NA, NA, NA, NA,
						       100 * (exp(v[6]) - 1), 100 * (exp(v[7]) - 1)), n, method))
	} else if (model == "etwfe") {
		nm <- colnames(X)
		e <- cells$year - cells$g
		wmean <- function(sel) {
			ok <- sel & !(nm %in% alias)
			if (!any(ok)) return(rep(NA, 7))
			w <- cells$n[ok]; cn <- nm[ok]
			est <- sum(w * b[cn]) / sum(w)
			se <- sqrt(drop(t(w) %*% V[cn, cn, drop = FALSE] %*% w)) / sum(w)
			infer(est, se, pt_tr)
		}
		tr <- if (detail) c("", "") else NULL
		for (k in sort(unique(e)))
			out <- c(out, est_row(lead(k), "att", wmean(e == k), n, method, tr))
		out <- c(out, est_row(lead(""), "att_simple", wmean(rep(TRUE, length(e))), n, method, tr))
		if (detail)
			for (j in seq_along(nm)) {
				v <- if (nm[j] %in% alias) rep(NA, 7) else infer(b[nm[j]], sqrt(V[nm[j], nm[j]]), pt_tr)
				out <- c(out, est_row(lead(e[j]), "att_gt", v, n, method,
						      c(cells$g[j], cells$year[j])))
			}
	} else {
		for (yr in years[years != ref]) {
			cn <- paste0("fyear", yr)
			out <- c(out, est_row(lead(yr), "year_effect",
					      infer(b[cn], sqrt(V[cn, cn]), if (family == "poisson") 2 else 0),
					      n, method))
		}
	}
	out
}

# every --by group (indicator) of a table, in order of first appearance
panel_case <- function(tab, family, model, level = 0.95, base = NA, detail = FALSE) {
	lead <- c("indicator", if (model == "etwfe") "rel_year" else if (model == "index") "year")
	out <- est_header(lead, if (detail) c("cohort", "year"))
	for (ind in unique(tab$indicator)) {
		cat(ind, family, model, "\n")
		s <- tab[tab$indicator == ind, ]
		y <- num(s$value); ok <- !is.na(y)
		d <- data.frame(iso3 = s$iso3[ok], year = num(s$year)[ok], y = y[ok],
				g = num(s$event_year)[ok], post = num(s$post)[ok],
				stringsAsFactors = FALSE)
		out <- c(out, panel_fit(d, family, model, level, base, detail, key = ind))
	}
	out
}

## ---- tt-trend --method poisson ------------------------------------------------
trend_poisson <- function(tab, lag = NA) {
	method <- if (is.na(lag)) "poisson(hc1)" else sprintf("poisson(newey-west(lag=%d,bartlett))", lag)
	out <- est_header(c("iso3", "indicator"))
	z <- qnorm(0.975)
	for (u in unique(tab$iso3)) {
		s <- tab[tab$iso3 == u, ]
		y <- num(s$value); t <- num(s$year); ok <- !is.na(y)
		y <- y[ok]; t <- t[ok]; o <- order(t); y <- y[o]; t <- t[o]
		key <- c(u, s$indicator[1]); n <- length(y)
		if (n < 3 || all(y == 0) || all(y == y[1])) {
			# the tool's degenerate cases: empty cells (checked by hand)
			out <- c(out, est_row(key, "slope", rep(NA, 7), n, method),
				 est_row(key, "pct_change", rep(NA, 7), n, method),
				 est_row(key, "intercept", rep(NA, 7), n, method))
			next
		}
		f <- glm(y ~ t, family = poisson, control = ctl)
		f <- glm(y ~ t, family = poisson, control = ctl, start = coef(f))
		V <- if (is.na(lag)) vcovHC(f, type = "HC1")
		     else NeweyWest(f, lag = lag, prewhite = FALSE, adjust = TRUE)
		b <- coef(f); se <- sqrt(diag(V))
		row <- function(j) c(b[j], se[j], b[j] / se[j], NA, 2 * pnorm(-abs(b[j] / se[j])),
				     b[j] - z * se[j], b[j] + z * se[j])
		s1 <- row(2)
		out <- c(out, est_row(key, "slope", s1, n, method),
			 est_row(key, "pct_change", c(100 * (exp(s1[1]) - 1), NA, NA, NA, NA,
						     100 * (exp(s1[6]) - 1), 100 * (exp(s1[7]) - 1)), n, method),
			 est_row(key, "intercept", row(1), n, method))
	}
	out
}

nb <- read_table("tests/data/nbpanel.csv")
write_case("tt-trend/r-poisson", trend_poisson(nb))
write_case("tt-trend/r-poisson-nw", trend_poisson(nb, lag = 2))
for (fam in c("poisson", "linear")) {
	write_case(sprintf("tt-panel/r-nb-%s-twfe", fam), panel_case(nb, fam, "twfe"))
	write_case(sprintf("tt-panel/r-nb-%s-etwfe", fam), panel_case(nb, fam, "etwfe", detail = TRUE))
	write_case(sprintf("tt-panel/r-nb-%s-index", fam), panel_case(nb, fam, "index", base = 2005))
}
gj <- glotip_joined()
for (fam in c("poisson", "linear")) {
	write_case(sprintf("tt-panel/r-glotip-%s-twfe", fam), panel_case(gj, fam, "twfe"))
	write_case(sprintf("tt-panel/r-glotip-%s-etwfe", fam), panel_case(gj, fam, "etwfe", detail = TRUE))
	write_case(sprintf("tt-panel/r-glotip-%s-index", fam), panel_case(gj, fam, "index", level = 0.9))
}
