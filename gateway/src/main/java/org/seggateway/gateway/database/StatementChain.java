package org.seggateway.gateway.database;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Handle;

/**
 * Several SQL statements with named parameters sent to PostgreSQL as one, so that they cost one round trip instead of
 * one each. The statements run in the order added, each seeing what the ones before it did; the first to fail fails
 * the rest. Each statement's parameter names get a suffix of their own, so every statement binds its own values even
 * where two use the same names.
 *
 * <p>For statements without literals or casts that contain a colon followed by a letter ({@code ::type} is fine): the
 * parameters are found by that pattern.
 */
public final class StatementChain {
    private static final Pattern NAMED_PARAMETER = Pattern.compile("(?<![:\\w]):([A-Za-z_]\\w*)");

    private final StringBuilder sql = new StringBuilder();
    private final Map<String, Object> values = new HashMap<>();
    private int statements;

    /** Adds a statement with its named values (those it does not use are ignored). */
    public StatementChain add(String statement, Map<String, ?> namedValues) {
        String suffix = "_" + statements++;
        Matcher m = NAMED_PARAMETER.matcher(statement);
        sql.append(m.replaceAll(r -> Matcher.quoteReplacement(":" + r.group(1) + suffix))).append(";\n");
        namedValues.forEach((name, value) -> values.put(name + suffix, value));
        return this;
    }

    public boolean isEmpty() {
        return statements == 0;
    }

    public int size() {
        return statements;
    }

    /** Runs every statement added, in one round trip; nothing when none was added. */
    public void execute(Handle h) {
        if (statements == 0) return;
        h.createUpdate(sql.toString()).bindMap(values).execute();
    }

    /** The SQL as sent (for tests). */
    String sql() {
        return sql.toString();
    }
}
