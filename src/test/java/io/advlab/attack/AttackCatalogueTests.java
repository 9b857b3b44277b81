package io.advlab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The catalogue as collected from the plug-in beans, per model shape. */
class AttackCatalogueTests {

  @Test
  void springCollectsTheBeansInCatalogueOrder() {
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.registerBean(AttackProperties.class, () -> AttackFixtures.PROPERTIES);
      // Registered out of order on purpose: @Order decides.
      context.register(DeepFoolMethod.class, SemanticMethod.class, PgdMethod.class, NoiseMethod.class,
          FgsmMethod.class, AttackCatalogue.class);
      context.refresh();
      assertThat(context.getBean(AttackCatalogue.class).methods(10, 3072)).extracting(MethodSpec::name)
          .containsExactly("noise", "semantic", "fgsm", "pgd", "deepfool");
    }
  }

  @Test
  void rangesFollowTheModelShape() {
    AttackCatalogue catalogue = AttackFixtures.catalogue();
    MethodSpec digits = catalogue.method("deepfool", new ModelShape(10, 3072)).spec();
    MethodSpec imagenet = catalogue.method("deepfool", new ModelShape(1000, 3 * 224 * 224)).spec();
    assertThat(digits.param("candidates").max()).isEqualTo(10.0);
    assertThat(imagenet.param("candidates").max()).isEqualTo(1000.0);
    assertThat(imagenet.param("candidates").defaultValue()).isEqualTo(10);
    assertThat(catalogue.method("pgd", new ModelShape(1000, 3 * 224 * 224)).spec().param("eps").maxL2())
        .isEqualTo(Math.sqrt(3 * 224 * 224));
    assertThat(catalogue.method("fgsm", new ModelShape(1000, 12)).spec().param("label").max()).isEqualTo(999.0);
    assertThat(catalogue.method("pgd", AttackFixtures.DIGITS).spec().param("steps").max()).isEqualTo(1000.0);
  }

  @Test
  void eachShapeIsDescribedOnce() {
    AttackCatalogue catalogue = AttackFixtures.catalogue();
    assertThat(catalogue.method("pgd", AttackFixtures.DIGITS).spec())
        .isSameAs(catalogue.method("pgd", new ModelShape(10, 3072)).spec());
  }

  @Test
  void targetedIsWrittenInLowerCase() {
    JsonNode json = JsonMapper.builder().build().valueToTree(AttackFixtures.catalogue().methods(10, 3072));
    assertThat(json.findValuesAsString("targeted")).containsExactly("never", "never", "optional", "optional", "never");
  }

  @Test
  void twoPlugInsWithOneNameAreAnError() {
    AttackCatalogue catalogue = new AttackCatalogue(List.of(new PgdMethod(AttackFixtures.PROPERTIES),
        new PgdMethod(AttackFixtures.PROPERTIES)));
    assertThatThrownBy(() -> catalogue.methods(10, 3072)).hasMessageContaining("two attack methods are named 'pgd'");
  }
}
