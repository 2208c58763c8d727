package org.seggateway.gateway.config;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Duration;

/** A duration or a memory size above zero. */
@Target({METHOD, TYPE_USE})
@Retention(RUNTIME)
@Constraint(validatedBy = {PositiveAmount.OfDuration.class, PositiveAmount.OfMemorySize.class})
public @interface PositiveAmount {
    String message() default "must be above zero";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class OfDuration implements ConstraintValidator<PositiveAmount, Duration> {
        @Override
        public boolean isValid(Duration value, ConstraintValidatorContext context) {
            return value == null || value.isPositive();
        }
    }

    final class OfMemorySize implements ConstraintValidator<PositiveAmount, MemorySize> {
        @Override
        public boolean isValid(MemorySize value, ConstraintValidatorContext context) {
            return value == null || value.asLongValue() > 0;
        }
    }
}
