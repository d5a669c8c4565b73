# cmdtext.awk: the text of a demo step as a reader should see it, with the
# values of its shell variables written in.  scripts/demo runs
#
#	env cv_out=plots cv_s=prosecution ... awk -v names="out s ..." -f scripts/cmdtext.awk STEP.sh
#
# Outside single quotes and comments, "$name" and "${name}" become the
# variable's value, and a double-quoted word that is then plain ("plots/x.csv")
# loses its quotes.  A value that would read differently inside double
# quotes (it holds " $ ` or \) is left as a variable and set on a line of
# its own at the top, so the text always runs as written.

function plain(s) { return s ~ /^[A-Za-z0-9_.\/:=+,%@-]+$/ }

function shquote(s) {
	if (plain(s))
		return s
	gsub(/'/, "'\\''", s)
	return "'" s "'"
}

BEGIN {
	n = split(names, NAME, " ")
	header = ""
	for (i = 1; i <= n; i++) {
		key = "cv_" NAME[i]
		if (!(key in ENVIRON))
			continue
		v = ENVIRON[key]
		if (v ~ /["$`\\]/ || index(v, "\n"))
			KEEP[NAME[i]] = v
		else
			VALUE[NAME[i]] = v
	}
	sq = 0		# inside '...', which may span lines (awk programs)
}

# the variable at s[i] = "$": returns "\001" and its replacement (which may
# be empty) and sets SKIP to the length of what it replaces; "" when it is
# not one of ours
function variable(s, i,    rest, id) {
	rest = substr(s, i + 1)
	if (match(rest, /^\{[A-Za-z_][A-Za-z0-9_]*\}/))
		id = substr(rest, 2, RLENGTH - 2)
	else if (match(rest, /^[A-Za-z_][A-Za-z0-9_]*/))
		id = substr(rest, 1, RLENGTH)
	else
		return ""
	if (!(id in VALUE)) {
		if (id in KEEP)
			USED[id] = 1
		return ""
	}
	SKIP = RLENGTH + 1
	return "\001" VALUE[id]
}

# one double-quoted word starting at s[i] = "\"": its text with our
# variables written in, unquoted when that leaves it plain; sets SKIP
function dquoted(s, i,    j, c, w, r) {
	w = ""
	for (j = i + 1; j <= length(s); j++) {
		c = substr(s, j, 1)
		if (c == "\\") {
			w = w c substr(s, j + 1, 1)
			j++
		} else if (c == "\"") {
			break
		} else if (c == "$" && (r = variable(s, j)) != "") {
			w = w substr(r, 2)
			j += SKIP - 1
		} else
			w = w c
	}
	SKIP = j - i + 1
	return plain(w) ? w : "\"" w "\""
}

{
	line = $0
	o = ""
	for (i = 1; i <= length(line); i++) {
		c = substr(line, i, 1)
		if (sq) {
			o = o c
			if (c == "'")
				sq = 0
		} else if (c == "'") {
			o = o c
			sq = 1
		} else if (c == "#" && (i == 1 || substr(line, i - 1, 1) ~ /[ \t]/)) {
			o = o substr(line, i)
			break
		} else if (c == "\"") {
			o = o dquoted(line, i)
			i += SKIP - 1
		} else if (c == "$" && (r = variable(line, i)) != "") {
			o = o shquote(substr(r, 2))
			i += SKIP - 1
		} else
			o = o c
	}
	TEXT[++nl] = o
}

END {
	print "# run from the top of the tt tree, with the tools on the PATH"
	h = ""
	for (i = 1; i <= n; i++)
		if (NAME[i] in USED)
			h = h " " NAME[i] "=" shquote(KEEP[NAME[i]])
	if (h != "")
		print substr(h, 2)
	for (i = 1; i <= nl; i++)
		print TEXT[i]
}
