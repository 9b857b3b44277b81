package io.advlab.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Skips the whole test class, before any Spring context is built, when
 * {@code ../shared/models/<value>} is absent; the reason is printed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@ExtendWith(SharedModelCondition.class)
public @interface RequiresSharedModel {
  String value();
}
