# Reference values for tt-stats' quantile statistics: R's quantile(type = 7)
# and mad(), on a few groups with ties, negatives, n = 1 and n = 2.
# Rerun from the top of the repository:  Rscript tests/ref/quantiles.R
# It rewrites tests/cli/tt-stats/r-quantiles/{input.csv,expout}.
dir <- "tests/cli/tt-stats/r-quantiles"
dir.create(dir, showWarnings = FALSE, recursive = TRUE)
groups <- list(
  a = c(12, 7, 3, 4.5, 19, 33, 7, 1, 0.25, 100),
  b = c(-2.5, 3.75, 1e6, 17, 17, 17, -40, 8),
  c = c(42),
  d = c(5, 6),
  e = c(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.1, 1.3, 2.9, 3.1)
)
rows <- do.call(rbind, lapply(names(groups), function(g)
  data.frame(iso3 = g, year = seq_along(groups[[g]]) + 1999, value = groups[[g]])))
write.csv(rows, file.path(dir, "input.csv"), row.names = FALSE, quote = FALSE)
f <- function(x) format(x, digits = 17)
out <- t(sapply(groups, function(x) {
  q <- quantile(x, c(0.25, 0.5, 0.75, 0.1, 0.9, 0.33), type = 7, names = FALSE)
  c(f(q[1]), f(q[2]), f(q[3]), f(q[3] - q[1]), f(q[4]), f(q[5]), f(q[6]), f(mad(x)))
}))
lines <- c("iso3,q1,median,q3,iqr,p10,p90,p33,mad",
           paste(names(groups), apply(out, 1, paste, collapse = ","), sep = ","))
writeLines(lines, file.path(dir, "expout"))
writeLines("tt-stats -g iso3 -o q1,median,q3,iqr,p10,p90,p33,mad input.csv", file.path(dir, "cmd"))
writeLines("1e-12", file.path(dir, "tol"))
