// README.md and codebook.md of a snapshot, generated from the manifest and the codebook.
import type { CodebookEntry } from './codebook.ts';
import type { Manifest } from './manifest.ts';

function cellText(text: string | null | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

export function codebookMarkdown(
  entries: CodebookEntry[],
  descriptions: Array<{ table: string; description: string }>,
) {
  const out = [
    '# Codebook',
    '',
    'Every column of every table of the snapshot. Empty cell = NULL (blank in the report, never 0).',
    '',
  ];
  for (const { table, description } of descriptions) {
    const rows = entries.filter((entry) => entry.table === table);
    if (!rows.length) continue;
    out.push(
      `## ${table}`,
      '',
      description,
      '',
      '| name | label_zh | meaning_en | unit | type | path | allowed | formula |',
    );
    out.push('|---|---|---|---|---|---|---|---|');
    for (const entry of rows)
      out.push(
        `| \`${entry.name}\` | ${[entry.label_zh, entry.meaning_en, entry.unit, entry.type, entry.path, entry.allowed, entry.formula].map(cellText).join(' | ')} |`,
      );
    out.push('');
  }
  return out.join('\n');
}

export function readmeMarkdown(manifest: Manifest, formats: string[]): string {
  const tables = manifest.tables
    .map((table) => `| \`${table.name}\` | ${table.rows} | ${cellText(table.description)} |`)
    .join('\n');
  const extractors = manifest.extractors.map((x) => `${x.extractor} (${x.reports} reports)`).join(', ');
  const parquet = formats.includes('parquet');
  return `# ${manifest.name}

China's government information disclosure annual reports (政府信息公开工作年度报告), extracted by nianbao: every
number of the template tables with its quality flags, a crosswalk of the 2019 and 2021 templates, derived rates and
the county × year coverage matrix.

- dataset version **${manifest.dataset_version}** (format ${manifest.format_version}; the part after the dot is a hash
  of the exported content: the same data gives the same version), created ${manifest.created_at}
- ${manifest.reports} current reports; extractors: ${extractors}
- licence: ${manifest.licence} (see LICENSE; the source documents remain the agencies' public records)
- cite: CITATION.cff

## Tables

| table | rows | what |
|---|---|---|
${tables}

Every table is keyed by \`report_key\` (16 hex digits of the document's SHA-256: stable across re-extraction and
databases) except \`coverage\` (region_code, year), \`crosswalk\` (template, path) and \`codebook\` (table, name).
Empty = NULL = blank in the report (never 0). Column meanings, printed Chinese labels, units, template paths and
allowed values: \`codebook.md\` / \`codebook.csv\`. Human corrections are in \`corrections\`, beside the extracted
values, which no table overwrites.

## Files

- \`csv/<table>.csv\`: UTF-8, LF, header row, RFC 4180 quoting${formats.includes('csv') ? '' : ' (not in this snapshot)'}
- \`csv-excel/<table>.csv\`: the same with a UTF-8 BOM and CRLF, for Excel
- \`parquet/<table>.parquet\`${parquet ? '' : ' (not in this snapshot)'}: typed columns (numbers as DOUBLE, timestamps UTC)
- \`codebook.md\`, \`csv/codebook.csv\`: the codebook
- \`schema/report.schema.json\`: the per-report JSON schema the values follow; \`schema/columns.json\`: column types;
  \`schema/tables.sql\`: Postgres DDL to load the CSV files
- \`manifest.json\`: version, counts and the SHA-256 and size of every file; \`SHA256SUMS\`: \`sha256sum -c SHA256SUMS\`

## Load

\`\`\`python
import pandas as pd
requests = pd.read_parquet("parquet/requests.parquet")
rates = pd.read_parquet("parquet/rates.parquet")
\`\`\`

\`\`\`r
library(arrow)
requests <- read_parquet("parquet/requests.parquet")
# or, without arrow: read.csv("csv/requests.csv", encoding = "UTF-8", na.strings = "")
\`\`\`

\`\`\`stata
import delimited using "csv/requests.csv", encoding(utf8) varnames(1) clear
\`\`\`
`;
}
