import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * How a population group is expected to act in a collective-defence (Article 5) scenario:
 * the four choices planners reckon with, plus self-protection, which civilians do whatever
 * else they choose and is therefore flagged apart (`selfProtection: true`).
 *
 * Each entry says what the choice means (`description`) and what it exposes people to
 * (`risks`), so that harm mitigation can be planned per group and per choice.
 *
 * @example
 * PopulationConduct.get('EVACUATE').risks; // 'Congested and targeted routes, …'
 * PopulationConduct.entries.filter((e) => !e.selfProtection).length; // 4
 */
export const PopulationConduct = defineCodeList('populationConduct', [
  {
    code: 'SUPPORT-ARMED-FORCES',
    selfProtection: false,
    label: 'Support the armed forces',
    description:
      "Civilians support their nation's armed forces, for example with logistics, transport, repairs, information or volunteering in territorial defence.",
    risks:
      'Activities close to military objectives expose people to attack; acts that amount to direct participation in hostilities remove protection from attack for their duration; reprisals, detention and stigma from the adversary.',
  },
  {
    code: 'JOIN-CIVIL-PROTECTION',
    selfProtection: false,
    label: 'Join civil protection',
    description:
      'Civilians join civil protection: firefighting, rescue, shelter management, first aid, evacuation and warning of the population.',
    risks:
      'Dangerous work amid hostilities and unexploded ordnance; protection is lost if civil protection is used for acts harmful to the adversary; personnel not clearly identified may be mistaken for combatants.',
  },
  {
    code: 'EVACUATE',
    selfProtection: false,
    label: 'Evacuate',
    description:
      'Civilians leave the area of hostilities, organised by authorities or on their own, and become internally displaced persons or refugees.',
    risks:
      'Congested and targeted routes, crossing front lines, family separation, exposure to trafficking and sexual violence, loss of property, documents and livelihoods; movements can block military routes.',
  },
  {
    code: 'REMAIN-NEUTRAL',
    selfProtection: false,
    label: 'Remain neutral',
    description:
      'Civilians stay where they live and take no side, continuing daily life as far as they can, possibly under adversary control.',
    risks:
      'Incidental harm from hostilities around them, shortages of food, water, power and health care, coercion and forced labour by parties, and suspicion of collaboration from either side.',
  },
  {
    code: 'SELF-PROTECTION',
    selfProtection: true,
    label: 'Self-protection',
    description:
      'What civilians do to protect themselves and their community whatever their other choice: sheltering, storing supplies, moving away from military objectives, warning each other, negotiating with armed actors.',
    risks:
      'Shelters that fail or lie near military objectives, acting on rumour or disinformation, and armed self-defence that may be taken for direct participation in hostilities.',
  },
]);

/**
 * A population conduct code.
 *
 * @example
 * const choice: PopulationConduct = 'REMAIN-NEUTRAL';
 */
export type PopulationConduct = CodeOf<typeof PopulationConduct>;

/**
 * Accepts a population conduct code.
 *
 * @example
 * populationConductSchema.parse('EVACUATE');
 */
export const populationConductSchema = PopulationConduct.schema;
