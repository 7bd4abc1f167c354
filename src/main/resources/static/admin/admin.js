// The Roomkeeper admin page: talks to /api/admin with the admin token typed in, which is kept
// in sessionStorage (this tab only, gone when it closes). No framework, no CDN.
(() => {
	'use strict';

	const TOKEN_KEY = 'roomkeeper.adminToken';
	const PAGE_SIZE = 25;
	const REFRESH_MS = 10000;
	const SVG = 'http://www.w3.org/2000/svg';

	const $ = (id) => document.getElementById(id);
	const view = {
		message: $('message'),
		signIn: $('sign-in'),
		token: $('token'),
		signOut: $('sign-out'),
		dashboard: $('dashboard'),
		rows: document.querySelector('#rooms tbody'),
		empty: $('empty'),
		pageInfo: $('page-info'),
		previous: $('previous'),
		next: $('next'),
		chart: $('chart'),
		updated: $('updated'),
	};

	let offset = 0;
	let timer = null;

	class AdminApiError extends Error {
		constructor(status, problem) {
			super((problem && problem.detail) || ('HTTP ' + status));
			this.status = status;
			this.code = problem && problem.code;
		}
	}

	function token() {
		return sessionStorage.getItem(TOKEN_KEY);
	}

	async function api(path, options = {}) {
		const headers = Object.assign({ Authorization: 'Bearer ' + token() }, options.headers || {});
		const response = await fetch(path, Object.assign({}, options, { headers, cache: 'no-store' }));
		if (!response.ok) {
			let problem = null;
			try {
				problem = await response.json();
			}
			catch (ignored) {
				// not a problem+json body
			}
			throw new AdminApiError(response.status, problem);
		}
		return response;
	}

	function say(text, isError) {
		view.message.textContent = text || '';
		view.message.classList.toggle('error', !!isError);
	}

	function explain(error) {
		if (error.status === 401) {
			signOut();
			say('The admin token was not accepted.', true);
		}
		else if (error.status === 404 && error.code === 'not-found') {
			signOut();
			say('The admin API is switched off: set rooms.admin-token on the server.', true);
		}
		else if (error.status === 429) {
			say('Too many wrong tokens from this address; wait a minute.', true);
		}
		else {
			say(error.message || 'The server could not be reached.', true);
		}
	}

	function signOut() {
		sessionStorage.removeItem(TOKEN_KEY);
		clearInterval(timer);
		timer = null;
		view.dashboard.hidden = true;
		view.signOut.hidden = true;
		view.signIn.hidden = false;
		view.token.value = '';
		view.token.focus();
	}

	async function signIn(value) {
		sessionStorage.setItem(TOKEN_KEY, value);
		offset = 0;
		const ok = await refresh();
		if (ok) {
			view.signIn.hidden = true;
			view.dashboard.hidden = false;
			view.signOut.hidden = false;
			clearInterval(timer);
			timer = setInterval(refresh, REFRESH_MS);
		}
	}

	async function refresh() {
		try {
			const [stats, history, webhooks] = await Promise.all([
				api('/api/admin/stats?limit=' + PAGE_SIZE + '&offset=' + offset).then((r) => r.json()),
				api('/api/admin/history').then((r) => r.json()),
				api('/api/admin/webhooks').then((r) => r.json()),
			]);
			if (stats.list.length === 0 && offset > 0 && stats.rooms > 0) {
				offset = Math.max(0, Math.floor((stats.rooms - 1) / PAGE_SIZE) * PAGE_SIZE);
				return refresh();
			}
			showStats(stats);
			drawChart(history);
			showWebhooks(webhooks);
			view.updated.textContent = 'Updated ' + new Date().toLocaleTimeString();
			if (view.message.classList.contains('error')) {
				say('');
			}
			return true;
		}
		catch (error) {
			explain(error);
			return false;
		}
	}

	function showStats(stats) {
		$('total-rooms').textContent = stats.rooms;
		$('max-rooms').textContent = 'of at most ' + stats.maxRooms;
		$('total-members').textContent = stats.members;
		$('total-connections').textContent = stats.connections;
		$('store').textContent = stats.store;
		$('idle-timeout').textContent = 'idle timeout ' + duration(stats.idleTimeoutSeconds);

		view.rows.replaceChildren(...stats.list.map(row));
		view.empty.hidden = stats.list.length > 0;
		const first = stats.list.length ? offset + 1 : 0;
		view.pageInfo.textContent = first + '–' + (offset + stats.list.length) + ' of ' + stats.rooms;
		view.previous.disabled = offset === 0;
		view.next.disabled = offset + stats.list.length >= stats.rooms;
	}

	function showWebhooks(report) {
		$('webhooks-off').hidden = report.endpoints.length > 0;
		document.querySelector('#webhook-endpoints tbody').replaceChildren(...report.endpoints.map((endpoint) => {
			const tr = document.createElement('tr');
			tr.append(cell(endpoint.url, 'url'), cell(endpoint.pending, 'num'), cell(endpoint.failed, 'num'),
				cell(endpoint.lastError || '', 'error'),
				cell(endpoint.lastSuccessAt ? new Date(endpoint.lastSuccessAt).toLocaleString() : '', 'time'));
			return tr;
		}));
		document.querySelector('#failed-webhooks tbody').replaceChildren(...report.failed.map((failed) => {
			const tr = document.createElement('tr');
			tr.dataset.id = failed.id;
			tr.append(cell(failed.id, 'code'), cell(failed.type, 'type'), cell(failed.room, 'code'),
				cell(failed.attempts, 'num'), cell(failed.lastError || '', 'error'));
			const actions = document.createElement('td');
			const retry = document.createElement('button');
			retry.type = 'button';
			retry.className = 'secondary retry-webhook';
			retry.textContent = 'Retry';
			retry.setAttribute('aria-label', 'Retry webhook ' + failed.id);
			retry.addEventListener('click', () => retryWebhook(failed.id));
			actions.append(retry);
			tr.append(actions);
			return tr;
		}));
		$('no-failed-webhooks').hidden = report.failed.length > 0;
	}

	async function retryWebhook(id) {
		try {
			await api('/api/admin/webhooks/' + encodeURIComponent(id) + '/retry', { method: 'POST' });
			say('Webhook ' + id + ' will be sent again.');
		}
		catch (error) {
			explain(error);
		}
		await refresh();
	}

	function row(room) {
		const tr = document.createElement('tr');
		tr.dataset.code = room.code;
		tr.append(
			cell(room.code, 'code'),
			cell(room.name, 'name'),
			cell(room.members, 'num members'),
			cell(room.connections, 'num connections'),
			cell(duration(room.inactiveSeconds), 'num inactive'),
			cell(duration(room.expiresInSeconds), 'num expires'));
		const actions = document.createElement('td');
		const close = document.createElement('button');
		close.type = 'button';
		close.className = 'danger close-room';
		close.textContent = 'Close';
		close.setAttribute('aria-label', 'Close room ' + room.code);
		close.addEventListener('click', () => closeRoom(room.code));
		actions.append(close);
		tr.append(actions);
		return tr;
	}

	function cell(text, className) {
		const td = document.createElement('td');
		td.className = className;
		td.textContent = text;
		return td;
	}

	async function closeRoom(code) {
		if (!window.confirm('Close room ' + code + ' for everyone in it?')) {
			return;
		}
		try {
			await api('/api/admin/rooms/' + encodeURIComponent(code), { method: 'DELETE' });
			say('Room ' + code + ' closed.');
		}
		catch (error) {
			if (error.code === 'room-not-found') {
				say('Room ' + code + ' was already closed.');
			}
			else {
				explain(error);
				return;
			}
		}
		await refresh();
	}

	function duration(seconds) {
		if (seconds < 60) {
			return seconds + 's';
		}
		const days = Math.floor(seconds / 86400);
		const hours = Math.floor((seconds % 86400) / 3600);
		const minutes = Math.floor((seconds % 3600) / 60);
		if (days > 0) {
			return days + 'd ' + hours + 'h';
		}
		if (hours > 0) {
			return hours + 'h ' + minutes + 'm';
		}
		return minutes + 'm ' + (seconds % 60) + 's';
	}

	// The chart: open rooms and connections over the last hour, drawn as inline SVG.
	function drawChart(history) {
		const width = 640;
		const height = 220;
		const left = 44;
		const right = 12;
		const top = 12;
		const bottom = 28;
		const points = history.points.map((p) => ({ at: Date.parse(p.at), rooms: p.rooms, connections: p.connections }));
		const end = points.length ? points[points.length - 1].at : Date.now();
		const start = end - 3600 * 1000;
		const highest = Math.max(1, ...points.map((p) => Math.max(p.rooms, p.connections)));
		const max = niceCeiling(highest);
		const x = (at) => left + ((at - start) / (end - start)) * (width - left - right);
		const y = (value) => height - bottom - (value / max) * (height - top - bottom);

		const desc = document.createElementNS(SVG, 'desc');
		desc.id = 'chart-desc';
		const latest = points[points.length - 1];
		desc.textContent = latest
			? 'Now ' + count(latest.rooms, 'open room') + ' and ' + count(latest.connections, 'connection')
				+ '; highest in the last hour ' + highest + '.'
			: 'No data yet.';
		const children = [desc];

		for (let i = 0; i <= 4; i++) {
			const value = (max / 4) * i;
			children.push(line(left, y(value), width - right, y(value), 'grid'));
			children.push(text(left - 6, y(value) + 4, formatTick(value), 'axis-label', 'end'));
		}
		[[start, '-60 min'], [start + 1800 * 1000, '-30 min'], [end, 'now']].forEach(([at, label], i) => {
			children.push(text(x(at), height - 8, label, 'axis-label', i === 0 ? 'start' : i === 2 ? 'end' : 'middle'));
		});
		for (const series of ['rooms', 'connections']) {
			const visible = points.filter((p) => p.at >= start);
			if (visible.length > 1) {
				const polyline = document.createElementNS(SVG, 'polyline');
				polyline.setAttribute('class', 'series ' + series);
				polyline.setAttribute('points', visible.map((p) => x(p.at).toFixed(1) + ',' + y(p[series]).toFixed(1)).join(' '));
				children.push(polyline);
			}
			if (visible.length) {
				const last = visible[visible.length - 1];
				const dot = document.createElementNS(SVG, 'circle');
				dot.setAttribute('class', 'dot ' + series);
				dot.setAttribute('cx', x(last.at).toFixed(1));
				dot.setAttribute('cy', y(last[series]).toFixed(1));
				dot.setAttribute('r', '3.5');
				children.push(dot);
			}
		}
		view.chart.replaceChildren(...children);
	}

	function count(n, noun) {
		return n + ' ' + noun + (n === 1 ? '' : 's');
	}

	// The top of the scale: four whole, round steps (1, 2, 5 times a power of ten) that reach the value.
	function niceCeiling(value) {
		const wanted = Math.max(1, value / 4);
		const magnitude = Math.pow(10, Math.floor(Math.log10(wanted)));
		for (const step of [1, 2, 5, 10]) {
			if (step * magnitude >= wanted) {
				return 4 * step * magnitude;
			}
		}
		return 40 * magnitude;
	}

	function formatTick(value) {
		return Number.isInteger(value) ? String(value) : value.toFixed(1);
	}

	function line(x1, y1, x2, y2, className) {
		const element = document.createElementNS(SVG, 'line');
		element.setAttribute('class', className);
		element.setAttribute('x1', x1);
		element.setAttribute('y1', y1);
		element.setAttribute('x2', x2);
		element.setAttribute('y2', y2);
		return element;
	}

	function text(x, y, content, className, anchor) {
		const element = document.createElementNS(SVG, 'text');
		element.setAttribute('class', className);
		element.setAttribute('x', x);
		element.setAttribute('y', y);
		element.setAttribute('text-anchor', anchor);
		element.textContent = content;
		return element;
	}

	async function downloadExport() {
		try {
			const response = await api('/api/admin/export');
			const blob = await response.blob();
			const match = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
			const link = document.createElement('a');
			link.href = URL.createObjectURL(blob);
			link.download = match ? match[1] : 'roomkeeper-rooms.ndjson';
			document.body.append(link);
			link.click();
			link.remove();
			setTimeout(() => URL.revokeObjectURL(link.href), 10000);
			say('Export downloaded.');
		}
		catch (error) {
			explain(error);
		}
	}

	async function importFile(file) {
		try {
			const response = await api('/api/admin/import', {
				method: 'POST',
				headers: { 'Content-Type': 'application/x-ndjson' },
				body: file,
			});
			const report = await response.json();
			const parts = [report.imported + ' room(s) imported'];
			if (report.existing.length) {
				parts.push(report.existing.length + ' left as they were (code exists: '
					+ report.existing.map((e) => e.code).join(', ') + ')');
			}
			if (report.errors.length) {
				parts.push(report.errors.length + ' bad line(s): '
					+ report.errors.slice(0, 5).map((e) => 'line ' + e.line + ': ' + e.message).join('; '));
			}
			say(parts.join('; ') + '.', report.errors.length > 0);
			await refresh();
		}
		catch (error) {
			explain(error);
		}
	}

	view.signIn.addEventListener('submit', (event) => {
		event.preventDefault();
		const value = view.token.value.trim();
		if (value) {
			signIn(value);
		}
	});
	view.signOut.addEventListener('click', () => {
		signOut();
		say('Signed out.');
	});
	$('refresh').addEventListener('click', refresh);
	$('export').addEventListener('click', downloadExport);
	$('import-file').addEventListener('change', (event) => {
		const file = event.target.files[0];
		event.target.value = '';
		if (file) {
			importFile(file);
		}
	});
	view.previous.addEventListener('click', () => {
		offset = Math.max(0, offset - PAGE_SIZE);
		refresh();
	});
	view.next.addEventListener('click', () => {
		offset += PAGE_SIZE;
		refresh();
	});

	if (token()) {
		signIn(token());
	}
	else {
		view.token.focus();
	}
})();
