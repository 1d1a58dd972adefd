// The data licence of a snapshot, and the CITATION.cff that goes with it (the repository's, with the snapshot's
// version and date filled in).
import { readFileSync } from 'node:fs';

export const LICENCE_ID = 'CC-BY-4.0';

export function licenceText(name: string): string {
  return `${name}

Licence of this compilation: Creative Commons Attribution 4.0 International (CC BY 4.0)
SPDX: CC-BY-4.0. Legal code: https://creativecommons.org/licenses/by/4.0/legalcode

What the licence covers: the compilation — the selection and arrangement of the reports, the extracted and
structured values, the quality flags, the crosswalk, the derived rates, the coverage matrix and the codebook —
made by the nianbao contributors. You may share and adapt it for any purpose, including commercially, provided you
give appropriate credit (see CITATION.cff), provide a link to the licence, and indicate if changes were made.

What it does not cover: the source documents. The annual reports are public records published by the government
agencies named in each row (source_url), under 《中华人民共和国政府信息公开条例》 (arts. 49–50); the reports
themselves remain the agencies'. Article 5 of the Copyright Law of the PRC excludes official documents of state
organs of a legislative, administrative or judicial nature from copyright; whether a given report falls under it
is the user's judgement, which is why this licence claims nothing over the documents' text.

Why CC BY 4.0: attribution lets every derived figure be traced back to this snapshot (and through it to the
document and cell it came from); no share-alike or non-commercial term gets in the way of journalists, researchers
or agencies re-using the numbers; it is widely used for open research data and machine-readable (SPDX) for data
catalogues.

No warranty: the values are machine-extracted; see the flags table and the quality flags on each value. Human
corrections are in corrections.* beside the extracted values, never in place of them.
`;
}

const ROOT_CITATION = new URL('../CITATION.cff', import.meta.url);

/** The repository's CITATION.cff with this snapshot's version and release date. */
export function citationFor(version: string, date: string): string {
  const text = readFileSync(ROOT_CITATION, 'utf8').trimEnd();
  return `${text}\nversion: "${version}"\ndate-released: ${date}\n`;
}
