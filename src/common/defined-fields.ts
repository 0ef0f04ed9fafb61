/** The fields an update input actually sets: GraphQL leaves unset optional fields undefined, and they must not overwrite. */
export function definedFields<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined)) as Partial<T>;
}
