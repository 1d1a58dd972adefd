// English meanings and short export names of the template vocabulary (keys.ts holds the keys and printed labels).
// Short names keep every wide column within Stata's 32 characters: <row>_<applicant> with the applicant shortened.
import type { RequestColumn, RequestRow } from '../extractors/template/keys.ts';

export const APPLICANT_SHORT: Record<RequestColumn, string> = {
  natural_person: 'person',
  commercial: 'business',
  research: 'research',
  social_org: 'social',
  legal_service: 'legal',
  other_org: 'otherorg',
  total: 'total',
};

export const APPLICANT_EN: Record<RequestColumn, string> = {
  natural_person: 'natural persons',
  commercial: 'commercial enterprises',
  research: 'research institutions',
  social_org: 'social welfare organisations',
  legal_service: 'legal service institutions',
  other_org: 'other legal persons or organisations',
  total: 'all applicants',
};

export const REQUEST_ROW_EN: Record<RequestRow, string> = {
  new: 'requests received this year',
  carried_over: 'requests carried over from last year',
  granted: 'granted in full',
  partial: 'granted in part',
  denied_state_secret: 'denied: state secret',
  denied_law_prohibited: 'denied: other law or regulation prohibits disclosure',
  denied_safety_stability: 'denied: endangers the “three securities and one stability”',
  denied_third_party: 'denied: protects a third party’s lawful rights',
  denied_internal_affairs: 'denied: internal affairs (three kinds)',
  denied_process_info: 'denied: process information (four kinds)',
  denied_enforcement_case: 'denied: administrative enforcement case file',
  denied_admin_query: 'denied: administrative query matter',
  unable_not_held: 'unable to provide: the agency does not hold the information',
  unable_needs_creation: 'unable to provide: the information would have to be created',
  unable_unclear: 'unable to provide: still unclear after correction',
  rejected_petition: 'not processed: petition, report or complaint',
  rejected_repeat: 'not processed: repeated request',
  rejected_publication: 'not processed: asks for a public publication',
  rejected_excessive: 'not processed: large numbers of repeated requests without good reason',
  rejected_confirmation: 'not processed: asks the agency to confirm or re-issue information already obtained',
  other: 'other handling (2019 table: one row)',
  other_no_correction: 'other handling: applicant did not correct the request in time, not processed further',
  other_no_fee: 'other handling: applicant did not pay the fee in time, not processed further',
  other_misc: 'other handling: other',
  total: 'total of the results (一)–(六): requests decided this year',
  carried_forward: 'carried forward to next year',
};

export const ACTIVE_ROW_EN: Record<string, string> = {
  regulations: 'rules (规章)',
  normative_documents: 'normative documents',
  licensing: 'administrative licensing',
  other_services: 'other external management services',
  penalty: 'administrative penalties',
  coercion: 'administrative coercion',
  fees: 'administrative fees',
  procurement: 'government centralised procurement',
};

export const ACTIVE_COLUMN_EN: Record<string, [meaning: string, unit: string]> = {
  issued: ['made and issued this year', '件'],
  repealed: ['repealed this year', '件'],
  in_force: ['in force', '件'],
  new_made: ['newly made this year', '件'],
  new_published: ['newly published this year', '件'],
  total_published: ['published in total', '件'],
  decisions: ['decisions made this year', '件'],
  prev_items: ['items the year before', '项'],
  change: ['change in items this year (signed)', '项'],
  amount: ['amount', '万元'],
  projects: ['procurement projects', '个'],
};

export const APPEAL_GROUP_EN: Record<string, string> = {
  review: 'administrative reviews',
  suit_direct: 'administrative suits filed without prior review',
  suit_after_review: 'administrative suits filed after a review',
};

export const APPEAL_COLUMN_EN: Record<string, string> = {
  upheld: 'result: upheld',
  corrected: 'result: corrected',
  other: 'other result',
  pending: 'not yet concluded',
  total: 'total',
};

/** Short export name of a section 二 row (`normative_documents_total_published` would be 35 characters). */
export const ACTIVE_ROW_SHORT: Record<string, string> = { normative_documents: 'normative' };
