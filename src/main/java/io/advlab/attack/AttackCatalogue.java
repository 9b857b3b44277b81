package io.advlab.attack;

import io.advlab.problem.ApiException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.springframework.stereotype.Component;

/**
 * Every attack advlab offers, with its parameters, defaults and ranges, as served by
 * {@code GET /api/v1/attacks}: collected from the {@link AttackMethod} beans in their order. Ranges
 * depend on the model (classes, input size), so the catalogue is asked per model shape; each shape's
 * list is built once.
 */
@Component
public class AttackCatalogue {

  private final List<AttackMethod> methods;
  private final Map<ModelShape, List<Offer>> byShape = new ConcurrentHashMap<>();

  /** @param methods the plug-ins, in catalogue order (Spring sorts them by {@code @Order}) */
  AttackCatalogue(List<AttackMethod> methods) {
    this.methods = List.copyOf(methods);
  }

  /** One method as offered for one model shape: its description, and the plug-in that runs it. */
  record Offer(MethodSpec spec, AttackMethod method) {}

  /** Every method for a model with this many classes and input values, in catalogue order. */
  public List<MethodSpec> methods(int classes, int inputSize) {
    return offers(new ModelShape(classes, inputSize)).stream().map(Offer::spec).toList();
  }

  /**
   * The method names in catalogue order; they do not depend on the model, so any shape (here a
   * 10-class 3x28x28 one) gives them.
   */
  public List<String> names() {
    return methods(10, 3 * 28 * 28).stream().map(MethodSpec::name).toList();
  }

  /** The method named; 400 naming {@code method} when there is none or it is unknown. */
  Offer method(String name, ModelShape shape) {
    List<Offer> offers = offers(shape);
    if (name == null || name.isBlank()) {
      throw ApiException.invalidField("method", "'method' is required: one of " + names(offers) + ".");
    }
    return offers.stream().filter(o -> o.spec().name().equals(name.strip())).findFirst()
        .orElseThrow(() -> ApiException.invalidField("method",
            "Unknown attack method '" + name + "': expected one of " + names(offers) + "."));
  }

  private List<Offer> offers(ModelShape shape) {
    return byShape.computeIfAbsent(shape, this::describe);
  }

  private List<Offer> describe(ModelShape shape) {
    List<Offer> offers = methods.stream().map(m -> new Offer(withEot(m.spec(shape)), m)).toList();
    Set<String> names = new HashSet<>();
    for (Offer offer : offers) {
      if (!names.add(offer.spec().name())) {
        throw new IllegalStateException("two attack methods are named '" + offer.spec().name() + "'");
      }
    }
    return offers;
  }

  /** A white-box method's spec with {@link CommonParams#eot()}: EOT is the gradient path's, not the method's. */
  private static MethodSpec withEot(MethodSpec spec) {
    if (!spec.whiteBox()) {
      return spec;
    }
    List<ParamSpec> params = new java.util.ArrayList<>(spec.params());
    params.add(CommonParams.eot());
    return new MethodSpec(spec.name(), spec.title(), spec.description(), spec.targeted(), true, List.copyOf(params));
  }

  private static String names(List<Offer> offers) {
    return offers.stream().map(o -> o.spec().name()).collect(Collectors.joining(", "));
  }
}
