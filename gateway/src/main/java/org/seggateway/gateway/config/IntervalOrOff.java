package org.seggateway.gateway.config;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.quarkus.runtime.configuration.DurationConverter;
import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.time.Duration;

/** How often a scheduled task runs ({@code @Scheduled(every = ...)}): a positive duration, or off (disabled). */
@Target(METHOD)
@Retention(RUNTIME)
@Constraint(validatedBy = IntervalOrOff.Check.class)
public @interface IntervalOrOff {
    String message() default "must be a positive duration (e.g. 1s, 5m, PT1M) or off";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<IntervalOrOff, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) return true;
            String v = value.strip();
            if (v.equalsIgnoreCase("off") || v.equalsIgnoreCase("disabled")) return true;
            try {
                Duration d = new DurationConverter().convert(v);
                return d != null && d.isPositive();
            } catch (RuntimeException e) {
                return false;
            }
        }
    }
}
