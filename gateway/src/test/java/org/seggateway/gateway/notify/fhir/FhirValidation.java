package org.seggateway.gateway.notify.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import java.util.List;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;

/**
 * HAPI's instance validator against the base R4 profiles, offline: the core definitions, in-memory terminology
 * (UCUM, the HL7 code systems that ship with it), and code systems it cannot look up (SNOMED CT, DICOM, LOINC) as
 * warnings rather than errors, since there is no terminology server here.
 */
public final class FhirValidation {
    private static FhirValidator validator;

    private FhirValidation() {}

    public static List<SingleValidationMessage> errors(String json) {
        return messages(json).stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    /** How many messages of each severity the validator gives. */
    public static java.util.Map<ResultSeverityEnum, Long> summary(String json) {
        return messages(json).stream().collect(java.util.stream.Collectors.groupingBy(SingleValidationMessage::getSeverity,
                java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    private static synchronized List<SingleValidationMessage> messages(String json) {
        if (validator == null) {
            FhirContext ctx = FhirResultBundle.fhir();
            UnknownCodeSystemWarningValidationSupport unknown = new UnknownCodeSystemWarningValidationSupport(ctx);
            unknown.setNonExistentCodeSystemSeverity(ca.uhn.fhir.context.support.IValidationSupport.IssueSeverity.WARNING);
            ValidationSupportChain chain = new ValidationSupportChain(new DefaultProfileValidationSupport(ctx),
                    new InMemoryTerminologyServerValidationSupport(ctx), new CommonCodeSystemsTerminologyService(ctx), unknown);
            validator = ctx.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
        }
        return validator.validateWithResult(json).getMessages();
    }
}
