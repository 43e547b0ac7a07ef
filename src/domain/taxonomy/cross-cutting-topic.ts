import { defineCodeList, type CodeOf } from './code-list.js';

/**
 * The cross-cutting topics under NATO's Human Security Approach (Madrid, 2022), plus the two
 * connected agendas (WPS, BI) that sit beside it. Every Civitas record carries the topics it
 * concerns, so a record can be found from any of them.
 *
 * `connected: true` marks the two agendas that are related to human security but managed
 * separately; filters that mean "the five topics" use {@link CORE_CROSS_CUTTING_TOPICS}.
 * `basis` names the policy or law the topic rests on, for tooltips and exports.
 *
 * @example
 * CrossCuttingTopic.label('CRSV'); // 'Conflict-Related Sexual Violence'
 * CrossCuttingTopic.get('WPS').connected; // true
 */
export const CrossCuttingTopic = defineCodeList('crossCuttingTopic', [
  {
    code: 'PoC',
    label: 'Protection of Civilians',
    description:
      'Avoiding, minimising and mitigating the harm that operations may cause to civilians, and protecting them from violence by others when mandated: understand the human environment, mitigate harm, facilitate access to basic needs, contribute to a safe and secure environment.',
    basis: 'NATO Policy for the Protection of Civilians (2016); ACO PoC Handbook (2021)',
    connected: false,
  },
  {
    code: 'CAAC',
    label: 'Children and Armed Conflict',
    description:
      'Recognising, reporting and acting on the six grave violations against children, and adapting harm mitigation to children, who are affected by conflict differently from adults.',
    basis:
      'NATO Policy on Children and Armed Conflict (2023); UN Security Council resolution 1612 (2005)',
    connected: false,
  },
  {
    code: 'CRSV',
    label: 'Conflict-Related Sexual Violence',
    description:
      'Sexual violence linked to a conflict: assess its risk when deploying, liaise with those who respond to it, do no harm to survivors and assist in extremis, always survivor-centred.',
    basis: 'NATO Policy on Preventing and Responding to Conflict-Related Sexual Violence (2021)',
    connected: false,
  },
  {
    code: 'CTHB',
    label: 'Combatting Trafficking in Human Beings',
    description:
      'Not creating demand for trafficking through procurement, supply chains or personal conduct; recognising and referring victims; working with host nations against trafficking networks.',
    basis: 'NATO Policy on Combatting Trafficking in Human Beings (2023)',
    connected: false,
  },
  {
    code: 'CPP',
    label: 'Cultural Property Protection',
    description:
      'Keeping registers of cultural property, putting it on no-strike lists, and safeguarding it from damage, looting and illicit trade in conflict.',
    basis: '1954 Hague Convention for the Protection of Cultural Property and its Protocols',
    connected: false,
  },
  {
    code: 'WPS',
    label: 'Women, Peace and Security',
    description:
      "Integrating a gender perspective and women's meaningful participation into all the Alliance does. Connected to human security but managed as its own agenda.",
    basis:
      'NATO Women, Peace and Security Policy (2024); UN Security Council resolution 1325 (2000)',
    connected: true,
  },
  {
    code: 'BI',
    label: 'Building Integrity',
    description:
      'Reducing the risk of corruption and promoting good governance in the defence and security sector, since corruption feeds insecurity and harm to civilians. Connected to human security but managed as its own agenda.',
    basis: 'NATO Building Integrity Policy',
    connected: true,
  },
]);

/**
 * A cross-cutting topic code (`'PoC' | 'CAAC' | 'CRSV' | 'CTHB' | 'CPP' | 'WPS' | 'BI'`).
 *
 * @example
 * const topics: CrossCuttingTopic[] = ['PoC', 'CAAC'];
 */
export type CrossCuttingTopic = CodeOf<typeof CrossCuttingTopic>;

/**
 * Accepts a cross-cutting topic code.
 *
 * @example
 * z.object({ topics: z.array(crossCuttingTopicSchema).min(1) });
 */
export const crossCuttingTopicSchema = CrossCuttingTopic.schema;

/**
 * The five topics of the Human Security Approach itself, without the connected agendas.
 *
 * @example
 * CORE_CROSS_CUTTING_TOPICS.includes('WPS'); // false
 */
export const CORE_CROSS_CUTTING_TOPICS: readonly CrossCuttingTopic[] = Object.freeze(
  CrossCuttingTopic.entries.filter((entry) => !entry.connected).map((entry) => entry.code),
);
