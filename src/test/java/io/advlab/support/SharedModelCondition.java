package io.advlab.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** Evaluates {@link RequiresSharedModel}. */
class SharedModelCondition implements ExecutionCondition {

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    return context.getElement()
        .flatMap(e -> AnnotationSupport.findAnnotation(e, RequiresSharedModel.class))
        .map(a -> {
          Path dir = TestRequirements.sharedModel(a.value());
          if (Files.isDirectory(dir)) {
            return ConditionEvaluationResult.enabled("shared model " + dir + " present");
          }
          String why = "shared model " + dir + " is absent (CI has it; put ../shared beside the checkout)";
          System.out.println("SKIPPED: " + why);
          return ConditionEvaluationResult.disabled(why);
        })
        .orElse(ConditionEvaluationResult.enabled("no shared model required"));
  }
}
