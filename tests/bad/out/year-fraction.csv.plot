# gnuplot script written by tt (gnuplot 5.4 or later); data inline
set encoding utf8
set terminal dumb size 80,25 noenhanced
# house style: plain report look
set border 3 lc rgb '#555555'
set tics nomirror out scale 0.5
set grid lc rgb '#d9d9d9' lw 1 dt solid
set key below Left reverse nobox samplen 2.5 height 1
set style fill solid 0.85 noborder
set linetype 1 lc rgb '#0072B2' lw 2 pt 7 ps 0.7
set linetype 2 lc rgb '#D55E00' lw 2 pt 5 ps 0.7
set linetype 3 lc rgb '#009E73' lw 2 pt 9 ps 0.7
set linetype 4 lc rgb '#CC79A7' lw 2 pt 13 ps 0.7
set linetype 5 lc rgb '#E69F00' lw 2 pt 11 ps 0.7
set linetype 6 lc rgb '#56B4E9' lw 2 pt 7 ps 0.7
set linetype 7 lc rgb '#000000' lw 2 pt 5 ps 0.7
set linetype 8 lc rgb '#F0E442' lw 2 pt 9 ps 0.7
set linetype cycle 8
set xlabel 'year'
set ylabel 'value'
$tt_s0 << EOD
2002 34
2003 38
2004 37
2005 21
2006 16
2007 12
EOD
$tt_s1 << EOD
2002 17

2003 24
2003.5 27

2005 36

2006 8

2007 6
EOD
$tt_s2 << EOD
2002 2
2003 4
2004 34
2005 19
2006 26
2007 16
EOD
set autoscale xfix
set offsets graph 0.03, graph 0.03, graph 0.05, graph 0.03
plot $tt_s0 using 1:2 with linespoints lt 1 dt 1 title 'AAA', \
    $tt_s1 using 1:2 with linespoints lt 2 dt 1 title 'BBB', \
    $tt_s2 using 1:2 with linespoints lt 3 dt 1 title 'DDD'
unset output
