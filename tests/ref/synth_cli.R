# The expected output of tests/cli/tt-synth/r-shipped-ind: India's 3P
# prosecution score around its ratification (2011) against eight donors
# (tests/cli/tt-synth/data/ind_prosecution.csv, a subset of the shipped
# data/policy_3p.csv joined with data/palermo_parties.csv), computed here
# independently of tt-synth: the weights with quadprog::solve.QP, then the
# gaps, RMSPE, the post/pre ratio and the placebo-in-space p-value, each
# donor treated in turn with the others as its pool.  With eight donors and
# eleven years before the event every X'X is positive definite, so every
# optimum is unique.
#
# Regenerate (from the repository root, or anywhere):
#     Rscript tests/ref/synth_cli.R
# Needs the R package quadprog (Debian: r-cran-quadprog).

suppressPackageStartupMessages(library(quadprog))

args <- commandArgs(trailingOnly = FALSE)
self <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(self)) dirname(normalizePath(self)) else "tests/ref"
case_dir <- file.path(here, "..", "cli", "tt-synth")
d <- read.csv(file.path(case_dir, "data", "ind_prosecution.csv"), stringsAsFactors = FALSE)

treated <- "IND"
event <- d$event_year[d$iso3 == treated][1]
years <- sort(unique(d$year[d$iso3 == treated & !is.na(d$value)]))
pre <- years < event
donors <- unique(d$iso3[d$iso3 != treated])     # in order of appearance
series <- function(u) sapply(years, function(y) d$value[d$iso3 == u & d$year == y])
Y <- sapply(c(treated, donors), series)          # years x units

simplex_ls <- function(X, y) {
	J <- ncol(X)
	sol <- solve.QP(Dmat = crossprod(X), dvec = drop(crossprod(X, y)),
			Amat = cbind(rep(1, J), diag(J)), bvec = c(1, rep(0, J)), meq = 1)
	w <- pmax(sol$solution, 0)
	w / sum(w)
}
fit <- function(y, X) {
	w <- simplex_ls(X[pre, , drop = FALSE], y[pre])
	gap <- drop(y - X %*% w)
	rp <- sqrt(mean(gap[pre]^2)); rq <- sqrt(mean(gap[!pre]^2))
	list(w = w, gap = gap, pre = rp, post = rq, ratio = rq / rp)
}

tr <- fit(Y[, treated], Y[, donors])
placebo <- sapply(donors, function(j) fit(Y[, j], Y[, setdiff(donors, j)])$ratio)
J <- length(donors)
as_extreme <- sum(placebo >= tr$ratio)
g <- function(v) sprintf("%.17g", v)
meth <- sprintf("synth(donors=%d)", J)
row <- function(year, donor, term, est, stat, p, n, m)
	paste(year, donor, term, est, "", stat, "", p, "", "", n, m, sep = ",")
out <- "iso3,indicator,year,donor,term,estimate,std_error,statistic,df,p_value,conf_low,conf_high,n,method"
pfx <- paste0(treated, ",prosecution,")
for (t in seq_along(years))
	out <- c(out, paste0(pfx, row(years[t], "", "gap", g(tr$gap[t]), "", "", J, meth)))
o <- order(-tr$w)
for (k in o[tr$w[o] > 1e-6])
	out <- c(out, paste0(pfx, row("", donors[k], "weight", g(tr$w[k]), "", "", sum(pre), meth)))
out <- c(out,
	 paste0(pfx, row("", "", "rmspe_pre", g(tr$pre), "", "", sum(pre), meth)),
	 paste0(pfx, row("", "", "rmspe_post", g(tr$post), "", "", sum(!pre), meth)),
	 paste0(pfx, row("", "", "ratio", g(tr$ratio), 1 + as_extreme,
			 g((1 + as_extreme) / (J + 1)), J + 1,
			 sprintf("placebo-in-space(donors=%d)", J))))
writeLines(out, file.path(case_dir, "r-shipped-ind", "expout"))
