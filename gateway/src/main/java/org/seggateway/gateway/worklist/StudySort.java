package org.seggateway.gateway.worklist;

import java.util.Arrays;
import java.util.Locale;

/**
 * The columns the worklist sorts by: {@code sort=<name>} ascending, {@code sort=-<name>} descending. Missing values sort
 * last either way; ties fall back to the most recently received first.
 */
public enum StudySort {
    RECEIVED("last_received"),
    PATIENT_NAME("lower(patient_name)"),
    PATIENT_ID("patient_id"),
    ACCESSION("accession"),
    STUDY_DATE("study_date"),
    DESCRIPTION("lower(study_description)"),
    MODALITY("modalities"),
    BODY_PART("body_parts"),
    STATUS("status"),
    AI_TIME("ai_time"),
    MODELS("models"),
    WARNINGS("warning_count");

    /** The default order: the most recently received first. */
    public static final Order DEFAULT = new Order(RECEIVED, true);

    private final String expression;

    StudySort(String expression) {
        this.expression = expression;
    }

    /** The name in the API: camel case, e.g. {@code patientName}. */
    public String label() {
        String[] words = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) b.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
        return b.toString();
    }

    /** A column and a direction. */
    public record Order(StudySort column, boolean descending) {
        /** The SQL order-by clause over the worklist summary; the column expression is ours, never the caller's text. */
        String sql() {
            return column.expression + (descending ? " desc" : " asc") + " nulls last, last_received desc, uid";
        }

        /** As the API writes it: {@code -studyDate}. */
        public String label() {
            return (descending ? "-" : "") + column.label();
        }
    }

    /** {@code name} or {@code -name}; an unknown column is an IllegalArgumentException naming the known ones. */
    public static Order parse(String value) {
        String v = value.trim();
        boolean descending = v.startsWith("-");
        String name = descending ? v.substring(1) : v;
        for (StudySort s : values()) if (s.label().equals(name)) return new Order(s, descending);
        throw new IllegalArgumentException("sort '" + value + "' names no column; one of "
                + Arrays.stream(values()).map(StudySort::label).toList() + ", with a leading '-' for descending");
    }
}
