# tt — trafficking trends toolkit.  Plain make; no autotools.
#   make            build every tool into bin/
#   make check      install missing packages, build, run every test (ends "N passed, N failed")
#   make demo       install missing packages, build, analyse the shipped data into plots/
#   make install    PREFIX=/usr/local DESTDIR= (tools, man pages, PREFIX/share/tt/: countries.csv, population.csv, tt-report's page)
#   make bench      benchmarks (scripts/bench)

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man/man1
CC      ?= cc
WERROR  ?= -Werror
OPT     ?= -O2
GSL_CFLAGS := $(shell pkg-config --cflags gsl 2>/dev/null)
GSL_LIBS   := $(shell pkg-config --libs gsl 2>/dev/null || echo -lgsl -lgslcblas -lm)
CFLAGS  ?= $(OPT) -g
# -ffp-contract=off: no fused multiply-add where the source has none (gcc's
# default under -std=c11; clang's is on): csvwrite's exact digit arithmetic
# and the bit-identical sums rely on each product being rounded
ALLCFLAGS = -DTT_VERSION='"$(VERSION)"' -std=c11 -ffp-contract=off -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic $(WERROR) \
            -Itools/lib $(GSL_CFLAGS) $(CFLAGS)
LDLIBS  = -lcsv $(GSL_LIBS) -lm
VERSION = 0.1.0

B       ?= build
LIBSRC  := $(sort $(wildcard tools/lib/*.c))
LIBOBJ  := $(LIBSRC:tools/lib/%.c=$(B)/lib/%.o)
TOOLSRC := $(sort $(wildcard tools/tt*.c))
TOOLS   := $(TOOLSRC:tools/%.c=bin/%)
# tools written in sh and awk: the script goes into bin/, its awk and
# template files stay in tools/report/ (installed as PREFIX/share/tt/)
SHTOOLS := bin/tt-report
SHARE   := tools/report/report-lib.awk tools/report/report.awk tools/report/report.html.in
UNITSRC := $(sort $(wildcard tests/unit/test_*.c))
UNITS   := $(UNITSRC:tests/unit/%.c=$(B)/unit/%)
FUZZSRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))

all: $(TOOLS) $(SHTOOLS)

bin/tt-report: tools/tt-report $(SHARE)
	@mkdir -p bin
	sed 's/^version=.*/version=$(VERSION)/' tools/tt-report > $@ && chmod 755 $@

$(B)/lib/%.o: tools/lib/%.c $(wildcard tools/lib/*.h)
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

$(B)/libtt.a: $(LIBOBJ)
	rm -f $@ && ar rcs $@ $(LIBOBJ)

bin/%: tools/%.c $(B)/libtt.a
	@mkdir -p bin
	$(CC) $(ALLCFLAGS) -o $@ $< $(B)/libtt.a $(LDFLAGS) $(LDLIBS)

$(B)/unit/%: tests/unit/%.c tests/unit/unit.h $(B)/libtt.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -Itests/unit -o $@ $< $(B)/libtt.a $(LDFLAGS) $(LDLIBS)

units: $(UNITS)

deps:
	@sh scripts/install-deps

# The sanitizer pass: the same sources in a separate build directory.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
san:
	$(MAKE) B=build-san CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" BINOUT=1 \
	    $(TOOLS:bin/%=build-san/bin/%) $(SHTOOLS:bin/%=build-san/bin/%) $(UNITSRC:tests/unit/%.c=build-san/unit/%)

build-san/bin/tt-report: tools/tt-report $(SHARE)
	@mkdir -p $(@D)
	sed 's/^version=.*/version=$(VERSION)/' tools/tt-report > $@ && chmod 755 $@

build-san/bin/%: tools/%.c build-san/libtt.a
	@mkdir -p $(@D)
	$(CC) $(ALLCFLAGS) -o $@ $< build-san/libtt.a $(LDFLAGS) $(LDLIBS)

check: deps
	$(MAKE) all units
	$(MAKE) san
	sh tests/run

demo: deps all
	sh scripts/demo

bench: all
	sh scripts/bench

FUZZ_SECONDS ?= 30
fuzz:
	sh tests/fuzz/run $(FUZZ_SECONDS)

# the CLI suite under valgrind's memcheck (slow: minutes)
check-valgrind: all
	sh tests/run --valgrind

install: all
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)
	for t in $(TOOLS) $(SHTOOLS); do install -m 755 $$t $(DESTDIR)$(BINDIR)/; done
	for m in tools/man/*.[1-9]; do s=$${m##*.}; mkdir -p $(DESTDIR)$(MANDIR)/../man$$s; install -m 644 $$m $(DESTDIR)$(MANDIR)/../man$$s/; done
	# tt-country's table (found beside the tools, as ../share/tt/), and the population for tt-rate
	mkdir -p $(DESTDIR)$(PREFIX)/share/tt
	install -m 644 data/countries.csv data/population.csv $(DESTDIR)$(PREFIX)/share/tt/
	# tt-report's page: found beside the tool as ../share/tt/, or through TT_SHARE
	install -m 644 $(SHARE) $(DESTDIR)$(PREFIX)/share/tt/

clean:
	rm -rf bin build build-san build-fuzz plots/*.png plots/*.svg plots/*.pdf plots/*.csv plots/*.html plots/*.txt

.PHONY: all units deps san check check-valgrind demo bench fuzz install clean
.SECONDARY:
