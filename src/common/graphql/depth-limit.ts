import depthLimit from 'graphql-depth-limit';
import { NoFragmentCyclesRule, ValidationContext, ValidationRule, validate } from 'graphql';

/**
 * graphql-depth-limit follows fragment spreads without remembering where it has been, so a
 * fragment cycle overflows the stack. Validation rules run side by side, so the cycle is looked
 * for first here; NoFragmentCyclesRule reports it to the client.
 */
export function depthLimitRule(maxDepth: number): ValidationRule {
  const limit = depthLimit(maxDepth);
  return (context: ValidationContext) => {
    if (validate(context.getSchema(), context.getDocument(), [NoFragmentCyclesRule]).length > 0) return {};
    return limit(context);
  };
}
