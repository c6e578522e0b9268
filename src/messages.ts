/**
 * Every domain's message catalogue, composed in one place: the texts (zh-CN and English) of
 * error codes, row-level reasons, field labels (`FIELD_<name>`), audit actions (`AUDIT_<action>`)
 * and permissions (`PERMISSION_<name>`). The server renders them for exports, reports, the CLI
 * and the English `message` of an error body; the web app imports this file and renders the
 * same texts (web/src/lib/apiError.ts), so a code is typed on both sides (`MessageCode`).
 *
 * A new domain writes `src/<domain>/<domain>.messages.ts` (defineMessages) and adds one line
 * to MESSAGES below. Pure data, no Node APIs: the web app bundles it.
 */
import { coreMessages } from './core/core.messages.js'
import { installMessages } from './core/i18n/messages.js'
import { importsMessages } from './imports/imports.messages.js'
import { alertsMessages } from './alerts/alerts.messages.js'
import { policyMessages } from './policy/policy.messages.js'
import { policyLabelMessages } from './policy/policy.labels.messages.js'
import { demoMessages } from './demo/demo.messages.js'
import { registryMessages } from './registry/registry.messages.js'
import { documentMessages } from './registry/documents.messages.js'
import { careMessages } from './registry/care.messages.js'
import { resultsMessages } from './testing/results.messages.js'
import { testingMessages } from './testing/testing.messages.js'
import { missedMessages } from './testing/missed.messages.js'
import { personCheckMessages } from './testing/personcheck.messages.js'
import { registryLabelMessages } from './registry/registry.labels.messages.js'
import { testingLabelMessages } from './testing/testing.labels.messages.js'
import { alertsLabelMessages } from './alerts/alerts.labels.messages.js'
import { doorsMessages } from './measures/doors.messages.js'
import { measuresMessages } from './measures/measures.messages.js'
import { measuresLabelMessages } from './measures/measures.labels.messages.js'
import { measuresRulesMessages } from './measures/measures.rules.messages.js'
import { zonesMessages } from './zones/zones.messages.js'
import { zonesLabelMessages } from './zones/zones.labels.messages.js'
import { zonesInsideMessages } from './zones/zones.inside.messages.js'
import { checkpointsMessages } from './checkpoints/checkpoints.messages.js'
import { checkpointsLabelMessages } from './checkpoints/checkpoints.labels.messages.js'
import { arrivalsMessages } from './arrivals/arrivals.messages.js'
import { arrivalsLabelMessages } from './arrivals/arrivals.labels.messages.js'

export const MESSAGES = {
  ...coreMessages,
  ...importsMessages,
  ...alertsMessages,
  ...policyMessages,
  ...policyLabelMessages,
  ...demoMessages,
  ...registryMessages,
  ...documentMessages,
  ...careMessages,
  ...resultsMessages,
  ...testingMessages,
  ...missedMessages,
  ...personCheckMessages,
  ...registryLabelMessages,
  ...testingLabelMessages,
  ...alertsLabelMessages,
  ...doorsMessages,
  ...measuresMessages,
  ...measuresLabelMessages,
  ...measuresRulesMessages,
  ...zonesMessages,
  ...zonesLabelMessages,
  ...zonesInsideMessages,
  ...checkpointsMessages,
  ...checkpointsLabelMessages,
  ...arrivalsMessages,
  ...arrivalsLabelMessages,
} as const

export type { MessageCode } from './core/i18n/messages.js'

declare module './core/i18n/messages.js' {
  // Interface merging is how core learns the domains' codes without importing them.
  interface MessageRegister {
    messages: typeof MESSAGES
  }
}

/** Installs every catalogue (idempotent): app.ts, the CLI and the web app do at start. */
export function installAllMessages(): void {
  installMessages(MESSAGES)
}
