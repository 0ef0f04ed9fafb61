import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';

/**
 * How @nestjs/graphql tags a resolver's parameters for pipes (its GqlParamtype, which the package
 * does not export): the parent object, the context and the resolve info are ours, not input.
 */
const GRAPHQL_NON_INPUT_PARAMETERS: ReadonlySet<unknown> = new Set([0, 1, 2]);

/**
 * The global ValidationPipe for what callers send (REST bodies, queries and path parameters,
 * GraphQL arguments) and nothing else. Nest runs global pipes on every parameter of every field
 * resolver, so a list of 20 tickets selecting `customer` would otherwise turn each parent Ticket
 * into a fresh instance and validate it — 20 times a request, for an object we built ourselves.
 */
export class InputValidationPipe extends ValidationPipe {
  protected override toValidate(metadata: ArgumentMetadata): boolean {
    return !GRAPHQL_NON_INPUT_PARAMETERS.has(metadata.type) && super.toValidate(metadata);
  }
}
