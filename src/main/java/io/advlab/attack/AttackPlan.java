package io.advlab.attack;

/**
 * An attack request whose method, target and parameters are checked, before any image is loaded.
 *
 * @param spec the method as the catalogue describes it for the model
 * @param params the parameters read against {@code spec}; {@link AttackParams#used()} for the response
 * @param prepared the attack waiting for its image
 * @param label the true class an untargeted attack must leave ({@code params.label}), or null: the
 *     model's original top-1
 * @param targetClass the class a targeted attack aims for, or null (untargeted)
 * @param budgetNanos how long the attack may run, counted from when the request arrived
 * @param eot EOT draws per gradient step against a defence ({@code params.eot}); 0 for none
 */
record AttackPlan(MethodSpec spec, AttackParams params, AttackMethod.Prepared prepared, Integer label,
    Integer targetClass, long budgetNanos, int eot) {}
