package org.seggateway.gateway.rest;

import jakarta.ws.rs.BadRequestException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Reading the query parameters the list endpoints share; a malformed one is a 400 naming it. */
public final class QueryParameters {
    private QueryParameters() {}

    public static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /**
     * An ISO-8601 instant, or a date (UTC): its start, or for the end of a range ({@code endOfRange}) the start of the
     * next day, so that {@code to=2025-01-31} includes that day.
     */
    public static Instant time(String name, String value, boolean endOfRange) {
        String v = blankToNull(value);
        if (v == null) return null;
        try {
            if (v.length() == 10) {
                LocalDate date = LocalDate.parse(v);
                return (endOfRange ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " is neither an ISO-8601 instant nor a date (YYYY-MM-DD): " + value);
        }
    }

    public static void checkPage(int page, int size, int maxSize) {
        if (page < 0) throw new BadRequestException("page must be 0 or more: " + page);
        if (size < 1 || size > maxSize) throw new BadRequestException("size must be 1 to " + maxSize + ": " + size);
    }
}
