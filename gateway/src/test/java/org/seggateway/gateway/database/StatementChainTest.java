package org.seggateway.gateway.database;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class StatementChainTest {

    @Test
    void eachStatementGetsItsOwnParameterNamesAndCastsStayAsTheyAre() {
        StatementChain chain = new StatementChain()
                .add("insert into t (a, b) values (:a, cast(:b as date))", Map.of("a", 1, "b", "2026-01-01"))
                .add("select pg_advisory_xact_lock(1)::text, :a", Map.of("a", 2));
        assertEquals("insert into t (a, b) values (:a_0, cast(:b_0 as date));\n"
                + "select pg_advisory_xact_lock(1)::text, :a_1;\n", chain.sql());
        assertEquals(2, chain.size());
    }

    @Test
    void anEmptyChainRunsNothing() {
        StatementChain chain = new StatementChain();
        assertTrue(chain.isEmpty());
        chain.execute(null);   // would fail on the null handle if it tried
    }
}
