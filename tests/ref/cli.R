# Reference outputs for the CLI cases of tt-trend, tt-join and tt-prepost
# that are checked against R (tests/cli/<tool>/r-*/).
#
# Regenerate (from the top of the tree, /work/main):
#     Rscript tests/ref/cli.R
# It rewrites the `expout` of each case listed at the bottom and nothing
# else; each of those cases has a `tol` file, so the test runner compares
# the numbers to that relative tolerance (tests/numcmp) and every other cell
# exactly.  (Their `experr`, the tools' warnings, is not R's business: it
# was recorded from the tools and checked by hand.)  Needs base R and the
# sandwich package.  The inputs are
# tests/data/glotip_sample.csv (UNODC GLOTIP counts, a few countries, from
# data/glotip_country_year.csv) and tests/data/palermo_sample.csv (their
# Palermo Protocol and UNTOC dates, from data/palermo_parties.csv).
#
# Everything is computed here from those two files with R's own functions:
# lm() and confint() for OLS, t.test(), wilcox.test(), binom.test(),
# cor.test() and cor(method = "kendall"), sandwich::NeweyWest(prewhite =
# FALSE, adjust = TRUE) for the ITS standard errors.  The join itself is
# redone here too, so the tt-prepost cases (whose input is the table tt-join
# wrote, tests/data/glotip_joined.csv) also check tt-join.  Theil-Sen has no
# function in base R (trend is not installed): the median of the pairwise
# slopes and the rank rule of trend::sens.slope are written out below.
#
# The layout of the estimates table (which cells are empty for which term)
# is tt-toolkit(7)'s; the man pages tt-trend(1) and tt-prepost(1) describe it.

stopifnot(file.exists("tools/tt-trend.c"))
suppressPackageStartupMessages(library(sandwich))

read_table <- function(path)
	read.csv(path, colClasses = "character", na.strings = character(0),
		 check.names = FALSE)

num <- function(s) ifelse(s == "", NA_real_, suppressWarnings(as.numeric(s)))
fmt <- function(x) ifelse(is.na(x), "", sprintf("%.17g", x))
quote_csv <- function(s)
	ifelse(grepl("[\",\n\r]", s), paste0("\"", gsub("\"", "\"\"", s), "\""), s)

# one row of the estimates table
est_row <- function(key, term, estimate = NA, std_error = NA, statistic = NA,
		    df = NA, p_value = NA, conf_low = NA, conf_high = NA, n = NA,
		    method = "")
	paste(c(quote_csv(key), term,
		fmt(c(estimate, std_error, statistic, df, p_value, conf_low, conf_high, n)),
		quote_csv(method)), collapse = ",")

est_header <- function(groups)
	paste(c(groups, "term", "estimate", "std_error", "statistic", "df", "p_value",
		"conf_low", "conf_high", "n", "method"), collapse = ",")

write_case <- function(case, lines) {
	path <- file.path("tests/cli", case, "expout")
	stopifnot(dir.exists(dirname(path)))
	writeLines(lines, path)
	cat("wrote", path, "(", length(lines), "lines )\n")
}

sample <- read_table("tests/data/glotip_sample.csv")
events <- read_table("tests/data/palermo_sample.csv")
key_of <- paste(sample$iso3, sample$indicator, sep = "\r")
groups <- unique(key_of)        # first-appearance order, as the tools
group_rows <- function(g) sample[key_of == g, ]
group_key <- function(d) c(d$iso3[1], d$indicator[1])

## ---- tt-trend --method ols -------------------------------------------------

trend_ols <- function(transform = identity, level = 0.95) {
	out <- est_header(c("iso3", "indicator"))
	for (g in groups) {
		d <- group_rows(g)
		y <- num(d$value); x <- num(d$year)
		ok <- !is.na(y)
		x <- x[ok]; y <- transform(y[ok]); n <- length(y)
		fit <- lm(y ~ x)
		co <- summary(fit)$coefficients
		ci <- confint(fit, level = level)
		df <- fit$df.residual
		k <- group_key(d)
		out <- c(out,
			 est_row(k, "slope", co[2, 1], co[2, 2], co[2, 3], df, co[2, 4],
				 ci[2, 1], ci[2, 2], n, "ols"),
			 est_row(k, "intercept", co[1, 1], co[1, 2], co[1, 3], df, co[1, 4],
				 ci[1, 1], ci[1, 2], n, "ols"),
			 est_row(k, "r2", summary(fit)$r.squared, n = n, method = "ols"))
		if (!identical(transform, identity))
			out <- c(out, est_row(k, "pct_change", 100 * (exp(co[2, 1]) - 1),
					      conf_low = 100 * (exp(ci[2, 1]) - 1),
					      conf_high = 100 * (exp(ci[2, 2]) - 1),
					      n = n, method = "ols"))
	}
	out
}

## ---- tt-trend --method sen -------------------------------------------------

# Theil-Sen and Mann-Kendall, written out; years are distinct within a
# group here, so var S needs the tie correction for y only.
sen <- function(x, y, level) {
	n <- length(y)
	ij <- which(upper.tri(matrix(0, n, n)), arr.ind = TRUE)
	i <- ij[, 1]; j <- ij[, 2]
	keep <- x[i] != x[j]
	slopes <- sort(((y[j] - y[i]) / (x[j] - x[i]))[keep])
	s <- sum(sign(x[j] - x[i]) * sign(y[j] - y[i]))
	u <- table(y)
	var_s <- (n * (n - 1) * (2 * n + 5) - sum(u * (u - 1) * (2 * u + 5))) / 18
	z <- sign(s) * (abs(s) - 1) / sqrt(var_s)
	p <- 2 * pnorm(-abs(z))
	# the same test by R's own code
	ct <- cor.test(x, y, method = "kendall", exact = FALSE, continuity = TRUE)
	stopifnot(abs(ct$p.value - p) <= 1e-12 * max(p, 1e-300))
	N <- length(slopes)
	C <- qnorm(1 - (1 - level) / 2) * sqrt(var_s)
	lo <- round((N - C) / 2); hi <- round((N + C) / 2 + 1)
	ci <- if (lo >= 1 && hi <= N) slopes[c(lo, hi)] else c(NA, NA)
	list(slope = median(slopes), ci = ci, s = s, se = sqrt(var_s), z = z, p = p,
	     tau = cor(x, y, method = "kendall"), n = n)
}

trend_sen <- function(level = 0.95) {
	out <- est_header(c("iso3", "indicator"))
	for (g in groups) {
		d <- group_rows(g)
		y <- num(d$value); x <- num(d$year)
		ok <- !is.na(y)
		r <- sen(x[ok], y[ok], level)
		k <- group_key(d)
		out <- c(out,
			 est_row(k, "sen_slope", r$slope, conf_low = r$ci[1], conf_high = r$ci[2],
				 n = r$n, method = "theil-sen"),
			 est_row(k, "mk_s", r$s, r$se, r$z, p_value = r$p, n = r$n,
				 method = "mann-kendall(ties)"),
			 est_row(k, "mk_tau", r$tau, n = r$n, method = "kendall(tau-b)"))
	}
	out
}

## ---- tt-join -----------------------------------------------------------------

palermo <- events[events$instrument == "palermo", ]
event_year <- function(iso3) {
	m <- match(iso3, palermo$iso3)
	date <- ifelse(is.na(m), "", palermo$ratified[m])
	ifelse(date == "", NA_real_, as.numeric(substr(date, 1, 4)))
}

join <- function() {
	ev <- event_year(sample$iso3)
	year <- num(sample$year)
	rel <- year - ev
	post <- ifelse(is.na(ev), NA, as.numeric(year >= ev))
	fields <- sapply(sample, quote_csv)
	c(paste(names(sample), collapse = ",") |> paste0(",event_year,rel_year,post"),
	  paste(apply(fields, 1, paste, collapse = ","), fmt(ev), fmt(rel), fmt(post),
		sep = ","))
}

## ---- tt-prepost ------------------------------------------------------------

mean_row <- function(k, term, x, level) {
	n <- length(x)
	if (n == 0)
		return(est_row(k, term, n = 0, method = "mean"))
	if (n == 1)
		return(est_row(k, term, x, n = 1, method = "mean"))
	t <- t.test(x, conf.level = level)
	est_row(k, term, mean(x), sd(x) / sqrt(n), df = n - 1, conf_low = t$conf.int[1],
		conf_high = t$conf.int[2], n = n, method = "mean")
}

its_rows <- function(k, rel, post, y, lag, level) {
	n <- length(y)
	L <- if (is.na(lag)) floor(4 * (n / 100)^(2 / 9)) else lag
	method <- sprintf("newey-west(lag=%d,bartlett)", L)
	terms <- c("its_pre_slope", "its_level", "its_slope")
	if (sum(post == 0) < 3 || sum(post == 1) < 3)
		return(sapply(terms, function(t) est_row(k, t, n = n, method = method)))
	o <- order(rel)
	r <- rel[o]; D <- post[o]; yy <- y[o]
	fit <- lm(yy ~ r + D + I(D * r))
	V <- NeweyWest(fit, lag = L, prewhite = FALSE, adjust = TRUE)
	b <- coef(fit); se <- sqrt(diag(V)); df <- n - 4
	q <- qt(1 - (1 - level) / 2, df)
	sapply(2:4, function(i) {
		t <- b[i] / se[i]
		est_row(k, terms[i - 1], b[i], se[i], t, df, 2 * pt(-abs(t), df),
			b[i] - q * se[i], b[i] + q * se[i], n, method)
	})
}

prepost_group <- function(k, rel, y, lag, level) {
	post <- as.numeric(rel >= 0)
	pre_y <- y[post == 0]; post_y <- y[post == 1]
	n_pre <- length(pre_y); n_post <- length(post_y); n <- n_pre + n_post
	diff <- if (n_pre && n_post) mean(post_y) - mean(pre_y) else NA
	out <- c(mean_row(k, "mean_pre", pre_y, level), mean_row(k, "mean_post", post_y, level))
	if (n_pre >= 2 && n_post >= 2) {
		w <- t.test(post_y, pre_y, conf.level = level)
		out <- c(out, est_row(k, "diff", diff, w$stderr, w$statistic, w$parameter,
				      w$p.value, w$conf.int[1], w$conf.int[2], n, "welch"))
	} else {
		out <- c(out, est_row(k, "diff", diff, n = n, method = "welch"))
	}
	out <- c(out, est_row(k, "pct_change", 100 * diff / mean(pre_y), n = n, method = "mean"))
	if (n_pre && n_post) {
		exact <- n_pre < 50 && n_post < 50 && !anyDuplicated(c(pre_y, post_y))
		mw <- suppressWarnings(wilcox.test(post_y, pre_y, exact = exact, correct = TRUE))
		out <- c(out, est_row(k, "mann_whitney", statistic = mw$statistic,
				      p_value = mw$p.value, n = n,
				      method = if (exact) "mann-whitney exact"
					       else "mann-whitney normal(ties,cc)"))
	} else {
		out <- c(out, est_row(k, "mann_whitney", n = n, method = "mann-whitney"))
	}
	list(rows = c(out, its_rows(k, rel, post, y, lag, level)), diff = diff)
}

pooled_rows <- function(k, d, level) {
	m <- length(d)
	t <- t.test(d, conf.level = level)
	exact <- m < 50 && !anyDuplicated(abs(d)) && all(d != 0)
	sr <- wilcox.test(d, exact = exact, correct = TRUE)
	b <- binom.test(sum(d > 0), sum(d != 0), 0.5, conf.level = level)
	c(est_row(k, "pooled_diff", t$estimate, t$stderr, t$statistic, t$parameter,
		  t$p.value, t$conf.int[1], t$conf.int[2], m, "one-sample-t"),
	  est_row(k, "signed_rank", statistic = sr$statistic, p_value = sr$p.value, n = m,
		  method = if (exact) "signed-rank exact" else "signed-rank normal(ties,cc)"),
	  est_row(k, "sign_test", b$estimate, statistic = b$statistic, p_value = b$p.value,
		  conf_low = b$conf.int[1], conf_high = b$conf.int[2], n = m,
		  method = "sign-test exact"))
}

prepost <- function(pre = Inf, post = Inf, drop_event = FALSE, lag = NA,
		    level = 0.95, pooled = FALSE) {
	out <- est_header(c("iso3", "indicator"))
	diffs <- list()
	for (g in groups) {
		d <- group_rows(g)
		ev <- event_year(d$iso3[1])
		if (is.na(ev))
			next            # never treated: no rows
		rel <- num(d$year) - ev; y <- num(d$value)
		keep <- !is.na(y) & rel >= -pre & rel <= post & !(drop_event & rel == 0)
		k <- group_key(d)
		r <- prepost_group(k, rel[keep], y[keep], lag, level)
		out <- c(out, r$rows)
		if (!is.na(r$diff))
			diffs[[k[2]]] <- c(diffs[[k[2]]], r$diff)
	}
	if (pooled)
		for (ind in unique(sample$indicator))
			out <- c(out, pooled_rows(c("ALL", ind), diffs[[ind]], level))
	out
}

## ---- the cases ---------------------------------------------------------------

write_case("tt-trend/r-ols", trend_ols())
write_case("tt-trend/r-ols-log", trend_ols(log, level = 0.9))
write_case("tt-trend/r-sen", trend_sen())
write_case("tt-trend/r-sen-level", trend_sen(level = 0.8))
write_case("tt-join/r-join", join())
write_case("tt-prepost/r-prepost", prepost(pooled = TRUE))
write_case("tt-prepost/r-event-year-only", prepost(pooled = TRUE))
write_case("tt-prepost/r-window", prepost(pre = 5, post = 5, drop_event = TRUE, lag = 1,
					  level = 0.9, pooled = TRUE))
