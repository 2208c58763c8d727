package org.seggateway.gateway.config;

import static java.lang.annotation.ElementType.TYPE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link ConfigurationCrossChecks} as a class-level constraint of {@link GatewayConfig}, so that SmallRye Config reports
 * its problems in the same failure as the constraints on single values, each under its key.
 */
@Target(TYPE)
@Retention(RUNTIME)
@Constraint(validatedBy = CrossChecked.Check.class)
public @interface CrossChecked {
    String message() default "is inconsistent";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<CrossChecked, GatewayConfig> {
        /** Characters that Bean Validation would read as message parameters or expressions. */
        private static final Pattern TEMPLATE_SYNTAX = Pattern.compile("[\\\\{}$]");

        @Override
        public boolean isValid(GatewayConfig config, ConstraintValidatorContext context) {
            if (config == null) return true;
            List<ConfigProblem> problems = ConfigurationCrossChecks.problems(config);
            if (problems.isEmpty()) return true;
            context.disableDefaultConstraintViolation();
            for (ConfigProblem p : problems) {
                ConfigLog.LOG.configurationRefused(p.key(), p.message());
                context.buildConstraintViolationWithTemplate(TEMPLATE_SYNTAX.matcher(p.message()).replaceAll(m -> Matcher.quoteReplacement("\\" + m.group())))
                        .addPropertyNode(p.relativeKey()).addConstraintViolation();
            }
            return false;
        }
    }
}
