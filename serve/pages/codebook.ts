// The codebook page: every exported column (dataset/codebook.ts, the same entries the export writes), by table.
import { codebook, tableDescriptions } from '../../dataset/codebook.ts';
import { html, layout } from '../html.ts';

export function codebookPage(): string {
  const entries = codebook();
  const tables = tableDescriptions();
  const body = html`<h1>Codebook</h1>
    <p>
      Every column of the export (<code>nianbao export</code>), with its Chinese label as printed, meaning, unit, the
      template path it comes from and its allowed values. Also in every export as <code>codebook.csv</code>.
    </p>
    ${tables.map(({ table, description }) => {
      const columns = entries.filter((entry) => entry.table === table);
      return html`<h2 id="${table}">${table}</h2>
        <p>${description}</p>
        <table>
          <tr>
            <th>column</th>
            <th>中文</th>
            <th>meaning</th>
            <th>unit</th>
            <th>type</th>
            <th>path</th>
            <th>allowed</th>
            <th>formula</th>
          </tr>
          ${columns.map(
            (entry) =>
              html`<tr>
                <td><code>${entry.name}</code></td>
                <td>${entry.label_zh}</td>
                <td>${entry.meaning_en}</td>
                <td>${entry.unit ?? ''}</td>
                <td>${entry.type}</td>
                <td>${entry.path ? html`<code>${entry.path}</code>` : ''}</td>
                <td class="small">${entry.allowed ?? ''}</td>
                <td class="small">${entry.formula ?? ''}</td>
              </tr>`,
          )}
        </table>`;
    })}`;
  return layout('codebook', body);
}
