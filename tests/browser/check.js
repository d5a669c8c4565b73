/* The report-writer's checks, run inside the page by headless Chromium
 * (tests/browser/check injects this file into a copy of the page).  After the
 * page has loaded it writes one line per finding into
 * <pre id="tt-browser-result">, which chromium --dump-dom prints:
 *
 *   ok CHECK: what was checked          FAIL CHECK: what is wrong, where
 *
 * CHECK is one of
 *   charts    every chart (outermost <svg>, <img>, <canvas>, <object>) is
 *             displayed, has a rendered size > 0, an <img> has loaded, and an
 *             SVG draws something inside its frame (for a gnuplot chart: some
 *             plot group draws something, not only the axes);
 *   links     every href="#..." (HTML and SVG <a>, SVG <use>) names an element;
 *             a link's target is displayed and its id is not used twice;
 *   overflow  no text spills out of its box: a block holding text whose content
 *             is wider or taller than the box (scrollWidth > clientWidth, text cut
 *             off by overflow: hidden), a table, picture, <pre> or figure wider
 *             than the block holding it, a chart's text outside the chart's frame,
 *             a page that scrolls sideways.  Scroll boxes (overflow: auto or
 *             scroll) may hold wide content: the reader can scroll it;
 *   hover     an element with hover text (an SVG <title> on a drawn element, or
 *             gnuplot's hypertext) is hovered at the centre of its box: the point
 *             there (document.elementFromPoint) must be the element or inside
 *             it, and the tooltip it shows (the nearest <title>, or gnuplot's
 *             #hypertext made visible) must hold a year and a number.
 * Only the innermost of nested overflowing boxes is reported.  A finding names
 * the element as tag#id.class, after the nearest ancestor with an id. */
(function () {
	'use strict';
	var out = [];
	var MAX_SHOWN = 8;	/* failures listed per check; the count says the rest */

	function note(status, check, msg) {
		out.push(status + ' ' + check + ': ' + msg.replace(/\s+/g, ' '));
	}
	function clip(s, n) {
		s = (s || '').replace(/\s+/g, ' ').trim();
		return s.length > n ? s.slice(0, n - 1) + '\u2026' : s;
	}
	var charts = [];	/* the outermost <svg>s, to number them in messages */
	function name(el) {
		var s = el.tagName.toLowerCase();
		if (el.id)
			return s + '#' + el.id;
		if (charts.indexOf(el) >= 0)
			s += ' (chart ' + (charts.indexOf(el) + 1) + ' of ' + charts.length + ')';
		var cls = el.getAttribute('class');
		if (cls && cls.trim())
			s += '.' + cls.trim().split(/\s+/).join('.');
		for (var a = el.parentElement; a; a = a.parentElement)
			if (a.id)
				return a.tagName.toLowerCase() + '#' + a.id + ' ' + s;
		return s;
	}
	function report(check, what, fails, detail) {
		if (fails.length === 0) {
			note('ok', check, what);
			return;
		}
		fails.slice(0, MAX_SHOWN).forEach(function (f) { note('FAIL', check, f); });
		if (fails.length > MAX_SHOWN)
			note('FAIL', check, '... ' + (fails.length - MAX_SHOWN) + ' more');
		if (detail)
			note('FAIL', check, detail);
	}
	function px(n) { return Math.round(n * 10) / 10 + 'px'; }
	function style(el) { return getComputedStyle(el); }
	function inSvg(el) { return el.ownerSVGElement != null || (el.parentElement && el.parentElement.closest('svg')); }
	function outermostSvg(el) {
		var s = el.closest('svg');
		while (s && s.parentElement && s.parentElement.closest('svg'))
			s = s.parentElement.closest('svg');
		return s;
	}
	/* why an element is not seen, or '' */
	function hidden(el) {
		if (el.getClientRects().length === 0)
			return 'not displayed';
		var st = style(el);
		if (st.visibility !== 'visible')
			return 'visibility: ' + st.visibility;
		for (var a = el; a; a = a.parentElement)
			if (parseFloat(style(a).opacity) === 0)
				return 'opacity 0' + (a === el ? '' : ' (on ' + name(a) + ')');
		return '';
	}
	function intersects(a, b) {
		return a.right > b.left && a.left < b.right && a.bottom > b.top && a.top < b.bottom;
	}

	/* ---- charts ---- */
	var NOT_DRAWN = 'defs, clipPath, mask, marker, pattern, symbol, title, desc, metadata, script, style';
	function drawsInside(svg, root) {
		var frame = svg.getBoundingClientRect();
		var shapes = root.querySelectorAll('path, line, polyline, polygon, rect, circle, ellipse, use, text, image');
		for (var i = 0; i < shapes.length; i++) {
			var s = shapes[i];
			if (s.parentElement.closest(NOT_DRAWN) || hidden(s))
				continue;
			if (s.tagName === 'text' && !s.textContent.trim())
				continue;
			var b = s.getBoundingClientRect();
			if (b.width + b.height > 0 && (b.width === 0 || b.height === 0
			    ? b.right >= frame.left && b.left <= frame.right && b.bottom >= frame.top && b.top <= frame.bottom
			    : intersects(b, frame)))
				return true;
		}
		return false;
	}
	function checkCharts() {
		var fails = [], n = 0;
		var all = document.querySelectorAll('svg, img, canvas, object');
		for (var i = 0; i < all.length; i++) {
			var c = all[i];
			if (c.tagName.toLowerCase() === 'svg' && c.parentElement && c.parentElement.closest('svg'))
				continue;	/* an svg inside a chart is part of it */
			n++;
			var why = hidden(c);
			var r = c.getBoundingClientRect();
			if (why) {
				fails.push(name(c) + ' is not visible: ' + why);
			} else if (!(r.width > 0 && r.height > 0)) {
				fails.push(name(c) + ' has no size: ' + px(r.width) + ' x ' + px(r.height));
			} else if (c.tagName.toLowerCase() === 'img' && (!c.complete || c.naturalWidth === 0)) {
				fails.push(name(c) + ' did not load: ' + clip(c.getAttribute('src'), 60));
			} else if (c.tagName.toLowerCase() === 'svg') {
				var plots = c.querySelectorAll('g[id^="gnuplot_plot_"]:not([id$="_keyentry"])');
				if (!drawsInside(c, c)) {
					fails.push(name(c) + ' draws nothing inside its ' + px(r.width) + ' x ' + px(r.height) + ' frame');
				} else if (plots.length > 0 && !Array.prototype.some.call(plots,
				    function (g) { return drawsInside(c, g); })) {
					fails.push(name(c) + ' draws axes but none of its ' + plots.length + ' plots');
				}
			}
		}
		report('charts', n + ' charts visible, sized and drawn', fails);
	}

	/* ---- links ---- */
	function checkLinks() {
		var fails = [], n = 0;
		var all = document.querySelectorAll('[href], use');
		for (var i = 0; i < all.length; i++) {
			var el = all[i];
			var href = el.getAttribute('href');
			if (href == null)
				href = el.getAttributeNS('http://www.w3.org/1999/xlink', 'href');
			if (href == null || href.charAt(0) !== '#')
				continue;
			n++;
			var frag = href.slice(1);
			try { frag = decodeURIComponent(frag); } catch (e) { /* kept as written */ }
			var isLink = el.tagName.toLowerCase() === 'a' || el.tagName.toLowerCase() === 'area';
			if (isLink && (frag === '' || frag.toLowerCase() === 'top'))
				continue;	/* the top of the page, by HTML's rules */
			var target = document.getElementById(frag);
			if (!target && isLink)
				target = document.getElementsByName(frag)[0];
			var what = name(el) + ' href="' + clip(href, 50) + '"' +
			    (isLink && el.textContent.trim() ? ' ("' + clip(el.textContent, 40) + '")' : '');
			if (!target) {
				fails.push(what + ' names no element');
				continue;
			}
			if (!isLink)
				continue;	/* an SVG <use>: gnuplot repeats its point shapes' ids in every chart */
			var count = document.querySelectorAll('[id="' + CSS.escape(frag) + '"]').length;
			if (count > 1)
				fails.push(what + ': ' + count + ' elements have that id');
			else if (target.getClientRects().length === 0)
				fails.push(what + ' leads to ' + name(target) + ', which is not displayed');
		}
		report('links', n + ' internal links and references resolve', fails);
	}

	/* ---- overflow ---- */
	function scrolls(st, axis) {
		var v = axis === 'x' ? st.overflowX : st.overflowY;
		return v === 'auto' || v === 'scroll';
	}
	function hasText(el) {
		for (var c = el.firstChild; c; c = c.nextSibling)
			if (c.nodeType === 3 && c.nodeValue.trim())
				return true;
		return false;
	}
	/* the content box of el, in client coordinates */
	function contentBox(el) {
		var r = el.getBoundingClientRect(), st = style(el);
		var l = r.left + parseFloat(st.borderLeftWidth) + parseFloat(st.paddingLeft);
		var rt = r.right - parseFloat(st.borderRightWidth) - parseFloat(st.paddingRight);
		return { left: l, right: rt };
	}
	var BLOCKISH = /^(block|flow-root|list-item|table|table-cell|table-caption|flex|grid|inline-block|inline-flex|inline-grid|inline-table)$/;
	function checkOverflow() {
		var found = [];	/* [element, message] */
		var els = document.body.querySelectorAll('*');
		var nText = 0, nBox = 0;
		for (var i = 0; i < els.length; i++) {
			var el = els[i], tag = el.tagName.toLowerCase();
			if (tag === 'script' || tag === 'style' || el.id === 'tt-browser-result' || inSvg(el))
				continue;
			var st = style(el);
			if (st.display === 'none' || el.getClientRects().length === 0)
				continue;
			/* a box holding text: its content must fit, unless it scrolls */
			if (BLOCKISH.test(st.display) && el.textContent.trim() && tag !== 'svg') {
				nText++;
				var dx = el.scrollWidth - el.clientWidth, dy = el.scrollHeight - el.clientHeight;
				if (dx > 1 && !scrolls(st, 'x'))
					found.push([el, name(el) + ' ("' + clip(el.textContent, 40) + '"): content ' +
					    px(dx) + ' wider than its box' + (st.overflowX === 'visible' ? '' : ', cut off (overflow: ' + st.overflowX + ')')]);
				else if (dy > 1 && !scrolls(st, 'y'))
					found.push([el, name(el) + ' ("' + clip(el.textContent, 40) + '"): content ' +
					    px(dy) + ' taller than its box' + (st.overflowY === 'visible' ? ', over what follows' : ', cut off (overflow: ' + st.overflowY + ')')]);
			}
			/* a wide thing in a narrower block */
			if (/^(table|pre|figure|img|svg|canvas|video|iframe|object|blockquote|ul|ol|dl|p|h[1-6]|caption|figcaption)$/.test(tag) ||
			    (hasText(el) && BLOCKISH.test(st.display))) {
				nBox++;
				var holder = el.parentElement;
				while (holder && !BLOCKISH.test(style(holder).display))
					holder = holder.parentElement;
				if (!holder || holder === document.documentElement)
					continue;
				var scroller = false;
				for (var a = el.parentElement; a && a !== holder.parentElement; a = a.parentElement)
					if (scrolls(style(a), 'x'))
						scroller = true;
				if (scroller || /^table/.test(style(holder).display) && /^table/.test(st.display))
					continue;	/* rows and cells are the table's own business */
				var r = el.getBoundingClientRect(), cb = contentBox(holder);
				var over = Math.max(r.right - cb.right, cb.left - r.left);
				if (over > 1 && st.position !== 'absolute' && st.position !== 'fixed')
					found.push([el, name(el) + ' is ' + px(over) + ' wider than ' + name(holder) +
					    ' (' + px(r.width) + ' in ' + px(cb.right - cb.left) + ')']);
			}
		}
		/* a chart's text must lie inside the chart */
		var svgs = document.querySelectorAll('svg');
		var nSvgText = 0;
		for (var s = 0; s < svgs.length; s++) {
			var svg = svgs[s];
			if (svg.parentElement && svg.parentElement.closest('svg') || hidden(svg))
				continue;
			var frame = svg.getBoundingClientRect();
			var texts = svg.querySelectorAll('text');
			for (var t = 0; t < texts.length; t++) {
				var tx = texts[t];
				if (!tx.textContent.trim() || tx.parentElement.closest(NOT_DRAWN) || hidden(tx))
					continue;
				nSvgText++;
				var b = tx.getBoundingClientRect();
				var out_ = Math.max(frame.left - b.left, b.right - frame.right, frame.top - b.top, b.bottom - frame.bottom);
				if (out_ > 1)
					found.push([tx, name(svg) + ': text "' + clip(tx.textContent, 40) + '" runs ' + px(out_) + ' past the chart\'s edge']);
			}
		}
		/* the innermost of nested findings */
		var fails = found.filter(function (f) {
			return !found.some(function (g) { return g !== f && g[0] !== f[0] && f[0].contains(g[0]); });
		}).map(function (f) { return f[1]; });
		var page = document.documentElement;
		if (page.scrollWidth > page.clientWidth + 1 && fails.length === 0)
			fails.push('the page scrolls sideways: ' + page.scrollWidth + 'px wide in a ' + page.clientWidth + 'px window');
		report('overflow', nText + ' text boxes, ' + nBox + ' blocks and ' + nSvgText +
		    ' chart labels fit in a ' + page.clientWidth + 'px window', fails);
	}

	/* ---- hover ---- */
	/* a year and some other number: "India 2008: 1,234", "2008, 5.2" */
	function yearAndNumber(s) {
		var nums = (s || '').match(/\d[\d,.]*/g) || [];
		return nums.length >= 2 && nums.some(function (x) { return /^(1[89]|20)\d\d$/.test(x.replace(/[,.]$/, '')); });
	}
	function blank(s) { return !(s || '').trim(); }
	function titleOf(el) {
		for (var c = el.firstElementChild; c; c = c.nextElementSibling)
			if (c.tagName.toLowerCase() === 'title')
				return c;
		return null;
	}
	function hypertextOf(el) {
		var h = el.getAttribute('onmousemove') || '';
		var m = h.match(/showHypertext\(\s*evt\s*,\s*'((?:[^'\\]|\\.)*)'/);
		if (m)
			return m[1];
		/* after gnuplot_svg.Init the handler is a listener and the title blank */
		var svg = outermostSvg(el), t = titleOf(el);
		if (svg && t && blank(t.textContent) && svg.querySelector('[id="hypertext"]'))
			return '';
		return null;
	}
	function area(el) { var r = el.getBoundingClientRect(); return r.width * r.height; }
	function checkHover() {
		var cands = [], gnuplotNames = 0;
		Array.prototype.forEach.call(document.querySelectorAll('svg title'), function (t) {
			var p = t.parentElement;
			if (!p || p.tagName.toLowerCase() === 'svg' && p === outermostSvg(p))
				return;	/* the chart's own title, not a point's */
			if (blank(t.textContent))
				return;
			if (/^gnuplot_plot_\w+$/.test(t.textContent.trim())) {
				gnuplotNames++;	/* gnuplot names each plot group so; not a point's text */
				return;
			}
			cands.push({ el: p, kind: 'title' });
		});
		Array.prototype.forEach.call(document.querySelectorAll('svg g'), function (g) {
			if (hypertextOf(g) != null)
				cands.push({ el: g, kind: 'hypertext' });
		});
		cands = cands.filter(function (c) { return !hidden(c.el) && area(c.el) >= 0; });
		if (cands.length === 0) {
			note('FAIL', 'hover', 'no element carries hover text: no SVG <title> on a drawn element, no gnuplot hypertext' +
			    (gnuplotNames ? ' (only gnuplot\'s own plot names, "gnuplot_plot_N", on ' + gnuplotNames + ' groups)' : ''));
			return;
		}
		/* points whose text holds a year first (a forest's rows carry none,
		 * and a tall forest would fill the tries), then the smallest boxes */
		var dated = function (c) {
			var t = c.kind === 'hypertext' ? hypertextOf(c.el) : titleOf(c.el) && titleOf(c.el).textContent;
			return t && yearAndNumber(t) ? 0 : 1;
		};
		cands.forEach(function (c) { c.dated = dated(c); });
		cands.sort(function (a, b) { return a.dated - b.dated || area(a.el) - area(b.el); });
		var tried = [], LIMIT = 40;
		for (var i = 0; i < cands.length && i < LIMIT; i++) {
			var c = cands[i], el = c.el;
			el.scrollIntoView({ block: 'center', inline: 'center' });
			var r = el.getBoundingClientRect();
			var x = r.left + r.width / 2, y = r.top + r.height / 2;
			var hit = document.elementFromPoint(x, y);
			var where = name(el) + ' at (' + Math.round(x) + ',' + Math.round(y) + ')';
			if (!hit || !(hit === el || el.contains(hit))) {
				tried.push(where + ': the point there is ' + (hit ? name(hit) : 'nothing') + ', not the element');
				continue;
			}
			['mouseover', 'mouseenter', 'mousemove'].forEach(function (type) {
				hit.dispatchEvent(new MouseEvent(type, { bubbles: type !== 'mouseenter', cancelable: true,
				    view: window, clientX: x, clientY: y }));
			});
			var text, shown;
			if (c.kind === 'hypertext') {
				var box = outermostSvg(el).querySelector('[id="hypertext"]');
				shown = box && !hidden(box);
				text = box ? box.textContent : '';
				if (!shown) {
					tried.push(where + ': gnuplot\'s tooltip (#hypertext) ' + (box ? 'stays hidden' : 'is missing') +
					    ' (hover text "' + clip(hypertextOf(el), 40) + '")');
					continue;
				}
			} else {
				/* the browser shows the <title> of the nearest element that has one */
				var a = hit;
				while (a && !(titleOf(a) && !blank(titleOf(a).textContent)))
					a = a.parentElement;
				text = a ? titleOf(a).textContent : '';
				if (a && a === outermostSvg(a)) {
					tried.push(where + ': shows the chart\'s own title, not a point\'s');
					continue;
				}
			}
			if (yearAndNumber(text)) {
				note('ok', 'hover', where + ' shows "' + clip(text, 60) + '" (' + c.kind + '; ' + cands.length + ' elements carry hover text)');
				return;
			}
			tried.push(where + ': its tooltip "' + clip(text, 50) + '" has no year and number');
		}
		note('FAIL', 'hover', cands.length + ' elements carry hover text, none of the ' + tried.length +
		    ' hovered showed a year and a number');
		tried.slice(0, 3).forEach(function (t) { note('FAIL', 'hover', t); });
	}

	function run() {
		charts = Array.prototype.filter.call(document.querySelectorAll('svg'),
		    function (s) { return !(s.parentElement && s.parentElement.closest('svg')); });
		[checkCharts, checkLinks, checkOverflow, checkHover].forEach(function (f) {
			try {
				f();
			} catch (e) {
				note('FAIL', f.name.replace(/^check/, '').toLowerCase(), 'the check stopped: ' + e);
			}
		});
		var pre = document.createElement('pre');
		pre.id = 'tt-browser-result';
		pre.textContent = '\n' + out.join('\n') + '\nend\n';
		document.body.appendChild(pre);
	}
	/* after the load event's own handlers (gnuplot's Init) have run */
	window.addEventListener('load', function () { setTimeout(run, 50); });
})();
