tt-long --thousands , --drop-missing --set indicator=persons_prosecuted data/examples/prosecutions_export.csv |
    tt-country -c Country |
    tt-join --attach data/population.csv --on iso3,year |
    tt-rate --per population -p 3 >rates.csv
tt-select -w year=2019 -c Country,iso3,value,population rates.csv
tt-plot line -g Country --title "Persons prosecuted per 100,000 inhabitants" -o rates.svg rates.csv
cat >series.csv <<'EOF'
indicator,label,kind
persons_prosecuted,persons prosecuted,count
EOF
tt-long --thousands , --drop-missing --set indicator=persons_prosecuted data/examples/prosecutions_export.csv 2>/dev/null |
    tt-country -c Country >prosecutions.csv
tt-report -o report --series series.csv --events data/palermo_parties.csv --instrument palermo \
    --source "UNODC, Global Report on Trafficking in Persons (persons prosecuted)" prosecutions.csv
