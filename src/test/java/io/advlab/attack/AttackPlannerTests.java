package io.advlab.attack;

import static io.advlab.attack.AttackParamsTests.assertInvalid;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Planning an attack: the method, the target rules, {@code params.label} and the deadline. */
class AttackPlannerTests {

  private static final ModelShape SHAPE = AttackFixtures.DIGITS;
  private final AttackPlanner planner = new AttackPlanner(AttackFixtures.catalogue(), AttackFixtures.PROPERTIES);

  @Test
  void unknownOrMissingMethodNamesTheMethodField() {
    assertInvalid(() -> plan("blur", Map.of(), null), "method",
        "Unknown attack method 'blur': expected one of noise, semantic, fgsm, pgd, deepfool.");
    assertInvalid(() -> plan(null, Map.of(), null), "method", "'method' is required");
    assertInvalid(() -> plan("  ", Map.of(), null), "method", "'method' is required");
    assertThat(plan(" pgd ", Map.of(), null).spec().name()).isEqualTo("pgd");
  }

  @Test
  void untargetedMethodsRefuseATarget() {
    assertInvalid(() -> plan("deepfool", Map.of(), 3), "target", "Method 'deepfool' is untargeted");
    assertInvalid(() -> plan("semantic", Map.of(), 3), "target", "is untargeted");
    assertInvalid(() -> plan("noise", Map.of(), 0), "target", "is untargeted");
  }

  @Test
  void optionallyTargetedMethodsTakeATargetWithinTheModelsClasses() {
    AttackPlan plan = plan("pgd", Map.of(), 9);
    assertThat(plan.targetClass()).isEqualTo(9);
    assertThat(plan("fgsm", Map.of(), null).targetClass()).isNull();
    assertInvalid(() -> plan("pgd", Map.of(), 10), "target", "'target' must be a class index in [0, 9], got 10.");
    assertInvalid(() -> plan("fgsm", Map.of(), -1), "target", "got -1");
    AttackPlan wide = planner.plan(new ModelShape(1000, 3 * 224 * 224), "pgd", Map.of(), 999, null);
    assertThat(wide.targetClass()).isEqualTo(999);
  }

  @Test
  void aRequiredTargetMustBeGiven() {
    List<AttackMethod> methods = new ArrayList<>(AttackFixtures.methods());
    methods.add(new TargetedOnly());
    AttackPlanner withRequired = new AttackPlanner(new AttackCatalogue(methods), AttackFixtures.PROPERTIES);
    assertInvalid(() -> withRequired.plan(SHAPE, "towards", Map.of(), null, null), "target",
        "Method 'towards' needs a 'target' class.");
    assertThat(withRequired.plan(SHAPE, "towards", Map.of(), 4, null).targetClass()).isEqualTo(4);
  }

  @Test
  void labelIsForUntargetedAttacksOnly() {
    assertThat(plan("fgsm", Map.of("label", 3), null).label()).isEqualTo(3);
    assertThat(plan("fgsm", Map.of(), null).label()).isNull();
    assertThat(plan("deepfool", Map.of(), null).label()).as("deepfool has no label").isNull();
    assertInvalid(() -> plan("fgsm", Map.of("label", 3), 4), "params.label", "leave it out when a 'target' is given");
  }

  @Test
  void theTargetIsCheckedBeforeTheParameters() {
    assertInvalid(() -> plan("deepfool", Map.of("eps", 1), 3), "target", "is untargeted");
  }

  @Test
  void deadlineDefaultsAndIsCappedAndMustBePositive() {
    assertThat(plan("pgd", Map.of(), null).budgetNanos()).isEqualTo(Duration.ofSeconds(30).toNanos());
    assertThat(planner.plan(SHAPE, "pgd", Map.of(), null, 250L).budgetNanos()).isEqualTo(Duration.ofMillis(250).toNanos());
    assertThat(planner.plan(SHAPE, "pgd", Map.of(), null, 600_000L).budgetNanos())
        .isEqualTo(Duration.ofSeconds(120).toNanos());
    assertInvalid(() -> planner.plan(SHAPE, "pgd", Map.of(), null, 0L), "deadlineMs", "at least 1, got 0");
  }

  @Test
  void thePlanCarriesThePreparedAttackAndTheParametersUsed() {
    AttackPlan plan = plan("pgd", Map.of("eps", 0.1, "randomStart", false), null);
    assertThat(plan.prepared().firstStepAtInput()).isTrue();
    assertThat(plan.params().used()).containsEntry("eps", 0.1).containsEntry("stepSize", 0.025);
  }

  private AttackPlan plan(String method, Map<String, Object> params, Integer target) {
    return planner.plan(SHAPE, method, params, target, null);
  }

  /** A plug-in that needs a target, as none of the shipped ones does. */
  private static final class TargetedOnly implements AttackMethod {

    @Override
    public MethodSpec spec(ModelShape shape) {
      return new MethodSpec("towards", "Towards", "Test method.", MethodSpec.Targeted.REQUIRED, false, List.of());
    }

    @Override
    public Prepared prepare(AttackParams params) {
      return Prepared.of(context -> new ComputedAttack(context.input(), -1));
    }
  }
}
