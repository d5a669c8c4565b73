# Reference output of tt-rate (tests/cli/tt-rate/r-rate/): the value per
# 100,000 of the population, computed by R from the same input.
#
# Regenerate, from the top of the tree:
#     Rscript tests/ref/rate.R
# It rewrites tests/cli/tt-rate/r-rate/expout only.  The input, in.csv, is
# UNODC GLOTIP counts of five countries, 2015-2020 (data/glotip_country_year.csv)
# with the World Bank population attached by
#     tt-join --attach data/population.csv --on iso3,year --cols population
# Cells whose value is missing (UNODC's suppressed counts) stay missing.

stopifnot(file.exists("tools/tt-rate.c"))
dir <- "tests/cli/tt-rate/r-rate"
x <- read.csv(file.path(dir, "in.csv"), colClasses = "character", na.strings = character(0))
v <- suppressWarnings(as.numeric(x$value))
p <- as.numeric(x$population)
rate <- v * 1e5 / p
x$indicator <- paste0(x$indicator, "_per_100k")
x$value <- ifelse(is.na(rate), "", formatC(rate, digits = 17, format = "g"))
write.table(x, file.path(dir, "expout"), sep = ",", quote = FALSE, row.names = FALSE,
            na = "")
