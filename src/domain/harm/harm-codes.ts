import { defineCodeList, type CodeOf } from '../taxonomy/code-list.js';

/**
 * Who a civilian harm report comes from. `DATASET` is a published conflict-event dataset (UCDP
 * GED) imported in bulk: its own sources are listed on the report.
 *
 * @example
 * HarmSourceType.label('LOCAL-POPULATION'); // 'Local population'
 */
export const HarmSourceType = defineCodeList('harmSourceType', [
  {
    code: 'OWN-FORCES',
    label: 'Own forces',
    description: 'Reported through own chain of command.',
  },
  { code: 'ALLIED', label: 'Allied forces', description: 'Reported by an allied force.' },
  {
    code: 'PARTNER-NGO-IO',
    label: 'Partner NGO or IO',
    description: 'A humanitarian or international organisation (UN agency, ICRC, NGO).',
  },
  { code: 'MEDIA', label: 'Media', description: 'Press, radio or television.' },
  {
    code: 'SOCIAL-MEDIA',
    label: 'Social media',
    description: 'Posts, videos or messages on social media.',
  },
  {
    code: 'LOCAL-POPULATION',
    label: 'Local population',
    description: 'Survivors, families, witnesses or community leaders, directly.',
  },
  {
    code: 'HOST-NATION',
    label: 'Host nation',
    description: 'Authorities of the host nation (police, health, local government).',
  },
  {
    code: 'DATASET',
    label: 'Conflict-event dataset',
    description: 'A published dataset such as UCDP GED; its own sources are cited on the report.',
  },
]);
export type HarmSourceType = CodeOf<typeof HarmSourceType>;

/**
 * Source reliability on the NATO Admiralty scale (AJP-2.1): how far the source has proved
 * reliable in the past, independent of the credibility of this report.
 *
 * @example
 * SourceReliability.get('B').label; // 'Usually reliable'
 */
export const SourceReliability = defineCodeList('sourceReliability', [
  {
    code: 'A',
    label: 'Completely reliable',
    description: 'No doubt of authenticity or competence.',
  },
  { code: 'B', label: 'Usually reliable', description: 'Minor doubt; a history of valid reports.' },
  { code: 'C', label: 'Fairly reliable', description: 'Doubt; has provided valid reports before.' },
  { code: 'D', label: 'Not usually reliable', description: 'Significant doubt.' },
  { code: 'E', label: 'Unreliable', description: 'A history of invalid reports.' },
  { code: 'F', label: 'Cannot be judged', description: 'No basis to evaluate the source.' },
]);
export type SourceReliability = CodeOf<typeof SourceReliability>;

/**
 * What caused the harm.
 *
 * @example
 * HarmCause.is('DRONE'); // true
 */
export const HarmCause = defineCodeList('harmCause', [
  { code: 'AIR-STRIKE', label: 'Air strike', description: 'Bombs or missiles from aircraft.' },
  { code: 'ARTILLERY', label: 'Artillery', description: 'Artillery, mortars or rockets.' },
  {
    code: 'MISSILE',
    label: 'Missile',
    description: 'Surface-launched cruise or ballistic missile.',
  },
  { code: 'DRONE', label: 'Drone', description: 'Armed or loitering uncrewed aircraft.' },
  { code: 'SMALL-ARMS', label: 'Small arms', description: 'Small arms and light weapons fire.' },
  { code: 'MINE-UXO', label: 'Mine or UXO', description: 'Landmines and unexploded ordnance.' },
  { code: 'IED', label: 'IED', description: 'Improvised explosive device.' },
  { code: 'OTHER', label: 'Other', description: 'Another cause, described in the narrative.' },
  { code: 'UNKNOWN', label: 'Unknown', description: 'The cause is not known.' },
]);
export type HarmCause = CodeOf<typeof HarmCause>;

/**
 * The party a report suspects, or an assessment attributes the harm to.
 *
 * @example
 * Party.label('ADVERSARY'); // 'Adversary'
 */
export const Party = defineCodeList('harmParty', [
  { code: 'OWN-FORCES', label: 'Own forces', description: 'The force using Civitas.' },
  { code: 'ALLIED', label: 'Allied forces', description: 'A force allied with own forces.' },
  { code: 'ADVERSARY', label: 'Adversary', description: 'An opposing force.' },
  { code: 'OTHER', label: 'Other', description: 'Another armed actor (militia, criminal group).' },
  { code: 'UNKNOWN', label: 'Unknown', description: 'Not known, or not yet attributable.' },
]);
export type Party = CodeOf<typeof Party>;

/**
 * How strongly an incident of civilian harm is supported, after Airwars' grading. The full
 * definitions, and what each means for a response, are in docs/harm.md.
 *
 * @example
 * AssessmentGrade.get('FAIR').label; // 'Fair'
 */
export const AssessmentGrade = defineCodeList('harmGrade', [
  {
    code: 'CONFIRMED',
    label: 'Confirmed',
    description:
      'The harm is acknowledged by the force responsible, or established by own investigation.',
  },
  {
    code: 'FAIR',
    label: 'Fair',
    description:
      'Two or more credible, independent sources report the harm, and the party concerned was active at that place and time.',
  },
  {
    code: 'WEAK',
    label: 'Weak',
    description: 'One source, or sources that are not independent; plausible but not corroborated.',
  },
  {
    code: 'CONTESTED',
    label: 'Contested',
    description: 'Credible sources disagree on whether harm happened or on who caused it.',
  },
  {
    code: 'DISCOUNTED',
    label: 'Discounted',
    description:
      'Shown not to have happened as reported, or not to involve civilians; kept for the record.',
  },
]);
export type AssessmentGrade = CodeOf<typeof AssessmentGrade>;

/**
 * Where an investigation of an incident stands.
 *
 * @example
 * InvestigationStatus.is('INVESTIGATING'); // true
 */
export const InvestigationStatus = defineCodeList('harmInvestigation', [
  { code: 'NOT-STARTED', label: 'Not started', description: 'Received, not yet reviewed.' },
  {
    code: 'INITIAL-REVIEW',
    label: 'Initial review',
    description: 'Checked against own records.',
  },
  {
    code: 'INVESTIGATING',
    label: 'Investigating',
    description: 'A formal investigation is open.',
  },
  { code: 'CLOSED', label: 'Closed', description: 'Concluded; findings recorded.' },
]);
export type InvestigationStatus = CodeOf<typeof InvestigationStatus>;

/**
 * What can be done for those harmed. Payments carry an amount and currency.
 *
 * @example
 * ResponseType.get('EX-GRATIA').payment; // true
 */
export const ResponseType = defineCodeList('harmResponse', [
  {
    code: 'ACKNOWLEDGEMENT',
    payment: false,
    label: 'Acknowledgement',
    description: 'Public or private acknowledgement that the harm happened.',
  },
  { code: 'APOLOGY', payment: false, label: 'Apology', description: 'An expression of regret.' },
  {
    code: 'CONDOLENCE',
    payment: true,
    label: 'Condolence payment',
    description: 'A payment expressing sympathy, without admission of liability.',
  },
  {
    code: 'EX-GRATIA',
    payment: true,
    label: 'Ex gratia payment',
    description: 'A payment as a matter of grace, without admission of liability.',
  },
  {
    code: 'MEDICAL',
    payment: false,
    label: 'Medical assistance',
    description: 'Treatment or evacuation of the injured.',
  },
  {
    code: 'OTHER-ASSISTANCE',
    payment: false,
    label: 'Other assistance',
    description: 'Repair, shelter, food or other material help.',
  },
  {
    code: 'REFERRAL',
    payment: false,
    label: 'Referral',
    description: 'Referral to an organisation that can help (with consent).',
  },
]);
export type ResponseType = CodeOf<typeof ResponseType>;

/**
 * Where a response stands.
 *
 * @example
 * ResponseStatus.is('DELIVERED'); // true
 */
export const ResponseStatus = defineCodeList('harmResponseStatus', [
  { code: 'PLANNED', label: 'Planned', description: 'Decided, not started.' },
  { code: 'IN-PROGRESS', label: 'In progress', description: 'Under way.' },
  { code: 'DELIVERED', label: 'Delivered', description: 'Done and confirmed.' },
  { code: 'DECLINED', label: 'Declined', description: 'Refused by those it was offered to.' },
  { code: 'CANCELLED', label: 'Cancelled', description: 'No longer to be done.' },
]);
export type ResponseStatus = CodeOf<typeof ResponseStatus>;

/**
 * Civilian or combatant status of a casualty, as casualty-recording standards ask.
 *
 * @example
 * CivilianStatus.is('CIVILIAN'); // true
 */
export const CivilianStatus = defineCodeList('civilianStatus', [
  { code: 'CIVILIAN', label: 'Civilian', description: 'A civilian not taking direct part.' },
  {
    code: 'COMBATANT',
    label: 'Combatant',
    description: 'A member of armed forces or a civilian taking direct part in hostilities.',
  },
  { code: 'UNKNOWN', label: 'Unknown', description: 'Status not established.' },
]);
export type CivilianStatus = CodeOf<typeof CivilianStatus>;
