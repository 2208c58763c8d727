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
import java.util.regex.Pattern;

/**
 * A DICOM Application Entity title (PS3.5 6.2, VR AE): 1 to 16 characters of printable ASCII other than backslash,
 * not only spaces.
 */
@Target({METHOD, TYPE_USE})
@Retention(RUNTIME)
@Constraint(validatedBy = AeTitle.Check.class)
public @interface AeTitle {
    String MESSAGE = "must be an AE title: 1 to 16 printable ASCII characters other than backslash, not only spaces";

    String message() default MESSAGE;

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    final class Check implements ConstraintValidator<AeTitle, String> {
        private static final Pattern AE = Pattern.compile("(?=.*[^ ])[\\x20-\\x5B\\x5D-\\x7E]{1,16}");

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            return value == null || isAeTitle(value);
        }

        static boolean isAeTitle(String value) {
            return AE.matcher(value).matches();
        }
    }
}
