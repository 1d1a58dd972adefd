// The review panel of the report page: the flags of the current version with their verdicts, the corrections in
// force beside the extracted values, the full history, and a small script that posts a verdict, a correction of the
// selected cell or a retraction with the token the user entered once (kept in sessionStorage, never in the page).
// Every string is escaped by serve/html.ts; the script reads the report key from a data attribute, so no value is
// ever interpolated into JavaScript.
import type { CellRow } from './queries.ts';
import { html, Raw } from './html.ts';
import type { CurrentFlagReview, Reviews } from '../db/reviews.ts';

/** What the report page passes (serve/pages/report.ts `ReportPageDeps.reviewPanel`). */
export interface PanelInput {
  key: string;
  reportId?: number;
  cells?: CellRow[];
  /** The selected cell's path, shown until the page marks one with `.selected[data-path]`. */
  selected?: string | null;
}

/** The panel for a report: `reviews` from db/reviews.ts reviewsOf(); without them (a synchronous caller) the
 *  script loads the lists from GET /reports/:key/review-lists on page load, rendered by the same reviewLists(). */
export function reviewPanel(report: string | PanelInput, reviews?: Reviews): string {
  const input = typeof report === 'string' ? { key: report } : report;
  return html`<section
    class="nianbao-review"
    id="review"
    data-report-key="${input.key}"
    data-selected="${input.selected ?? ''}"
  >
    <style>
      ${new Raw(STYLE)}
    </style>
    <h2>review</h2>
    <div class="review-lists" data-load="${reviews ? '' : 'on-start'}">
      ${reviews ? new Raw(reviewLists(reviews)) : html`<p class="muted">loading reviews…</p>`}
    </div>
    <div class="review-controls">
      <p>
        <label>token <input type="password" name="review-token" autocomplete="off" size="20" /></label>
        <button type="button" data-review-action="token">use token</button>
        <span class="review-token-state muted"></span>
        <label>reviewer <input name="review-reviewer" maxlength="100" size="16" /></label>
      </p>
      <p>
        <label>reason <input name="review-reason" maxlength="2000" size="60" /></label>
        <span class="muted small">required for a correction or a retraction</span>
      </p>
      <p>
        selected cell <code class="review-cell"></code> → corrected value
        <input name="review-value" inputmode="decimal" size="10" />
        <label><input type="checkbox" name="review-blank" /> blank</label>
        <button type="button" data-review-action="correct">save correction</button>
      </p>
      <p>
        selected flag <code class="review-flag"></code>
        <button type="button" data-review-action="flag" data-decision="confirmed">confirm</button>
        <button type="button" data-review-action="flag" data-decision="dismissed">dismiss</button>
      </p>
      <p><output class="review-status" role="status"></output></p>
    </div>
    <script>
      ${new Raw(SCRIPT)};
    </script>
  </section>`.text;
}

/** The lists of the panel: flags with their verdicts, corrections in force, history. */
export function reviewLists(reviews: Reviews): string {
  const verdicts = new Map(reviews.flags.map((review) => [flagId(review.code, review.path), review]));
  const gone = reviews.flags.filter((review) => !review.flagStillPresent);
  const history = [
    ...reviews.history.flagReviews.map((entry) => ({
      at: entry.createdAt,
      text: html`${entry.reviewer}: ${entry.decision}
        ${entry.code}${entry.path ? html` at <code>${entry.path}</code>` : ''}
        ${entry.reason ? html`— ${entry.reason}` : ''}
        <span class="muted">(extractor ${entry.extractorVersionSeen})</span>`,
    })),
    ...reviews.history.corrections.map((entry) => ({
      at: entry.createdAt,
      text:
        entry.retracts === null
          ? html`${entry.reviewer}: correction #${entry.id} <code>${entry.path}</code> ${value(entry.extractedValue)} →
              ${value(entry.correctedValue)} — ${entry.reason}
              <span class="muted">(extractor ${entry.extractorVersionSeen})</span>`
          : html`${entry.reviewer}: retracted correction #${entry.retracts} of <code>${entry.path}</code> —
              ${entry.reason}`,
    })),
  ].sort((left, right) => left.at.localeCompare(right.at));

  return html`<p class="muted small">
      Reviews are kept by report key and cell path, beside the extraction and never in place of it; they apply to the
      current version (extractor ${reviews.extractorVersion}) and carry over to later ones.
    </p>
    <h3>flags of the current version (${reviews.raised.length})</h3>
    ${
      reviews.raised.length
        ? html`<table class="review-flags">
            <tr>
              <th>code</th>
              <th>path</th>
              <th>message</th>
              <th>verdict</th>
              <th></th>
            </tr>
            ${reviews.raised.map((flag) => {
              const verdict = verdicts.get(flagId(flag.code, flag.path));
              return html`<tr>
                <td><span class="flag sev-${flag.severity}">${flag.code}</span></td>
                <td>${flag.path ? html`<code>${flag.path}</code>` : html`<span class="muted">whole report</span>`}</td>
                <td>${flag.message}</td>
                <td>${verdict ? verdictText(verdict) : html`<span class="muted">not reviewed</span>`}</td>
                <td>
                  ${(['confirmed', 'dismissed'] as const).map(
                    (decision) =>
                      html`<button
                        type="button"
                        data-review-decision="${decision}"
                        data-review-code="${flag.code}"
                        data-review-path="${flag.path ?? ''}"
                      >
                        ${decision === 'confirmed' ? 'confirm' : 'dismiss'}
                      </button>`,
                  )}
                </td>
              </tr>`;
            })}
          </table>`
        : html`<p class="muted">none</p>`
    }
    ${
      gone.length
        ? html`<p>Verdicts on flags the current version no longer raises:</p>
            <ul>
              ${gone.map(
                (review) =>
                  html`<li>
                    ${review.code}${review.path ? html` at <code>${review.path}</code>` : ''}: ${verdictText(review)}
                  </li>`,
              )}
            </ul>`
        : ''
    }
    <h3>corrections in force (${reviews.corrections.length})</h3>
    ${
      reviews.corrections.length
        ? html`<table class="review-corrections">
            <tr>
              <th>cell</th>
              <th>extracted now</th>
              <th>corrected</th>
              <th>extracted when reviewed</th>
              <th>reason</th>
              <th>who, when</th>
              <th></th>
            </tr>
            ${reviews.corrections.map(
              (correction) =>
                html`<tr data-correction-id="${correction.correctionId}">
                  <td><code>${correction.path}</code></td>
                  <td class="num">${correction.cellPresent ? value(correction.extractedValue) : 'no such cell now'}</td>
                  <td class="num"><strong>${value(correction.correctedValue)}</strong></td>
                  <td class="num">
                    ${value(correction.extractedValueAtReview)}
                    ${
                      correction.stale
                        ? html`<span class="flag sev-warning" title="the extraction changed since the review"
                            >stale</span
                          >`
                        : ''
                    }
                  </td>
                  <td>${correction.reason}</td>
                  <td>${correction.reviewer}, ${when(correction.createdAt)}</td>
                  <td><button type="button" data-retract="${correction.correctionId}">retract</button></td>
                </tr>`,
            )}
          </table>`
        : html`<p class="muted">none</p>`
    }
    <details>
      <summary>history (${history.length} entries)</summary>
      <ol class="review-history">
        ${history.map((entry) => html`<li>${when(entry.at)} ${entry.text}</li>`)}
      </ol>
    </details>`.text;
}

function verdictText(review: CurrentFlagReview) {
  return html`<strong>${review.decision}</strong> by ${review.reviewer},
    ${when(review.createdAt)}${review.reason ? html`: ${review.reason}` : ''}`;
}

function flagId(code: string, path: string | null): string {
  return `${code}\u0000${path ?? ''}`;
}

function value(number: number | null): string {
  return number === null ? 'blank' : String(number);
}

function when(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16);
}

const STYLE = `
.nianbao-review { border-top: 2px solid #cfd8dc; margin-top: 16px; }
.nianbao-review .review-controls { background: #fff; border: 1px solid #cfd8dc; padding: 4px 10px; margin-top: 10px; }
.nianbao-review .review-controls p { margin: 6px 0; }
.nianbao-review output[data-state=error] { color: #b71c1c; } .nianbao-review output[data-state=ok] { color: #2e7d32; }`;

// Plain ES2017 for the browser; it runs once per panel and finds its panel from its own script element.
const SCRIPT = `(() => {
  const panel = document.currentScript.closest('.nianbao-review');
  const key = panel.dataset.reportKey;
  const TOKEN = 'nianbao.review.token';
  const REVIEWER = 'nianbao.review.reviewer';
  const find = (selector) => panel.querySelector(selector);
  const field = (name) => find('[name="' + name + '"]');
  const outside = (el) => !panel.contains(el);
  let flag = null;

  const say = (text, ok) => {
    const out = find('.review-status');
    out.textContent = text;
    out.dataset.state = ok ? 'ok' : 'error';
  };
  const selectedCell = () => {
    const marked = Array.from(document.querySelectorAll('.selected[data-path]')).filter(outside)[0];
    return marked ? marked.dataset.path : panel.dataset.selected || null;
  };
  const show = () => {
    find('.review-cell').textContent = selectedCell() || 'none (click a value)';
    find('.review-flag').textContent = flag ? flag.code + (flag.path ? ' at ' + flag.path : '') : 'none (click a flag)';
    find('.review-token-state').textContent = sessionStorage.getItem(TOKEN) ? 'token set for this tab' : 'no token yet';
  };
  const refresh = async () => {
    const res = await fetch('/reports/' + encodeURIComponent(key) + '/review-lists');
    if (!res.ok) throw new Error('could not load the reviews: HTTP ' + res.status);
    find('.review-lists').innerHTML = await res.text();
  };
  const post = async (url, body, done) => {
    const token = sessionStorage.getItem(TOKEN);
    if (!token) return say('enter the review token first (printed by nianbao serve)');
    const reviewer = field('review-reviewer').value.trim();
    if (!reviewer) return say('enter your name as reviewer');
    sessionStorage.setItem(REVIEWER, reviewer);
    body.reviewer = reviewer;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + token },
      body: JSON.stringify(body),
    });
    const answer = await res.json().catch(() => ({ error: 'HTTP ' + res.status }));
    if (!res.ok) return say(answer.error || 'HTTP ' + res.status);
    field('review-reason').value = '';
    await refresh();
    say(done(answer), true);
  };
  const reason = () => field('review-reason').value.trim();
  const reviewFlag = (code, path, decision) =>
    post(
      '/api/reports/' + encodeURIComponent(key) + '/flags/review',
      { code: code, path: path || null, decision: decision, reason: reason() || null },
      () => decision + ' ' + code + (path ? ' at ' + path : ''),
    );

  const act = async (button) => {
    if (button.dataset.reviewAction === 'token') {
      const token = field('review-token').value.trim();
      if (!token) return say('paste the token nianbao serve printed');
      sessionStorage.setItem(TOKEN, token);
      field('review-token').value = '';
      show();
      return say('token kept for this tab', true);
    }
    if (button.dataset.reviewDecision)
      return reviewFlag(button.dataset.reviewCode, button.dataset.reviewPath, button.dataset.reviewDecision);
    if (button.dataset.reviewAction === 'flag') {
      if (!flag) return say('click a flag first');
      return reviewFlag(flag.code, flag.path, button.dataset.decision);
    }
    if (button.dataset.retract) {
      if (!reason()) return say('enter the reason for the retraction');
      return post('/api/corrections/' + button.dataset.retract + '/retract', { reason: reason() }, (entry) =>
        'retracted correction #' + entry.retracts);
    }
    if (button.dataset.reviewAction === 'correct') {
      const path = selectedCell();
      if (!path) return say('select a cell first');
      let value = null;
      if (!field('review-blank').checked) {
        const text = field('review-value').value.trim().replace(/,/g, '');
        value = Number(text);
        if (!text || !Number.isFinite(value)) return say('enter the corrected value as a number, or tick blank');
      }
      if (!reason()) return say('enter the reason for the correction');
      return post('/api/reports/' + encodeURIComponent(key) + '/cells/correction',
        { path: path, value: value, reason: reason() },
        (entry) => 'correction #' + entry.id + ' saved: ' + path + ' = ' + (value === null ? 'blank' : value));
    }
  };

  panel.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    if (button && panel.contains(button)) act(button).catch((err) => say(err.message));
  });
  // A flag the page renders (data-flag-code, data-path) becomes the selected flag; the page marks cells itself.
  document.addEventListener('click', (event) => {
    const el = event.target.closest && event.target.closest('[data-flag-code]');
    if (el && outside(el)) flag = { code: el.dataset.flagCode, path: el.dataset.path || null };
    setTimeout(show, 0);
  });
  field('review-reviewer').value = sessionStorage.getItem(REVIEWER) || '';
  show();
  if (find('.review-lists').dataset.load) refresh().catch((err) => say(err.message));
})();`;
