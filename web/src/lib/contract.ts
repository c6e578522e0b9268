/**
 * Type-level helpers for lists the web app keeps beside the server's: a select's options must
 * name every value the server accepts, no more and no fewer.
 */

/**
 * The values of `T`, each listed: `allOf<Relation>()(['head', …])`. A value the server adds that
 * the list lacks, or one the list has that the server does not know, is a compile error.
 */
export function allOf<T extends string>() {
  return <const A extends readonly T[]>(
    values: A &
      ([Exclude<T, A[number]>] extends [never] ? unknown : { missing: Exclude<T, A[number]> }),
  ): A => values
}
