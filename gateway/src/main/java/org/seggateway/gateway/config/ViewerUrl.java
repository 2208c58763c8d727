package org.seggateway.gateway.config;

import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.Optional;
import org.seggateway.gateway.worklist.ViewerUrlTemplate;

/** A viewer URL template: http or https, only known placeholders ({@link ViewerUrlTemplate}). */
@Target({METHOD, TYPE_USE})
@Retention(RUNTIME)
@Constraint(validatedBy = ViewerUrl.Check.class)
public @interface ViewerUrl {
    String message() default "is not a usable viewer URL template";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<ViewerUrl, String> {
        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) return true;
            Optional<String> problem = ViewerUrlTemplate.problem(value);
            if (problem.isEmpty()) return true;
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(escape(problem.get())).addConstraintViolation();
            return false;
        }

        /** Braces and dollars of the text would otherwise be read as message expressions. */
        private static String escape(String text) {
            return text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}").replace("$", "\\$");
        }
    }
}
