# Reference values for tests/unit/test_synth.c: synthetic control weights
# from R's quadprog::solve.QP, minimising |y - X w|^2 subject to w >= 0 and
# sum(w) = 1.  Writes tests/ref/synth_ref.h (a C header of static const
# data); commit the header, tests do not need R.
#
# Regenerate (from the repository root, or anywhere):
#     Rscript tests/ref/synth.R
# Needs the R package quadprog (Debian: r-cran-quadprog).  The problems are
# drawn with a fixed seed; solve.QP needs X'X positive definite, so every
# problem has fewer donors than pre-period years and a unique optimum.

suppressPackageStartupMessages(library(quadprog))

args <- commandArgs(trailingOnly = FALSE)
self <- sub("^--file=", "", args[grep("^--file=", args)])
here <- if (length(self)) dirname(normalizePath(self)) else "tests/ref"
out_path <- file.path(here, "synth_ref.h")

num <- function(v) paste(sprintf("%.17g", v), collapse = ", ")

simplex_ls <- function(X, y) {
	J <- ncol(X)
	sol <- solve.QP(Dmat = crossprod(X), dvec = drop(crossprod(X, y)),
			Amat = cbind(rep(1, J), diag(J)), bvec = c(1, rep(0, J)),
			meq = 1)
	w <- pmax(sol$solution, 0)
	w / sum(w)
}

set.seed(20260315)
problems <- list()
# A: 3P-like scores (3..15), 8 years, 5 donors; the treated unit above most
#    donors, so some weights are 0
X <- matrix(round(runif(8 * 5, 3, 12)) + rep(0:7, 5) * 0.3, 8, 5)
y <- 9 + 0.5 * (0:7) + rnorm(8, 0, 0.4)
problems$a <- list(X = X, y = y)
# B: counts with very different levels, 12 years, 9 donors
X <- matrix(rpois(12 * 9, rep(c(5, 20, 40, 80, 150, 300, 12, 60, 25), each = 12)), 12, 9)
y <- 0.3 * X[, 3] + 0.5 * X[, 5] + 0.2 * X[, 8] + rnorm(12, 0, 4)
problems$b <- list(X = X, y = y)
# C: a smooth treated series between rising and falling donors, 10 years, 6 donors
tt <- 0:9
X <- cbind(2 + 0.4 * tt, 8 - 0.3 * tt, 5 + sin(tt), 4 + 0.1 * tt^1.5, 6 + cos(tt / 2), 3 + 0.02 * tt^2)
y <- 5 + 0.05 * tt + rnorm(10, 0, 0.2)
problems$c <- list(X = X, y = y)
# D: the treated unit far below every donor: all weight on the lowest one
X <- matrix(runif(6 * 4, 10, 20), 6, 4)
X[, 2] <- X[, 2] - 8
y <- runif(6, 0, 1)
problems$d <- list(X = X, y = y)

lines <- c("/* Written by tests/ref/synth.R from R's quadprog::solve.QP: do not edit. */",
	   "#ifndef SYNTH_REF_H", "#define SYNTH_REF_H", "",
	   "struct synth_ref { const char *name; int n, J; const double *X, *y, *w, *gap; };", "")
entries <- character()
for (name in names(problems)) {
	p <- problems[[name]]
	w <- simplex_ls(p$X, p$y)
	gap <- drop(p$y - p$X %*% w)
	lines <- c(lines,
		sprintf("static const double ref_%s_X[] = { %s };", name, num(as.vector(p$X))),
		sprintf("static const double ref_%s_y[] = { %s };", name, num(p$y)),
		sprintf("static const double ref_%s_w[] = { %s };", name, num(w)),
		sprintf("static const double ref_%s_gap[] = { %s };", name, num(gap)), "")
	entries <- c(entries, sprintf("\t{ \"%s\", %d, %d, ref_%s_X, ref_%s_y, ref_%s_w, ref_%s_gap },",
				      name, nrow(p$X), ncol(p$X), name, name, name, name))
}
lines <- c(lines, "static const struct synth_ref synth_refs[] = {", entries, "};", "", "#endif")
writeLines(lines, out_path)
