# A chart as tt-plot's interactive charts are meant to be: gnuplot's SVG with
# its mousing script inlined (standalone) and hypertext on every point.
# tests/browser/run draws it into an HTML page (and a copy without the
# script, whose tooltips never show).
set terminal svg mouse standalone size 480,300 font "sans,11"
set xrange [2001.5:2006.5]
set yrange [0:2500]
set key off
$convicted << EOD
2002 1234
2003 2001
2004 1580
2005 1722
2006 980
EOD
plot $convicted using 1:2 with lines, \
     $convicted using 1:2:(sprintf("India %d: %d convicted", $1, $2)) with labels hypertext point pt 7 ps 1.5
