/**
 * The sampling desk's person look-up before the tube. POST, so a typed ID number never sits in a
 * URL or an access log; a slow answer counts as none (the scan queues all the same).
 */
import type { PersonCheck } from './personCheck'
import { api } from '../api'

/** How long a scan waits for the look-up before it queues unverified. */
export const CHECK_TIMEOUT_MS = 3000

export const personCheckApi = {
  check: (roundId: string, person: string): Promise<PersonCheck> =>
    new Promise<PersonCheck>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS)
      api
        .post<PersonCheck>(`/api/rounds/${roundId}/person-check`, { person })
        .then(resolve, reject)
        .finally(() => clearTimeout(timer))
    }),
}
